/* Signals: synchronous ones raised by traps (force_sig_fault in Linux)
 * and ones sent with kill, tgkill or sigqueue (queued by sigqueue.c),
 * delivered to a guest handler through a signal frame (sigframe.c) or
 * given their default action. A fault signal that is blocked or ignored
 * kills, as Linux forces it. */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "../process.h"
#include "../strace.h"

static uint64_t bit(int sig) { return 1ull << (sig - 1); }

static bool dumps_core(int sig) {
  switch (sig) {
  case SIGQUIT:
  case SIGILL:
  case SIGTRAP:
  case SIGABRT:
  case SIGBUS:
  case SIGFPE:
  case SIGSEGV:
  case SIGXCPU:
  case SIGXFSZ:
  case SIGSYS: return true;
  default: return false;
  }
}

bool signal_default_ignored(int sig) {
  return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT;
}

void signal_kill(struct process *p, int sig, int si_code, uint64_t addr) {
  p->exited = true;
  p->fatal_signal = sig;
  if (dumps_core(sig))
    crash_report(p, sig, si_code, addr);
}

static bool is_stop_signal(int sig) {
  return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

static bool has_handler(struct process *p, int sig) {
  uint64_t h = p->sighand->sigactions[sig - 1].handler;
  return h != (uint64_t)SIG_DFL && h != (uint64_t)SIG_IGN;
}

static void fault_info(struct guest_siginfo *info, int sig, int si_code,
                       uint64_t addr) {
  memset(info, 0, sizeof *info);
  info->signo = sig;
  info->code = si_code;
  info->u.addr = addr;
}

void signal_raise_trap(struct process *p, int sig, int si_code, uint64_t addr) {
  struct guest_siginfo info;
  fault_info(&info, sig, si_code, addr);
  if (p->opt && p->opt->strace)
    strace_signal(p, &info);
  if (has_handler(p, sig) && !(p->sigmask & bit(sig))) {
    if (signal_deliver(p, &info))
      return;
    sig = SIGSEGV, si_code = SI_KERNEL, addr = 0; /* no room for a frame */
  }
  signal_kill(p, sig, si_code, addr);
}

/* prepare_kill_siginfo / do_tkill: the sender is this process. */
void signal_send_to(struct process *p, struct process *t, int sig, int si_code,
                    bool to_thread) {
  struct guest_siginfo info;
  memset(&info, 0, sizeof info);
  info.signo = sig;
  info.code = si_code;
  info.u.kill.pid = p->pid;
  info.u.kill.uid = (uint32_t)getuid();
  sigqueue_send(t, &info, to_thread);
  if (!to_thread)
    thread_wake_for_signal(t, sig);
  else if (t != p)
    thread_kick(t);
}

void signal_send(struct process *p, int sig, int si_code, bool to_thread) {
  signal_send_to(p, p, sig, si_code, to_thread);
}

bool signal_wait_interrupted(struct process *p, uint64_t mask) {
  mask &= ~(bit(SIGKILL) | bit(SIGSTOP));
  if (!(sigqueue_pending(p) & ~mask))
    return false;
  p->saved_sigmask = p->sigmask;
  p->restore_sigmask = true;
  p->sigmask = mask;
  return true;
}

/* After delivery (or none): the mask a temporary one replaced. */
static void restore_mask(struct process *p) {
  if (p->restore_sigmask) {
    p->sigmask = p->saved_sigmask;
    p->restore_sigmask = false;
  }
}

/* Linux's exit_to_user_mode_loop: while a signal the current mask lets
 * through is pending, get_signal takes it and handle_signal builds its
 * frame on top of the last one. So of several signals unblocked at once
 * the lowest is taken first and its handler runs last, and the handler's
 * own mask decides what may follow. */
void signal_check(struct process *p) {
  struct guest_siginfo info;
  while (!p->exited) {
    /* SIGKILL and SIGSTOP cannot be blocked. */
    uint64_t blocked = p->sigmask & ~(bit(SIGKILL) | bit(SIGSTOP));
    int sig = sigqueue_dequeue(p, blocked, &info);
    if (!sig)
      break;
    /* ptrace reports no SIGKILL: strace shows only the death. */
    if (p->opt && p->opt->strace && sig != SIGKILL)
      strace_signal(p, &info);
    uint64_t h = p->sighand->sigactions[sig - 1].handler;
    if (sig != SIGKILL && sig != SIGSTOP && h == (uint64_t)SIG_IGN)
      continue;
    if (sig != SIGKILL && sig != SIGSTOP && has_handler(p, sig)) {
      if (!signal_deliver(p, &info))
        signal_kill(p, SIGSEGV, SI_KERNEL, 0);
      continue;
    }
    if (signal_default_ignored(sig))
      continue;
    if (is_stop_signal(sig)) {
      host_signal_stop(p, sig); /* until SIGCONT */
      continue;
    }
    signal_kill(p, sig, info.code, 0);
  }
  restore_mask(p);
}
