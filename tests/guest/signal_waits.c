/* Waits under a temporary signal mask: a signal blocked and pending is
 * delivered as soon as ppoll, pselect6 or sigsuspend unblocks it, the
 * call fails with EINTR and the old mask comes back after the handler.
 * A pending signal that is ignored does not interrupt: the wait starts
 * again and times out. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile int handled;
static void on_usr1(int sig) {
  sigset_t now;
  sigprocmask(SIG_BLOCK, NULL, &now);
  handled = sig;
  printf("  handler: USR1 blocked %d, USR2 blocked %d\n",
         sigismember(&now, SIGUSR1), sigismember(&now, SIGUSR2));
}

static void report(const char *what, long r) {
  sigset_t now;
  sigprocmask(SIG_BLOCK, NULL, &now);
  printf("%s: %ld %s handled %d, USR1 blocked after %d\n", what, r,
         r < 0 ? strerrorname_np(errno) : "-", handled,
         sigismember(&now, SIGUSR1));
  handled = 0;
}

int main(void) {
  signal(SIGUSR1, on_usr1);
  signal(SIGUSR2, SIG_IGN);
  sigset_t block, empty, only_usr2;
  sigemptyset(&block);
  sigaddset(&block, SIGUSR1);
  sigaddset(&block, SIGUSR2);
  sigemptyset(&empty);
  sigemptyset(&only_usr2);
  sigaddset(&only_usr2, SIGUSR2);
  sigprocmask(SIG_BLOCK, &block, NULL);
  int p[2];
  if (pipe(p))
    return 1;
  struct pollfd f = {p[0], POLLIN, 0};
  struct timespec ts = {0, 1000000};

  raise(SIGUSR1);
  report("ppoll", syscall(SYS_ppoll, &f, 1, &ts, &only_usr2, 8));

  raise(SIGUSR1);
  fd_set r;
  FD_ZERO(&r);
  FD_SET(p[0], &r);
  ts = (struct timespec){0, 1000000};
  struct {
    const sigset_t *set;
    size_t size;
  } m = {&empty, 8};
  report("pselect6", syscall(SYS_pselect6, p[0] + 1, &r, NULL, NULL, &ts, &m));

  raise(SIGUSR1);
  report("sigsuspend", sigsuspend(&only_usr2));

  /* USR2 is ignored: pending while blocked, discarded when unblocked;
   * the ppoll is restarted and times out. (A zero timeout: Linux gives a
   * restarted ppoll what was left of it, a few microseconds less, which
   * no two runs would print alike under strace.) */
  raise(SIGUSR2);
  ts = (struct timespec){0, 0};
  report("ppoll, ignored signal", syscall(SYS_ppoll, &f, 1, &ts, &empty, 8));
  return 0;
}
