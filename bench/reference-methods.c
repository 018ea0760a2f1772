// Which way of writing the native reference is cheapest on this kernel (see
// native/core/segment_reference.hpp, whose comment quotes its figures). Each round, for each method,
// one process creates a segment, reserves its pages (posix_fallocate, untimed, as ipclab's
// receiver does before its barrier), maps it and fills it with element i = i (produce); a forked
// process maps it and reads every element (consume). Medians over the rounds, interleaved so that
// every method sees the machine in the same states.
//   cc -O2 -o /tmp/reference-methods bench/reference-methods.c && /tmp/reference-methods 400000000 5
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#define MADV_POPULATE_WRITE 23
#endif

enum { PLAIN, MADVISE, MAP_POP };
static const char* const kProduce[] = {"first touch", "MADV_POPULATE_WRITE", "MAP_POPULATE"};
static const char* const kConsume[] = {"read-only, first touch", "read-only + MADV_POPULATE_READ", "read-only + MAP_POPULATE",
                                       "read-write, first touch", "read-write + MADV_POPULATE_WRITE"};
enum { ROUNDS_MAX = 64 };

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static double produce(const char* name, size_t bytes, int method) {
  int fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600);
  if (fd < 0 || ftruncate(fd, (off_t)bytes) != 0 || posix_fallocate(fd, 0, (off_t)bytes) != 0) abort();
  double start = now();
  uint64_t* p = mmap(0, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | (method == MAP_POP ? MAP_POPULATE : 0), fd, 0);
  if (p == MAP_FAILED) abort();
  if (method == MADVISE) madvise(p, bytes, MADV_POPULATE_WRITE);
  for (size_t i = 0; i < bytes / 8; i++) p[i] = i;
  double seconds = now() - start;
  munmap(p, bytes);
  close(fd);
  return seconds;
}

// Runs in a forked child; the seconds come back through a pipe.
static double consume(const char* name, size_t bytes, int method) {
  int fds[2];
  if (pipe(fds) != 0) abort();
  if (fork() == 0) {
    int readOnly = method < 3;
    double start = now();
    int fd = shm_open(name, readOnly ? O_RDONLY : O_RDWR, 0);
    const uint64_t* p = mmap(0, bytes, readOnly ? PROT_READ : PROT_READ | PROT_WRITE, MAP_SHARED | (method == 2 ? MAP_POPULATE : 0), fd, 0);
    if (p == MAP_FAILED) _exit(1);
    if (method == 1) madvise((void*)p, bytes, MADV_POPULATE_READ);
    if (method == 4) madvise((void*)p, bytes, MADV_POPULATE_WRITE);
    size_t wrong = 0;
    for (size_t i = 0; i < bytes / 8; i++) wrong += p[i] != i;
    double seconds = now() - start;
    if (wrong != 0) _exit(1);
    if (write(fds[1], &seconds, sizeof seconds) != sizeof seconds) _exit(1);
    _exit(0);
  }
  double seconds = -1;
  int status = 0;
  if (read(fds[0], &seconds, sizeof seconds) != sizeof seconds) abort();
  wait(&status);
  close(fds[0]);
  close(fds[1]);
  return seconds;
}

static int byValue(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

static double median(double* values, int count) {
  qsort(values, count, sizeof *values, byValue);
  return count % 2 ? values[count / 2] : (values[count / 2 - 1] + values[count / 2]) / 2;
}

int main(int argc, char** argv) {
  size_t bytes = argc > 1 ? strtoull(argv[1], 0, 10) / 8 * 8 : 400000000;
  int rounds = argc > 2 ? atoi(argv[2]) : 5;
  if (bytes == 0 || rounds < 1 || rounds > ROUNDS_MAX) {
    fprintf(stderr, "usage: reference-methods [BYTES] [ROUNDS 1..%d]\n", ROUNDS_MAX);
    return 2;
  }
  char name[64];
  snprintf(name, sizeof name, "/ipclab-%d-reference-methods", (int)getpid());
  double produced[3][ROUNDS_MAX], consumed[5][ROUNDS_MAX];
  for (int round = 0; round < rounds; round++) {
    for (int method = 0; method < 3; method++) {
      produced[method][round] = produce(name, bytes, method);
      shm_unlink(name);
    }
    for (int method = 0; method < 5; method++) {
      produce(name, bytes, PLAIN);
      consumed[method][round] = consume(name, bytes, method);
      shm_unlink(name);
    }
  }
  printf("%zu bytes, medians of %d interleaved rounds (seconds)\n", bytes, rounds);
  for (int method = 0; method < 3; method++) printf("produce  %-34s %.3f\n", kProduce[method], median(produced[method], rounds));
  for (int method = 0; method < 5; method++) printf("consume  %-34s %.3f\n", kConsume[method], median(consumed[method], rounds));
  return 0;
}
