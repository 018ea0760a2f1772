#include "addon_data.hpp"

#include <new>

#include "../core/errors.hpp"

namespace ipclab::binding {

bool CompletionGate::deliver(WaitJob* job) {
  std::lock_guard<std::mutex> lock(mutex_);
  return open_ && completions_.NonBlockingCall(job) == napi_ok;
}

void CompletionGate::close() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!open_) return;
  open_ = false;
  completions_.Release();
}

Napi::Error makeIpcError(Napi::Env env, const ErrorDetails& details) {
  AddonData& data = AddonData::of(env);
  Napi::Object fields = Napi::Object::New(env);
  fields.Set("code", details.code);
  if (details.err != 0) fields.Set("errno", details.err);
  if (!details.syscall.empty()) fields.Set("syscall", details.syscall);
  if (!details.objectName.empty()) fields.Set("name", details.objectName);
  if (data.ipcErrorClass.IsEmpty()) {
    Napi::Error error = Napi::Error::New(env, details.message);
    error.Set("code", details.code);
    return error;
  }
  Napi::Object error = data.ipcErrorClass.New({Napi::String::New(env, details.message), fields});
  return Napi::Error(env, error);
}

ErrorDetails detailsOfCurrentException() {
  try {
    throw;
  } catch (const SystemError& e) {
    return {e.code(), e.what(), e.err(), e.syscall(), e.objectName()};
  } catch (const UsageError& e) {
    return {e.code(), e.what(), 0, "", ""};
  } catch (const std::bad_alloc&) {
    // At the mapping limit, malloc's own mmap fails before the segment's does.
    const std::string advice = mappingLimitAdvice();
    if (!advice.empty()) {
      try {
        return {"ENOMEM", describeSystemError(ENOMEM, "mmap", "", advice), ENOMEM, "mmap", ""};
      } catch (...) {
      }
    }
    return {"ENOMEM", "out of memory", 0, "", ""};
  } catch (const std::exception& e) {
    return {"ERR_INTERNAL", e.what(), 0, "", ""};
  }
}

}  // namespace ipclab::binding
