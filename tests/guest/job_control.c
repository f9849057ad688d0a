/* Job control between processes: SIGSTOP/SIGTSTP/SIGCONT to a child,
 * waitpid with WUNTRACED/WCONTINUED, waitid with WSTOPPED/WCONTINUED,
 * a SIGCHLD handler's siginfo for each kind of change, kill to a
 * process group, and SIGTTOU/SIGTTIN for a background group on a pty
 * with TOSTOP. Only deterministic fields are printed (no pid, no time).
 *
 * The children stopped by SIGTSTP/SIGTTIN/SIGTTOU sit in a group of
 * their own whose parent is in another group of the same session, so
 * the group is not orphaned and Linux does stop them. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static void show_status(const char *what, int st) {
  if (WIFEXITED(st))
    printf("%s: exited %d\n", what, WEXITSTATUS(st));
  else if (WIFSIGNALED(st))
    printf("%s: killed by %s\n", what, sigabbrev_np(WTERMSIG(st)));
  else if (WIFSTOPPED(st))
    printf("%s: stopped by %s\n", what, sigabbrev_np(WSTOPSIG(st)));
  else if (WIFCONTINUED(st))
    printf("%s: continued\n", what);
  else
    printf("%s: status %#x\n", what, st);
}

static const char *cld_code(int code) {
  switch (code) {
  case CLD_EXITED: return "CLD_EXITED";
  case CLD_KILLED: return "CLD_KILLED";
  case CLD_DUMPED: return "CLD_DUMPED";
  case CLD_STOPPED: return "CLD_STOPPED";
  case CLD_CONTINUED: return "CLD_CONTINUED";
  }
  return "?";
}

/* A child in a group of its own that waits for signals. */
static pid_t sleeper(void) {
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    setpgid(0, 0);
    for (;;)
      pause();
  }
  setpgid(c, c);
  return c;
}

static void wait_show(pid_t c, int options, const char *what) {
  int st = 0;
  pid_t w = waitpid(c, &st, options);
  if (w != c)
    printf("%s: waitpid %d %s\n", what, w, strerrorname_np(errno));
  else
    show_status(what, st);
}

static void stop_and_continue(void) {
  pid_t c = sleeper();
  kill(c, SIGSTOP);
  wait_show(c, WUNTRACED, "after SIGSTOP");
  int st;
  printf("WNOHANG while stopped: %d\n", waitpid(c, &st, WNOHANG | WUNTRACED));
  kill(c, SIGCONT);
  wait_show(c, WCONTINUED, "after SIGCONT");
  kill(c, SIGTSTP);
  wait_show(c, WUNTRACED, "after SIGTSTP");
  kill(c, SIGCONT);
  wait_show(c, WCONTINUED, "after SIGCONT again");
  kill(c, SIGTERM);
  wait_show(c, WUNTRACED | WCONTINUED, "after SIGTERM");
}

static void show_waitid(const char *what, int r, const siginfo_t *si, pid_t c) {
  if (r < 0) {
    printf("%s: %s\n", what, strerrorname_np(errno));
    return;
  }
  printf("%s: signo %s code %s status %d (%s) pid ok %d\n", what,
         sigabbrev_np(si->si_signo), cld_code(si->si_code), si->si_status,
         si->si_code == CLD_EXITED ? "code" : sigabbrev_np(si->si_status),
         si->si_pid == c);
}

static void waitid_stops(void) {
  pid_t c = sleeper();
  siginfo_t si;
  kill(c, SIGSTOP);
  memset(&si, 0, sizeof si);
  int r = waitid(P_PID, c, &si, WSTOPPED | WNOWAIT);
  show_waitid("waitid WSTOPPED|WNOWAIT", r, &si, c);
  memset(&si, 0, sizeof si);
  r = waitid(P_PGID, c, &si, WSTOPPED);
  show_waitid("waitid P_PGID WSTOPPED", r, &si, c);
  memset(&si, 0, sizeof si);
  r = waitid(P_PID, c, &si, WSTOPPED | WNOHANG);
  printf("again, WNOHANG: %d si_pid set %d\n", r, si.si_pid != 0);
  kill(c, SIGCONT);
  memset(&si, 0, sizeof si);
  r = waitid(P_PID, c, &si, WCONTINUED);
  show_waitid("waitid WCONTINUED", r, &si, c);
  kill(c, SIGKILL);
  memset(&si, 0, sizeof si);
  r = waitid(P_ALL, 0, &si, WEXITED);
  show_waitid("waitid WEXITED", r, &si, c);
}

