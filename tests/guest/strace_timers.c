/* Timers and clocks as strace prints them (its -O2 build runs under
 * strace_compare.sh): setitimer/getitimer and their struct itimerval,
 * the POSIX timers (struct sigevent, the ids Linux numbers from a
 * counter, flags, struct itimerspec), clock ids by name and by number,
 * the calls the vDSO passes on to the kernel (a CPU clock's), the sleeps' "time
 * left" argument (only an address unless a signal cut the sleep short),
 * epoll_pwait2 cut short by a signal (its timeout and sigmask then shown as
 * addresses) and rt_sigtimedwait's timeout (shown even when it fails). Signals
 * arrive while blocked and are taken inside the call that unblocks them, so
 * every run makes the same calls. Only results and errno names are
 * printed. */
#define _GNU_SOURCE /* strerrorname_np */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define BAD_ADDRESS ((void *)8)

static volatile sig_atomic_t alarms;

static void on_alarm(int sig) {
  (void)sig;
  alarms++;
}

static void show(const char *what, long r) {
  if (r < 0)
    printf("%-34s -1 %s\n", what, strerrorname_np(errno));
  else
    printf("%-34s %ld\n", what, r);
}

static void itimers(void) {
  sigset_t alrm, none;
  sigemptyset(&alrm);
  sigaddset(&alrm, SIGALRM);
  sigemptyset(&none);
  sigprocmask(SIG_BLOCK, &alrm, NULL);
  struct itimerval soon = {{0, 0}, {0, 10000}}, left, zero;
  memset(&zero, 0, sizeof zero);
  show("setitimer REAL 10ms", setitimer(ITIMER_REAL, &soon, NULL));
  /* The SIGALRM is pending or comes while waiting: taken in sigsuspend. */
  show("sigsuspend", sigsuspend(&none));
  show("getitimer REAL (expired)", getitimer(ITIMER_REAL, &left));
  printf("left %ld.%06ld\n", (long)left.it_value.tv_sec,
         (long)left.it_value.tv_usec);
  show("setitimer VIRTUAL 0, old", setitimer(ITIMER_VIRTUAL, &zero, &left));
  show("setitimer PROF 0, old", setitimer(ITIMER_PROF, &zero, &left));
  show("getitimer PROF", getitimer(ITIMER_PROF, &left));
  show("setitimer 5", syscall(SYS_setitimer, 5, &zero, NULL));
  show("getitimer bad address", syscall(SYS_getitimer, 0, BAD_ADDRESS));
  show("setitimer bad new", syscall(SYS_setitimer, 0, BAD_ADDRESS, NULL));
  show("setitimer bad old", syscall(SYS_setitimer, 0, &zero, BAD_ADDRESS));
  struct itimerval later = {{1, 500000}, {100, 0}};
  show("setitimer REAL 100s", setitimer(ITIMER_REAL, &later, NULL));
  show("setitimer REAL off", setitimer(ITIMER_REAL, &zero, NULL));
  struct itimerval bad = {{0, 0}, {0, 2000000}};
  show("setitimer usec 2000000", syscall(SYS_setitimer, 0, &bad, NULL));
  printf("alarms %d\n", alarms);
}

static void posix_timers(void) {
  timer_t t;
  struct sigevent sev;
  memset(&sev, 0, sizeof sev);
  sev.sigev_notify = SIGEV_SIGNAL;
  sev.sigev_signo = SIGUSR1;
  sev.sigev_value.sival_int = 42;
  show("timer_create MONOTONIC", timer_create(CLOCK_MONOTONIC, &sev, &t));
  printf("id %ld\n", (long)(intptr_t)t);
  struct itimerspec later = {{0, 0}, {100, 0}}, old, zero;
  memset(&zero, 0, sizeof zero);
  /* One expiry, taken by sigwaitinfo: siginfo's SI_TIMER form. */
  sigset_t usr1;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  sigprocmask(SIG_BLOCK, &usr1, NULL);
  struct itimerspec ms = {{0, 0}, {0, 1000000}};
  show("timer_settime 1ms", timer_settime(t, 0, &ms, NULL));
  siginfo_t si;
  show("sigwaitinfo USR1", sigwaitinfo(&usr1, &si));
  printf("si_code SI_TIMER %d, si_value %d\n", si.si_code == SI_TIMER,
         si.si_value.sival_int);
  show("timer_settime 100s, old", timer_settime(t, 0, &later, &old));
  show("timer_settime ABSTIME 0", timer_settime(t, TIMER_ABSTIME, &zero, NULL));
  show("timer_gettime (disarmed)", timer_gettime(t, &old));
  show("timer_settime flags 2", syscall(SYS_timer_settime, t, 2, &zero, NULL));
  show("timer_getoverrun", timer_getoverrun(t));
  show("timer_delete", timer_delete(t));
  /* Ids are not reused at once: the next ones are 1, 2 and 3. */
  show("timer_create REALTIME NULL", timer_create(CLOCK_REALTIME, NULL, &t));
  printf("id %ld\n", (long)(intptr_t)t);
  show("timer_delete", timer_delete(t));
  sev.sigev_notify = SIGEV_NONE;
  show("timer_create BOOTTIME NONE", timer_create(CLOCK_BOOTTIME, &sev, &t));
  printf("id %ld\n", (long)(intptr_t)t);
  show("timer_delete", timer_delete(t));
  sev.sigev_notify = SIGEV_THREAD_ID;
  sev.sigev_value.sival_ptr = NULL;
  sev._sigev_un._tid = gettid();
  show("timer_create THREAD_ID",
       syscall(SYS_timer_create, CLOCK_PROCESS_CPUTIME_ID, &sev, &t));
  show("timer_delete", syscall(SYS_timer_delete, t));
  show("timer_delete 1234", syscall(SYS_timer_delete, 1234));
  show("timer_create clock 99", syscall(SYS_timer_create, 99, NULL, &t));
  show("timer_create bad sigevent",
       syscall(SYS_timer_create, CLOCK_MONOTONIC, BAD_ADDRESS, &t));
}

