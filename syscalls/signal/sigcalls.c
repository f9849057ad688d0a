/* The signal system calls that only record state (dispositions, the
 * blocked mask, the alternate stack) and sending signals to ourselves.
 * Delivery is signal.c/sigframe.c's. */
#include <errno.h>
#include <linux/futex.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../fs.h"
#include "../syscall_table.h"

#define KERNEL_SIGSET_SIZE 8
#define GUEST_SS_AUTODISARM (1u << 31)
#define GUEST_MINSIGSTKSZ 2048
#define SIG_BIT(sig) (1ull << ((sig)-1))
#define UNBLOCKABLE (SIG_BIT(SIGKILL) | SIG_BIT(SIGSTOP))

int64_t sys_rt_sigaction(struct process *p, const uint64_t a[6]) {
  int sig = (int)a[0];
  struct guest_sigaction act;
  if (a[3] != KERNEL_SIGSET_SIZE || sig < 1 || sig > 64)
    return -EINVAL;
  /* SIGKILL and SIGSTOP may be queried but never changed. */
  if (a[1] && (sig == SIGKILL || sig == SIGSTOP))
    return -EINVAL;
  if (a[1] && copy_from_guest(&p->mmu, &act, a[1], sizeof act) < 0)
    return -EFAULT;
  if (a[2] && copy_to_guest(&p->mmu, a[2], &p->sighand->sigactions[sig - 1],
                            sizeof act) < 0)
    return -EFAULT;
  if (a[1]) {
    act.mask &= ~UNBLOCKABLE;
    p->sighand->sigactions[sig - 1] = act;
    /* POSIX 3.3.1.3, as do_sigaction applies it: a signal whose action
     * becomes "ignore" (SIG_IGN, or SIG_DFL where the default is to
     * ignore) is discarded while pending, blocked or not. */
    if (act.handler == (uint64_t)SIG_IGN ||
        (act.handler == (uint64_t)SIG_DFL && signal_default_ignored(sig)))
      sigqueue_flush(p, SIG_BIT(sig));
    if (sig == SIGCHLD)
      host_signals_child_action(p);
  }
  return 0;
}

int64_t sys_rt_sigprocmask(struct process *p, const uint64_t a[6]) {
  uint64_t set, old = p->sigmask;
  if (a[3] != KERNEL_SIGSET_SIZE)
    return -EINVAL;
  if (a[1]) {
    if (copy_from_guest(&p->mmu, &set, a[1], sizeof set) < 0)
      return -EFAULT;
    set &= ~UNBLOCKABLE;
    switch (a[0]) {
    case SIG_BLOCK: p->sigmask |= set; break;
    case SIG_UNBLOCK: p->sigmask &= ~set; break;
    case SIG_SETMASK: p->sigmask = set; break;
    default: return -EINVAL;
    }
  }
  if (a[2] && copy_to_guest(&p->mmu, a[2], &old, sizeof old) < 0) {
    p->sigmask = old;
    return -EFAULT;
  }
  return 0;
}

/* sigaltstack (kernel/signal.c do_sigaltstack): while running on the
 * alternate stack it cannot be changed (-EPERM); MINSIGSTKSZ is 2048. */
int64_t sys_sigaltstack(struct process *p, const uint64_t a[6]) {
  stack_t ss, old;
  uint64_t sp = p->cpu.gpr[RSP];
  bool on = p->altstack.size && sp > p->altstack.sp &&
            sp <= p->altstack.sp + p->altstack.size;
  memset(&old, 0, sizeof old);
  old.ss_sp = (void *)(uintptr_t)p->altstack.sp;
  old.ss_size = p->altstack.size;
  old.ss_flags = on ? SS_ONSTACK : p->altstack.size ? 0 : SS_DISABLE;
  if (a[1] && copy_to_guest(&p->mmu, a[1], &old, sizeof old) < 0)
    return -EFAULT;
  if (!a[0])
    return 0;
  if (copy_from_guest(&p->mmu, &ss, a[0], sizeof ss) < 0)
    return -EFAULT;
  if (on)
    return -EPERM;
  int mode = (int)((unsigned)ss.ss_flags & ~GUEST_SS_AUTODISARM);
  if (mode != SS_DISABLE && mode != SS_ONSTACK && mode != 0)
    return -EINVAL;
  if (mode == SS_DISABLE) {
    p->altstack.sp = p->altstack.size = 0;
    p->altstack.flags = SS_DISABLE;
    return 0;
  }
  if (ss.ss_size < GUEST_MINSIGSTKSZ)
    return -ENOMEM;
  p->altstack.sp = (uint64_t)(uintptr_t)ss.ss_sp;
  p->altstack.size = ss.ss_size;
  p->altstack.flags = (int)((unsigned)ss.ss_flags & GUEST_SS_AUTODISARM);
  return 0;
}

