// ipclab-reference: the native floor for `ipclab bench --mode latency|throughput`. Two processes
// move messages through ShmChannel protocol v3, spoken by the channel core (native/core/channel.hpp)
// that every native user shares, with the same copies as the JavaScript ShmChannel: the sender
// copies each message into the ring, the receiver copies it out into its own page-aligned buffer,
// reused. Every message is checked against the pattern the JS side uses (byte i of message k is
// 33 + ((i + k % 94) * 7) % 94).
//
//   ipclab-reference latency|throughput serve|drive --name /x --bytes N --count N --warmup N
//                    [--spin-micros N] [--batch N] [--ring-bytes N]
//
// `serve` creates the channels, prints "ready" and then one JSON line when done; `drive` opens
// them, runs, and prints one JSON line. Latency ping-pongs over two channels (<name>-up, <name>-down);
// throughput streams over one (<name>), `--batch` messages per sendMany/receiveMany (1: one
// message per send/receive). Waits spin `--spin-micros` before they sleep (default: 0 in latency,
// 2 in throughput, kStreamSpinMicros). Timestamps are CLOCK_MONOTONIC nanoseconds, the clock of Node's
// process.hrtime.bigint(). Exit status 0 when every message matched, 1 on a mismatch or a failed
// channel, 2 on bad use.
#include <sys/mman.h>
#include <sys/resource.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "../core/channel.hpp"
#include "../core/monotonic_clock.hpp"

