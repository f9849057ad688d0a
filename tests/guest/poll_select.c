/* The waits: poll, ppoll, select and pselect6 on a pipe, ready and timing
 * out, with the timeout written back by the kernel (the time left, 0
 * after a timeout); arch_prctl(ARCH_GET_FS); a handler returning through
 * rt_sigreturn. Its --strace is compared with strace's too, so the
 * timeouts are ones whose "left" is the same in every run: zero waits
 * that find a descriptor ready, and short ones that run out. */
#define _GNU_SOURCE
#include <asm/prctl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile sig_atomic_t got;
static void on_usr1(int sig) { got = sig; }

int main(void) {
  int p[2];
  if (pipe(p))
    return 1;
  struct pollfd f[3] = {
      {p[0], POLLIN, 0}, {p[1], POLLOUT | POLLIN, 0}, {-1, POLLIN, 0}};
  printf("poll empty pipe: %d\n", poll(f, 1, 1));
  if (write(p[1], "x", 1) != 1)
    return 1;
  int n = poll(f, 3, 0);
  printf("poll: %d revents %#x %#x %#x\n", n, f[0].revents, f[1].revents,
         f[2].revents);
  struct timespec ts = {0, 0};
  n = (int)syscall(SYS_ppoll, f, 2, &ts, NULL, 8);
  printf("ppoll: %d left %ld.%09ld\n", n, (long)ts.tv_sec, ts.tv_nsec);
  char c;
  if (read(p[0], &c, 1) != 1)
    return 1;
  ts = (struct timespec){0, 2000000};
  n = (int)syscall(SYS_ppoll, f, 1, &ts, NULL, 8);
  printf("ppoll timeout: %d left %ld.%09ld\n", n, (long)ts.tv_sec, ts.tv_nsec);
  fd_set r;
  FD_ZERO(&r);
  FD_SET(p[0], &r);
  struct timeval tv = {0, 1000};
  n = select(p[0] + 1, &r, NULL, NULL, &tv);
  printf("select timeout: %d left %ld.%06ld in %d\n", n, (long)tv.tv_sec,
         (long)tv.tv_usec, FD_ISSET(p[0], &r));
  fd_set w;
  FD_ZERO(&w);
  FD_SET(p[1], &w);
  tv = (struct timeval){0, 0};
  n = select(p[1] + 1, NULL, &w, NULL, &tv);
  printf("select ready: %d out %d\n", n, FD_ISSET(p[1], &w));
  ts = (struct timespec){0, 0};
  FD_ZERO(&w);
  FD_SET(p[1], &w);
  n = (int)syscall(SYS_pselect6, p[1] + 1, NULL, &w, NULL, &ts, NULL);
  printf("pselect6 ready: %d left %ld.%09ld\n", n, (long)ts.tv_sec, ts.tv_nsec);
  unsigned long fs = 0;
  long rc = syscall(SYS_arch_prctl, ARCH_GET_FS, &fs);
  printf("arch_prctl(ARCH_GET_FS): %ld, base %s\n", rc, fs ? "set" : "0");
  signal(SIGUSR1, on_usr1);
  raise(SIGUSR1);
  printf("handler ran: %d\n", got == SIGUSR1);
  return 0;
}
