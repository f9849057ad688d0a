/* Asynchronous signals from timers: alarm + pause, a SIGALRM handler
 * with and without SA_RESTART over a blocking pipe read, nanosleep cut
 * short (what is left is > 0), a guest spinning in a loop stopped by
 * SIGALRM, setitimer ITIMER_REAL/VIRTUAL/PROF, and POSIX timers. Nothing
 * printed depends on timing. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t got, last_code, last_timerid, last_value;

static void on_signal(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  got = sig;
  last_code = si->si_code;
  if (si->si_code == SI_TIMER) {
    last_timerid = si->si_timerid;
    last_value = si->si_value.sival_int;
  }
}

static void handle(int sig, int flags) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_signal;
  sa.sa_flags = SA_SIGINFO | flags;
  sigaction(sig, &sa, NULL);
}

static const char *code_name(int code) {
  switch (code) {
  case SI_USER: return "SI_USER";
  case SI_KERNEL: return "SI_KERNEL";
  case SI_TIMER: return "SI_TIMER";
  case SI_QUEUE: return "SI_QUEUE";
  default: return "other";
  }
}

static void test_alarm_pause(void) {
  handle(SIGALRM, 0);
  got = 0;
  printf("alarm(1) = %u\n", alarm(1));
  int r = pause();
  printf("pause = %d %s, got %d %s\n", r, strerror(errno), got,
         code_name(last_code));
  printf("alarm(0) after = %u\n", alarm(0));
  alarm(100);
  unsigned left = alarm(0);
  printf("alarm(100) then alarm(0): %s\n",
         left >= 99 && left <= 100 ? "about 100" : "wrong");
}

/* A blocking pipe read and a periodic SIGALRM: without SA_RESTART the
 * read fails with EINTR at the first signal; with it, the read goes on
 * after each one, until the third handler writes the byte it reads. */
static int pipe_fd[2];
static volatile sig_atomic_t alarms;

static void on_alarm_write(int sig) {
  (void)sig;
  if (++alarms == 3)
    write(pipe_fd[1], "x", 1);
}

static void test_pipe_read(int flags) {
  char c;
  pipe(pipe_fd);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm_write;
  sa.sa_flags = flags;
  sigaction(SIGALRM, &sa, NULL);
  alarms = 0;
  struct itimerval v = {{0, 50000}, {0, 50000}};
  setitimer(ITIMER_REAL, &v, NULL);
  ssize_t r = read(pipe_fd[0], &c, 1);
  int e = errno;
  memset(&v, 0, sizeof v);
  setitimer(ITIMER_REAL, &v, NULL);
  printf("read %s SA_RESTART = %zd %s, after %d signals\n",
         flags ? "with" : "without", r, r < 0 ? strerror(e) : "(the byte)",
         (int)alarms);
  close(pipe_fd[0]);
  close(pipe_fd[1]);
}

static void test_nanosleep(void) {
  handle(SIGALRM, 0);
  got = 0;
  struct itimerval v = {{0, 0}, {0, 100000}};
  setitimer(ITIMER_REAL, &v, NULL);
  struct timespec req = {5, 0}, rem = {0, 0};
  int r = nanosleep(&req, &rem);
  printf("nanosleep = %d %s, got %d, rem > 0: %d, rem < 5s: %d\n", r,
         strerror(errno), got, rem.tv_sec > 0 || rem.tv_nsec > 0,
         rem.tv_sec < 5);
}

static void test_spin(int which, int sig) {
  handle(sig, 0);
  got = 0;
  struct itimerval v = {{0, 0}, {0, 50000}};
  setitimer(which, &v, NULL);
  volatile unsigned long n = 0;
  while (!got)
    n++;
  printf("spin until signal %d (%s): got it\n", sig, code_name(last_code));
  struct itimerval g;
  getitimer(which, &g);
  printf("  disarmed after: %d\n", !g.it_value.tv_sec && !g.it_value.tv_usec);
}

