/* System-call dispatch: the table generated from syscalls.def, the
 * -ENOSYS fallback and the register convention of `syscall` (number in
 * RAX, arguments in RDI, RSI, RDX, R10, R8, R9; result in RAX; RCX and
 * R11 clobbered: arch/x86/entry/entry_64.S). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>

#include "process.h"
#include "strace.h"
#include "syscall_table.h"

#define SC_ARGS(...)                                                           \
  { __VA_ARGS__ }
#define SYS(nr, name_, ret_, args_)                                            \
  [nr] = {.name = #name_,                                                      \
          .handler = sys_##name_,                                              \
          .ret = ret_,                                                         \
          .args = SC_ARGS args_},
#define NOSYS(nr, name_, ret_, args_)                                          \
  [nr] = {.name = #name_, .handler = NULL, .ret = ret_, .args = SC_ARGS args_},
const struct syscall_desc syscall_table[SYSCALL_MAX] = {
#include "syscalls.def"
};
#undef SYS
#undef NOSYS

static int64_t sys_enosys(struct process *p, uint64_t nr) {
  p->sig->stats.syscalls_enosys++;
  uint64_t bit = nr < 512 ? nr : 511;
  uint64_t *word = &p->sig->enosys_seen[bit / 64];
  if (p->opt && p->opt->verbose && !(*word & (1ull << (bit % 64)))) {
    const char *name = nr < SYSCALL_MAX ? syscall_table[nr].name : NULL;
    fprintf(stderr, "emu: unimplemented syscall %s (%llu)\n", name ? name : "?",
            (unsigned long long)nr);
  }
  *word |= 1ull << (bit % 64);
  return -ENOSYS;
}

void sys_dispatch(struct process *p) {
  struct cpu *c = &p->cpu;
  uint64_t nr = c->gpr[RAX];
  const uint64_t a[6] = {c->gpr[RDI], c->gpr[RSI], c->gpr[RDX],
                         c->gpr[R10], c->gpr[R8],  c->gpr[R9]};
  const struct syscall_desc *d = nr < SYSCALL_MAX ? &syscall_table[nr] : NULL;
  /* Calls the vDSO answers never reach the kernel on Linux, so strace
   * cannot see them; neither does --strace. */
  bool trace = p->opt && p->opt->strace &&
               !(vdso_contains(p, c->trap.rip) && vdso_answers(nr, a));

  p->sig->stats.syscalls++;
  /* The CPU leaves RIP past the instruction; the kernel saves it in RCX
   * and RFLAGS in R11 before the call (SDM vol. 2B, SYSCALL). */
  c->gpr[RCX] = c->rip;
  c->gpr[R11] = cpu_get_flags(c);
  if (trace)
    strace_enter(p, nr, a);
  int64_t ret = d && d->handler ? d->handler(p, a) : sys_enosys(p, nr);
  c->gpr[RAX] = (uint64_t)ret;
  p->syscall_nr = nr;
  p->syscall_restart =
      ret <= -ERESTARTSYS && ret >= -ERESTART_RESTARTBLOCK ? (int)-ret : 0;
  if (trace && p->opt->strace && !p->trace_skip_leave)
    strace_leave(p, nr, a, ret);
  p->trace_skip_leave = false;
}
