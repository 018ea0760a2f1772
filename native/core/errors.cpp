#include "errors.hpp"

#include <cerrno>
#include <cstring>

namespace ipclab {

namespace {

struct ErrnoInfo {
  int err;
  const char* name;
  const char* phrase;
  const char* advice;
};

constexpr ErrnoInfo kErrnos[] = {
    {EEXIST, "EEXIST", "already exists",
     "open it instead, choose another name, or remove it first (ipclab clean lists leftovers)"},
    {ENOENT, "ENOENT", "no such object", "check the name, or create it first"},
    {EACCES, "EACCES", "permission denied", "check the object's mode and owner"},
    {EPERM, "EPERM", "operation not permitted", "check the object's mode and owner"},
    {ENOSPC, "ENOSPC", "no space left", "free space in /dev/shm or ask for a smaller size"},
    {ENOMEM, "ENOMEM", "out of memory", "ask for a smaller size or free memory"},
    {EMFILE, "EMFILE", "too many open files in this process", "close objects you no longer use"},
    {ENFILE, "ENFILE", "too many open files on the system", "close objects you no longer use"},
    {ENAMETOOLONG, "ENAMETOOLONG", "name too long", "use a shorter name"},
    {EINVAL, "EINVAL", "invalid argument", "check the name, size and offset"},
    {EFBIG, "EFBIG", "size too large", "ask for a smaller size"},
    {EOVERFLOW, "EOVERFLOW", "value too large", "use a smaller value"},
    {EINTR, "EINTR", "interrupted", "retry"},
    {EAGAIN, "EAGAIN", "resource temporarily unavailable", "retry later"},
    {ETIMEDOUT, "ETIMEDOUT", "timed out", "retry with a longer timeout"},
    {EBADF, "EBADF", "bad file descriptor", "the object was already closed"},
    {ENODEV, "ENODEV", "the file system does not support this", "use a tmpfs such as /dev/shm"},
    {EOPNOTSUPP, "EOPNOTSUPP", "operation not supported", "use a tmpfs such as /dev/shm"},
};

const ErrnoInfo* find(int err) {
  for (const auto& info : kErrnos) {
    if (info.err == err) return &info;
  }
  return nullptr;
}

}  // namespace

const char* errnoName(int err) {
  const ErrnoInfo* info = find(err);
  return info ? info->name : "EUNKNOWN";
}

std::string describeSystemError(int err, const std::string& syscall, const std::string& objectName) {
  const ErrnoInfo* info = find(err);
  std::string message = syscall;
  if (!objectName.empty()) message += " \"" + objectName + "\"";
  message += " failed: ";
  message += info ? info->phrase : std::strerror(err);
  message += " (";
  message += errnoName(err);
  message += ")";
  if (info) {
    message += "; ";
    message += info->advice;
  }
  return message;
}

SystemError::SystemError(int err, std::string syscall, std::string objectName)
    : std::runtime_error(describeSystemError(err, syscall, objectName)),
      err_(err),
      syscall_(std::move(syscall)),
      objectName_(std::move(objectName)) {}

const char* SystemError::code() const { return errnoName(err_); }

void throwSystemError(int err, const char* syscall, const std::string& objectName) {
  throw SystemError(err, syscall, objectName);
}

}  // namespace ipclab