namespace {

using ipclab::Channel;

constexpr int64_t kPeerTimeoutMs = 30000;  // a peer silent this long has stopped; the harness reports it
constexpr unsigned kPatternPeriod = 94;
constexpr size_t kPage = 4096;

struct Options {
  std::string mode;
  std::string role;
  std::string name;
  size_t bytes = 0;
  size_t count = 0;
  size_t warmup = 0;
  size_t batch = 1;
  uint32_t ringBytes = 0;  // 0: chosen from the message size
  int64_t spinMicros = -1;  // spin this long on each wait before sleeping (spinMicros); -1: the mode's default
};

// A stream spins this long before it sleeps unless told otherwise: a side that catches up with its
// peer and sleeps at once pays a futex wait, the peer a futex wake, and the wake-up lands ~20 µs
// later on this VM. Measured here, 64 KiB messages through a 1 MiB ring: 8.7 GB/s sleeping at once,
// 13.3 GB/s after 2 µs (no gain from longer). Latency does not spin unless told: its default is
// the cost of a wake-up, as ShmChannel's.
constexpr int64_t kStreamSpinMicros = 2;

uint64_t nowNs() { return static_cast<uint64_t>(ipclab::monotonicNanos()); }

// Page-aligned memory of its own (the receiver's buffer), faulted in before any timing starts.
struct PageBuffer {
  explicit PageBuffer(size_t bytes) : length((std::max<size_t>(bytes, 1) + kPage - 1) / kPage * kPage) {
    data = static_cast<unsigned char*>(::mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    if (data == MAP_FAILED) throw std::bad_alloc();
    std::memset(data, 0, length);
  }
  ~PageBuffer() { ::munmap(data, length); }
  PageBuffer(const PageBuffer&) = delete;
  PageBuffer& operator=(const PageBuffer&) = delete;
  unsigned char* data;
  size_t length;
};

// Message k is the `bytes` bytes of the pattern starting at k % 94.
struct Pattern {
  explicit Pattern(size_t bytes) : bytes(bytes), buffer(bytes + kPatternPeriod) {
    for (size_t i = 0; i < buffer.length; i++) buffer.data[i] = static_cast<unsigned char>(33 + (i * 7) % kPatternPeriod);
  }
  const unsigned char* message(size_t k) const { return buffer.data + k % kPatternPeriod; }
  bool matches(const unsigned char* received, size_t receivedBytes, size_t k) const {
    return receivedBytes == bytes && std::memcmp(received, message(k), bytes) == 0;
  }
  size_t bytes;
  PageBuffer buffer;
};

// 1 MiB, or four messages' worth when that is more. Measured here (GB/s, medians of 5): 1 KiB
// messages 11.7 through 1 MiB against 8.5 through 4 MiB and 9.6 through 256 KiB (a ring larger
// than a core's 2 MiB L2 evicts messages before they are read; a smaller one makes the sides
// wait for each other); 64 KiB 13.1 through 1 MiB; 1 MiB alike through 4, 8 or 16 MiB.
uint32_t ringBytesFor(const Options& options) {
  if (options.ringBytes != 0) return options.ringBytes;
  uint64_t ring = uint64_t{1} << 20;
  while (ring < 4 * (options.bytes + 64) && ring < ipclab::channel::kMaxRingBytes) ring *= 2;
  return static_cast<uint32_t>(ring);
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

void printReady() {
  std::printf("ready\n");
  std::fflush(stdout);
}

std::unique_ptr<Channel> create(const std::string& name, const Options& options) {
  ipclab::ChannelCreateOptions create;
  create.ringBytes = ringBytesFor(options);
  create.spinMicros = options.spinMicros;
  create.populate = true;  // the ring's pages are mapped before the first message, as ShmChannel's bench sender does
  return Channel::create(name, create);
}

std::unique_ptr<Channel> open(const std::string& name, const Options& options) {
  ipclab::ChannelOpenOptions open;
  open.spinMicros = options.spinMicros;
  open.populate = true;
  return Channel::open(name, open);
}

// Latency: the client sends message k on <name>-up, the server echoes it on <name>-down.
int latency(const Options& options, bool serve) {
  const size_t total = options.warmup + options.count;
  const Pattern pattern(options.bytes);
  PageBuffer local(options.bytes);
  std::string mismatch;
  if (serve) {
    auto up = create(options.name + "-up", options);
    auto down = create(options.name + "-down", options);
    printReady();
    for (size_t k = 0; k < total; k++) {
      const ipclab::MessageInfo info = up->receive(local.data, local.length, kPeerTimeoutMs);
      down->send(local.data, info.bytes, info.kind, kPeerTimeoutMs);
      // Checked after the echo, as the JS echo sides do, so the check stays off the round trip.
      if (mismatch.empty() && !pattern.matches(local.data, info.bytes, k)) mismatch = mismatchAt(k);
    }
    printVerdict(mismatch, "");
    return mismatch.empty() ? 0 : 1;
  }
  auto up = open(options.name + "-up", options);
  auto down = open(options.name + "-down", options);
  std::vector<uint64_t> roundTrips;
  roundTrips.reserve(options.count);
  for (size_t k = 0; k < total; k++) {
    const uint64_t start = nowNs();
    up->send(pattern.message(k), options.bytes, ipclab::channel::kKindBytes, kPeerTimeoutMs);
    const ipclab::MessageInfo info = down->receive(local.data, local.length, kPeerTimeoutMs);
    const uint64_t end = nowNs();
    if (k >= options.warmup) roundTrips.push_back(end - start);
    if (mismatch.empty() && !pattern.matches(local.data, info.bytes, k)) mismatch = mismatchAt(k);
  }
  std::string samples = ",\"roundTripNanos\":[";
  for (size_t i = 0; i < roundTrips.size(); i++) samples += (i ? "," : "") + std::to_string(roundTrips[i]);
  samples += "]";
  printVerdict(mismatch, samples);
  return mismatch.empty() ? 0 : 1;
}

// What both ends of a throughput stream hold: the server creates the channel, the client opens it.
struct Stream {
  Stream(const Options& options, bool serve)
      : total(options.warmup + options.count),
        batch(std::max<size_t>(1, options.batch)),
        pattern(options.bytes),
        channel(serve ? create(options.name, options) : open(options.name, options)) {}
  size_t total;
  size_t batch;  // messages per receiveMany/sendMany; 1: one receive/send per message
  Pattern pattern;
  std::unique_ptr<Channel> channel;
};

// Throughput, receiving side: every message is checked as it arrives, inside the timed window.
int sink(const Options& options) {
  Stream stream(options, true);
  PageBuffer local(stream.batch * options.bytes);
  std::vector<size_t> lengths(stream.batch);
  std::vector<uint8_t> kinds(stream.batch);
  std::string mismatch;
  uint64_t windowStart = 0;
  printReady();
  for (size_t k = 0; k < stream.total;) {
    size_t received = 1;
    if (stream.batch == 1) {
      lengths[0] = stream.channel->receive(local.data, local.length, kPeerTimeoutMs).bytes;
    } else {
      const ipclab::ReceiveBatch into{local.data, local.length, lengths.data(), kinds.data(), std::min(stream.batch, stream.total - k)};
      received = stream.channel->receiveMany(into, kPeerTimeoutMs);
    }
    const unsigned char* message = local.data;
    for (size_t i = 0; i < received; i++, k++) {
      if (mismatch.empty() && !stream.pattern.matches(message, lengths[i], k)) mismatch = mismatchAt(k);
      message += lengths[i];
      if (k + 1 == options.warmup) windowStart = nowNs();
    }
  }
  const uint64_t windowEnd = nowNs();
  std::string window = ",\"windowEndNs\":\"" + std::to_string(windowEnd) + "\"";
  if (windowStart != 0) window += ",\"windowStartNs\":\"" + std::to_string(windowStart) + "\"";
  printVerdict(mismatch, window);
  return mismatch.empty() ? 0 : 1;
}

// Throughput, sending side: messages back to back, as fast as the ring takes them.
int source(const Options& options) {
  Stream stream(options, false);
  std::vector<ipclab::OutgoingMessage> messages(stream.batch);
  const uint64_t start = nowNs();
  for (size_t k = 0; k < stream.total;) {
    const size_t count = std::min(stream.batch, stream.total - k);
    if (count == 1) {
      stream.channel->send(stream.pattern.message(k), options.bytes, ipclab::channel::kKindBytes, kPeerTimeoutMs);
    } else {
      for (size_t i = 0; i < count; i++) messages[i] = {stream.pattern.message(k + i), options.bytes, ipclab::channel::kKindBytes};
      stream.channel->sendMany(messages.data(), count, kPeerTimeoutMs);
    }
    k += count;
  }
  printVerdict("", ",\"startNs\":\"" + std::to_string(start) + "\"");
  return 0;
}

[[noreturn]] void usage(const std::string& problem) {
  std::fprintf(stderr,
               "ipclab-reference: %s\nusage: ipclab-reference latency|throughput serve|drive --name /x --bytes N --count N --warmup N "
               "[--spin-micros N] [--batch N] [--ring-bytes N]\n",
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
    else if (flag == "--batch") options.batch = number("--batch", value, 1);
    else if (flag == "--ring-bytes") options.ringBytes = static_cast<uint32_t>(number("--ring-bytes", value, 4096));
    else if (flag == "--spin-micros") options.spinMicros = static_cast<int64_t>(number("--spin-micros", value, 0));
    else usage("unknown option " + flag);
  }
  if (options.spinMicros < 0) options.spinMicros = options.mode == "throughput" ? kStreamSpinMicros : 0;
  if (options.name.empty()) usage("--name is required");
  if (options.bytes == 0 || options.count == 0) usage("--bytes and --count are required");
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  try {
    const bool serve = options.role == "serve";
    if (options.mode == "latency") return latency(options, serve);
    return serve ? sink(options) : source(options);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "ipclab-reference: %s\n", error.what());
    return 1;
  }
}
