// Names of shared memory segments and named semaphores, checked as the Node API checks them
// (src/validate.ts normalizeName): for callers that do not go through TypeScript (libipclab).
#pragma once

#include <string>

namespace ipclab {

constexpr size_t kMaxNameLength = 30;  // bytes after the leading '/': the limit every POSIX system accepts

// "/x" for "x" or "/x"; UsageError ERR_INVALID_ARGUMENT saying what is wrong otherwise.
std::string normalizeName(const char* name, const char* what = "name");

}  // namespace ipclab
