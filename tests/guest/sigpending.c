/* Pending signals as Linux keeps them (kernel/signal.c): a standard
 * signal raised twice while blocked is pending once and delivered once;
 * a real-time signal is queued once per sending, each with its own
 * siginfo (sigqueue's value), delivered in order. kill queues to the
 * process, raise (tgkill) to the thread: the same standard signal can be
 * pending in both and is then delivered twice. sigpending reports the
 * blocked pending ones; sigwaitinfo/sigtimedwait take them without a
 * handler; SIG_IGN discards a pending signal. Several signals unblocked
 * at once are delivered in Linux's order (lowest first, each frame on
 * top of the last, so the last one's handler runs first). */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define RT (SIGRTMIN + 1)
#define MAX_EVENTS 32

static struct { int sig, code, value; } events[MAX_EVENTS];
static volatile int n_events;

static void on_signal(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  if (n_events < MAX_EVENTS) {
    events[n_events].sig = sig;
    events[n_events].code = si->si_code;
    events[n_events].value =
        si->si_code == SI_QUEUE ? si->si_value.sival_int : 0;
    n_events++;
  }
}

static const char *name(int sig) {
  static char buf[16];
  if (sig >= SIGRTMIN && sig <= SIGRTMAX) {
    snprintf(buf, sizeof buf, "RTMIN+%d", sig - SIGRTMIN);
    return buf;
  }
  return sigabbrev_np(sig);
}

static const char *code_name(int code) {
  switch (code) {
  case SI_USER: return "SI_USER";
  case SI_TKILL: return "SI_TKILL";
  case SI_QUEUE: return "SI_QUEUE";
  default: return "other";
  }
}

static void show_events(const char *what) {
  printf("%s: %d delivered:", what, n_events);
  for (int k = 0; k < n_events; k++) {
    printf(" %s/%s", name(events[k].sig), code_name(events[k].code));
    if (events[k].code == SI_QUEUE)
      printf("/%d", events[k].value);
  }
  printf("\n");
  n_events = 0;
}

static void show_pending(const char *what) {
  sigset_t set;
  sigemptyset(&set);
  if (sigpending(&set) != 0) {
    printf("%s: sigpending failed: %s\n", what, strerrorname_np(errno));
    return;
  }
  printf("%s: pending", what);
  int any = 0;
  for (int sig = 1; sig <= SIGRTMAX; sig++)
    if (sigismember(&set, sig)) {
      printf(" %s", name(sig));
      any = 1;
    }
  printf("%s\n", any ? "" : " none");
}

static void handle(int sig) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_signal;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  sigaction(sig, &sa, NULL);
}

static void block(int how, int a, int b, int c) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, a);
  if (b)
    sigaddset(&set, b);
  if (c)
    sigaddset(&set, c);
  sigprocmask(how, &set, NULL);
}

static void queue(int sig, int value) {
  union sigval v = {.sival_int = value};
  if (sigqueue(getpid(), sig, v) != 0)
    printf("sigqueue failed: %s\n", strerrorname_np(errno));
}

static void waits(void) {
  sigset_t set;
  siginfo_t si;
  struct timespec zero = {0, 0};
  sigemptyset(&set);
  sigaddset(&set, SIGUSR2);
  sigaddset(&set, RT);
  block(SIG_BLOCK, SIGUSR2, RT, 0);
  raise(SIGUSR2);
  raise(SIGUSR2);
  queue(RT, 7);
  queue(RT, 8);
  show_pending("before sigwaitinfo");
  for (int k = 0; k < 4; k++) {
    memset(&si, 0, sizeof si);
    int sig = sigtimedwait(&set, &si, &zero);
    if (sig < 0) {
      printf("sigtimedwait: %s\n", strerrorname_np(errno));
      continue;
    }
    printf("sigtimedwait: %s si_signo %s %s", name(sig), name(si.si_signo),
           code_name(si.si_code));
    if (si.si_code == SI_QUEUE)
      printf(" value %d", si.si_value.sival_int);
    printf(" from self %d\n", si.si_pid == getpid());
  }
  raise(SIGUSR2);
  memset(&si, 0, sizeof si);
  int sig = sigwaitinfo(&set, &si);
  printf("sigwaitinfo: %s %s\n", sig > 0 ? name(sig) : "failed",
         code_name(si.si_code));
  show_pending("after the waits");
  show_events("handlers during the waits");
  block(SIG_UNBLOCK, SIGUSR2, RT, 0);
}