static void test_interval(void) {
  handle(SIGALRM, SA_RESTART);
  struct itimerval v = {{0, 20000}, {0, 20000}};
  setitimer(ITIMER_REAL, &v, NULL);
  int n = 0;
  while (n < 3) {
    got = 0;
    while (!got)
      ;
    n++;
  }
  struct itimerval g;
  getitimer(ITIMER_REAL, &g);
  printf("interval timer fired %d times, interval kept: %ld us\n", n,
         (long)g.it_interval.tv_usec);
  memset(&v, 0, sizeof v);
  setitimer(ITIMER_REAL, &v, NULL);
  int r = setitimer(5, &v, NULL);
  printf("setitimer(5) = %d %s\n", r, strerror(errno));
}

static void test_posix_timer(void) {
  handle(SIGRTMIN + 1, 0);
  timer_t t, t2;
  struct sigevent ev;
  memset(&ev, 0, sizeof ev);
  ev.sigev_notify = SIGEV_SIGNAL;
  ev.sigev_signo = SIGRTMIN + 1;
  ev.sigev_value.sival_int = 4242;
  printf("timer_create = %d\n", timer_create(CLOCK_MONOTONIC, &ev, &t));
  printf("timer id %ld\n", (long)(intptr_t)t);
  struct itimerspec its = {{0, 0}, {0, 30000000}};
  got = 0;
  printf("timer_settime = %d\n", timer_settime(t, 0, &its, NULL));
  while (!got)
    ;
  printf("timer signal %s, timerid matches %d, value %d\n",
         code_name(last_code), last_timerid == (int)(intptr_t)t,
         (int)last_value);
  /* A blocked periodic timer overruns. */
  sigset_t set, old;
  sigemptyset(&set);
  sigaddset(&set, SIGRTMIN + 1);
  sigprocmask(SIG_BLOCK, &set, &old);
  its = (struct itimerspec){{0, 1000000}, {0, 1000000}};
  timer_settime(t, 0, &its, NULL);
  struct timespec s = {0, 50000000};
  while (nanosleep(&s, &s) < 0)
    ;
  siginfo_t si;
  int sig = sigwaitinfo(&set, &si);
  printf("sigwaitinfo = %s, overrun > 0: %d, getoverrun >= 0: %d\n",
         sig == SIGRTMIN + 1 ? "SIGRTMIN+1" : "?", si.si_overrun > 0,
         timer_getoverrun(t) >= 0);
  sigprocmask(SIG_SETMASK, &old, NULL);
  struct itimerspec cur;
  timer_gettime(t, &cur);
  printf("gettime interval %ld ns\n", cur.it_interval.tv_nsec);
  /* SIGEV_NONE: never signals, but counts down. */
  ev.sigev_notify = SIGEV_NONE;
  printf("timer_create NONE = %d\n", timer_create(CLOCK_REALTIME, &ev, &t2));
  its = (struct itimerspec){{0, 0}, {100, 0}};
  timer_settime(t2, 0, &its, NULL);
  timer_gettime(t2, &cur);
  printf("NONE armed: %d\n", cur.it_value.tv_sec > 90);
  printf("timer_delete = %d %d\n", timer_delete(t), timer_delete(t2));
  printf("timer_delete again = %d %s\n", timer_delete(t), strerror(errno));
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  test_alarm_pause();
  test_pipe_read(0);
  test_pipe_read(SA_RESTART);
  test_nanosleep();
  test_spin(ITIMER_REAL, SIGALRM);
  test_spin(ITIMER_VIRTUAL, SIGVTALRM);
  test_spin(ITIMER_PROF, SIGPROF);
  test_interval();
  test_posix_timer();
  signal(SIGALRM, SIG_DFL);
  alarm(1);
  for (;;)
    ; /* SIGALRM's default action ends the spinning guest */
}
