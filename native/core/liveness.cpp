#include "liveness.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace ipclab::liveness {

namespace {

constexpr int kMaxPid = 1 << 22;  // PID_MAX_LIMIT: anything outside 1..this is not a process

struct ProcessStat {
  char state;
  int64_t startTime;
};

// Reads /proc/<pid>/stat into stat; false when the process does not exist (or the file is odd).
bool readStat(int pid, ProcessStat& stat) {
  if (pid < 1 || pid > kMaxPid) return false;
  char path[32];
  std::snprintf(path, sizeof path, "/proc/%d/stat", pid);
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char text[1024];
  ssize_t length;
  do {
    length = ::read(fd, text, sizeof text - 1);
  } while (length < 0 && errno == EINTR);
  ::close(fd);
  if (length <= 0) return false;
  text[length] = '\0';
  // The command name (field 2) may hold spaces and parentheses; the fields after its last ')' do not.
  const char* field = std::strrchr(text, ')');
  if (field == nullptr || field[1] != ' ') return false;
  field += 2;  // field 3, the state
  stat.state = *field;
  for (int index = 3; index < 22; ++index) {
    field = std::strchr(field, ' ');
    if (field == nullptr) return false;
    ++field;
  }
  char* end = nullptr;
  const long long startTime = std::strtoll(field, &end, 10);
  if (end == field || (*end != ' ' && *end != '\n' && *end != '\0')) return false;
  stat.startTime = startTime;
  return true;
}

}  // namespace

int64_t startTimeOf(int pid) {
  ProcessStat stat{};
  return readStat(pid, stat) ? stat.startTime : 0;
}

int64_t ownStartTime() { return startTimeOf(static_cast<int>(::getpid())); }

bool isProcessAlive(int pid, int64_t startTime) {
  ProcessStat stat{};
  if (!readStat(pid, stat)) return false;
  if (stat.state == 'Z' || stat.state == 'X' || stat.state == 'x') return false;
  return startTime == 0 || stat.startTime == startTime;
}

}  // namespace ipclab::liveness
