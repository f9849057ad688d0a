/* The kernel's run loop: run the CPU until it traps, then do what Linux
 * does with the trap — a system call, a page fault resolved by demand
 * paging, or a signal. */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "process.h"

/* Guest physical memory reserved (committed only as frames are used). */
#define PHYS_BYTES (64ull << 30)

static bool kernel_fault_hook(void *ctx, uint64_t addr, uint32_t err) {
  return fault_handle(ctx, addr, err) == FAULT_OK;
}

int process_init(struct process *p, struct emu_options *opt) {
  memset(p, 0, sizeof *p);
  /* Reserve as much as the host allows (valgrind and ulimit -v cap the
   * address space): halve until it fits, down to 1 GiB. */
  uint64_t bytes = PHYS_BYTES;
  while (mmu_init(&p->mmu, bytes) < 0)
    if ((bytes /= 2) < (1ull << 30))
      return -1;
  cpu_init(&p->cpu, &p->mmu);
  p->mmu.fault_handler = kernel_fault_hook;
  p->mmu.fault_ctx = p;
  p->opt = opt;
  /* Linux's mmap_base with ASLR off: TASK_SIZE less the stack gap, which
   * is RLIMIT_STACK clamped up to 128 MiB (arch/x86/mm/mmap.c). */
  p->mmap_base = USER_TOP - (128ull << 20);
  /* The CPU's rdrand generator: from the host's entropy, or the seed
   * when runs must repeat. */
  if (opt && opt->deterministic)
    p->cpu.rng_state = opt->seed ^ 0x6a09e667f3bcc908ull;
  else if (getrandom(&p->cpu.rng_state, sizeof p->cpu.rng_state, 0) < 0)
    p->cpu.rng_state = (uint64_t)time(NULL) ^ (uint64_t)getpid() << 32;
  p->pid = p->tid = getpid();
  p->ppid = getppid();
  for (int k = 0; k < FD_MAX; k++)
    p->fds[k].host_fd = -1;
  /* The guest inherits emu's descriptors as a child inherits its
   * parent's, and its umask. */
  fd_inherit(p);
  mode_t mask = umask(022);
  umask(mask);
  p->umask = mask;
  return 0;
}

void process_destroy(struct process *p) {
  mm_clear(p);
  cpu_destroy(&p->cpu);
  free(p->vmas.v);
  p->vmas.v = NULL;
  sigqueue_free(p);
  for (int k = 3; k < FD_MAX; k++)
    if (p->fds[k].host_fd >= 0)
      fd_close(p, k);
  mmu_destroy(&p->mmu);
}

static void handle_fault(struct process *p) {
  struct trap *t = &p->cpu.trap;
  enum fault_result r = fault_handle(p, t->addr, t->error);
  switch (r) {
  case FAULT_OK: return;
  case FAULT_BUS: signal_raise_trap(p, SIGBUS, BUS_ADRERR, t->addr); return;
  case FAULT_OOM: signal_raise_trap(p, SIGKILL, 0, t->addr); return;
  case FAULT_ACCERR:
    signal_raise_trap(p, SIGSEGV, SEGV_ACCERR, t->addr);
    return;
  case FAULT_MAPERR:
    signal_raise_trap(p, SIGSEGV, SEGV_MAPERR, t->addr);
    return;
  }
}

/* SIGFPE's si_code for the lowest unmasked exception bit that fired
 * (x87 FSW / MXCSR share the bit order: IE DE ZE OE UE PE). */
static int fpe_code(uint32_t bits) {
  if (bits & 1)
    return FPE_FLTINV;
  if (bits & 4)
    return FPE_FLTDIV;
  if (bits & 8)
    return FPE_FLTOVF;
  if (bits & 16)
    return FPE_FLTUND;
  if (bits & 32)
    return FPE_FLTRES;
  if (bits & 2)
    return FPE_FLTUND; /* denormal: Linux reports it so */
  return 0;
}

int kernel_run(struct process *p) {
  while (!p->exited) {
    struct trap *t = &p->cpu.trap;
    switch (cpu_run(&p->cpu, UINT64_MAX)) {
    case TRAP_SYSCALL:
      sys_dispatch(p);
      if (sigqueue_pending(p))
        signal_check(p);
      if (p->syscall_interrupted) {
        /* No handler ran (the signal was ignored): the call starts
         * again, as Linux restarts an ERESTARTNOHAND call. */
        p->syscall_interrupted = false;
        p->cpu.gpr[RAX] = p->syscall_nr;
        p->cpu.rip -= 2; /* the syscall instruction, 0F 05 */
      }
      break;
    case TRAP_PF:
      handle_fault(p);
      /* Linux returns from a page fault by IRET (cpu/segment.c). */
      cpu_segments_after_iret(&p->cpu);
      break;
    case TRAP_UD: signal_raise_trap(p, SIGILL, ILL_ILLOPN, t->rip); break;
    case TRAP_DE: signal_raise_trap(p, SIGFPE, FPE_INTDIV, t->rip); break;
    /* #GP and hlt reach user space as SIGSEGV with si_code SI_KERNEL. */
    case TRAP_GP: signal_raise_trap(p, SIGSEGV, SI_KERNEL, 0); break;
    /* #SS: do_error_trap(..., SIGBUS, 0, NULL) in arch/x86/kernel/traps.c */
    case TRAP_SS: signal_raise_trap(p, SIGBUS, SI_KERNEL, 0); break;
    case TRAP_BP: signal_raise_trap(p, SIGTRAP, SI_KERNEL, 0); break;
    case TRAP_MF:
    case TRAP_XM:
      signal_raise_trap(p, SIGFPE, fpe_code(t->error | t->code), t->rip);
      break;
    case TRAP_COMPAT: crash_compat_mode(p); break;
    case TRAP_NONE:
    case TRAP_BUDGET: break;
    }
  }
  return p->fatal_signal ? 128 + p->fatal_signal : p->exit_status;
}