/* What the SIGCHLD handler saw, one entry per delivery. */
static volatile sig_atomic_t seen;
static volatile int seen_code[8], seen_status[8], seen_pid[8];

static void on_chld(int sig, siginfo_t *si, void *uc) {
  (void)sig;
  (void)uc;
  if (seen < 8) {
    seen_code[seen] = si->si_code;
    seen_status[seen] = si->si_status;
    seen_pid[seen] = si->si_pid;
    seen++;
  }
}

/* With SIGCHLD blocked, do `act` and then wait in sigsuspend for the
 * handler to run once: every change is one delivery, in order. */
static void expect_chld(const char *what, pid_t c, const sigset_t *open) {
  int before = seen;
  while (seen == before)
    sigsuspend(open);
  int i = before;
  printf("SIGCHLD after %s: %s status %d (%s) pid ok %d\n", what,
         cld_code(seen_code[i]), seen_status[i],
         seen_code[i] == CLD_EXITED ? "code" : sigabbrev_np(seen_status[i]),
         seen_pid[i] == c);
}

static void chld_handler(void) {
  struct sigaction sa, old;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_chld;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sigaction(SIGCHLD, &sa, &old);
  sigset_t block, open;
  sigemptyset(&block);
  sigaddset(&block, SIGCHLD);
  sigprocmask(SIG_BLOCK, &block, &open);
  sigdelset(&open, SIGCHLD);

  pid_t c = sleeper();
  kill(c, SIGSTOP);
  expect_chld("SIGSTOP", c, &open);
  kill(c, SIGCONT);
  expect_chld("SIGCONT", c, &open);
  kill(c, SIGTERM);
  expect_chld("SIGTERM", c, &open);
  int st;
  waitpid(c, &st, 0);
  show_status("reaped", st);

  fflush(stdout);
  c = fork();
  if (c == 0)
    _exit(5);
  expect_chld("_exit(5)", c, &open);
  waitpid(c, &st, 0);

  /* SA_NOCLDSTOP: no SIGCHLD for a stop or a continue, only the death. */
  sa.sa_flags |= SA_NOCLDSTOP;
  sigaction(SIGCHLD, &sa, NULL);
  c = sleeper();
  kill(c, SIGSTOP);
  wait_show(c, WUNTRACED, "SA_NOCLDSTOP child");
  kill(c, SIGCONT);
  wait_show(c, WCONTINUED, "SA_NOCLDSTOP child");
  sigset_t pending;
  sigpending(&pending);
  printf("SIGCHLD pending after stop and continue: %d\n",
         sigismember(&pending, SIGCHLD));
  kill(c, SIGKILL);
  expect_chld("SIGKILL", c, &open);
  waitpid(c, &st, 0);

  sigprocmask(SIG_SETMASK, &open, NULL);
  sigaction(SIGCHLD, &old, NULL);
}

/* SIGCHLD ignored, or SA_NOCLDWAIT: children are reaped as they die,
 * and wait sleeps until none is left, then fails with ECHILD. */
static void no_zombies(void) {
  struct sigaction sa, old;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = SIG_IGN;
  sigaction(SIGCHLD, &sa, &old);
  fflush(stdout);
  if (fork() == 0)
    _exit(3);
  int st;
  pid_t r = wait(&st);
  printf("SIGCHLD ignored: wait %d %s\n", r, strerrorname_np(errno));
  sa.sa_handler = SIG_DFL;
  sa.sa_flags = SA_NOCLDWAIT;
  sigaction(SIGCHLD, &sa, NULL);
  if (fork() == 0)
    _exit(4);
  r = wait(&st);
  printf("SA_NOCLDWAIT: wait %d %s\n", r, strerrorname_np(errno));
  sigaction(SIGCHLD, &old, NULL);
  if (fork() == 0)
    _exit(6);
  r = wait(&st);
  printf("default again: wait found it %d, ", r > 0);
  show_status("status", st);
}

static void group_kill(void) {
  pid_t a = sleeper();
  fflush(stdout);
  pid_t b = fork();
  if (b == 0) {
    setpgid(0, a);
    for (;;)
      pause();
  }
  setpgid(b, a);
  printf("kill(-group, 0): %d\n", kill(-a, 0));
  printf("killpg(group, SIGTERM): %d\n", killpg(a, SIGTERM));
  wait_show(a, 0, "group member a");
  wait_show(b, 0, "group member b");
  int r = kill(-a, 0);
  printf("kill(-group, 0) once empty: %d %s\n", r,
         r ? strerrorname_np(errno) : "");
  /* Signal 0 to every process we may signal sends nothing: safe. */
  printf("kill(-1, 0): %d\n", kill(-1, 0));
  r = kill(-1, 65);
  printf("kill(-1, 65): %d %s\n", r, r ? strerrorname_np(errno) : "");
}

