// ipclab-core-test: the channel core (native/core/channel.hpp) between real processes. Each case
// forks its peers over one channel and checks every byte, every error code and how long each
// error took. test/native.core.test.ts runs every case; so does `npm run test:sanitize`, with
// AddressSanitizer and UndefinedBehaviorSanitizer.
//
//   ipclab-core-test list          the case names, one a line
//   ipclab-core-test run NAME...   runs the cases; "ok NAME" or "FAIL NAME: why" each; status 1 on a failure
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "../core/channel.hpp"
#include "../core/errors.hpp"
#include "../core/monotonic_clock.hpp"
#include "../core/segment.hpp"

namespace {

using namespace ipclab;
using channel::kKindBytes;

// ---- Checks ----

struct Failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

#define CHECK(condition, ...)                                                                                 \
  do {                                                                                                        \
    if (!(condition)) throw Failure(std::string(__FILE__ ":") + std::to_string(__LINE__) + ": " #condition " " + \
                                    describe(__VA_ARGS__));                                                   \
  } while (0)

std::string describe() { return ""; }
std::string describe(const std::string& text) { return "(" + text + ")"; }

int64_t nowMs() { return monotonicNanos() / 1000000; }

// The code and message of the exception being handled (call it inside a catch block).
struct Caught {
  std::string code;
  std::string message;
};
Caught caught() {
  try {
    throw;
  } catch (const UsageError& error) {
    return {error.code(), error.what()};
  } catch (const SystemError& error) {
    return {error.code(), error.what()};
  } catch (const std::exception& error) {
    return {"not an ipclab error", error.what()};
  }
}

// Runs body, which must fail with `code` within maxMs; returns the message.
std::string expectError(const char* code, int64_t maxMs, const std::function<void()>& body) {
  const int64_t start = nowMs();
  try {
    body();
  } catch (...) {
    const int64_t took = nowMs() - start;
    const Caught error = caught();
    CHECK(error.code == code, std::string("expected ") + code + ", got " + error.code + ": " + error.message);
    CHECK(took <= maxMs, std::string(code) + " took " + std::to_string(took) + " ms, more than " + std::to_string(maxMs));
    return error.message;
  }
  throw Failure(std::string("expected ") + code + ", but the call succeeded");
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// ---- Names, processes ----

std::string uniqueName(const char* tag) {
  static unsigned counter = 0;
  return "/ipclab-" + std::to_string(::getpid()) + "-" + std::to_string(monotonicNanos() % 1000000) + "-" +
         std::to_string(counter++) + "-" + tag;
}

std::unique_ptr<Channel> createChannel(const std::string& name, uint32_t ringBytes, int64_t spinMicros = 0) {
  ChannelCreateOptions options;
  options.ringBytes = ringBytes;
  options.spinMicros = spinMicros;
  return Channel::create(name, options);
}

// Runs body in a child process: exit status 0 when it returned, 1 (with its message on stderr)
// when it threw. The child never runs the parent's destructors.
pid_t forkChild(const std::function<void()>& body) {
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid > 0) return pid;
  int status = 0;
  try {
    body();
  } catch (...) {
    const Caught error = caught();
    std::fprintf(stderr, "child %d: %s: %s\n", ::getpid(), error.code.c_str(), error.message.c_str());
    status = 1;
  }
  std::fflush(stderr);
  ::_exit(status);
}

int reap(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);
}

void expectChildOk(pid_t pid) {
  const int status = reap(pid);
  CHECK(status == 0, "child exited with status " + std::to_string(status));
}

