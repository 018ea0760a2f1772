/* The C half of bench/c-receive/run.mjs: a C program built with the README's compile line,
 * receiving int32 messages from Node through libipclab into a buffer of its own (faulted in before
 * timing, as the native reference's is), checking every element: message k holds i + k % 2, so a
 * stale or repeated message fails (compared with memcmp against a pattern, as the reference does).
 *   receive_int32 NAME ELEMENTS COUNT WARMUP SPIN_MICROS
 * Prints "ready", then {"verified":bool,"windowStartNs":"..","windowEndNs":".."}: the window runs
 * from the end of the warm-up messages to the end of the last, on CLOCK_MONOTONIC. */
#define _POSIX_C_SOURCE 200809L
#include <ipclab.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static unsigned long long now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec;
}

int main(int argc, char** argv) {
  if (argc != 6) {
    fprintf(stderr, "usage: receive_int32 NAME ELEMENTS COUNT WARMUP SPIN_MICROS\n");
    return 2;
  }
  const size_t elements = strtoull(argv[2], NULL, 10);
  const size_t count = strtoull(argv[3], NULL, 10), warmup = strtoull(argv[4], NULL, 10);
  const size_t bytes = elements * sizeof(int32_t);
  int32_t* values = malloc(bytes);
  int32_t* pattern = malloc(bytes + sizeof(int32_t));  // message k is pattern + k % 2
  if (values == NULL || pattern == NULL) return 1;
  memset(values, 0, bytes);
  for (size_t i = 0; i <= elements; i++) pattern[i] = (int32_t)i;
  ipclab_channel* channel;
  int status = ipclab_channel_open(argv[1], strtoll(argv[5], NULL, 10), IPCLAB_POPULATE, &channel);
  if (status != IPCLAB_OK) {
    fprintf(stderr, "%s: %s\n", ipclab_status_name(status), ipclab_last_error_message());
    return 1;
  }
  printf("ready\n");
  fflush(stdout);
  unsigned long long start = 0;
  int verified = 1;
  for (size_t k = 0; k < warmup + count && status == IPCLAB_OK; k++) {
    ipclab_message_info info;
    status = ipclab_channel_receive(channel, values, bytes, 60000, &info);
    if (status != IPCLAB_OK) break;
    if (info.bytes != bytes || info.kind != IPCLAB_KIND_INT32) verified = 0;
    verified &= memcmp(values, pattern + k % 2, bytes) == 0;
    if (k + 1 == warmup) start = now();
  }
  const unsigned long long end = now();
  if (status != IPCLAB_OK) fprintf(stderr, "%s: %s\n", ipclab_status_name(status), ipclab_last_error_message());
  ipclab_channel_close(channel);
  printf("{\"verified\":%s,\"windowStartNs\":\"%llu\",\"windowEndNs\":\"%llu\"}\n", verified ? "true" : "false", start, end);
  return status == IPCLAB_OK && verified ? 0 : 1;
}
