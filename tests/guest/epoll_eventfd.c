/* epoll and eventfd: the 64-bit data round-trips, edge-triggered and
 * level-triggered readiness, EEXIST/ENOENT/EINVAL as Linux, a timeout,
 * epoll_pwait with a mask, EPOLLONESHOT, EFD_SEMAPHORE counting, and a
 * thread that writes the eventfd a sleeping epoll_wait waits on. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

static int efd_wake;

static void *waker(void *arg) {
  (void)arg;
  usleep(20000);
  uint64_t one = 1;
  if (write(efd_wake, &one, sizeof one) != sizeof one)
    perror("write");
  return NULL;
}

static void show(const char *what, long r) {
  printf("%s: %ld%s%s\n", what, r, r < 0 ? " " : "",
         r < 0 ? strerrorname_np(errno) : "");
}

int main(void) {
  int ep = epoll_create1(EPOLL_CLOEXEC);
  int efd = eventfd(3, EFD_NONBLOCK | EFD_CLOEXEC);
  int p[2];
  if (pipe(p) < 0)
    return 1;
  struct epoll_event ev = {.events = EPOLLIN | EPOLLET,
                           .data.u64 = 0x1122334455667788ull};
  show("ctl add eventfd", epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev));
  ev.events = EPOLLIN;
  ev.data.u64 = 42;
  show("ctl add pipe", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
  show("ctl add again", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
  show("ctl mod missing", epoll_ctl(ep, EPOLL_CTL_MOD, p[1], &ev));
  show("ctl self", epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev));
  struct epoll_event out[4];
  int n = epoll_wait(ep, out, 4, 100);
  printf("wait %d: %#x %#llx\n", n, out[0].events,
         (unsigned long long)out[0].data.u64);
  show("edge-triggered again", epoll_wait(ep, out, 4, 0));
  uint64_t v = 0;
  long got = read(efd, &v, sizeof v);
  printf("eventfd read %ld value %llu\n", got, (unsigned long long)v);
  show("empty eventfd read", read(efd, &v, sizeof v));
  show("timeout", epoll_wait(ep, out, 4, 10));
  if (write(p[1], "xy", 2) != 2)
    return 1;
  sigset_t m;
  sigemptyset(&m);
  n = epoll_pwait(ep, out, 4, -1, &m);
  printf("pwait %d: %#x %llu\n", n, out[0].events,
         (unsigned long long)out[0].data.u64);
  show("level-triggered again", epoll_wait(ep, out, 4, 0));
  ev.events = EPOLLIN | EPOLLONESHOT;
  show("ctl mod oneshot", epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev));
  show("oneshot first", epoll_wait(ep, out, 4, 0));
  show("oneshot disarmed", epoll_wait(ep, out, 4, 0));
  show("ctl del", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
  show("bad maxevents", epoll_wait(ep, out, 0, 0));
  show("not epoll", epoll_wait(p[0], out, 4, 0));

  int sem = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
  for (int k = 0; k < 3; k++) {
    long r = read(sem, &v, sizeof v);
    printf("semaphore read %ld value %llu\n", r,
           r < 0 ? 0ull : (unsigned long long)v);
  }

  efd_wake = eventfd(0, 0);
  int ep2 = epoll_create(1);
  ev.events = EPOLLIN;
  ev.data.u64 = 7;
  epoll_ctl(ep2, EPOLL_CTL_ADD, efd_wake, &ev);
  pthread_t t;
  pthread_create(&t, NULL, waker, NULL);
  n = epoll_wait(ep2, out, 4, 5000);
  printf("woken by a thread: %d data %llu\n", n,
         (unsigned long long)out[0].data.u64);
  pthread_join(t, NULL);
  show("eventfd2 bad flags", eventfd(0, 0x10));
  show("epoll_create 0", epoll_create(0));
  return 0;
}
