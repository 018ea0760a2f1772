// libipclab: shared memory segments, mapping references, and semaphores (named and in-segment).
#include "../core/futex_semaphore.hpp"
#include "../core/named_semaphore.hpp"
#include "../core/names.hpp"
#include "api.hpp"

using ipclab::capi::fail;
using ipclab::capi::guarded;

namespace {

constexpr unsigned kCreateFlags = IPCLAB_NONEXCLUSIVE | IPCLAB_KEEP | IPCLAB_POPULATE;

int badFlags(unsigned flags, unsigned allowed, const char* call) {
  const std::string message = std::string(call) + ": flags " + std::to_string(flags) + " include bits it does not take (it takes " +
                              std::to_string(allowed) + ")";
  return fail(IPCLAB_ERR_INVALID_ARGUMENT, message.c_str());
}

int badMode(unsigned mode) {
  const std::string message = "mode must be permission bits from 0 to 0777, got 0" + std::to_string(mode);
  return fail(IPCLAB_ERR_INVALID_ARGUMENT, message.c_str());
}

int waitStatus(ipclab::WaitResult result) {
  switch (result) {
    case ipclab::WaitResult::Acquired: return IPCLAB_OK;
    case ipclab::WaitResult::TimedOut: return IPCLAB_ERR_TIMEOUT;
    case ipclab::WaitResult::Cancelled: break;
  }
  return fail(IPCLAB_ERR_CLOSED, "the semaphore was interrupted or its segment closed while waiting");
}

}  // namespace

