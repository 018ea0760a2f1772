// The one place native code re-checks arguments (TypeScript validated them first).
#pragma once

#include <napi.h>

#include <cstdint>
#include <string>

namespace ipclab::binding {

std::string nameArg(const Napi::CallbackInfo& info, size_t index, const char* what);
// An integer in [min, max]; TypeError if not a number, RangeError otherwise.
int64_t integerArg(const Napi::CallbackInfo& info, size_t index, const char* what, int64_t min, int64_t max);
bool boolArg(const Napi::CallbackInfo& info, size_t index, const char* what);

}  // namespace ipclab::binding
