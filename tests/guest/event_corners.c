/* Corners of the event and socket calls that real servers use and the
 * other tests do not reach: epoll_pwait2's timespec timeout and signal
 * mask, EPOLLEXCLUSIVE (allowed on ADD, EINVAL on MOD), a signal ending
 * epoll_pwait2 with EINTR, SO_REUSEPORT letting two sockets bind one
 * port, IPV6_V6ONLY (when the host has IPv6), and SO_SNDTIMEO ending a
 * blocking send into a full socket with EAGAIN. */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static void show(const char *what, long r) {
  printf("%s: %ld%s%s\n", what, r, r < 0 ? " " : "",
         r < 0 ? strerrorname_np(errno) : "");
}

static long pwait2(int ep, struct epoll_event *ev, int n,
                   const struct timespec *ts, const sigset_t *mask) {
  return syscall(SYS_epoll_pwait2, ep, ev, n, ts, mask, mask ? 8 : 0);
}

static volatile sig_atomic_t alarms;
static void on_alarm(int sig) {
  (void)sig;
  alarms++;
}

static void epoll_corners(void) {
  int ep = epoll_create1(0);
  int efd = eventfd(0, EFD_NONBLOCK);
  struct epoll_event ev = {.events = EPOLLIN | EPOLLEXCLUSIVE,
                           .data.u64 = 0xfedcba9876543210ull};
  show("add exclusive", epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev));
  show("mod exclusive", epoll_ctl(ep, EPOLL_CTL_MOD, efd, &ev));
  ev.events = EPOLLIN;
  show("mod to plain", epoll_ctl(ep, EPOLL_CTL_MOD, efd, &ev));
  ev.events = EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT;
  int efd2 = eventfd(0, EFD_NONBLOCK);
  show("exclusive with oneshot", epoll_ctl(ep, EPOLL_CTL_ADD, efd2, &ev));

  struct epoll_event out[2];
  struct timespec zero = {0, 0}, short_wait = {0, 20 * 1000 * 1000};
  show("pwait2 zero", pwait2(ep, out, 2, &zero, NULL));
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  show("pwait2 20 ms", pwait2(ep, out, 2, &short_wait, NULL));
  clock_gettime(CLOCK_MONOTONIC, &t1);
  long ms =
      (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
  printf("waited at least 20 ms: %s\n", ms >= 19 ? "yes" : "no");
  struct timespec bad = {0, 1000000000};
  show("pwait2 bad timespec", pwait2(ep, out, 2, &bad, NULL));

  uint64_t one = 1;
  if (write(efd, &one, sizeof one) != sizeof one)
    perror("write");
  long n = pwait2(ep, out, 2, NULL, NULL);
  printf("pwait2 ready %ld: %#x %#llx\n", n, n > 0 ? out[0].events : 0,
         n > 0 ? (unsigned long long)out[0].data.u64 : 0ull);
  if (read(efd, &one, sizeof one) != sizeof one)
    perror("read");

  /* SIGALRM blocked outside the wait, let through by the wait's mask. */
  struct sigaction sa = {.sa_handler = on_alarm};
  sigaction(SIGALRM, &sa, NULL);
  sigset_t block, during;
  sigemptyset(&block);
  sigaddset(&block, SIGALRM);
  sigprocmask(SIG_BLOCK, &block, NULL);
  sigemptyset(&during);
  struct itimerval it = {.it_value = {0, 10000}};
  setitimer(ITIMER_REAL, &it, NULL);
  struct timespec long_wait = {5, 0};
  show("pwait2 interrupted", pwait2(ep, out, 2, &long_wait, &during));
  printf("alarms %d\n", (int)alarms);
  sigprocmask(SIG_UNBLOCK, &block, NULL);
  close(efd2);
  close(efd);
  close(ep);
}

static void reuseport(void) {
  int a = socket(AF_INET, SOCK_STREAM, 0);
  int b = socket(AF_INET, SOCK_STREAM, 0);
  int on = 1;
  show("a reuseport", setsockopt(a, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on));
  show("b reuseport", setsockopt(b, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on));
  struct sockaddr_in sin = {.sin_family = AF_INET,
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  show("a bind", bind(a, (struct sockaddr *)&sin, sizeof sin));
  socklen_t len = sizeof sin;
  getsockname(a, (struct sockaddr *)&sin, &len);
  show("b bind same port", bind(b, (struct sockaddr *)&sin, sizeof sin));
  int c = socket(AF_INET, SOCK_STREAM, 0);
  show("c bind same port", bind(c, (struct sockaddr *)&sin, sizeof sin));
  int v = -1;
  len = sizeof v;
  getsockopt(b, SOL_SOCKET, SO_REUSEPORT, &v, &len);
  printf("reuseport value %d len %u\n", v, len);
  close(a);
  close(b);
  close(c);
}

static void v6only(void) {
  int s = socket(AF_INET6, SOCK_STREAM, 0);
  if (s < 0) {
    printf("no IPv6 sockets here: %s\n", strerrorname_np(errno));
    return;
  }
  int on = 1, v = -1;
  socklen_t len = sizeof v;
  show("v6only set", setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on));
  show("v6only get", getsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &v, &len));
  printf("v6only value %d len %u\n", v, len);
  show("v6only on v4 socket",
       setsockopt(socket(AF_INET, SOCK_DGRAM, 0), IPPROTO_IPV6, IPV6_V6ONLY,
                  &on, sizeof on));
  close(s);
}

static void sndtimeo(void) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
    return;
  int small = 4096;
  setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
  struct timeval tv = {0, 30000}, got;
  socklen_t len = sizeof got;
  show("sndtimeo set",
       setsockopt(sv[0], SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv));
  getsockopt(sv[0], SOL_SOCKET, SO_SNDTIMEO, &got, &len);
  printf("sndtimeo %ld.%06ld len %u\n", (long)got.tv_sec, (long)got.tv_usec,
         len);
  static char buf[1 << 16];
  long total = 0, r;
  /* Fill the socket: a send that would block waits 30 ms and then
   * returns what it sent, or EAGAIN when it sent nothing. */
  while ((r = send(sv[0], buf, sizeof buf, 0)) > 0)
    total += r;
  printf("filled: %s, then %s\n", total > 0 ? "yes" : "no",
         r < 0 ? strerrorname_np(errno) : "no error");
  close(sv[0]);
  close(sv[1]);
}

int main(void) {
  epoll_corners();
  reuseport();
  v6only();
  sndtimeo();
  return 0;
}
