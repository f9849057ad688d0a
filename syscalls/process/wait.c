/* wait4 and waitid. Guest children are host processes with the same
 * pids, and a guest killed by a signal kills its emu with that signal
 * (main.c), so the host's answer — which child, its status word, its
 * rusage, its siginfo — is the guest's, in the same x86-64 layouts. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../process.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

/* The host's wait, made interruptible as Linux's is (host_wait.c): each
 * try is WNOHANG, and between tries emu sleeps with the host signals
 * unblocked, so a child's SIGCHLD, or any signal, ends the sleep. A
 * guest signal to deliver ends the wait with -ERESTARTSYS (EINTR, or the
 * call again after an SA_RESTART handler). `try` returns > 0 when done
 * (or -errno), 0 to keep waiting. */
static long wait_loop(struct process *p, bool nohang, long (*try)(void *ctx),
                      void *ctx) {
  sigset_t mask;
  host_wait_begin(p, &mask);
  long r;
  for (;;) {
    r = try(ctx);
    if (r != 0 || nohang)
      break;
    if (host_wait_signalled(p, p->sigmask)) {
      r = -ERESTARTSYS;
      break;
    }
    thread_sleep_begin(p);
    sigsuspend(&mask);
    thread_sleep_end(p);
  }
  host_wait_end(p, &mask);
  return r;
}

struct wait4_try {
  pid_t pid;
  int *status, options;
  struct rusage *ru;
};

static long try_wait4(void *ctx) {
  struct wait4_try *w = ctx;
  long r = syscall(SYS_wait4, w->pid, w->status, w->options | WNOHANG, w->ru);
  return r < 0 ? -errno : r;
}

int64_t sys_wait4(struct process *p, const uint64_t a[6]) {
  int options = (int)a[2];
  if (options &
      ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WALL | __WCLONE))
    return -EINVAL;
  int status = 0;
  struct rusage ru;
  struct wait4_try w = {(pid_t)a[0], &status, options, a[3] ? &ru : NULL};
  long r = wait_loop(p, options & WNOHANG, try_wait4, &w);
  if (r < 0)
    return r;
  if (r > 0 && a[1] && copy_to_guest(&p->mmu, a[1], &status, 4) < 0)
    return -EFAULT;
  if (a[3] && copy_to_guest(&p->mmu, a[3], &ru, sizeof ru) < 0)
    return -EFAULT;
  return r;
}

struct waitid_try {
  int idtype;
  id_t id;
  siginfo_t *info;
  int options;
  struct rusage *ru;
};

/* waitid answers 0 both when a child was found and when WNOHANG found
 * none; si_pid tells them apart. */
static long try_waitid(void *ctx) {
  struct waitid_try *w = ctx;
  memset(w->info, 0, sizeof *w->info);
  long r = syscall(SYS_waitid, w->idtype, w->id, w->info, w->options | WNOHANG,
                   w->ru);
  if (r < 0)
    return -errno;
  return w->info->si_pid ? 1 : 0;
}

int64_t sys_waitid(struct process *p, const uint64_t a[6]) {
  int idtype = (int)a[0];
  uint64_t id = a[1];
  if (idtype == P_PIDFD) {
    int host = fd_host(p, (int)id);
    if (host < 0)
      return -EBADF;
    id = (uint64_t)host;
  }
  siginfo_t info;
  struct rusage ru;
  int options = (int)a[3];
  struct waitid_try w = {idtype, (id_t)id, &info, options, a[4] ? &ru : NULL};
  long r = wait_loop(p, options & WNOHANG, try_waitid, &w);
  if (r < 0)
    return r;
  if (a[2] && copy_to_guest(&p->mmu, a[2], &info, sizeof info) < 0)
    return -EFAULT;
  if (a[4] && copy_to_guest(&p->mmu, a[4], &ru, sizeof ru) < 0)
    return -EFAULT;
  return 0;
}
