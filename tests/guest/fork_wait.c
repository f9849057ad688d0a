/* Processes: fork, vfork, clone and clone3, pipes between parent and
 * child, wait4/waitid status words, MAP_SHARED memory that stays shared
 * (anonymous and file-backed) while private memory is copied, vfork's
 * shared memory (posix_spawn reports a failed exec through it), exec in
 * a child, and a shell pipeline. Everything printed is compared with a
 * native run; no pid is printed. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void show_status(const char *what, int st) {
  if (WIFEXITED(st))
    printf("%s: exited %d\n", what, WEXITSTATUS(st));
  else if (WIFSIGNALED(st))
    printf("%s: killed by %s core %d\n", what, sigabbrev_np(WTERMSIG(st)),
           WCOREDUMP(st) ? 1 : 0);
  else if (WIFSTOPPED(st))
    printf("%s: stopped by %s\n", what, sigabbrev_np(WSTOPSIG(st)));
  else
    printf("%s: status %#x\n", what, st);
}

static void pipe_and_memory(void) {
  int fds[2];
  if (pipe(fds))
    return;
  int *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  /* A page never touched before the fork is shared all the same. */
  int *untouched = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
                        MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  int fd = memfd_create("emu-fork-test", MFD_CLOEXEC);
  if (fd < 0 || ftruncate(fd, 4096))
    return;
  char *file = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  int *private = malloc(sizeof *private);
  *shared = 1;
  *private = 1;
  strcpy(file, "parent");
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    close(fds[0]);
    *private = 2;
    *shared = 42;
    untouched[1024] = 7;
    strcpy(file, "child wrote this");
    const char msg[] = "hello through the pipe\n";
    if (write(fds[1], msg, sizeof msg - 1) < 0)
      _exit(1);
    _exit(7);
  }
  close(fds[1]);
  char buf[64];
  ssize_t n = read(fds[0], buf, sizeof buf);
  printf("read %zd: %.*s", n, (int)(n > 0 ? n : 0), buf);
  n = read(fds[0], buf, sizeof buf);
  printf("then read %zd (end of file)\n", n);
  int st;
  pid_t w = waitpid(c, &st, 0);
  printf("waitpid returned the child: %d\n", w == c);
  show_status("child", st);
  printf("private %d, shared %d, untouched %d, file \"%s\"\n", *private,
         *shared, untouched[1024], file);
  char back[32] = "";
  if (pread(fd, back, sizeof back - 1, 0) < 0)
    return;
  printf("the file itself: \"%s\"\n", back);
  close(fd);
  close(fds[0]);
}

/* A crash dumps no core, natively or not, whatever the host's
 * core_pattern: the status's core flag is then 0 in both runs. */
static void no_core(void) {
  struct rlimit none = {0, 0};
  setrlimit(RLIMIT_CORE, &none);
  prctl(PR_SET_DUMPABLE, 0);
}

static void deaths(void) {
  int st;
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    no_core();
    volatile int *volatile null = NULL;
    *null = 1;
    _exit(0);
  }
  waitpid(c, &st, 0);
  show_status("null store", st);
  c = fork();
  if (c == 0) {
    raise(SIGTERM);
    _exit(0);
  }
  waitpid(c, &st, 0);
  show_status("raise(SIGTERM)", st);
  c = fork();
  if (c == 0) {
    no_core();
    abort();
  }
  struct rusage ru;
w4:
  if (wait4(c, &st, 0, &ru) < 0 && errno == EINTR)
    goto w4;
  show_status("abort", st);
  printf("no children left: %d\n", wait(NULL) < 0 && errno == ECHILD);
}

