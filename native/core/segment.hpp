// POSIX shared memory segments (shm_open + mmap), with no Node dependency.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>

namespace ipclab {

// One mmap'd region. Unmapping waits for native users (threads blocked on an in-segment
// semaphore) to leave, so no thread ever touches unmapped memory.
class Mapping {
 public:
  Mapping(void* address, size_t length, bool writable);
  ~Mapping();
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;

  unsigned char* address() const { return static_cast<unsigned char*>(address_); }
  size_t length() const { return length_; }
  bool writable() const { return writable_; }
  bool closed() const { return closing_.load(std::memory_order_acquire); }

  // Pins the mapping for a native user; false once close() was called.
  bool acquire();
  void release();
  // Unmaps now, or as soon as the last native user releases it. Idempotent.
  void close();

 private:
  void unmapLocked();

  void* address_;
  size_t length_;
  bool writable_;
  std::mutex mutex_;
  int users_ = 0;
  bool unmapped_ = false;
  std::atomic<bool> closing_{false};
};

struct CreateOptions {
  unsigned mode = 0600;
  bool exclusive = true;
  bool populate = false;
};

class Segment {
 public:
  // name is normalised: a leading '/' and at most NAME_MAX characters after it.
  static Segment create(const std::string& name, size_t size, const CreateOptions& options);
  // populate: map every page into this process now (see CreateOptions::populate).
  static Segment open(const std::string& name, bool readOnly, bool populate = false);
  // false when nothing had that name.
  static bool unlink(const std::string& name);

  const std::string& name() const { return name_; }
  const std::shared_ptr<Mapping>& mapping() const { return mapping_; }
  bool created() const { return created_; }

 private:
  Segment(std::string name, std::shared_ptr<Mapping> mapping, bool created)
      : name_(std::move(name)), mapping_(std::move(mapping)), created_(created) {}

  std::string name_;
  std::shared_ptr<Mapping> mapping_;
  bool created_;
};

}  // namespace ipclab
