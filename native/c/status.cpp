// libipclab: versions, status names and the thread's last error.
#include <cstring>

#include "api.hpp"

namespace ipclab::capi {

namespace {

struct LastError {
  int status = IPCLAB_OK;
  std::string message;
  std::string syscall;
};

thread_local LastError lastError;

struct CodeStatus {
  const char* code;
  int status;
};

// The Node API's error codes (src/errors.ts) and their statuses in include/ipclab.h.
constexpr CodeStatus kCodes[] = {
    {"ERR_CLOSED", IPCLAB_ERR_CLOSED},
    {"ERR_READ_ONLY", IPCLAB_ERR_READ_ONLY},
    {"ERR_OUT_OF_RANGE", IPCLAB_ERR_OUT_OF_RANGE},
    {"ERR_SIZE_MISMATCH", IPCLAB_ERR_SIZE_MISMATCH},
    {"ERR_EMPTY_SEGMENT", IPCLAB_ERR_EMPTY_SEGMENT},
    {"ERR_BAD_CHANNEL", IPCLAB_ERR_BAD_CHANNEL},
    {"ERR_CORRUPT_SEMAPHORE", IPCLAB_ERR_CORRUPT_SEMAPHORE},
    {"ERR_CHANNEL_CLOSED", IPCLAB_ERR_CHANNEL_CLOSED},
    {"ERR_PEER_GONE", IPCLAB_ERR_PEER_GONE},
    {"ERR_TIMEOUT", IPCLAB_ERR_TIMEOUT},
    {"ERR_WRONG_STATE", IPCLAB_ERR_WRONG_STATE},
    {"ERR_INVALID_ARGUMENT", IPCLAB_ERR_INVALID_ARGUMENT},
    {"ERR_MESSAGES_LOST", IPCLAB_ERR_MESSAGES_LOST},
    {"ERR_INTERNAL", IPCLAB_ERR_INTERNAL},
};

}  // namespace

int fail(int status, const char* message, const std::string& syscall) noexcept {
  try {
    lastError.status = status;
    lastError.message = message;
    lastError.syscall = syscall;
  } catch (...) {
    lastError.message.clear();  // no memory for the sentence: the status still says what happened
  }
  return status;
}

int statusOfCode(const std::string& code) noexcept {
  for (const auto& entry : kCodes) {
    if (code == entry.code) return entry.status;
  }
  return IPCLAB_ERR_INTERNAL;
}

int failCurrentException() noexcept {
  try {
    throw;
  } catch (const UsageError& error) {
    return fail(statusOfCode(error.code()), error.what());
  } catch (const SystemError& error) {
    return fail(error.err(), error.what(), error.syscall());
  } catch (const std::bad_alloc&) {
    return fail(ENOMEM, "out of memory (ENOMEM)");
  } catch (const std::exception& error) {
    return fail(IPCLAB_ERR_INTERNAL, error.what());
  } catch (...) {
    return fail(IPCLAB_ERR_INTERNAL, "an unknown exception inside libipclab");
  }
}

}  // namespace ipclab::capi

extern "C" {

const char* ipclab_version(void) { return IPCLAB_VERSION; }
int ipclab_abi_version(void) { return IPCLAB_ABI_VERSION; }
int ipclab_protocol_version(void) { return static_cast<int>(ipclab::channel::kVersion); }

const char* ipclab_status_name(int status) {
  if (status == IPCLAB_OK) return "OK";
  if (status > 0) return ipclab::errnoName(status);
  for (const auto& entry : ipclab::capi::kCodes) {
    if (entry.status == status) return entry.code;
  }
  return "ERR_UNKNOWN_STATUS";
}

const char* ipclab_last_error_message(void) { return ipclab::capi::lastError.message.c_str(); }
int ipclab_last_error_status(void) { return ipclab::capi::lastError.status; }
const char* ipclab_last_error_syscall(void) { return ipclab::capi::lastError.syscall.c_str(); }

}  // extern "C"

static_assert(IPCLAB_PROTOCOL_VERSION == ipclab::channel::kVersion, "ipclab.h names the protocol the core speaks");
