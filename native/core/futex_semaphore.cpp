#include "futex_semaphore.hpp"

#include <cerrno>

#include "doorbell.hpp"
#include "errors.hpp"
#include "futex.hpp"

namespace ipclab {

static_assert(sizeof(SemaphoreWords) == 32, "the in-segment semaphore keeps the footprint of a sem_t");
static_assert(alignof(SemaphoreWords) == 8, "the in-segment semaphore keeps the alignment of a sem_t");

namespace {

std::string describeOffset(size_t offset) { return "semaphore at offset " + std::to_string(offset); }

SemaphoreWords* slotIn(const Mapping& mapping, size_t offset) {
  if (mapping.closed()) throw UsageError("ERR_CLOSED", "the shared memory holding this semaphore is closed");
  if (!mapping.writable()) {
    throw UsageError("ERR_READ_ONLY",
                     "a semaphore needs a writable segment, but this one is mapped read-only; open it without readOnly");
  }
  if (offset % FutexSemaphore::kAlignment != 0 || offset > mapping.length() ||
      mapping.length() - offset < FutexSemaphore::kSize) {
    throw UsageError("ERR_OUT_OF_RANGE", describeOffset(offset) + " does not fit a " +
                                             std::to_string(FutexSemaphore::kSize) + "-byte semaphore aligned to " +
                                             std::to_string(FutexSemaphore::kAlignment) + " in a segment of " +
                                             std::to_string(mapping.length()) + " bytes");
  }
  return reinterpret_cast<SemaphoreWords*>(mapping.address() + offset);
}

// Peers share these words, so every access is atomic and sequentially consistent.
template <typename Word>
Word load(const Word& word) {
  return __atomic_load_n(&word, __ATOMIC_SEQ_CST);
}
template <typename Word>
bool compareExchange(Word& word, Word& expected, Word desired) {
  return __atomic_compare_exchange_n(&word, &expected, desired, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

}  // namespace

FutexSemaphore::FutexSemaphore(SemaphoreWords* words, size_t offset, std::shared_ptr<Mapping> mapping)
    : Semaphore(describeOffset(offset)), words_(words), mapping_(std::move(mapping)) {}

std::shared_ptr<FutexSemaphore> FutexSemaphore::createIn(std::shared_ptr<Mapping> mapping, size_t offset, unsigned initial) {
  SemaphoreWords* words = slotIn(*mapping, offset);
  if (initial > kValueMax) throwSystemError(EINVAL, "sem_init", describeOffset(offset));
  __atomic_store_n(&words->count, initial, __ATOMIC_SEQ_CST);
  __atomic_store_n(&words->sleepers, 0u, __ATOMIC_SEQ_CST);
  __atomic_store_n(&words->reserved, 0u, __ATOMIC_SEQ_CST);
  __atomic_store_n(&words->doorbell, uint64_t{0}, __ATOMIC_SEQ_CST);
  __atomic_store_n(&words->reserved2, uint64_t{0}, __ATOMIC_SEQ_CST);
  __atomic_store_n(&words->tag, kTag, __ATOMIC_SEQ_CST);  // last: a peer that sees it sees the rest
  return std::shared_ptr<FutexSemaphore>(new FutexSemaphore(words, offset, std::move(mapping)));
}

std::shared_ptr<FutexSemaphore> FutexSemaphore::openIn(std::shared_ptr<Mapping> mapping, size_t offset) {
  SemaphoreWords* words = slotIn(*mapping, offset);
  auto semaphore = std::shared_ptr<FutexSemaphore>(new FutexSemaphore(words, offset, std::move(mapping)));
  semaphore->checkedWords("open");
  return semaphore;
}

SemaphoreWords& FutexSemaphore::checkedWords(const char* operation) {
  ensureOpen(operation);
  if (load(words_->tag) != kTag) {
    throw UsageError("ERR_CORRUPT_SEMAPHORE",
                     std::string("cannot ") + operation + " " + name() + ": the bytes there are not an ipclab semaphore " +
                         "(it was never initialised with createIn, or another process overwrote it)");
  }
  return *words_;
}

uint32_t FutexSemaphore::checkedCount(uint32_t count, const char* operation) const {
  if (count > kValueMax) {
    throw UsageError("ERR_CORRUPT_SEMAPHORE", std::string("cannot ") + operation + " " + name() + ": its count reads " +
                                                  std::to_string(count) + ", above the largest a semaphore holds (" +
                                                  std::to_string(kValueMax) + "); another process overwrote it");
  }
  return count;
}

void FutexSemaphore::post() {
  SemaphoreWords& words = checkedWords("post");
  uint32_t count = load(words.count);
  do {
    if (checkedCount(count, "post") == kValueMax) throwSystemError(EOVERFLOW, "sem_post", name());
  } while (!compareExchange(words.count, count, count + 1));
  if (load(words.sleepers) != 0) futex::wake(&words.count, 1);
  uint64_t bell = load(words.doorbell);
  if (bell != 0) doorbell::ring(bell);
}

bool FutexSemaphore::tryWait() {
  SemaphoreWords& words = checkedWords("tryWait");
  uint32_t count = load(words.count);
  do {
    if (checkedCount(count, "tryWait") == 0) return false;
  } while (!compareExchange(words.count, count, count - 1));
  return true;
}

int FutexSemaphore::value() { return static_cast<int>(checkedCount(load(checkedWords("read").count), "read")); }

bool FutexSemaphore::sleepUntil(int64_t deadlineNanos) {
  __atomic_add_fetch(&words_->sleepers, 1, __ATOMIC_SEQ_CST);
  const int err = futex::wait(&words_->count, 0, deadlineNanos);
  __atomic_sub_fetch(&words_->sleepers, 1, __ATOMIC_SEQ_CST);
  // EAGAIN: the count changed before we slept; EINTR: a signal. Both just retry.
  if (err != 0 && err != ETIMEDOUT && err != EAGAIN && err != EINTR) throwSystemError(err, "futex", name());
  return false;
}

bool FutexSemaphore::armDoorbell(uint64_t id) {
  SemaphoreWords& words = checkedWords("wait on");
  uint64_t current = 0;
  if (compareExchange(words.doorbell, current, id) || current == id) return true;
  // Another process's doorbell: take over only when its socket is gone (that process died).
  if (doorbell::ring(current) != doorbell::Ring::Gone) return false;
  return compareExchange(words.doorbell, current, id);
}

void FutexSemaphore::disarmDoorbell(uint64_t id) {
  // A closed handle still withdraws its doorbell while the memory is mapped.
  if (mapping_->closed()) return;
  uint64_t expected = id;
  compareExchange(words_->doorbell, expected, uint64_t{0});
}

}  // namespace ipclab
