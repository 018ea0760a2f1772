#include "names.hpp"

#include <cstring>

#include "errors.hpp"

namespace ipclab {

std::string normalizeName(const char* name, const char* what) {
  const auto invalid = [&](const std::string& why) { return UsageError("ERR_INVALID_ARGUMENT", std::string(what) + " " + why); };
  if (name == nullptr) throw invalid("must be a string, got NULL");
  const std::string bare = name[0] == '/' ? name + 1 : name;
  const std::string shown = "\"" + std::string(name) + "\"";
  if (bare.empty()) throw invalid("must not be empty (a leading '/' alone is empty too)");
  if (bare.find('/') != std::string::npos) throw invalid("must not contain '/' after the leading one, got " + shown);
  if (bare.compare(0, 4, "sem.") == 0) {
    throw invalid("must not start with \"sem.\": /dev/shm/sem.<x> is where Linux keeps the named semaphore <x>, got " + shown);
  }
  if (bare == "." || bare == "..") throw invalid("must not be \".\" or \"..\", got " + shown);
  if (bare.size() > kMaxNameLength) {
    throw invalid("must be at most " + std::to_string(kMaxNameLength) +
                  " bytes after the leading '/' (the limit every POSIX system accepts), got " + std::to_string(bare.size()));
  }
  return "/" + bare;
}

}  // namespace ipclab