/* The raw system call's own checks (kernel/signal.c: rt_sigpending). */
static void raw_checks(void) {
  uint64_t set = 0;
  long r = syscall(SYS_rt_sigpending, &set, 16);
  printf("rt_sigpending size 16: %ld %s\n", r, r ? strerrorname_np(errno) : "");
  r = syscall(SYS_rt_sigpending, (void *)8, 8);
  printf("rt_sigpending bad pointer: %ld %s\n", r,
         r ? strerrorname_np(errno) : "");
  block(SIG_BLOCK, SIGUSR1, 0, 0);
  raise(SIGUSR1);
  set = ~0ull;
  r = syscall(SYS_rt_sigpending, &set, 4);
  printf("rt_sigpending size 4: %ld, low word has USR1 %d, high word kept %d\n",
         r, (int)(set >> (SIGUSR1 - 1)) & 1, (unsigned)(set >> 32) == ~0u);
  set = 0;
  r = syscall(SYS_rt_sigpending, &set, 0);
  printf("rt_sigpending size 0: %ld, set untouched %d\n", r, set == 0);
  struct timespec bad = {0, 1000000000};
  sigset_t any;
  sigemptyset(&any);
  sigaddset(&any, SIGUSR2);
  r = sigtimedwait(&any, NULL, &bad);
  printf("sigtimedwait bad timeout: %ld %s\n", r,
         r < 0 ? strerrorname_np(errno) : "");
  r = syscall(SYS_rt_sigtimedwait, &any, NULL, NULL, 4);
  printf("rt_sigtimedwait size 4: %ld %s\n", r,
         r < 0 ? strerrorname_np(errno) : "");
  /* Only a negative si_code (other than SI_TKILL) may be forged. */
  siginfo_t si;
  memset(&si, 0, sizeof si);
  si.si_code = SI_QUEUE;
  si.si_value.sival_int = 5;
  r = syscall(SYS_rt_sigqueueinfo, getpid(), 65, &si);
  printf("rt_sigqueueinfo signal 65: %ld %s\n", r,
         r < 0 ? strerrorname_np(errno) : "");
  r = syscall(SYS_rt_sigqueueinfo, getpid(), RT, (void *)8);
  printf("rt_sigqueueinfo bad pointer: %ld %s\n", r,
         r < 0 ? strerrorname_np(errno) : "");
  block(SIG_UNBLOCK, SIGUSR1, 0, 0);
  show_events("after the raw checks");
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  handle(SIGUSR1);
  handle(SIGUSR2);
  handle(RT);
  handle(SIGRTMIN);

  show_pending("at start");
  block(SIG_BLOCK, SIGUSR1, RT, 0);
  raise(SIGUSR1);
  raise(SIGUSR1);
  show_pending("USR1 raised twice");
  kill(getpid(), RT);
  raise(RT);
  queue(RT, 42);
  show_pending("RT sent three times");
  show_events("while blocked");
  block(SIG_UNBLOCK, SIGUSR1, RT, 0);
  show_events("unblocked");
  show_pending("after delivery");

  /* kill goes to the process's queue, raise to the thread's. */
  block(SIG_BLOCK, SIGUSR1, 0, 0);
  kill(getpid(), SIGUSR1);
  kill(getpid(), SIGUSR1);
  raise(SIGUSR1);
  show_pending("USR1 by kill twice and raise");
  block(SIG_UNBLOCK, SIGUSR1, 0, 0);
  show_events("unblocked");

  /* Several at once: lowest first, each frame nested in the last. */
  block(SIG_BLOCK, SIGUSR1, SIGUSR2, SIGRTMIN);
  raise(SIGRTMIN);
  raise(SIGUSR2);
  raise(SIGUSR1);
  queue(SIGRTMIN, 3);
  block(SIG_UNBLOCK, SIGUSR1, SIGUSR2, SIGRTMIN);
  show_events("three kinds unblocked at once");

  /* SIG_IGN discards a pending signal, blocked or not; so does SIG_DFL
   * for a signal whose default is to ignore (POSIX 3.3.1.3). */
  block(SIG_BLOCK, SIGUSR1, SIGCHLD, RT);
  raise(SIGUSR1);
  raise(SIGCHLD);
  queue(RT, 9);
  show_pending("USR1, CHLD and RT blocked");
  signal(SIGUSR1, SIG_IGN);
  signal(SIGCHLD, SIG_DFL);
  show_pending("after SIG_IGN and SIG_DFL");
  handle(SIGUSR1);
  block(SIG_UNBLOCK, SIGUSR1, SIGCHLD, RT);
  show_events("unblocked");

  waits();
  raw_checks();
  show_pending("at the end");
  return 0;
}