void sleepMs(int64_t ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

// ---- Messages ----

// Byte i of message k.
inline unsigned char patternByte(uint64_t k, size_t i) {
  return static_cast<unsigned char>(k * 131u + i * 7u + (i >> 9) + (k >> 3));
}

void fillMessage(unsigned char* into, uint64_t k, size_t bytes) {
  for (size_t i = 0; i < bytes; ++i) into[i] = patternByte(k, i);
}

bool matches(const unsigned char* data, uint64_t k, size_t bytes) {
  for (size_t i = 0; i < bytes; ++i) {
    if (data[i] != patternByte(k, i)) return false;
  }
  return true;
}

struct Random {
  uint64_t state;
  explicit Random(uint64_t seed) : state(seed * 0x9E3779B97F4A7C15ull + 1) {}
  uint64_t next() {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  }
  uint64_t below(uint64_t n) { return n == 0 ? 0 : next() % n; }
  bool chance(unsigned percent) { return below(100) < percent; }
};

constexpr uint8_t kKinds[] = {0, 2, 4, 6, 9, 12, 13, 100};

struct Shape {
  size_t bytes;
  uint8_t kind;
};

// The k-th message of a stream: mostly small, many around the record limit (whole or chunked by
// a few bytes), some chunked; its kind's element size divides its length.
Shape shapeOf(Random& random, uint32_t ringBytes) {
  const size_t maxWhole = ringBytes / 2 - 8;
  const uint64_t roll = random.below(100);
  size_t bytes;
  if (roll < 55) bytes = random.below(65);
  else if (roll < 75) bytes = 65 + random.below(4096);
  else if (roll < 87) bytes = maxWhole - 24 + random.below(49);  // either side of one record's limit
  else if (roll < 94) bytes = random.below(maxWhole);
  else bytes = maxWhole + random.below(3 * ringBytes);  // chunked, up to a few rings long
  const uint8_t kind = kKinds[random.below(sizeof kKinds)];
  const size_t element = channel::kindElementBytes(kind);
  return {bytes / element * element, kind};
}

// ---- Cases ----

struct Case {
  const char* name;
  void (*run)();
};

// A stream of `count` messages through a ring of `ringBytes`, each side mixing every call it has.
void streamThrough(uint32_t ringBytes, int64_t spinMicros, size_t count) {
  const std::string name = uniqueName("stream");
  auto consumer = createChannel(name, ringBytes, spinMicros);
  const uint64_t seed = static_cast<uint64_t>(monotonicNanos());

  const pid_t producer = forkChild([&] {
    ChannelOpenOptions open;
    open.spinMicros = spinMicros;
    auto channel = Channel::open(name, open);
    Random shapes(seed), calls(seed + 1);
    std::vector<std::vector<unsigned char>> batch;
    std::vector<OutgoingMessage> outgoing;
    for (uint64_t k = 0; k < count;) {
      const uint64_t roll = calls.below(100);
      if (roll < 25) {  // a batch
        const size_t size = 1 + calls.below(std::min<uint64_t>(32, count - k));
        batch.resize(size);
        outgoing.clear();
        for (size_t i = 0; i < size; ++i) {
          const Shape shape = shapeOf(shapes, ringBytes);
          batch[i].resize(shape.bytes);
          fillMessage(batch[i].data(), k + i, shape.bytes);
          outgoing.push_back({batch[i].data(), shape.bytes, shape.kind});
        }
        if (calls.chance(50)) {
          channel->sendMany(outgoing.data(), outgoing.size(), 10000);
        } else {
          for (size_t sent = 0; sent < size;) sent += channel->trySendMany(outgoing.data() + sent, size - sent);
        }
        k += size;
        continue;
      }
      const Shape shape = shapeOf(shapes, ringBytes);
      if (roll < 45 && shape.bytes <= channel->maxInPlaceBytes()) {  // reserve, fill, commit
        const size_t extra = calls.chance(30) ? calls.below(64) / 8 * 8 : 0;
        const size_t asked = std::min(shape.bytes + extra, channel->maxInPlaceBytes());
        unsigned char* region = channel->reserve(asked, shape.kind, 10000);
        fillMessage(region, k, shape.bytes);
        channel->commit(shape.bytes);
      } else {
        std::vector<unsigned char> message(shape.bytes);
        fillMessage(message.data(), k, shape.bytes);
        if (roll < 70) channel->send(message.data(), shape.bytes, shape.kind, 10000);
        else while (!channel->trySend(message.data(), shape.bytes, shape.kind)) {
        }
      }
      ++k;
    }
    channel->close();
  });

  Random shapes(seed), calls(seed + 2);
  const size_t largest = ringBytes / 2 + 3 * ringBytes;
  std::vector<unsigned char> buffer(largest + 64);
  std::vector<size_t> lengths(64);
  std::vector<uint8_t> kinds(64);
  std::vector<Shape> expected;
  const auto expect = [&](uint64_t k) -> Shape {
    while (expected.size() <= k) expected.push_back(shapeOf(shapes, ringBytes));
    return expected[k];
  };
  const auto verify = [&](uint64_t k, const unsigned char* data, size_t bytes, uint8_t kind) {
    const Shape shape = expect(k);
    CHECK(bytes == shape.bytes && kind == shape.kind,
          "message " + std::to_string(k) + ": " + std::to_string(bytes) + " bytes of kind " + std::to_string(kind) + ", expected " +
              std::to_string(shape.bytes) + " of kind " + std::to_string(shape.kind));
    CHECK(matches(data, k, bytes), "message " + std::to_string(k) + " (" + std::to_string(bytes) + " bytes) has wrong bytes");
  };
  for (uint64_t k = 0; k < count;) {
    const Shape next = expect(k);
    const uint64_t roll = calls.below(100);
    if (roll < 25) {
      ReceiveBatch batch{buffer.data(), buffer.size(), lengths.data(), kinds.data(), 1 + calls.below(64)};
      const size_t got = consumer->receiveMany(batch, 10000);
      size_t offset = 0;
      for (size_t i = 0; i < got; ++i) {
        verify(k + i, buffer.data() + offset, lengths[i], kinds[i]);
        offset += lengths[i];
      }
      k += got;
    } else if (roll < 40 && next.bytes <= consumer->maxInPlaceBytes()) {
      const InPlaceMessage message = consumer->receiveInPlace(10000);
      verify(k++, message.data, message.bytes, message.kind);
      consumer->release();
    } else if (roll < 55) {
      const OwnedMessage message = consumer->receive(10000);
      CHECK(reinterpret_cast<uintptr_t>(message.data.get()) % 64 == 0);
      verify(k++, message.data.get(), message.bytes, message.kind);
    } else if (roll < 65) {
      MessageInfo info{};
      while (!consumer->tryReceive(buffer.data(), buffer.size(), info)) {
      }
      verify(k++, buffer.data(), info.bytes, info.kind);
    } else if (roll < 72) {
      const MessageInfo peeked = consumer->peek(10000);
      CHECK(peeked.bytes == next.bytes && peeked.kind == next.kind);
      const MessageInfo info = consumer->receive(buffer.data(), peeked.bytes, 10000);
      verify(k++, buffer.data(), info.bytes, info.kind);
    } else {
      const MessageInfo info = consumer->receive(buffer.data(), buffer.size(), 10000);
      verify(k++, buffer.data(), info.bytes, info.kind);
    }
  }
  // Everything was read: the producer's close ends the stream.
  expectError("ERR_CHANNEL_CLOSED", 5000, [&] { consumer->receive(buffer.data(), buffer.size(), 10000); });
  expectChildOk(producer);
}

void streamCase() { streamThrough(64 * 1024, 0, 6000); }
void streamSmallRingSpinningCase() { streamThrough(4096, 50, 6000); }

// Batches: one publication, everything available in one receiveMany, a chunked message alone.
void batchCase() {
  const std::string name = uniqueName("batch");
  auto consumer = createChannel(name, 256 * 1024);
  std::vector<unsigned char> chunked(150000);
  fillMessage(chunked.data(), 40, chunked.size());
  const pid_t producer = forkChild([&] {
    auto channel = Channel::open(name);
    std::vector<std::vector<unsigned char>> bodies(50);
    std::vector<OutgoingMessage> messages;
    for (uint64_t k = 0; k < 50; ++k) {
      bodies[k].resize(k == 40 ? 0 : k * 3);
      fillMessage(bodies[k].data(), k, bodies[k].size());
      messages.push_back(k == 40 ? OutgoingMessage{chunked.data(), chunked.size(), kKindBytes}
                                 : OutgoingMessage{bodies[k].data(), bodies[k].size(), static_cast<uint8_t>(k % 3 == 0 ? 2 : 0)});
    }
    channel->sendMany(messages.data(), messages.size(), 10000);
    channel->close();
  });
  expectChildOk(producer);  // 40 small messages, then a chunked one (a record holds 128 KiB - 8), then 9 more: all fit the ring
  std::vector<unsigned char> buffer(200000);
  size_t lengths[64];
  uint8_t kinds[64];
  ReceiveBatch limited{buffer.data(), buffer.size(), lengths, kinds, 7};
  CHECK(consumer->receiveMany(limited, 1000) == 7);
  // Too little room for the first message (21 bytes): it stays.
  expectError("ERR_OUT_OF_RANGE", 100, [&] {
    ReceiveBatch tiny{buffer.data(), 2, lengths, kinds, 64};
    consumer->tryReceiveMany(tiny);
  });
  ReceiveBatch all{buffer.data(), buffer.size(), lengths, kinds, 64};
  const size_t got = consumer->receiveMany(all, 1000);
  CHECK(got == 33, std::to_string(got) + " messages: everything up to the chunked one");
  size_t offset = 0;
  for (size_t i = 0; i < got; ++i) {
    const uint64_t k = 7 + i;
    CHECK(lengths[i] == k * 3 && kinds[i] == (k % 3 == 0 ? 2 : 0));
    CHECK(matches(buffer.data() + offset, k, lengths[i]));
    offset += lengths[i];
  }
  CHECK(consumer->receiveMany(all, 1000) == 1 && lengths[0] == chunked.size());
  CHECK(std::memcmp(buffer.data(), chunked.data(), chunked.size()) == 0);
  CHECK(consumer->receiveMany(all, 1000) == 9);
  expectError("ERR_CHANNEL_CLOSED", 100, [&] { consumer->receiveMany(all, 1000); });
}

// A producer that closes with a send it never finished (a reserved region never committed): the
// consumer reads what came before, then ERR_MESSAGES_LOST, never the quiet ERR_CHANNEL_CLOSED.
void closedWithUnsentCase() {
  const std::string name = uniqueName("unsent");
  auto consumer = createChannel(name, 32768);
  const pid_t producer = forkChild([&] {
    auto channel = Channel::open(name);
    for (uint64_t k = 0; k < 2; ++k) {
      std::vector<unsigned char> body(100);
      fillMessage(body.data(), k, body.size());
      channel->send(body.data(), body.size(), kKindBytes, 10000);
    }
    channel->reserve(64, kKindBytes, 64);
    channel->close();
  });
  expectChildOk(producer);
  std::vector<unsigned char> buffer(1000);
  for (uint64_t k = 0; k < 2; ++k) {
    const MessageInfo info = consumer->receive(buffer.data(), buffer.size(), 1000);
    CHECK(info.bytes == 100 && matches(buffer.data(), k, info.bytes));
  }
  const std::string message = expectError("ERR_MESSAGES_LOST", 100, [&] { consumer->receive(buffer.data(), buffer.size(), 1000); });
  CHECK(message.find("1 send it never wrote") != std::string::npos, message);
}

// Zero copy both ways: a partial commit, a view held until release, a chunked message refused in place.
void inPlaceCase() {
  const std::string name = uniqueName("inplace");
  auto producer = createChannel(name, 32768);
  auto consumer = Channel::open(name);
  unsigned char* region = producer->reserve(1000, 6, 1000);
  CHECK(reinterpret_cast<uintptr_t>(region) % 8 == 0);
  fillMessage(region, 1, 400);
  expectError("ERR_WRONG_STATE", 100, [&] { producer->trySend("x", 1); });
  expectError("ERR_OUT_OF_RANGE", 100, [&] { producer->commit(402); });  // not whole int32 elements
  producer->commit(400);
  expectError("ERR_WRONG_STATE", 100, [&] { producer->commit(8); });
  expectError("ERR_OUT_OF_RANGE", 100, [&] { producer->reserve(producer->maxInPlaceBytes() + 1, 0, 100); });
  std::vector<unsigned char> big(20000);
  fillMessage(big.data(), 2, big.size());
  producer->send(big.data(), big.size(), kKindBytes, 1000);  // chunked: one record of this ring holds 16376

  const InPlaceMessage view = consumer->receiveInPlace(1000);
  CHECK(view.bytes == 400 && view.kind == 6 && matches(view.data, 1, 400));
  std::vector<unsigned char> buffer(30000);
  expectError("ERR_WRONG_STATE", 100, [&] { consumer->receive(buffer.data(), buffer.size(), 100); });
  consumer->release();
  expectError("ERR_WRONG_STATE", 100, [&] { consumer->release(); });
  expectError("ERR_OUT_OF_RANGE", 100, [&] { consumer->receiveInPlace(100); });
  const MessageInfo info = consumer->receive(buffer.data(), buffer.size(), 1000);
  CHECK(info.bytes == big.size() && std::memcmp(buffer.data(), big.data(), big.size()) == 0);
  expectError("ERR_WRONG_STATE", 100, [&] { consumer->send("x", 1, 0, 100); });
  expectError("ERR_WRONG_STATE", 100, [&] { producer->receive(buffer.data(), 1, 100); });
  producer->close();
  consumer->close();
  MessageInfo info2{};
  expectError("ERR_CLOSED", 100, [&] { consumer->tryReceive(buffer.data(), 1, info2); });
}

// Every wait ends at its timeout; a timed-out chunked message goes on when sent (or received) again.
void timeoutsCase() {
  const std::string name = uniqueName("timeouts");
  auto consumer = createChannel(name, 4096);
  auto producer = Channel::open(name);
  std::vector<unsigned char> buffer(64 * 1024);
  MessageInfo info{};
  producer->trySend(nullptr, 0);  // an empty message, as C sends one; both sides hold their roles from here on
  CHECK(consumer->tryReceive(nullptr, 0, info) && info.bytes == 0);
  CHECK(!consumer->tryReceive(buffer.data(), buffer.size(), info));
  int64_t start = nowMs();
  expectError("ERR_TIMEOUT", 1000, [&] { consumer->receive(buffer.data(), buffer.size(), 150); });
  CHECK(nowMs() - start >= 150);
  expectError("ERR_TIMEOUT", 50, [&] { consumer->receive(buffer.data(), buffer.size(), 0); });
  expectError("ERR_TIMEOUT", 1000, [&] { consumer->receiveInPlace(50); });
  expectError("ERR_TIMEOUT", 1000, [&] { consumer->peek(50); });
  // Fill the ring, then wait for room.
  size_t sent = 0;
  while (producer->trySend(buffer.data(), 512)) ++sent;
  CHECK(sent == 7, std::to_string(sent) + " messages of 520 bytes in a ring of 4096");
  start = nowMs();
  expectError("ERR_TIMEOUT", 1000, [&] { producer->send(buffer.data(), 512, 0, 150); });
  CHECK(nowMs() - start >= 150);
  expectError("ERR_TIMEOUT", 1000, [&] { producer->reserve(512, 0, 50); });
  CHECK(producer->tryReserve(512, 0) == nullptr);
  while (consumer->tryReceive(buffer.data(), buffer.size(), info)) {
  }
  // A chunked message times out half-way; sending it again finishes it, anything else is refused.
  std::vector<unsigned char> big(20000);
  fillMessage(big.data(), 9, big.size());
  expectError("ERR_TIMEOUT", 1000, [&] { producer->send(big.data(), big.size(), 0, 100); });
  expectError("ERR_WRONG_STATE", 100, [&] { producer->send(buffer.data(), 8, 0, 100); });
  std::vector<unsigned char> into(big.size());
  expectError("ERR_TIMEOUT", 1000, [&] { consumer->receive(into.data(), into.size(), 50); });  // part of it arrived
  expectError("ERR_WRONG_STATE", 100, [&] { consumer->receive(buffer.data(), buffer.size(), 50); });
  for (bool sentAll = false, receivedAll = false; !receivedAll;) {
    if (!sentAll) sentAll = producer->trySend(big.data(), big.size());
    try {
      info = consumer->receive(into.data(), into.size(), 10);
      receivedAll = true;
    } catch (const UsageError& error) {
      CHECK(error.code() == "ERR_TIMEOUT", error.what());
    }
  }
  CHECK(info.bytes == big.size() && into == big);
  // A batch that cannot go whole says how far it got.
  std::vector<OutgoingMessage> messages(20, OutgoingMessage{buffer.data(), 512, 0});
  const std::string message = expectError("ERR_TIMEOUT", 1000, [&] { producer->sendMany(messages.data(), messages.size(), 100); });
  CHECK(contains(message, "after sending 7 of 20 messages"), message);
}

// Closing wakes a sleeping peer at once (no poll): a consumer waiting for data, a producer for room.
void closeWakesCase() {
  for (const bool consumerSleeps : {true, false}) {
    const std::string name = uniqueName("close");
    auto sleeper = createChannel(name, 4096);
    auto stamp = Segment::create(name + "-t", 64, CreateOptions{});
    auto* closedAt = reinterpret_cast<int64_t*>(stamp.mapping()->address());
    std::vector<unsigned char> buffer(4096);
    MessageInfo info{};
    if (!consumerSleeps) {
      while (sleeper->trySend(buffer.data(), 100)) {
      }
    }
    const pid_t closer = forkChild([&] {
      auto channel = Channel::open(name);
      if (consumerSleeps) channel->send("last", 4, 0, 1000);
      else channel->receive(buffer.data(), buffer.size(), 1000);  // makes it the consumer; room for one more
      sleepMs(300);
      __atomic_store_n(closedAt, monotonicNanos(), __ATOMIC_SEQ_CST);
      channel->close();
    });
    if (consumerSleeps) {
      // What was sent before the close arrives first.
      info = sleeper->receive(buffer.data(), buffer.size(), 5000);
      CHECK(info.bytes == 4 && std::memcmp(buffer.data(), "last", 4) == 0);
      expectError("ERR_CHANNEL_CLOSED", 5000, [&] { sleeper->receive(buffer.data(), buffer.size(), -1); });
    } else {
      sleeper->send(buffer.data(), 100, 0, 5000);
      expectError("ERR_CHANNEL_CLOSED", 5000, [&] { sleeper->send(buffer.data(), 100, 0, -1); });
    }
    const int64_t lateMs = (monotonicNanos() - __atomic_load_n(closedAt, __ATOMIC_SEQ_CST)) / 1000000;
    // The close comes ~300 ms into the sleep: a sleeper that only looked at each 250 ms slice's end
    // would return ~200 ms late; a woken one returns after a scheduling delay.
    CHECK(lateMs < 150, "the sleeper returned " + std::to_string(lateMs) + " ms after the close");
    expectChildOk(closer);
    stamp.mapping()->close();
    Segment::unlink(name + "-t");
  }
}

// A peer killed without closing: the survivor's wait ends with ERR_PEER_GONE within 2 s, whether
// the ring was full (producer waiting), empty (consumer waiting) or half-way through a message.
void peerKilledCase() {
  for (const char* situation : {"full", "empty", "mid-message"}) {
    const std::string name = uniqueName("killed");
    const bool survivorProduces = std::strcmp(situation, "full") == 0;
    auto survivor = createChannel(name, 4096);
    std::vector<unsigned char> buffer(100000);
    int ready[2];
    CHECK(::pipe(ready) == 0);
    const pid_t victim = forkChild([&] {
      auto channel = Channel::open(name);
      MessageInfo info{};
      if (survivorProduces) channel->tryReceive(buffer.data(), buffer.size(), info);  // the consumer, reading nothing
      else if (std::strcmp(situation, "empty") == 0) channel->trySend("x", 1);
      else channel->trySend(buffer.data(), buffer.size());  // the part of a chunked message that fits
      (void)!::write(ready[1], "r", 1);
      for (;;) ::pause();
    });
    char byte;
    CHECK(::read(ready[0], &byte, 1) == 1);
    ::close(ready[0]);
    ::close(ready[1]);
    if (survivorProduces) {
      while (survivor->trySend(buffer.data(), 100)) {
      }
    } else if (std::strcmp(situation, "empty") == 0) {
      MessageInfo info = survivor->receive(buffer.data(), buffer.size(), 1000);
      CHECK(info.bytes == 1);
    }
    sleepMs(50);
    ::kill(victim, SIGKILL);
    const int64_t killedAt = nowMs();
    // The victim stays a zombie until reaped: it counts as dead.
    const std::string message = expectError("ERR_PEER_GONE", 2000 + 300, [&] {
      if (survivorProduces) survivor->send(buffer.data(), 100, 0, 10000);
      else survivor->receive(buffer.data(), buffer.size(), 10000);
    });
    CHECK(nowMs() - killedAt <= 2000, message);
    CHECK(contains(message, "has exited"), message);
    if (std::strcmp(situation, "mid-message") == 0) CHECK(contains(message, "in the middle of a 100000-byte message"), message);
    CHECK(reap(victim) == 128 + SIGKILL);
  }
}

// What an opener refuses, and why.
void openErrorsCase() {
  const std::string name = uniqueName("open");
  auto channel = createChannel(name, 4096);
  auto raw = Segment::open(name, false);
  auto* header = raw.mapping()->address();
  const auto word = [&](uint32_t offset) { return reinterpret_cast<uint32_t*>(header + offset); };
  const auto refused = [&](const std::string& segment, const std::string& reason) {
    const std::string message = expectError("ERR_BAD_CHANNEL", 1000, [&] { Channel::open(segment); });
    CHECK(contains(message, reason), message);
  };
  *word(channel::kVersionOffset) = 2;
  refused(name, "layout version 2, this ipclab reads version 3");
  *word(channel::kVersionOffset) = 3;
  *word(channel::kRingBytesOffset) = 6000;
  refused(name, "its ring of 6000 bytes is not a power of two");
  *word(channel::kRingBytesOffset) = 8192;  // a power of two, but more than the segment holds
  refused(name, "its ring of 8192 bytes");
  *word(channel::kRingBytesOffset) = 4096;
  *word(channel::kMagicOffset) = 0;
  refused(name, "no channel magic");
  *word(channel::kMagicOffset) = channel::kMagic;
  Channel::open(name)->close();  // as made, it opens

  const std::string small = uniqueName("small");
  auto tiny = Segment::create(small, 100, CreateOptions{});
  refused(small, "it is 100 bytes, smaller than a channel header");
  tiny.mapping()->close();
  Segment::unlink(small);
  expectError("ENOENT", 100, [&] { Channel::open(uniqueName("none")); });
  expectError("EEXIST", 100, [&] { createChannel(name, 4096); });
  expectError("ERR_OUT_OF_RANGE", 100, [&] { createChannel(uniqueName("odd"), 5000); });
  raw.mapping()->close();
}

// Roles per handle: one producer, one consumer; a role passes on when its holder died (the stream
// goes on where it stood: tailSequence numbers the next producer's records), never once it closed.
void rolesCase() {
  std::vector<unsigned char> buffer(4096);
  MessageInfo info{};
  {
    const std::string name = uniqueName("roles-two");
    auto consumer = createChannel(name, 4096);
    auto first = Channel::open(name);
    auto second = Channel::open(name);
    first->send("a", 1, 0, 1000);
    const std::string message = expectError("ERR_WRONG_STATE", 100, [&] { second->send("b", 1, 0, 100); });
    CHECK(contains(message, "already has a producer: another handle in this process"), message);
  }

  // Producers that die after three messages each; each next one takes over, numbering on.
  const std::string name = uniqueName("roles");
  auto consumer = createChannel(name, 4096);
  for (uint64_t round = 0; round < 3; ++round) {
    const pid_t producer = forkChild([&] {
      auto channel = Channel::open(name);
      for (uint64_t k = 0; k < 3; ++k) {
        fillMessage(buffer.data(), round * 3 + k, 50);
        channel->send(buffer.data(), 50, 0, 1000);
      }
      ::kill(::getpid(), SIGKILL);
    });
    CHECK(reap(producer) == 128 + SIGKILL);
  }
  for (uint64_t k = 0; k < 9; ++k) {
    info = consumer->receive(buffer.data(), buffer.size(), 1000);
    CHECK(info.bytes == 50 && matches(buffer.data(), k, 50), "message " + std::to_string(k));
  }
  // A producer that closes ends the stream: its role cannot be taken over.
  auto last = Channel::open(name);
  last->send("z", 1, 0, 1000);
  last->close();
  auto late = Channel::open(name);
  const std::string refused = expectError("ERR_CHANNEL_CLOSED", 100, [&] { late->send("x", 1, 0, 100); });
  CHECK(contains(refused, "cannot be taken over"), refused);
  late->close();
  info = consumer->receive(buffer.data(), buffer.size(), 1000);
  CHECK(info.bytes == 1 && buffer[0] == 'z');
  expectError("ERR_CHANNEL_CLOSED", 1000, [&] { consumer->receive(buffer.data(), buffer.size(), 1000); });
}

// A consumer killed after reading part of the stream: another process takes its role over.
void consumerTakeoverCase() {
  const std::string name = uniqueName("takeover");
  auto producer = createChannel(name, 4096);
  std::vector<unsigned char> buffer(4096);
  for (uint64_t k = 0; k < 40; ++k) {
    fillMessage(buffer.data(), k, 24);
    producer->send(buffer.data(), 24, 0, 1000);
  }
  const pid_t reader = forkChild([&] {
    auto channel = Channel::open(name);
    MessageInfo info{};
    for (uint64_t k = 0; k < 3; ++k) {
      info = channel->receive(buffer.data(), buffer.size(), 1000);
      CHECK(info.bytes == 24 && matches(buffer.data(), k, 24));
    }
    ::kill(::getpid(), SIGKILL);  // without closing: its role is free for the next consumer
  });
  CHECK(reap(reader) == 128 + SIGKILL);
  const pid_t next = forkChild([&] {
    auto channel = Channel::open(name);
    MessageInfo info{};
    info = channel->receive(buffer.data(), buffer.size(), 1000);
    // It starts where the dead consumer's published head stood: after message 2, or earlier.
    uint64_t k = 0;
    while (k < 6 && !matches(buffer.data(), k, 24)) ++k;
    CHECK(k <= 3, "the new consumer starts at message " + std::to_string(k));
    for (++k; k < 40; ++k) {
      info = channel->receive(buffer.data(), buffer.size(), 2000);
      CHECK(info.bytes == 24 && matches(buffer.data(), k, 24), "message " + std::to_string(k));
    }
    channel->close();
  });
  expectChildOk(next);
}

// Liveness: a zombie is dead, a reused pid (same pid, other start time) is dead, a table lock held
// by a dead process is taken over, one held by a live process times out within the call's timeout.
void livenessCase() {
  const std::string name = uniqueName("live");
  auto producer = createChannel(name, 4096);
  auto raw = Segment::open(name, false);
  unsigned char* header = raw.mapping()->address();
  auto* lock = reinterpret_cast<int32_t*>(header + channel::kHandleTableLockOffset);
  const pid_t dead = forkChild([] {});
  expectChildOk(dead);
  *lock = dead;  // a dead holder: taken over at once
  auto consumer = Channel::open(name);
  CHECK(*lock == 0);
  *lock = static_cast<int32_t>(::getppid());  // a live holder that never lets go
  const int64_t start = nowMs();
  std::vector<unsigned char> buffer(64);
  expectError("ERR_TIMEOUT", 2500, [&] { consumer->receive(buffer.data(), buffer.size(), 300); });
  CHECK(nowMs() - start < 1000, "the lock wait kept to the call's timeout");
  *lock = 0;
  producer->trySend("x", 1);
  CHECK(consumer->receive(buffer.data(), buffer.size(), 1000).bytes == 1);
  // The consumer's entry: make its pid a zombie's, then a live process's with another start time.
  auto* table = header + channel::kHandleTableOffset;
  uint32_t entry = 0;
  while (*reinterpret_cast<int32_t*>(table + entry * channel::kHandleEntrySize + channel::kHandleFlagsOffset) !=
         static_cast<int32_t>(channel::kHandleConsumer)) {
    ++entry;
    CHECK(entry < channel::kMaxHandles);
  }
  auto* pid = reinterpret_cast<int32_t*>(table + entry * channel::kHandleEntrySize + channel::kHandlePidOffset);
  auto* startTime = reinterpret_cast<int64_t*>(table + entry * channel::kHandleEntrySize + channel::kHandleStartTimeOffset);
  const pid_t zombie = forkChild([] {});
  sleepMs(50);
  const int64_t started = *startTime;
  *pid = zombie;
  *startTime = 0;  // unknown: only its state says it is dead
  while (producer->trySend(buffer.data(), 64)) {
  }
  std::string message = expectError("ERR_PEER_GONE", 2500, [&] { producer->send(buffer.data(), 64, 0, 5000); });
  CHECK(contains(message, "(pid " + std::to_string(zombie) + ") has exited"), message);
  CHECK(reap(zombie) == 0);
  *pid = ::getpid();
  *startTime = started + 1;  // this pid, but a process that started at another time: the original is gone
  expectError("ERR_PEER_GONE", 2500, [&] { producer->send(buffer.data(), 64, 0, 5000); });
  *startTime = started;
  expectError("ERR_TIMEOUT", 1000, [&] { producer->send(buffer.data(), 64, 0, 300); });
  raw.mapping()->close();
}

// Sixteen handles at most.
void handleTableFullCase() {
  const std::string name = uniqueName("full");
  std::vector<std::unique_ptr<Channel>> handles;
  handles.push_back(createChannel(name, 4096));
  while (handles.size() < channel::kMaxHandles) handles.push_back(Channel::open(name));
  expectError("ERR_WRONG_STATE", 100, [&] { Channel::open(name); });
  handles.back()->close();  // a closed handle's entry is free again
  handles.back() = Channel::open(name);
}

// interrupt() from another thread ends a wait at once.
void interruptCase() {
  const std::string name = uniqueName("intr");
  auto consumer = createChannel(name, 4096);
  auto producer = Channel::open(name);
  producer->trySend("x", 1);
  std::vector<unsigned char> buffer(64);
  consumer->receive(buffer.data(), buffer.size(), 1000);
  std::atomic<int64_t> interruptedAt{0};
  std::thread interrupter([&] {
    sleepMs(300);  // into the wait's second 250 ms slice: a look at the slice's end would come ~200 ms late
    interruptedAt = monotonicNanos();
    consumer->interrupt();
  });
  expectError("ERR_CLOSED", 5000, [&] { consumer->receive(buffer.data(), buffer.size(), -1); });
  const int64_t lateMs = (monotonicNanos() - interruptedAt.load()) / 1000000;
  interrupter.join();
  CHECK(lateMs < 150, std::to_string(lateMs) + " ms after interrupt()");
}

// A side waiting on an idle peer (a consumer for data, a producer for room) sleeps: under 1% of
// a core over 2 s, liveness checks included.
void idleCase() {
  const auto cpuMicros = [] {
    rusage used{};
    ::getrusage(RUSAGE_SELF, &used);
    return (used.ru_utime.tv_sec + used.ru_stime.tv_sec) * 1000000 + used.ru_utime.tv_usec + used.ru_stime.tv_usec;
  };
  for (const bool consumerWaits : {true, false}) {
    const std::string name = uniqueName("idle");
    auto waiter = createChannel(name, 4096);
    std::vector<unsigned char> buffer(4096);
    MessageInfo info{};
    int ready[2];
    CHECK(::pipe(ready) == 0);
    const pid_t idle = forkChild([&] {
      auto channel = Channel::open(name);
      if (consumerWaits) channel->trySend("x", 1);  // takes the producer's role, then sends nothing more
      else channel->tryPeek(info);                  // takes the consumer's role, then reads nothing
      (void)!::write(ready[1], "r", 1);
      sleepMs(3000);
    });
    char byte;
    CHECK(::read(ready[0], &byte, 1) == 1);
    ::close(ready[0]);
    ::close(ready[1]);
    if (consumerWaits) {
      CHECK(waiter->tryReceive(buffer.data(), buffer.size(), info));
    } else {
      while (waiter->trySend(buffer.data(), 500)) {
      }
    }
    const int64_t before = cpuMicros();
    expectError("ERR_TIMEOUT", 3000, [&] {
      if (consumerWaits) waiter->receive(buffer.data(), buffer.size(), 2000);
      else waiter->send(buffer.data(), 500, 0, 2000);
    });
    const int64_t used = cpuMicros() - before;
    std::printf("  the waiting %s used %lld us of CPU in 2 s\n", consumerWaits ? "consumer" : "producer", static_cast<long long>(used));
    CHECK(used < 20000, std::string(consumerWaits ? "the consumer" : "the producer") + " used " + std::to_string(used) + " µs of CPU waiting 2 s");
    ::kill(idle, SIGKILL);
    reap(idle);
  }
}

// ---- A hostile peer ----

// Random bytes anywhere the other side reads: every call of the honest side ends, within its
// timeout, in a message or an ipclab error; no crash, no read outside the segment, no hang.
void hostile(bool honestConsumer) {
  const auto deadline = nowMs() + 2500;
  Random random(static_cast<uint64_t>(monotonicNanos()));
  int rounds = 0, errors = 0, delivered = 0;
  while (nowMs() < deadline) {
    ++rounds;
    const std::string name = uniqueName("fuzz");
    auto honest = createChannel(name, random.chance(50) ? 4096 : 16384);
    // What the hostile process writes: one region of the segment per round.
    const uint64_t region = random.below(6);
    const pid_t peer = forkChild([&] {
      // The honest peer of the other role, itself unaware of the garbage: whatever fails, it goes on.
      std::vector<unsigned char> buffer(40000);
      Random mine(random.next());
      try {
        auto channel = Channel::open(name);
        for (int k = 0; k < 400; ++k) {
          try {
            if (honestConsumer) channel->send(buffer.data(), mine.below(9000) / 8 * 8, static_cast<uint8_t>(mine.chance(50) ? 0 : 9), 50);
            else channel->receive(buffer.data(), buffer.size(), 50);
          } catch (const UsageError&) {
          } catch (const SystemError&) {
          }
        }
      } catch (const UsageError&) {
      } catch (const SystemError&) {
      }
    });
    const pid_t attacker = forkChild([&] {
      auto raw = Segment::open(name, false);
      unsigned char* bytes = raw.mapping()->address();
      const size_t length = raw.mapping()->length();
      Random mine(random.next());
      for (int k = 0; k < 2000; ++k) {
        size_t at;
        switch (region) {
          case 0: at = mine.below(64); break;                                          // magic, version, ring size, state, lock
          case 1: at = channel::kTailOffset + mine.below(8); break;                    // tail, tailSequence
          case 2: at = channel::kHeadOffset + mine.below(8); break;                    // head
          case 3: at = channel::kConsumerWaitingOffset + mine.below(256); break;       // both waiting lines
          case 4: at = channel::kHandleTableOffset + mine.below(256); break;           // the handle table
          default: at = channel::kHeaderBytes + mine.below(length - channel::kHeaderBytes);  // records
        }
        const size_t width = 1 + mine.below(8);
        for (size_t i = 0; i < width && at + i < length; ++i) bytes[at + i] = static_cast<unsigned char>(mine.next());
        if (mine.chance(20)) sleepMs(1);
      }
    });
    std::vector<unsigned char> buffer(40000);
    size_t lengths[16];
    uint8_t kinds[16];
    for (int k = 0; k < 150; ++k) {
      const int64_t timeoutMs = static_cast<int64_t>(random.below(30));
      const int64_t start = nowMs();
      try {
        if (honestConsumer) {
          const uint64_t call = random.below(4);
          if (call == 0) {
            const MessageInfo info = honest->receive(buffer.data(), buffer.size(), timeoutMs);
            CHECK(info.bytes <= buffer.size());
          } else if (call == 1) {
            ReceiveBatch batch{buffer.data(), buffer.size(), lengths, kinds, 16};
            const size_t count = honest->receiveMany(batch, timeoutMs);
            size_t total = 0;
            for (size_t i = 0; i < count; ++i) total += lengths[i];
            CHECK(count >= 1 && count <= 16 && total <= buffer.size());
          } else if (call == 2) {
            const InPlaceMessage message = honest->receiveInPlace(timeoutMs);
            CHECK(message.bytes <= honest->maxInPlaceBytes());
            volatile unsigned char sink = 0;
            for (size_t i = 0; i < message.bytes; ++i) sink = sink ^ message.data[i];  // every byte readable
            honest->release();
          } else {
            const OwnedMessage message = honest->receive(timeoutMs);
            (void)message;
          }
        } else {
          const size_t bytes = random.below(buffer.size()) / 8 * 8;
          if (random.chance(50)) honest->send(buffer.data(), bytes, 0, timeoutMs);
          else if (bytes <= honest->maxInPlaceBytes()) {
            honest->reserve(bytes, 0, timeoutMs);
            honest->commit(bytes);
          }
        }
        ++delivered;
      } catch (const UsageError& error) {
        ++errors;
      } catch (const SystemError& error) {
        ++errors;
      }
      const int64_t took = nowMs() - start;
      // The timeout, plus room for a loaded machine (a call that waited for the table's lock, 2 s,
      // or slept through its timeout would take far longer).
      CHECK(took <= timeoutMs + 1000, "a call with a " + std::to_string(timeoutMs) + " ms timeout took " + std::to_string(took) + " ms");
    }
    ::kill(attacker, SIGKILL);
    ::kill(peer, SIGKILL);
    reap(attacker);
    reap(peer);
    honest->close();
  }
  std::printf("  %d rounds, %d calls delivered, %d ended in an error\n", rounds, delivered, errors);
}

void hostileToConsumerCase() { hostile(true); }
void hostileToProducerCase() { hostile(false); }

// Random bytes in the header of a segment someone opens: a channel, or ERR_BAD_CHANNEL.
void hostileHeaderOpenCase() {
  Random random(static_cast<uint64_t>(monotonicNanos()));
  int opened = 0, refused = 0;
  for (int round = 0; round < 300; ++round) {
    const std::string name = uniqueName("hdr");
    auto channel = createChannel(name, 4096);
    auto raw = Segment::open(name, false);
    unsigned char* bytes = raw.mapping()->address();
    // Not the table lock (20..23): a live pid there makes an opener wait 2 s, which the liveness case checks.
    for (int k = 0; k < 1 + static_cast<int>(random.below(4)); ++k) {
      const size_t at = random.below(28);
      bytes[at < 20 ? at : at + 4] = static_cast<unsigned char>(random.next());
    }
    try {
      Channel::open(name)->close();
      ++opened;
    } catch (const UsageError& error) {
      CHECK(error.code() == "ERR_BAD_CHANNEL", error.what());
      ++refused;
    }
    raw.mapping()->close();
  }
  std::printf("  %d opened, %d refused\n", opened, refused);
}

const Case kCases[] = {
    {"stream", streamCase},
    {"stream-small-ring-spinning", streamSmallRingSpinningCase},
    {"batch", batchCase},
    {"in-place", inPlaceCase},
    {"closed-with-unsent", closedWithUnsentCase},
    {"timeouts", timeoutsCase},
    {"close-wakes-the-peer", closeWakesCase},
    {"peer-killed", peerKilledCase},
    {"open-errors", openErrorsCase},
    {"roles", rolesCase},
    {"consumer-takeover", consumerTakeoverCase},
    {"liveness", livenessCase},
    {"handle-table-full", handleTableFullCase},
    {"interrupt", interruptCase},
    {"idle", idleCase},
    {"hostile-to-consumer", hostileToConsumerCase},
    {"hostile-to-producer", hostileToProducerCase},
    {"hostile-header-open", hostileHeaderOpenCase},
};

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  ::signal(SIGPIPE, SIG_IGN);
  const std::string command = argc > 1 ? argv[1] : "";
  if (command == "list") {
    for (const Case& each : kCases) std::printf("%s\n", each.name);
    return 0;
  }
  if (command != "run") {
    std::fprintf(stderr, "usage: ipclab-core-test list | run NAME...\n");
    return 2;
  }
  int failed = 0;
  for (int i = 2; i < argc; ++i) {
    const Case* found = nullptr;
    for (const Case& each : kCases) {
      if (argv[i] == std::string(each.name)) found = &each;
    }
    if (found == nullptr) {
      std::printf("FAIL %s: no such case\n", argv[i]);
      ++failed;
      continue;
    }
    const int64_t start = nowMs();
    try {
      found->run();
      std::printf("ok %s (%lld ms)\n", found->name, static_cast<long long>(nowMs() - start));
    } catch (...) {
      const Caught error = caught();
      std::printf("FAIL %s: %s: %s\n", found->name, error.code.c_str(), error.message.c_str());
      ++failed;
    }
  }
  return failed == 0 ? 0 : 1;
}