static void waitid_forms(void) {
  fflush(stdout);
  pid_t c = fork();
  if (c == 0)
    _exit(5);
  siginfo_t si;
  memset(&si, 0, sizeof si);
  int r = waitid(P_PID, (id_t)c, &si, WEXITED | WNOWAIT);
  printf("waitid WNOWAIT: %d, pid ok %d, code %d status %d\n", r,
         si.si_pid == c, si.si_code, si.si_status);
  memset(&si, 0, sizeof si);
  r = waitid(P_ALL, 0, &si, WEXITED);
  printf("waitid P_ALL: %d, signo %s code %d status %d\n", r,
         sigabbrev_np(si.si_signo), si.si_code, si.si_status);
  memset(&si, 0, sizeof si);
  r = waitid(P_ALL, 0, &si, WEXITED | WNOHANG);
  printf("waitid with none: %d errno %s\n", r, strerrorname_np(errno));
  int fds[2];
  if (pipe(fds))
    return;
  c = fork();
  if (c == 0) {
    char b;
    if (read(fds[0], &b, 1) < 0)
      _exit(1);
    _exit(6);
  }
  memset(&si, 0, sizeof si);
  r = waitid(P_PID, (id_t)c, &si, WEXITED | WNOHANG);
  printf("waitid WNOHANG on a running child: %d, pid %d\n", r, si.si_pid);
  if (write(fds[1], "x", 1) < 0)
    return;
  r = waitid(P_PGID, 0, &si, WEXITED);
  printf("waitid P_PGID: %d, status %d\n", r, si.si_status);
  close(fds[0]);
  close(fds[1]);
}

static void vfork_and_spawn(void) {
  volatile int v = 0;
  fflush(stdout);
  pid_t c = vfork();
  if (c == 0) {
    v = 5; /* the parent's memory: it sees this */
    _exit(3);
  }
  int st;
  waitpid(c, &st, 0);
  printf("vfork: the parent sees %d\n", v);
  show_status("vfork child", st);
  char *argv[] = {"/bin/echo", "spawned", NULL};
  pid_t sp;
  int e = posix_spawn(&sp, "/bin/echo", NULL, NULL, argv, environ);
  waitpid(sp, &st, 0);
  printf("posix_spawn: %d\n", e);
  show_status("echo", st);
  char *bad[] = {"/nonexistent/program", NULL};
  e = posix_spawn(&sp, bad[0], NULL, NULL, bad, environ);
  printf("posix_spawn of a missing file: %s\n", strerrorname_np(e));
  if (e == 0) {
    waitpid(sp, &st, 0);
    show_status("missing", st);
  }
}

static void clone_forms(void) {
  fflush(stdout);
  int pidfd = -1;
  struct clone_args ca = {
      .flags = CLONE_PIDFD, .pidfd = (uintptr_t)&pidfd, .exit_signal = SIGCHLD};
  long r = syscall(SYS_clone3, &ca, sizeof ca);
  if (r == 0)
    _exit(9);
  siginfo_t si;
  memset(&si, 0, sizeof si);
  int w = waitid(P_PIDFD, (id_t)pidfd, &si, WEXITED);
  printf("clone3 pidfd %d: waitid %d status %d\n", pidfd >= 0, w, si.si_status);
  close(pidfd);
  /* An exit signal other than SIGCHLD: only __WALL/__WCLONE wait for it.
   * Its arrival would kill us: it stays blocked. */
  sigset_t usr1;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  sigprocmask(SIG_BLOCK, &usr1, NULL);
  int ptid = 0;
  r = syscall(SYS_clone, CLONE_PARENT_SETTID | SIGUSR1, 0, &ptid, 0, 0);
  if (r == 0)
    _exit(4);
  int st;
  printf("plain wait sees it: %d\n", waitpid((pid_t)r, &st, WNOHANG) >= 0);
  pid_t got = waitpid((pid_t)r, &st, __WALL);
  printf("__WALL: %d, parent_tid %d\n", got == r, ptid == r);
  show_status("clone child", st);
  struct clone_args bad = {.flags = CLONE_THREAD};
  errno = 0;
  r = syscall(SYS_clone3, &bad, (size_t)32);
  printf("clone3 with a short struct: %ld %s\n", r, strerrorname_np(errno));
}

int main(void) {
  pipe_and_memory();
  deaths();
  waitid_forms();
  vfork_and_spawn();
  clone_forms();
  fflush(stdout);
  int st = system("echo a b c | tr a-c x-z; exit 3");
  show_status("system", st);
  return 0;
}
