// System errors of the core, independent of Node: an errno plus the call and object it concerns.
#pragma once

#include <stdexcept>
#include <string>

namespace ipclab {

class SystemError : public std::runtime_error {
 public:
  // advice replaces the errno's usual advice when not empty.
  SystemError(int err, std::string syscall, std::string objectName, const std::string& advice = "");

  int err() const { return err_; }
  const std::string& syscall() const { return syscall_; }
  const std::string& objectName() const { return objectName_; }
  // The errno's symbolic name ("EEXIST"), used as the error's code.
  const char* code() const;

 private:
  int err_;
  std::string syscall_;
  std::string objectName_;
};

// A misuse that is not an errno: a closed object, a read-only mapping, a bad layout.
class UsageError : public std::runtime_error {
 public:
  UsageError(std::string code, const std::string& message)
      : std::runtime_error(message), code_(std::move(code)) {}
  const std::string& code() const { return code_; }

 private:
  std::string code_;
};

const char* errnoName(int err);

// `shm_open "/x" failed: already exists (EEXIST); <what to do>`
std::string describeSystemError(int err, const std::string& syscall, const std::string& objectName,
                                const std::string& advice = "");

[[noreturn]] void throwSystemError(int err, const char* syscall, const std::string& objectName);
// mmap's ENOMEM is most often the per-process mapping limit, not memory: say which it is.
[[noreturn]] void throwMmapError(int err, const std::string& objectName);
// When this process is at its mapping limit (vm.max_map_count), what to say about it; else empty.
std::string mappingLimitAdvice() noexcept;

}  // namespace ipclab