static volatile sig_atomic_t ttou_handled;
static void on_ttou(int sig) {
  (void)sig;
  ttou_handled++;
}

static void say(int out, const char *what, long r) {
  char line[128];
  int n = snprintf(line, sizeof line, "  %s: %ld %s\n", what, r,
                   r < 0 ? strerrorname_np(errno) : "");
  if (write(out, line, (size_t)n) < 0)
    _exit(3);
}

/* In the background group: with TTOU/TTIN ignored or handled. */
static void background_checks(int tty, int out) {
  signal(SIGTTOU, SIG_IGN);
  say(out, "write, SIGTTOU ignored", write(tty, "x", 1));
  signal(SIGTTIN, SIG_IGN);
  char ch;
  say(out, "read, SIGTTIN ignored", read(tty, &ch, 1));
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_ttou;
  sigaction(SIGTTOU, &sa, NULL);
  say(out, "write, SIGTTOU handled", write(tty, "y", 1));
  say(out, "handler ran", ttou_handled);
  sigset_t block;
  sigemptyset(&block);
  sigaddset(&block, SIGTTOU);
  sigprocmask(SIG_BLOCK, &block, NULL);
  say(out, "write, SIGTTOU blocked", write(tty, "z", 1));
  sigprocmask(SIG_UNBLOCK, &block, NULL);
  signal(SIGTTOU, SIG_IGN);
  say(out, "tcsetpgrp to itself, SIGTTOU ignored", tcsetpgrp(tty, getpgrp()));
  say(out, "now in the foreground", tcgetpgrp(tty) == getpgrp());
}

static pid_t background(int tty, int out, int what) {
  pid_t g = fork();
  if (g == 0) {
    setpgid(0, 0);
    char ch;
    if (what == 0)
      _exit(write(tty, "w", 1) == 1 ? 0 : 1);
    if (what == 1)
      _exit(read(tty, &ch, 1) == 1 ? 0 : 1);
    if (what == 2)
      _exit(tcsetpgrp(tty, getpgrp()) == 0 ? 0 : 1);
    background_checks(tty, out);
    _exit(0);
  }
  setpgid(g, g);
  return g;
}

/* The session leader's side: a pty as controlling terminal, TOSTOP on,
 * and grandchildren in background groups that touch it. */
static void session_leader(int out) {
  setsid();
  int m = posix_openpt(O_RDWR | O_NOCTTY);
  if (m < 0 || grantpt(m) || unlockpt(m)) {
    say(out, "no pty", -1);
    return;
  }
  int tty = open(ptsname(m), O_RDWR | O_NOCTTY);
  say(out, "TIOCSCTTY", ioctl(tty, TIOCSCTTY, 0));
  struct termios t;
  tcgetattr(tty, &t);
  t.c_lflag |= TOSTOP;
  say(out, "TOSTOP set", tcsetattr(tty, TCSANOW, &t));
  say(out, "we are the foreground", tcgetpgrp(tty) == getpgrp());
  static const char *const names[] = {"background write", "background read",
                                      "background tcsetpgrp"};
  for (int what = 0; what < 3; what++) {
    pid_t g = background(tty, out, what);
    int st = 0;
    waitpid(g, &st, WUNTRACED);
    char line[128];
    int n = snprintf(line, sizeof line, "  %s: %s %s\n", names[what],
                     WIFSTOPPED(st) ? "stopped by" : "status",
                     WIFSTOPPED(st) ? sigabbrev_np(WSTOPSIG(st)) : "?");
    if (write(out, line, (size_t)n) < 0)
      _exit(3);
    kill(g, SIGKILL);
    waitpid(g, &st, 0);
  }
  pid_t g = background(tty, out, 3);
  int st;
  waitpid(g, &st, 0);
  say(out, "background checks exit", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

static void tty_stops(void) {
  printf("pty job control:\n");
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    session_leader(1);
    _exit(0);
  }
  int st;
  waitpid(c, &st, 0);
  show_status("session leader", st);
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  stop_and_continue();
  waitid_stops();
  chld_handler();
  no_zombies();
  group_kill();
  tty_stops();
  return 0;
}