/* Signals to ourselves are queued, kill's to the process, tkill's to
 * the thread; others' are the host's (sigsend.c). */
static int64_t send_self(struct process *p, int sig, int si_code,
                         bool to_thread) {
  if (sig < 0 || sig > 64)
    return -EINVAL;
  if (sig)
    signal_send(p, sig, si_code, to_thread);
  return 0;
}

int64_t sys_kill(struct process *p, const uint64_t a[6]) {
  int pid = (int)a[0];
  /* 0, -pgrp and -1 may include emu: the host's handler then queues the
   * guest's copy before kill returns. */
  if (pid != p->pid)
    return sigsend_kill(p, pid, (int)a[1]);
  return send_self(p, (int)a[1], SI_USER, false);
}

/* A signal to another thread of this process: onto its queue, from
 * this thread's kernel (a host signal would reach emu's handler as one
 * for the process). */
static int64_t send_thread(struct process *p, struct process *t, int sig) {
  if (sig < 0 || sig > 64)
    return -EINVAL;
  if (sig)
    signal_send_to(p, t, sig, SI_TKILL, true);
  return 0;
}

int64_t sys_tkill(struct process *p, const uint64_t a[6]) {
  if ((int)a[0] <= 0)
    return -EINVAL;
  struct process *t = thread_find((int)a[0]);
  if (t && t != p)
    return send_thread(p, t, (int)a[1]);
  if ((int)a[0] != p->tid)
    return sigsend_tgkill(p, -1, (int)a[0], (int)a[1]);
  return send_self(p, (int)a[1], SI_TKILL, true);
}

int64_t sys_tgkill(struct process *p, const uint64_t a[6]) {
  if ((int)a[0] <= 0 || (int)a[1] <= 0)
    return -EINVAL;
  struct process *t = (int)a[0] == p->pid ? thread_find((int)a[1]) : NULL;
  if (t && t != p)
    return send_thread(p, t, (int)a[2]);
  if ((int)a[0] != p->pid || (int)a[1] != p->tid)
    return sigsend_tgkill(p, (int)a[0], (int)a[1], (int)a[2]);
  return send_self(p, (int)a[2], SI_TKILL, true);
}

/* rt_sigsuspend and pause wait for a signal to be delivered: one
 * pending or arriving (host_wait.c) and not blocked by the mask given
 * ends the wait; it is delivered under that mask and the call returns
 * -EINTR (ERESTARTNOHAND: a signal that runs no handler, such as a
 * stop, restarts the wait). */
static int64_t wait_for_signal(struct process *p, uint64_t mask) {
  host_wait_signal(p, mask);
  signal_wait_interrupted(p, mask);
  return -ERESTARTNOHAND;
}

int64_t sys_rt_sigsuspend(struct process *p, const uint64_t a[6]) {
  uint64_t mask;
  if (a[1] != KERNEL_SIGSET_SIZE)
    return -EINVAL;
  if (copy_from_guest(&p->mmu, &mask, a[0], sizeof mask) < 0)
    return -EFAULT;
  return wait_for_signal(p, mask);
}

int64_t sys_pause(struct process *p, const uint64_t a[6]) {
  (void)a;
  return wait_for_signal(p, p->sigmask);
}
