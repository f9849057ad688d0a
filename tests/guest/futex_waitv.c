/* futex_waitv (Linux 5.16+) against the native kernel: a timeout, a word
 * that changed (EAGAIN), bad flags, no waiters, a flags argument, a
 * misaligned word, a wake of the third word from another thread (its
 * index returned); and getcpu. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#ifndef FUTEX2_SIZE_U32
#define FUTEX2_SIZE_U32 0x02
#endif
#ifndef FUTEX2_PRIVATE
#define FUTEX2_PRIVATE 128
#endif
static uint32_t words[3];
static void *waker(void *arg) {
  (void)arg;
  usleep(50000);
  __atomic_store_n(&words[2], 1, __ATOMIC_SEQ_CST);
  syscall(SYS_futex, &words[2], FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
  return NULL;
}
int main(void) {
  struct futex_waitv w[3];
  for (int i = 0; i < 3; i++)
    w[i] = (struct futex_waitv){0, (uint64_t)(uintptr_t)&words[i],
                                FUTEX2_SIZE_U32 | FUTEX2_PRIVATE, 0};
  struct timespec to;
  clock_gettime(CLOCK_MONOTONIC, &to);
  to.tv_nsec += 10000000;
  if (to.tv_nsec >= 1000000000) {
    to.tv_sec++;
    to.tv_nsec -= 1000000000;
  }
  long r = syscall(449, w, 3, 0, &to, CLOCK_MONOTONIC);
  printf("timeout: %ld %s\n", r, r < 0 ? strerror(errno) : "");
  words[1] = 5;
  r = syscall(449, w, 3, 0, NULL, 0);
  printf("changed: %ld %s\n", r, r < 0 ? strerror(errno) : "");
  words[1] = 0;
  w[0].flags = 0;
  r = syscall(449, w, 3, 0, NULL, 0);
  printf("bad flags: %ld %s\n", r, r < 0 ? strerror(errno) : "");
  w[0].flags = FUTEX2_SIZE_U32 | FUTEX2_PRIVATE;
  r = syscall(449, w, 0, 0, NULL, 0);
  printf("none: %ld %s\n", r, r < 0 ? strerror(errno) : "");
  r = syscall(449, w, 3, 1, NULL, 0);
  printf("flags arg: %ld %s\n", r, r < 0 ? strerror(errno) : "");
  w[1].uaddr |= 1;
  r = syscall(449, w, 3, 0, NULL, 0);
  printf("misaligned: %ld %s\n", r, r < 0 ? strerror(errno) : "");
  w[1].uaddr &= ~1ull;
  pthread_t t;
  pthread_create(&t, NULL, waker, NULL);
  r = syscall(449, w, 3, 0, NULL, 0);
  printf("woken: %ld %s\n", r, r < 0 ? strerror(errno) : "");
  pthread_join(t, NULL);
  int cpu = -1, node = -1;
  r = syscall(SYS_getcpu, &cpu, &node, NULL);
  printf("getcpu: %ld cpu ok %d node %d\n", r, cpu >= 0 && cpu < CPU_SETSIZE,
         node);
  return 0;
}