extern "C" {

int ipclab_segment_create(const char* name, size_t size, unsigned mode, unsigned flags, ipclab_segment** out) {
  IPCLAB_REQUIRE(out);
  if ((flags & ~kCreateFlags) != 0) return badFlags(flags, kCreateFlags, "ipclab_segment_create");
  if (mode > 0777) return badMode(mode);
  return guarded([&] {
    const std::string canonical = ipclab::normalizeName(name);
    if (size == 0 || size > (size_t{1} << 46)) {
      return fail(IPCLAB_ERR_INVALID_ARGUMENT, ("size must be a positive number of bytes up to 2^46, got " + std::to_string(size)).c_str());
    }
    ipclab::CreateOptions options;
    options.mode = mode;
    options.exclusive = (flags & IPCLAB_NONEXCLUSIVE) == 0;
    options.populate = (flags & IPCLAB_POPULATE) != 0;
    *out = new ipclab_segment{ipclab::Segment::create(canonical, size, options), (flags & IPCLAB_KEEP) != 0};
    return IPCLAB_OK;
  });
}

int ipclab_segment_open(const char* name, unsigned flags, ipclab_segment** out) {
  IPCLAB_REQUIRE(out);
  constexpr unsigned allowed = IPCLAB_READ_ONLY | IPCLAB_POPULATE;
  if ((flags & ~allowed) != 0) return badFlags(flags, allowed, "ipclab_segment_open");
  return guarded([&] {
    const std::string canonical = ipclab::normalizeName(name);
    *out = new ipclab_segment{ipclab::Segment::open(canonical, (flags & IPCLAB_READ_ONLY) != 0, (flags & IPCLAB_POPULATE) != 0), true};
    return IPCLAB_OK;
  });
}

int ipclab_segment_close(ipclab_segment* segment) {
  if (segment == nullptr) return IPCLAB_OK;
  std::unique_ptr<ipclab_segment> owned(segment);
  owned->segment.mapping()->close();  // at once, or when the last mapping reference is released
  if (!owned->segment.created() || owned->keep) return IPCLAB_OK;
  return guarded([&] {
    ipclab::Segment::unlink(owned->segment.name());
    return IPCLAB_OK;
  });
}

int ipclab_segment_unlink(const char* name) {
  return guarded([&] {
    if (ipclab::Segment::unlink(ipclab::normalizeName(name))) return IPCLAB_OK;
    return fail(ENOENT, ("shm_unlink \"" + ipclab::normalizeName(name) + "\": no such object (ENOENT)").c_str(), "shm_unlink");
  });
}

void* ipclab_segment_address(const ipclab_segment* segment) { return segment->segment.mapping()->address(); }
size_t ipclab_segment_size(const ipclab_segment* segment) { return segment->segment.mapping()->length(); }
const char* ipclab_segment_name(const ipclab_segment* segment) { return segment->segment.name().c_str(); }
int ipclab_segment_created(const ipclab_segment* segment) { return segment->segment.created() ? 1 : 0; }

int ipclab_segment_mapping(const ipclab_segment* segment, ipclab_mapping** out) {
  IPCLAB_REQUIRE(segment);
  IPCLAB_REQUIRE(out);
  const auto& mapping = segment->segment.mapping();
  if (!mapping->acquire()) return fail(IPCLAB_ERR_CLOSED, ("shared memory \"" + segment->segment.name() + "\" is closed").c_str());
  *out = new (std::nothrow) ipclab_mapping{mapping};
  if (*out == nullptr) {
    mapping->release();
    return fail(ENOMEM, "out of memory (ENOMEM)");
  }
  return IPCLAB_OK;
}

void* ipclab_mapping_address(const ipclab_mapping* mapping) { return mapping->mapping->address(); }
size_t ipclab_mapping_size(const ipclab_mapping* mapping) { return mapping->mapping->length(); }

void ipclab_mapping_release(ipclab_mapping* mapping) {
  if (mapping == nullptr) return;
  mapping->mapping->release();
  delete mapping;
}

int ipclab_semaphore_create(const char* name, unsigned initial, unsigned mode, unsigned flags, ipclab_semaphore** out) {
  IPCLAB_REQUIRE(out);
  constexpr unsigned allowed = IPCLAB_NONEXCLUSIVE | IPCLAB_KEEP;
  if ((flags & ~allowed) != 0) return badFlags(flags, allowed, "ipclab_semaphore_create");
  if (mode > 0777) return badMode(mode);
  if (initial > ipclab::FutexSemaphore::kValueMax) {
    return fail(IPCLAB_ERR_INVALID_ARGUMENT, ("initial must be from 0 to 2147483647, got " + std::to_string(initial)).c_str());
  }
  return guarded([&] {
    auto semaphore = ipclab::NamedSemaphore::create(ipclab::normalizeName(name), initial, mode, (flags & IPCLAB_NONEXCLUSIVE) == 0);
    *out = new ipclab_semaphore{std::move(semaphore), (flags & IPCLAB_KEEP) == 0};
    return IPCLAB_OK;
  });
}

int ipclab_semaphore_open(const char* name, ipclab_semaphore** out) {
  IPCLAB_REQUIRE(out);
  return guarded([&] {
    *out = new ipclab_semaphore{ipclab::NamedSemaphore::open(ipclab::normalizeName(name)), false};
    return IPCLAB_OK;
  });
}

int ipclab_semaphore_unlink(const char* name) {
  return guarded([&] {
    if (ipclab::NamedSemaphore::unlink(ipclab::normalizeName(name))) return IPCLAB_OK;
    return fail(ENOENT, ("sem_unlink \"" + ipclab::normalizeName(name) + "\": no such semaphore (ENOENT)").c_str(), "sem_unlink");
  });
}

int ipclab_semaphore_create_in(ipclab_segment* segment, size_t offset, unsigned initial, ipclab_semaphore** out) {
  IPCLAB_REQUIRE(segment);
  IPCLAB_REQUIRE(out);
  return guarded([&] {
    *out = new ipclab_semaphore{ipclab::FutexSemaphore::createIn(segment->segment.mapping(), offset, initial), false};
    return IPCLAB_OK;
  });
}

int ipclab_semaphore_open_in(ipclab_segment* segment, size_t offset, ipclab_semaphore** out) {
  IPCLAB_REQUIRE(segment);
  IPCLAB_REQUIRE(out);
  return guarded([&] {
    *out = new ipclab_semaphore{ipclab::FutexSemaphore::openIn(segment->segment.mapping(), offset), false};
    return IPCLAB_OK;
  });
}

int ipclab_semaphore_post(ipclab_semaphore* semaphore) {
  IPCLAB_REQUIRE(semaphore);
  return guarded([&] {
    semaphore->semaphore->post();
    return IPCLAB_OK;
  });
}

int ipclab_semaphore_try_wait(ipclab_semaphore* semaphore, int64_t spin_micros) {
  IPCLAB_REQUIRE(semaphore);
  return guarded([&] { return semaphore->semaphore->spinWait(spin_micros) ? IPCLAB_OK : IPCLAB_AGAIN; });
}

int ipclab_semaphore_wait(ipclab_semaphore* semaphore, int64_t timeout_ms, int64_t spin_micros) {
  IPCLAB_REQUIRE(semaphore);
  return guarded([&] {
    ipclab::Semaphore& target = *semaphore->semaphore;
    if (target.spinWait(timeout_ms == 0 ? 0 : spin_micros)) return IPCLAB_OK;
    // Pinned, so that a segment closed meanwhile stays mapped until this wait returns.
    if (!target.acquireForWaiter()) return fail(IPCLAB_ERR_CLOSED, ("cannot wait on " + target.name() + ": it is closed").c_str());
    struct Unpin {
      ipclab::Semaphore& semaphore;
      ~Unpin() { semaphore.releaseForWaiter(); }
    } unpin{target};
    return waitStatus(target.wait(timeout_ms, true));
  });
}

int ipclab_semaphore_value(ipclab_semaphore* semaphore, int* value) {
  IPCLAB_REQUIRE(semaphore);
  IPCLAB_REQUIRE(value);
  return guarded([&] {
    *value = semaphore->semaphore->value();
    return IPCLAB_OK;
  });
}

void ipclab_semaphore_interrupt(ipclab_semaphore* semaphore) {
  if (semaphore != nullptr) semaphore->semaphore->close();
}

int ipclab_semaphore_close(ipclab_semaphore* semaphore) {
  if (semaphore == nullptr) return IPCLAB_OK;
  std::unique_ptr<ipclab_semaphore> owned(semaphore);
  owned->semaphore->close();
  if (!owned->unlinkOnClose) return IPCLAB_OK;
  return guarded([&] {
    ipclab::NamedSemaphore::unlink(owned->semaphore->name());
    return IPCLAB_OK;
  });
}

}  // extern "C"
