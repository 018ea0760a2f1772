// ipclab-reference: the native floor for `ipclab bench --mode latency|throughput`. Two processes
// move messages through one shared memory segment signalled by ipclab's own in-segment semaphores
// (native/core), doing the same copies as ShmChannel: the sender copies a message into the segment,
// the receiver copies it out into its own buffer. Every message is checked against the pattern the
// JS side uses (byte i of message k is 33 + ((i + k % 94) * 7) % 94).
//
//   ipclab-reference latency|throughput serve|drive --name /x --bytes N --count N --warmup N [--slots N] [--spin-micros N]
//
// `serve` creates the segment, prints "ready" and then one JSON line when done; `drive` opens it,
// runs, and prints one JSON line. Timestamps are CLOCK_MONOTONIC nanoseconds, the clock of Node's
// process.hrtime.bigint(). Exit status 0 when every message matched, 1 on a mismatch, 2 on bad use.
#include <sys/resource.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "../core/errors.hpp"
#include "../core/segment.hpp"
#include "../core/futex_semaphore.hpp"
#include "../core/monotonic_clock.hpp"

namespace {

using Semaphore = ipclab::FutexSemaphore;
using ipclab::WaitResult;

constexpr size_t kFirstSemOffset = 0;
constexpr size_t kSecondSemOffset = 64;
constexpr size_t kDataOffset = 4096;
constexpr size_t kSlotAlignment = 64;
constexpr int64_t kPeerTimeoutMs = 30000;  // a peer silent this long has died; the harness reports it
constexpr unsigned kPatternPeriod = 94;

struct Options {
  std::string mode;
  std::string role;
  std::string name;
  size_t bytes = 0;
  size_t count = 0;
  size_t warmup = 0;
  size_t slots = 4;
  int64_t spinMicros = 0;  // spin this long on each wait before sleeping, as ipclab's spinMicros option does
};

uint64_t nowNs() { return static_cast<uint64_t>(ipclab::monotonicNanos()); }

size_t aligned(size_t bytes, size_t alignment) { return (bytes + alignment - 1) / alignment * alignment; }

// The pattern for every message: message k is the `bytes` bytes starting at k % 94.
std::vector<unsigned char> makePattern(size_t bytes) {
  std::vector<unsigned char> pattern(bytes + kPatternPeriod);
  for (size_t i = 0; i < pattern.size(); i++) pattern[i] = static_cast<unsigned char>(33 + (i * 7) % kPatternPeriod);
  return pattern;
}

const unsigned char* messageAt(const std::vector<unsigned char>& pattern, size_t index) { return pattern.data() + index % kPatternPeriod; }

void waitOrDie(Semaphore& semaphore, const char* what, int64_t spinMicros) {
  if (spinMicros > 0 && semaphore.spinWait(spinMicros)) return;
  if (semaphore.wait(kPeerTimeoutMs, false) != WaitResult::Acquired) {
    std::fprintf(stderr, "ipclab-reference: no %s within %lld ms; the peer has stopped\n", what, static_cast<long long>(kPeerTimeoutMs));
    std::exit(1);
  }
}

std::string mismatchAt(size_t index) { return "message " + std::to_string(index) + " does not match its pattern"; }

// This process's resource use, in the shape of the harness's SideUsage.
std::string usageJson() {
  rusage used{};
  getrusage(RUSAGE_SELF, &used);
  auto seconds = [](const timeval& value) { return std::to_string(value.tv_sec + value.tv_usec / 1e6); };
  return ",\"usage\":{\"maxRssBytes\":" + std::to_string(used.ru_maxrss * 1024L) + ",\"userCpuSeconds\":" + seconds(used.ru_utime) +
         ",\"systemCpuSeconds\":" + seconds(used.ru_stime) + ",\"minorPageFaults\":" + std::to_string(used.ru_minflt) +
         ",\"majorPageFaults\":" + std::to_string(used.ru_majflt) + ",\"sharedProcess\":false}";
}

void printVerdict(const std::string& mismatch, const std::string& extra) {
  std::printf("{\"verified\":%s%s%s%s}\n", mismatch.empty() ? "true" : "false",
              mismatch.empty() ? "" : (",\"mismatch\":\"" + mismatch + "\"").c_str(), extra.c_str(), usageJson().c_str());
  std::fflush(stdout);
}

// Latency: [request sem][reply sem] ... [request area][reply area].
int latency(const Options& options, bool serve) {
  const size_t area = aligned(options.bytes, 4096);
  const size_t total = options.warmup + options.count;
  auto pattern = makePattern(options.bytes);
  std::vector<unsigned char> local(options.bytes);
  std::string mismatch;
  if (serve) {
    auto segment = ipclab::Segment::create(options.name, kDataOffset + 2 * area, ipclab::CreateOptions{});
    auto request = Semaphore::createIn(segment.mapping(), kFirstSemOffset, 0);
    auto reply = Semaphore::createIn(segment.mapping(), kSecondSemOffset, 0);
    unsigned char* requestArea = segment.mapping()->address() + kDataOffset;
    unsigned char* replyArea = requestArea + area;
    std::printf("ready\n");
    std::fflush(stdout);
    for (size_t k = 0; k < total; k++) {
      waitOrDie(*request, "request", options.spinMicros);
      std::memcpy(local.data(), requestArea, options.bytes);
      std::memcpy(replyArea, local.data(), options.bytes);
      reply->post();
      // Checked after the echo, as the JS echo sides do, so the check stays off the round trip.
      if (mismatch.empty() && std::memcmp(local.data(), messageAt(pattern, k), options.bytes) != 0) mismatch = mismatchAt(k);
    }
    ipclab::Segment::unlink(options.name);
    printVerdict(mismatch, "");
    return mismatch.empty() ? 0 : 1;
  }
  auto segment = ipclab::Segment::open(options.name, false);
  auto request = Semaphore::openIn(segment.mapping(), kFirstSemOffset);
  auto reply = Semaphore::openIn(segment.mapping(), kSecondSemOffset);
  unsigned char* requestArea = segment.mapping()->address() + kDataOffset;
  unsigned char* replyArea = requestArea + area;
  std::vector<uint64_t> roundTrips;
  roundTrips.reserve(options.count);
  for (size_t k = 0; k < total; k++) {
    const uint64_t start = nowNs();
    std::memcpy(requestArea, messageAt(pattern, k), options.bytes);
    request->post();
    waitOrDie(*reply, "reply", options.spinMicros);
    std::memcpy(local.data(), replyArea, options.bytes);
    const uint64_t end = nowNs();
    if (k >= options.warmup) roundTrips.push_back(end - start);
    if (mismatch.empty() && std::memcmp(local.data(), messageAt(pattern, k), options.bytes) != 0) mismatch = mismatchAt(k);
  }
  std::string samples = ",\"roundTripNanos\":[";
  for (size_t i = 0; i < roundTrips.size(); i++) samples += (i ? "," : "") + std::to_string(roundTrips[i]);
  samples += "]";
  printVerdict(mismatch, samples);
  return mismatch.empty() ? 0 : 1;
}

// Throughput: a ring of `slots` slots; [free sem = slots][ready sem = 0] ... [slot 0][slot 1]...
int throughput(const Options& options, bool serve) {
  const size_t slotBytes = aligned(options.bytes == 0 ? 1 : options.bytes, kSlotAlignment);
  const size_t total = options.warmup + options.count;
  auto pattern = makePattern(options.bytes);
  std::vector<unsigned char> local(options.bytes);
  std::string mismatch;
  if (serve) {
    auto segment = ipclab::Segment::create(options.name, kDataOffset + options.slots * slotBytes, ipclab::CreateOptions{});
    auto free = Semaphore::createIn(segment.mapping(), kFirstSemOffset, static_cast<unsigned>(options.slots));
    auto ready = Semaphore::createIn(segment.mapping(), kSecondSemOffset, 0);
    unsigned char* slots = segment.mapping()->address() + kDataOffset;
    std::printf("ready\n");
    std::fflush(stdout);
    uint64_t windowStart = 0;
    uint64_t windowEnd = 0;
    for (size_t k = 0; k < total; k++) {
      waitOrDie(*ready, "message", options.spinMicros);
      std::memcpy(local.data(), slots + (k % options.slots) * slotBytes, options.bytes);
      free->post();
      if (mismatch.empty() && std::memcmp(local.data(), messageAt(pattern, k), options.bytes) != 0) mismatch = mismatchAt(k);
      if (options.warmup > 0 && k + 1 == options.warmup) windowStart = nowNs();
    }
    windowEnd = nowNs();
    ipclab::Segment::unlink(options.name);
    std::string window = ",\"windowEndNs\":\"" + std::to_string(windowEnd) + "\"";
    if (windowStart != 0) window += ",\"windowStartNs\":\"" + std::to_string(windowStart) + "\"";
    printVerdict(mismatch, window);
    return mismatch.empty() ? 0 : 1;
  }
  auto segment = ipclab::Segment::open(options.name, false);
  auto free = Semaphore::openIn(segment.mapping(), kFirstSemOffset);
  auto ready = Semaphore::openIn(segment.mapping(), kSecondSemOffset);
  unsigned char* slots = segment.mapping()->address() + kDataOffset;
  const uint64_t start = nowNs();
  for (size_t k = 0; k < total; k++) {
    waitOrDie(*free, "free slot", options.spinMicros);
    std::memcpy(slots + (k % options.slots) * slotBytes, messageAt(pattern, k), options.bytes);
    ready->post();
  }
  printVerdict("", ",\"startNs\":\"" + std::to_string(start) + "\"");
  return 0;
}

[[noreturn]] void usage(const std::string& problem) {
  std::fprintf(stderr,
               "ipclab-reference: %s\nusage: ipclab-reference latency|throughput serve|drive --name /x --bytes N --count N --warmup N "
               "[--slots N] [--spin-micros N]\n",
               problem.c_str());
  std::exit(2);
}

size_t number(const char* flag, const char* text, size_t least) {
  char* end = nullptr;
  errno = 0;
  const unsigned long long value = std::strtoull(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || text[0] == '-' || value < least) {
    usage(std::string(flag) + " expects a whole number of at least " + std::to_string(least) + ", got \"" + text + "\"");
  }
  return static_cast<size_t>(value);
}

Options parse(int argc, char** argv) {
  if (argc < 3) usage("missing mode and role");
  Options options;
  options.mode = argv[1];
  options.role = argv[2];
  if (options.mode != "latency" && options.mode != "throughput") usage("mode must be latency or throughput, got \"" + options.mode + "\"");
  if (options.role != "serve" && options.role != "drive") usage("role must be serve or drive, got \"" + options.role + "\"");
  for (int i = 3; i < argc; i += 2) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) usage(flag + " needs a value");
    const char* value = argv[i + 1];
    if (flag == "--name") options.name = value;
    else if (flag == "--bytes") options.bytes = number("--bytes", value, 1);
    else if (flag == "--count") options.count = number("--count", value, 1);
    else if (flag == "--warmup") options.warmup = number("--warmup", value, 0);
    else if (flag == "--slots") options.slots = number("--slots", value, 1);
    else if (flag == "--spin-micros") options.spinMicros = static_cast<int64_t>(number("--spin-micros", value, 0));
    else usage("unknown option " + flag);
  }
  if (options.name.empty()) usage("--name is required");
  if (options.bytes == 0 || options.count == 0) usage("--bytes and --count are required");
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  try {
    const bool serve = options.role == "serve";
    return options.mode == "latency" ? latency(options, serve) : throughput(options, serve);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "ipclab-reference: %s\n", error.what());
    return 1;
  }
}
