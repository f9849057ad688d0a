/* A signal sent from outside (tests/scripts/signal_outside.sh kills the
 * program with SIGINT or SIGTERM once it says it is ready on the FIFO
 * argv[1]): to a guest spinning in a loop, to one blocked in a pipe
 * read, to one with SIGINT at its default action, and to one that
 * blocks SIGTERM and takes it with sigwaitinfo. Run without arguments
 * (as guest.* does) it only says so. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t got, code, from_parent;

static void on_signal(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  got = sig;
  code = si->si_code;
  from_parent = si->si_pid == getppid();
}

static void on_alarm(int sig) { (void)sig; }

static void ready(const char *fifo) {
  int fd = open(fifo, O_WRONLY);
  write(fd, "ready\n", 6);
  close(fd);
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  if (argc < 3) {
    printf("usage: signal_outside FIFO spin|block|default|blocked\n");
    return 0;
  }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_signal;
  sa.sa_flags = SA_SIGINFO;
  const char *mode = argv[2];
  if (!strcmp(mode, "spin")) {
    sigaction(SIGINT, &sa, NULL);
    ready(argv[1]);
    volatile unsigned long n = 0;
    while (!got)
      n++;
  } else if (!strcmp(mode, "block")) {
    int fd[2];
    char c;
    pipe(fd);
    sigaction(SIGINT, &sa, NULL);
    /* Should the signal come before the read starts, the alarm ends the
     * read instead, with the same output. */
    struct sigaction wake;
    memset(&wake, 0, sizeof wake);
    wake.sa_handler = on_alarm;
    sigaction(SIGALRM, &wake, NULL);
    alarm(20);
    ready(argv[1]);
    ssize_t r = read(fd[0], &c, 1);
    printf("read = %zd (%s)\n", r, r < 0 ? strerror(errno) : "data");
  } else if (!strcmp(mode, "default")) {
    ready(argv[1]);
    for (;;)
      ;
  } else if (!strcmp(mode, "blocked")) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigprocmask(SIG_BLOCK, &set, NULL);
    ready(argv[1]);
    siginfo_t si;
    int sig = sigwaitinfo(&set, &si);
    got = sig;
    code = si.si_code;
    from_parent = si.si_pid == getppid();
  }
  printf("got %s, si_code %s, sent by the parent: %d\n",
         got == SIGINT    ? "SIGINT"
         : got == SIGTERM ? "SIGTERM"
                          : "?",
         code == SI_USER ? "SI_USER" : "other", from_parent);
  return 0;
}
