/* The system calls on the pending queues (kernel/signal.c): which
 * blocked signals are pending (rt_sigpending), taking one without a
 * handler (rt_sigtimedwait), and queueing one with a caller's siginfo
 * (rt_sigqueueinfo, rt_tgsigqueueinfo). */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../fs.h"
#include "../syscall_table.h"

#define KERNEL_SIGSET_SIZE 8
#define SIG_BIT(sig) (1ull << ((sig)-1))
#define UNBLOCKABLE (SIG_BIT(SIGKILL) | SIG_BIT(SIGSTOP))
/* struct kernel_siginfo: what the kernel keeps of a caller's siginfo;
 * the rest of the 128 bytes reads back as zeros. */
#define KERNEL_SIGINFO_SIZE 48

/* do_sigpending: pending for the thread or the process, and blocked.
 * Any size up to the kernel's sigset is allowed (the old sigpending
 * reuses this call with 4). */
int64_t sys_rt_sigpending(struct process *p, const uint64_t a[6]) {
  if (a[1] > KERNEL_SIGSET_SIZE)
    return -EINVAL;
  uint64_t set = sigqueue_pending(p) & p->sigmask;
  if (copy_to_guest(&p->mmu, a[0], &set, a[1]) < 0)
    return -EFAULT;
  return 0;
}

/* do_sigtimedwait: a signal in the set that is pending is taken at
 * once, handler or not. Otherwise the call waits, with the set
 * unblocked, for one to arrive (host_wait.c): -EAGAIN at the timeout,
 * -EINTR when another signal interrupts it. */
int64_t sys_rt_sigtimedwait(struct process *p, const uint64_t a[6]) {
  uint64_t set;
  struct timespec ts;
  if (a[3] != KERNEL_SIGSET_SIZE)
    return -EINVAL;
  if (copy_from_guest(&p->mmu, &set, a[0], sizeof set) < 0)
    return -EFAULT;
  if (a[2] && copy_from_guest(&p->mmu, &ts, a[2], sizeof ts) < 0)
    return -EFAULT;
  if (a[2] && (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000))
    return -EINVAL;
  set &= ~UNBLOCKABLE;
  struct guest_siginfo info;
  int sig = sigqueue_dequeue(p, ~set, &info);
  /* --deterministic: a timeout is virtual time slept out at once. */
  if (!sig && a[2] && p->opt && p->opt->deterministic) {
    time_sleep(p, CLOCK_MONOTONIC, 0, &ts, NULL);
    timers_expire(p);
    sig = sigqueue_dequeue(p, ~set, &info);
  } else if (!sig && (!a[2] || ts.tv_sec || ts.tv_nsec)) {
    int r = host_ppoll(p, NULL, 0, a[2] ? &ts : NULL, p->sigmask & ~set);
    sig = sigqueue_dequeue(p, ~set, &info);
    if (!sig && r == -EINTR)
      return -EINTR;
  }
  if (!sig)
    return -EAGAIN;
  if (a[1] && copy_to_guest(&p->mmu, a[1], &info, sizeof info) < 0)
    return -EFAULT;
  return sig;
}

/* The si_code values Linux knows for a signal (kernel/signal.c:
 * known_siginfo_layout, with the NSIG* limits of Linux 6.x). */
static bool known_layout(int sig, int code) {
  if (code == SI_KERNEL || code == SI_ASYNCNL)
    return true;
  if (code <= SI_USER)
    return code >= SI_DETHREAD;
  switch (sig) {
  case SIGILL: return code <= 11;
  case SIGFPE: return code <= 15;
  case SIGSEGV: return code <= 10;
  case SIGBUS: return code <= 5;
  case SIGTRAP: return code <= 6;
  case SIGCHLD: return code <= 6;
  case SIGSYS: return code <= 2;
  default: return code <= 6; /* NSIGPOLL */
  }
}

/* __copy_siginfo_from_user: the caller's siginfo with si_signo = sig;
 * an si_code Linux does not know must leave the bytes past the kernel's
 * part zero (-E2BIG). */
static int siginfo_from_user(struct process *p, uint64_t addr, int sig,
                             struct guest_siginfo *info) {
  struct guest_siginfo user;
  if (copy_from_guest(&p->mmu, &user, addr, KERNEL_SIGINFO_SIZE) < 0)
    return -EFAULT;
  if (!known_layout(sig, user.code)) {
    uint8_t rest[sizeof user - KERNEL_SIGINFO_SIZE];
    if (copy_from_guest(&p->mmu, rest, addr + KERNEL_SIGINFO_SIZE,
                        sizeof rest) < 0)
      return -EFAULT;
    for (size_t k = 0; k < sizeof rest; k++)
      if (rest[k])
        return -E2BIG;
  }
  memset(info, 0, sizeof *info);
  memcpy(info, &user, KERNEL_SIGINFO_SIZE);
  info->signo = sig;
  return 0;
}

static int64_t queue_self(struct process *p, int sig,
                          const struct guest_siginfo *info, bool to_thread) {
  if (sig < 0 || sig > 64)
    return -EINVAL;
  if (!sig)
    return 0; /* the null signal only probes */
  int r = sigqueue_send(p, info, to_thread);
  if (r == 0 && !to_thread)
    thread_wake_for_signal(p, sig);
  else if (r == 0 && p != thread_self())
    thread_kick(p);
  return r;
}

/* do_rt_sigqueueinfo: to the process (kill_proc_info). */
int64_t sys_rt_sigqueueinfo(struct process *p, const uint64_t a[6]) {
  int pid = (int)a[0], sig = (int)a[1];
  struct guest_siginfo info;
  int r = siginfo_from_user(p, a[2], sig, &info);
  if (r < 0)
    return r;
  if (pid != p->pid)
    return sigsend_queueinfo(p, -1, pid, sig, &info);
  return queue_self(p, sig, &info, false);
}

/* do_rt_tgsigqueueinfo: to one thread (do_send_specific). */
int64_t sys_rt_tgsigqueueinfo(struct process *p, const uint64_t a[6]) {
  int tgid = (int)a[0], tid = (int)a[1], sig = (int)a[2];
  struct guest_siginfo info;
  int r = siginfo_from_user(p, a[3], sig, &info);
  if (r < 0)
    return r;
  if (tid <= 0 || tgid <= 0)
    return -EINVAL;
  struct process *t = tgid == p->pid ? thread_find(tid) : NULL;
  if (t && t != p) /* another thread of this process */
    return queue_self(t, sig, &info, true);
  if (tid != p->tid || tgid != p->pid)
    return sigsend_queueinfo(p, tgid, tid, sig, &info);
  return queue_self(p, sig, &info, true);
}
