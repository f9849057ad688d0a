/* Synchronous signals raised by traps (force_sig_fault in Linux). A
 * signal the guest neither handles nor may ignore kills the process with
 * a crash report; guest handlers are entered through a signal frame
 * (syscalls/sigframe.c) when installed. */
#include <signal.h>
#include <string.h>

#include "process.h"

void signal_kill(struct process *p, int sig, int si_code, uint64_t addr) {
  p->exited = true;
  p->fatal_signal = sig;
  p->stats.signals++;
  crash_report(p, sig, si_code, addr);
}

void signal_raise_trap(struct process *p, int sig, int si_code,
                       uint64_t addr) {
  /* Delivery to guest handlers comes with the signal frame; until then a
   * trap signal takes its default action, which for all of these is to
   * terminate (SIGTRAP, SIGSEGV, SIGBUS, SIGILL, SIGFPE dump core). */
  signal_kill(p, sig, si_code, addr);
}
