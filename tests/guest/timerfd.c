/* timerfd on emu's clock: a relative and periodic timer read blocking
 * and non-blocking, gettime, disarming, an absolute time in the past,
 * poll and epoll on it, and the errors. Prints no times (the value left
 * depends on when the call runs); run natively, under emu, and under
 * emu --deterministic. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

static void show(const char *what, long r) {
  printf("%s: %ld%s%s\n", what, r, r < 0 ? " " : "",
         r < 0 ? strerrorname_np(errno) : "");
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
  printf("timerfd: %d, cloexec %d\n", fd, fcntl(fd, F_GETFD));
  struct itimerspec v = {{0, 10000000}, {0, 20000000}}, old, cur;
  show("settime", timerfd_settime(fd, 0, &v, &old));
  printf("old disarmed %d\n", !old.it_value.tv_sec && !old.it_value.tv_nsec);
  timerfd_gettime(fd, &cur);
  printf("gettime: interval 10ms %d, value at most 20ms %d\n",
         cur.it_interval.tv_sec == 0 && cur.it_interval.tv_nsec == 10000000,
         cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec <= 20000000);
  uint64_t ticks = 0;
  show("blocking read", read(fd, &ticks, sizeof ticks));
  printf("ticks at least 1: %d\n", ticks >= 1);
  fcntl(fd, F_SETFL, O_NONBLOCK);
  /* the next period is 10ms away: nothing yet, unless this was slow */
  ticks = 0;
  long r = read(fd, &ticks, sizeof ticks);
  printf("at once: EAGAIN or a tick %d\n",
         (r < 0 && errno == EAGAIN) || (r == 8 && ticks >= 1));
  struct pollfd pfd = {fd, POLLIN, 0};
  show("poll until the next period", poll(&pfd, 1, 5000));
  show("read after poll", read(fd, &ticks, sizeof ticks));
  int ep = epoll_create1(0);
  struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 5}, out;
  epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
  show("epoll until the next period", epoll_wait(ep, &out, 1, 5000));
  printf("data %llu\n", (unsigned long long)out.data.u64);
  close(ep);

  struct itimerspec off = {{0, 0}, {0, 0}};
  show("disarm", timerfd_settime(fd, 0, &off, &old));
  printf("old interval 10ms %d\n", old.it_interval.tv_nsec == 10000000);
  timerfd_gettime(fd, &cur);
  printf("disarmed %d\n", !cur.it_value.tv_sec && !cur.it_value.tv_nsec &&
                              !cur.it_interval.tv_nsec);
  show("read disarmed", read(fd, &ticks, sizeof ticks));

  int rt = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK);
  struct itimerspec past = {{0, 0}, {1, 0}}; /* 1970 */
  show("abstime in the past",
       timerfd_settime(rt, TFD_TIMER_ABSTIME, &past, NULL));
  ticks = 0;
  show("read", read(rt, &ticks, sizeof ticks));
  printf("ticks %llu\n", (unsigned long long)ticks);
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  struct itimerspec soon = {{0, 0}, {now.tv_sec + 1, now.tv_nsec}};
  show("abstime ahead", timerfd_settime(rt, TFD_TIMER_ABSTIME, &soon, NULL));
  timerfd_gettime(rt, &cur);
  printf("left at most 1s %d\n",
         cur.it_value.tv_sec == 0 ||
             (cur.it_value.tv_sec == 1 && !cur.it_value.tv_nsec));

  char small[4];
  show("small buffer", read(fd, small, sizeof small));
  show("bad clock", timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0));
  show("bad flags", timerfd_create(CLOCK_MONOTONIC, 0x1234));
  struct itimerspec bad = {{0, 0}, {0, 1000000000}};
  show("bad nsec", timerfd_settime(fd, 0, &bad, NULL));
  show("bad settime flags", timerfd_settime(fd, 0x100, &v, NULL));
  int p[2];
  if (pipe(p) < 0)
    return 1;
  show("not a timerfd", timerfd_settime(p[0], 0, &v, NULL));
  show("gettime bad fd", timerfd_gettime(99, &cur));
  return 0;
}