static void clocks_and_sleeps(void) {
  struct timespec ts, rem;
  /* The vDSO answers for MONOTONIC; a CPU clock is the kernel's. */
  show("clock_getres MONOTONIC (vDSO)", clock_getres(CLOCK_MONOTONIC, &ts));
  show("clock_getres PROCESS_CPUTIME",
       clock_getres(CLOCK_PROCESS_CPUTIME_ID, &ts));
  show("clock_getres 99", syscall(SYS_clock_getres, 99, &ts));
  show("clock_getres MONOTONIC NULL",
       syscall(SYS_clock_getres, CLOCK_MONOTONIC, NULL));
  show("clock_gettime 99", syscall(SYS_clock_gettime, 99, &ts));
  show("clock_gettime bad address",
       syscall(SYS_clock_gettime, CLOCK_MONOTONIC, BAD_ADDRESS));
  show("clock_gettime -1", syscall(SYS_clock_gettime, -1, &ts));
  struct timespec zero = {0, 0};
  show("clock_settime MONOTONIC",
       syscall(SYS_clock_settime, CLOCK_MONOTONIC, &zero));
  show("clock_settime bad address",
       syscall(SYS_clock_settime, CLOCK_REALTIME, BAD_ADDRESS));
  /* What is left is written only when a signal cuts the sleep short: a
   * finished sleep shows its address. */
  struct timespec us = {0, 1000};
  show("clock_nanosleep rel, rem",
       clock_nanosleep(CLOCK_MONOTONIC, 0, &us, &rem));
  show("clock_nanosleep abs 0, rem",
       clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &zero, &rem));
  show("clock_nanosleep flags 2",
       syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 2, &us, NULL));
  show("clock_nanosleep bad request",
       syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, BAD_ADDRESS, NULL));
  struct timespec bad = {0, 2000000000};
  show("nanosleep nsec 2e9", syscall(SYS_nanosleep, &bad, &rem));
  show("nanosleep, rem", nanosleep(&us, &rem));
}

static void waits_cut_short(void) {
  int ep = epoll_create1(EPOLL_CLOEXEC);
  int p[2];
  if (ep < 0 || pipe(p) < 0)
    return;
  struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 1}, out[2];
  epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
  sigset_t alrm, none;
  sigemptyset(&alrm);
  sigaddset(&alrm, SIGALRM);
  sigemptyset(&none);
  sigprocmask(SIG_BLOCK, &alrm, NULL);
  struct itimerval soon = {{0, 0}, {0, 10000}};
  struct timespec five = {5, 0}, us = {0, 1000};
  /* SIGALRM is blocked until the call sets the empty mask: the call is
   * cut short (EINTR), and strace shows what follows the events, read
   * when the call returns, as addresses. */
  setitimer(ITIMER_REAL, &soon, NULL);
  show("epoll_pwait2 5s, SIGALRM",
       syscall(SYS_epoll_pwait2, ep, out, 2, &five, &none, 8));
  setitimer(ITIMER_REAL, &soon, NULL);
  show("epoll_pwait 5000, SIGALRM",
       syscall(SYS_epoll_pwait, ep, out, 2, 5000, &none, 8));
  show("epoll_pwait2 sigsetsize 4",
       syscall(SYS_epoll_pwait2, ep, out, 2, &five, &none, 4));
  show("epoll_pwait2 1us",
       syscall(SYS_epoll_pwait2, ep, out, 2, &us, &none, 8));
  show("epoll_pwait2 bad timeout",
       syscall(SYS_epoll_pwait2, ep, out, 2, BAD_ADDRESS, NULL, 8));
  /* rt_sigtimedwait's timeout is shown even when the call fails. */
  sigset_t usr1;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  sigprocmask(SIG_BLOCK, &usr1, NULL);
  siginfo_t si;
  show("sigtimedwait 1us", sigtimedwait(&usr1, &si, &us));
  show("rt_sigtimedwait bad timeout",
       syscall(SYS_rt_sigtimedwait, &usr1, NULL, BAD_ADDRESS, 8));
  sigprocmask(SIG_UNBLOCK, &alrm, NULL);
  printf("alarms %d\n", alarms);
  close(p[0]);
  close(p[1]);
  close(ep);
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sigaction(SIGALRM, &sa, NULL);
  itimers();
  posix_timers();
  clocks_and_sleeps();
  waits_cut_short();
  return 0;
}
