/* Signals: synchronous ones raised by traps (force_sig_fault in Linux)
 * and ones sent with kill/tgkill, delivered to a guest handler through a
 * signal frame (syscalls/sigframe.c) or given their default action. A
 * fault signal that is blocked or ignored kills, as Linux forces it. */
#include <signal.h>
#include <string.h>

#include "process.h"
#include "strace.h"

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

static bool ignored_by_default(int sig) {
  return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT;
}

void signal_kill(struct process *p, int sig, int si_code, uint64_t addr) {
  p->exited = true;
  p->fatal_signal = sig;
  if (dumps_core(sig))
    crash_report(p, sig, si_code, addr);
}

static bool has_handler(struct process *p, int sig) {
  uint64_t h = p->sigactions[sig - 1].handler;
  return h != (uint64_t)SIG_DFL && h != (uint64_t)SIG_IGN;
}

void signal_raise_trap(struct process *p, int sig, int si_code, uint64_t addr) {
  if (p->opt && p->opt->strace)
    strace_signal(p, sig, si_code, addr);
  if (has_handler(p, sig) && !(p->sigmask & bit(sig))) {
    if (signal_deliver(p, sig, si_code, addr))
      return;
    sig = SIGSEGV, si_code = SI_KERNEL, addr = 0; /* no room for a frame */
  }
  signal_kill(p, sig, si_code, addr);
}

void signal_send(struct process *p, int sig, int si_code) {
  if (sig >= 1 && sig <= 64) {
    p->sigpending |= bit(sig);
    p->sigcode[sig - 1] = si_code;
  }
}

bool signal_wait_interrupted(struct process *p, uint64_t mask) {
  mask &= ~(bit(SIGKILL) | bit(SIGSTOP));
  if (!(p->sigpending & ~mask))
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

void signal_check(struct process *p) {
  uint64_t ready = p->sigpending & ~p->sigmask;
  /* SIGKILL and SIGSTOP cannot be blocked. */
  ready |= p->sigpending & (bit(SIGKILL) | bit(SIGSTOP));
  for (int sig = 1; ready && sig <= 64 && !p->exited; sig++) {
    if (!(ready & bit(sig)))
      continue;
    ready &= ~bit(sig);
    p->sigpending &= ~bit(sig);
    int code = p->sigcode[sig - 1];
    if (p->opt && p->opt->strace)
      strace_signal(p, sig, code, 0);
    uint64_t h = p->sigactions[sig - 1].handler;
    if (sig != SIGKILL && sig != SIGSTOP && h == (uint64_t)SIG_IGN)
      continue;
    if (sig != SIGKILL && sig != SIGSTOP && has_handler(p, sig)) {
      if (!signal_deliver(p, sig, code, 0))
        signal_kill(p, SIGSEGV, SI_KERNEL, 0);
      return; /* one frame at a time; the rest after it returns */
    }
    if (ignored_by_default(sig) || sig == SIGSTOP)
      continue;
    signal_kill(p, sig, code, 0);
  }
  restore_mask(p);
}
