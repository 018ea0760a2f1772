#include "args.hpp"

#include <cmath>

namespace ipclab::binding {

std::string nameArg(const Napi::CallbackInfo& info, size_t index, const char* what) {
  if (!info[index].IsString()) throw Napi::TypeError::New(info.Env(), std::string(what) + " must be a string");
  return info[index].As<Napi::String>().Utf8Value();
}

int64_t integerArg(const Napi::CallbackInfo& info, size_t index, const char* what, int64_t min, int64_t max) {
  if (!info[index].IsNumber()) throw Napi::TypeError::New(info.Env(), std::string(what) + " must be a number");
  const double value = info[index].As<Napi::Number>().DoubleValue();
  if (!std::isfinite(value) || std::floor(value) != value || value < static_cast<double>(min) ||
      value > static_cast<double>(max)) {
    throw Napi::RangeError::New(info.Env(), std::string(what) + " must be an integer from " + std::to_string(min) +
                                                " to " + std::to_string(max));
  }
  return static_cast<int64_t>(value);
}

bool boolArg(const Napi::CallbackInfo& info, size_t index, const char* what) {
  if (!info[index].IsBoolean()) throw Napi::TypeError::New(info.Env(), std::string(what) + " must be a boolean");
  return info[index].As<Napi::Boolean>().Value();
}

}  // namespace ipclab::binding
