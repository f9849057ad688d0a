/* What an interrupted system call becomes once the signal that
 * interrupted it is handled (arch/x86/kernel/signal.c: handle_signal and
 * arch_do_signal_or_restart): -EINTR, or the same call again with RIP
 * back on its syscall instruction, or restart_syscall resuming a sleep
 * from p->restart (kernel/signal.c: sys_restart_syscall). */
#include <errno.h>
#include <signal.h>

#include "../process.h"
#include "../syscall_table.h"

#define K_SA_RESTART 0x10000000u
#define NR_RESTART_SYSCALL 219
#define NR_I386_RESTART_SYSCALL 0

void restart_for_handler(struct process *p, uint64_t sa_flags, uint64_t *rax,
                         uint64_t *rip) {
  int code = p->syscall_restart;
  p->syscall_restart = 0;
  switch (code) {
  case ERESTARTSYS:
    if (!(sa_flags & K_SA_RESTART)) {
      *rax = (uint64_t)-EINTR;
      return;
    }
    /* fall through */
  case ERESTARTNOINTR:
    *rax = p->syscall_nr;
    *rip -= 2; /* syscall is 0F 05, int 0x80 CD 80 */
    return;
  case ERESTARTNOHAND:
  case ERESTART_RESTARTBLOCK: *rax = (uint64_t)-EINTR; return;
  default: return;
  }
}

void restart_without_handler(struct process *p) {
  int code = p->syscall_restart;
  p->syscall_restart = 0;
  if (!code)
    return;
  bool ia32 = p->cpu.trap.kind == TRAP_INT80;
  if (code == ERESTART_RESTARTBLOCK)
    p->cpu.gpr[RAX] = ia32 ? NR_I386_RESTART_SYSCALL : NR_RESTART_SYSCALL;
  else
    p->cpu.gpr[RAX] = p->syscall_nr;
  p->cpu.rip -= 2;
}

/* Resumes what p->restart describes; with nothing to resume (a guest
 * calling it itself) Linux's do_no_restart_syscall answers -EINTR. */
int64_t sys_restart_syscall(struct process *p, const uint64_t a[6]) {
  (void)a;
  switch (p->restart.nr) {
  case 7: return poll_resume(p);
  case 35:
  case 230: return time_resume_sleep(p);
  default: return -EINTR;
  }
}
