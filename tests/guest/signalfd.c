/* signalfd fed by the kernel's own signal queues: signals from kill,
 * sigqueue (with its value), tgkill, a timer and a child's exit are
 * read as struct signalfd_siginfo; poll and epoll see the descriptor
 * ready while one is pending; the mask can be changed; real-time
 * signals queue, standard ones do not; a blocking read waits; write is
 * EINVAL, and so are bad flags, sizes and descriptors. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static void show(const char *what, long r) {
  printf("%s: %ld%s%s\n", what, r, r < 0 ? " " : "",
         r < 0 ? strerrorname_np(errno) : "");
}

static void read_one(int fd, const char *what) {
  struct signalfd_siginfo si[4];
  memset(si, 0, sizeof si);
  ssize_t n = read(fd, si, sizeof si);
  if (n < 0) {
    show(what, n);
    return;
  }
  printf("%s: %zd bytes\n", what, n);
  for (int k = 0; k < n / (int)sizeof si[0]; k++)
    printf("  signo %u code %d pid mine %d int %d status %d\n", si[k].ssi_signo,
           si[k].ssi_code, si[k].ssi_pid == (unsigned)getpid(), si[k].ssi_int,
           si[k].ssi_status);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  sigset_t m;
  sigemptyset(&m);
  sigaddset(&m, SIGUSR1);
  sigaddset(&m, SIGUSR2);
  sigaddset(&m, SIGALRM);
  sigaddset(&m, SIGCHLD);
  sigaddset(&m, SIGRTMIN);
  sigprocmask(SIG_BLOCK, &m, NULL);
  sigset_t want;
  sigemptyset(&want);
  sigaddset(&want, SIGUSR1);
  sigaddset(&want, SIGUSR2);
  int fd = signalfd(-1, &want, SFD_CLOEXEC | SFD_NONBLOCK);
  printf("signalfd: %d, cloexec %d\n", fd, fcntl(fd, F_GETFD));
  read_one(fd, "nothing pending");
  struct pollfd pfd = {fd, POLLIN, 0};
  show("poll before", poll(&pfd, 1, 0));
  kill(getpid(), SIGUSR1);
  show("poll after kill", poll(&pfd, 1, 0));
  read_one(fd, "kill");
  show("poll after read", poll(&pfd, 1, 0));
  sigqueue(getpid(), SIGUSR2, (union sigval){.sival_int = 42});
  kill(getpid(), SIGUSR1);
  kill(getpid(), SIGUSR1); /* a standard signal is pending once */
  read_one(fd, "sigqueue and kill");
  raise(SIGUSR2);
  read_one(fd, "raise");

  int ep = epoll_create1(0);
  struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 99};
  epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
  struct epoll_event out;
  show("epoll idle", epoll_wait(ep, &out, 1, 0));
  kill(getpid(), SIGUSR2);
  show("epoll ready", epoll_wait(ep, &out, 1, 0));
  read_one(fd, "after epoll");
  close(ep);

  /* A new mask: real-time signals queue once per sending. */
  sigset_t rt;
  sigemptyset(&rt);
  sigaddset(&rt, SIGRTMIN);
  sigaddset(&rt, SIGALRM);
  sigaddset(&rt, SIGCHLD);
  show("change mask", signalfd(fd, &rt, 0));
  kill(getpid(), SIGUSR1);
  sigqueue(getpid(), SIGRTMIN, (union sigval){.sival_int = 1});
  sigqueue(getpid(), SIGRTMIN, (union sigval){.sival_int = 2});
  read_one(fd, "rt twice, usr1 not in mask");
  sigset_t pending;
  sigpending(&pending);
  printf("usr1 still pending %d\n", sigismember(&pending, SIGUSR1));

  /* A blocking read waits for the timer's SIGALRM, then the child's
   * SIGCHLD. */
  fcntl(fd, F_SETFL, 0);
  struct itimerval it = {{0, 0}, {0, 20000}};
  setitimer(ITIMER_REAL, &it, NULL);
  read_one(fd, "blocking read, alarm");
  pid_t child = fork();
  if (child == 0)
    _exit(7);
  read_one(fd, "blocking read, child");
  waitpid(child, NULL, 0);

  char c[8];
  show("small buffer", read(fd, c, sizeof c));
  show("write", write(fd, "12345678", 8));
  show("bad flags", signalfd(-1, &want, 0x1234));
  show("bad size", syscall(SYS_signalfd4, -1, &want, 4, 0));
  int p[2];
  if (pipe(p) < 0)
    return 1;
  show("not a signalfd", signalfd(p[0], &want, 0));
  show("bad fd", signalfd(77, &want, 0));
  int d = dup(fd);
  kill(getpid(), SIGALRM);
  close(fd);
  read_one(d, "through a dup");
  return 0;
}
