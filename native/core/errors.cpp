#include "errors.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

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
    {EMFILE, "EMFILE", "too many open files in this process",
     "ipclab objects hold no file descriptor once open, so close files or sockets elsewhere in this process, or "
     "raise its limit (ulimit -n)"},
    {ENFILE, "ENFILE", "too many open files on the system",
     "close files elsewhere on the system, or raise the system limit (fs.file-max)"},
    {EISDIR, "EISDIR", "is a directory", "a shared memory or semaphore name must not be \".\" or \"..\""},
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
  if (info) return info->name;
  const char* name = ::strerrorname_np(err);
  return name ? name : "EUNKNOWN";
}

std::string describeSystemError(int err, const std::string& syscall, const std::string& objectName,
                                const std::string& advice) {
  const ErrnoInfo* info = find(err);
  std::string message = syscall;
  if (!objectName.empty()) message += " \"" + objectName + "\"";
  message += " failed: ";
  message += info ? info->phrase : std::strerror(err);
  message += " (";
  message += errnoName(err);
  message += ")";
  if (!advice.empty() || info) {
    message += "; ";
    message += advice.empty() ? info->advice : advice.c_str();
  }
  return message;
}

SystemError::SystemError(int err, std::string syscall, std::string objectName, const std::string& advice)
    : std::runtime_error(describeSystemError(err, syscall, objectName, advice)),
      err_(err),
      syscall_(std::move(syscall)),
      objectName_(std::move(objectName)) {}

const char* SystemError::code() const { return errnoName(err_); }

void throwSystemError(int err, const char* syscall, const std::string& objectName) {
  throw SystemError(err, syscall, objectName);
}

namespace {

long mappingCount() {
  std::ifstream maps("/proc/self/maps");
  long lines = 0;
  for (std::string line; std::getline(maps, line);) ++lines;
  return lines;
}

long mappingLimit() {
  std::ifstream limit("/proc/sys/vm/max_map_count");
  long value = -1;
  limit >> value;
  return value;
}

}  // namespace

std::string mappingLimitAdvice() noexcept {
  try {
    const long count = mappingCount();
    const long limit = mappingLimit();
    // Anything within a few mappings of the limit is the limit: other threads map memory too.
    if (limit <= 0 || count + 16 < limit) return "";
    return "this process has " + std::to_string(count) + " memory mappings and the limit (vm.max_map_count) is " +
           std::to_string(limit) + ": close segments you no longer use, or raise vm.max_map_count with sysctl";
  } catch (...) {
    return "";  // reading /proc needs memory too
  }
}

void throwMmapError(int err, const std::string& objectName) {
  std::string advice;
  if (err == ENOMEM) {
    advice = mappingLimitAdvice();
    if (advice.empty()) {
      advice = "no address space or memory left for " + std::string(objectName.empty() ? "it" : "this segment") +
               ": close segments you no longer use or ask for a smaller size";
    }
  }
  throw SystemError(err, "mmap", objectName, advice);
}

}  // namespace ipclab
