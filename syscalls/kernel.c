/* The kernel's run loop: run the CPU until it traps, then do what Linux
 * does with the trap — a system call, a page fault resolved by demand
 * paging, or a signal. */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <time.h>
#include <unistd.h>

#include "process.h"

/* A page the kernel touches for the guest (copy_to_guest inside a
 * system call) that finds guest memory exhausted: Linux's OOM killer
 * would kill the process, so emu does (the call then fails, unseen). */
static bool kernel_fault_hook(void *ctx, uint64_t addr, uint32_t err) {
  enum fault_result r = fault_handle(ctx, addr, err);
  if (r == FAULT_OOM)
    signal_kill(ctx, SIGKILL, SI_KERNEL, 0);
  return r == FAULT_OK;
}

/* The host's RAM + swap, as its kernel's heuristic counts them
 * (totalram_pages + total_swap_pages). */
static uint64_t host_memory(void) {
  struct sysinfo si;
  if (sysinfo(&si) < 0)
    return 64ull << 30;
  return ((uint64_t)si.totalram + si.totalswap) * si.mem_unit;
}

/* A process's shared parts, fresh (process_init). */
static int process_alloc_shared(struct process *p) {
  p->mm = calloc(1, sizeof *p->mm);
  p->files = calloc(1, sizeof *p->files);
  p->fs = calloc(1, sizeof *p->fs);
  p->sighand = calloc(1, sizeof *p->sighand);
  p->sig = calloc(1, sizeof *p->sig);
  if (!p->mm || !p->files || !p->fs || !p->sighand || !p->sig)
    return -1;
  p->files->refs = p->fs->refs = p->sighand->refs = 1;
  return 0;
}

static void process_free_shared(struct process *p) {
  free(p->mm);
  free(p->files);
  free(p->fs);
  free(p->sighand);
  free(p->sig);
  p->mm = NULL;
  p->files = NULL;
  p->fs = NULL;
  p->sighand = NULL;
  p->sig = NULL;
}

int process_init(struct process *p, struct emu_options *opt) {
  memset(p, 0, sizeof *p);
  if (process_alloc_shared(p) < 0) {
    process_free_shared(p);
    return -1;
  }
  p->mm->mem_limit = opt && opt->mem_limit ? opt->mem_limit : host_memory();
  /* Guest physical memory is the machine's memory: one reservation the
   * host commits only as frames are used, so a guest touching more than
   * it has is killed as Linux's OOM killer would (fault.c). Reserve as
   * much of it as the host allows (valgrind and ulimit -v cap the
   * address space): halve until it fits, down to 1 GiB. */
  uint64_t bytes = (p->mm->mem_limit + PAGE_SIZE - 1) & PAGE_MASK;
  while (mmu_init(&p->mmu, bytes) < 0)
    if (bytes <= (1ull << 30) || (bytes /= 2) < (1ull << 30))
      return process_free_shared(p), -1;
  cpu_init(&p->cpu, &p->mmu);
  p->mmu.fault_handler = kernel_fault_hook;
  p->mmu.fault_ctx = p;
  p->opt = opt;
  /* The persona emu was started with (setarch's), and ADDR_NO_RANDOMIZE
   * always: emu's layout is Linux's with randomization off. */
  p->personality = (uint32_t)personality(0xffffffff) | ADDR_NO_RANDOMIZE;
  /* Linux's mmap_base with ASLR off: TASK_SIZE less the stack gap, which
   * is RLIMIT_STACK clamped up to 128 MiB (arch/x86/mm/mmap.c). */
  p->mm->mmap_base = USER_TOP - (128ull << 20);
  /* The CPU's rdrand generator: from the host's entropy, or the seed
   * when runs must repeat. */
  if (opt && opt->deterministic)
    p->cpu.rng_state = opt->seed ^ 0x6a09e667f3bcc908ull;
  else if (getrandom(&p->cpu.rng_state, sizeof p->cpu.rng_state, 0) < 0)
    p->cpu.rng_state = (uint64_t)time(NULL) ^ (uint64_t)getpid() << 32;
  p->pid = p->tid = getpid();
  p->vfork_fd = -1;
  p->ppid = getppid();
  for (int k = 0; k < FD_MAX; k++)
    p->files->fds[k].host_fd = -1;
  /* The guest inherits emu's descriptors as a child inherits its
   * parent's, and its umask. */
  fd_inherit(p);
  mode_t mask = umask(022);
  umask(mask);
  p->fs->umask = mask;
  return 0;
}

void process_exit(struct process *p) {
  /* The guest is gone: a signal its teardown raises must not change the
   * status emu reports (closing a pty master that is the controlling
   * terminal SIGHUPs the foreground group, this process), as an exiting
   * Linux task no longer takes signals. */
  sigset_t all;
  sigfillset(&all);
  sigprocmask(SIG_BLOCK, &all, NULL);
  for (int k = 3; k < FD_MAX; k++)
    if (p->files->fds[k].host_fd >= 0)
      fd_close(p, k);
}

void process_destroy(struct process *p) {
  process_exit(p);
  cpu_destroy(&p->cpu); /* first: the unmapping then has no blocks to find */
  mm_clear(p);
  free(p->mm->vmas.v);
  p->mm->vmas.v = NULL;
  sigqueue_free(p);
  mmu_destroy(&p->mmu);
  process_free_shared(p);
}

static void handle_fault(struct process *p) {
  struct trap *t = &p->cpu.trap;
  enum fault_result r = fault_handle(p, t->addr, t->error);
  switch (r) {
  case FAULT_OK: return;
  case FAULT_BUS: signal_raise_trap(p, SIGBUS, BUS_ADRERR, t->addr); return;
  /* Out of guest memory: the OOM killer's SIGKILL (no signal line in
   * strace, no handler, no report). */
  case FAULT_OOM: signal_kill(p, SIGKILL, SI_KERNEL, 0); return;
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
  while (!p->exited && !thread_must_stop(p)) {
    struct trap *t = &p->cpu.trap;
    uint64_t budget = timers_budget(p);
    uint64_t run = det_budget(p, budget);
    thread_to_user(p);
    enum trap_kind kind = cpu_run(&p->cpu, run);
    thread_from_user(p);
    switch (kind) {
    case TRAP_SYSCALL:
    case TRAP_INT80:
      if (t->kind == TRAP_INT80)
        ia32_syscall(p);
      else
        sys_dispatch(p);
      if (p->cpu.interrupt)
        host_signals_drain(p);
      if (sigqueue_pending(p))
        signal_check(p);
      /* No handler ran (the signal was ignored, or stopped us): the
       * call starts again (restart.c). */
      restart_without_handler(p);
      break;
    case TRAP_PF:
      handle_fault(p);
      /* Linux returns from a page fault by IRET (cpu/segment.c). */
      cpu_segments_after_iret(&p->cpu);
      break;
    case TRAP_UD: signal_raise_trap(p, SIGILL, ILL_ILLOPN, t->rip); break;
    case TRAP_DE: signal_raise_trap(p, SIGFPE, FPE_INTDIV, t->rip); break;
    /* #GP reaches user space as SIGSEGV with si_code SI_KERNEL, unless
     * the kernel emulates the instruction (UMIP). */
    case TRAP_GP:
      if (!umip_fixup(p))
        signal_raise_trap(p, SIGSEGV, SI_KERNEL, 0);
      break;
    /* #SS: do_error_trap(..., SIGBUS, 0, NULL) in arch/x86/kernel/traps.c */
    case TRAP_SS: signal_raise_trap(p, SIGBUS, SI_KERNEL, 0); break;
    case TRAP_BP: signal_raise_trap(p, SIGTRAP, SI_KERNEL, 0); break;
    /* int1: exc_debug_user sees no DR6 cause and sends SIGTRAP,
     * TRAP_BRKPT, at the next instruction (arch/x86/kernel/traps.c). */
    case TRAP_DB: signal_raise_trap(p, SIGTRAP, TRAP_BRKPT, p->cpu.rip); break;
    /* int 4: do_error_trap(..., SIGSEGV, 0, NULL): SI_KERNEL. */
    case TRAP_OF: signal_raise_trap(p, SIGSEGV, SI_KERNEL, 0); break;
    case TRAP_MF:
    case TRAP_XM:
      signal_raise_trap(p, SIGFPE, fpe_code(t->error | t->code), t->rip);
      break;
    case TRAP_COMPAT: crash_compat_mode(p); break;
    case TRAP_NONE:
    case TRAP_BUDGET: break;
    }
    /* Signals from outside (host_signal.c) and expired --deterministic
     * timers are delivered at the instruction boundary the CPU stopped
     * at, as Linux delivers them on the way back to user mode. */
    if (budget != UINT64_MAX)
      timers_expire(p);
    if (p->cpu.interrupt)
      host_signals_drain(p);
    if (sigqueue_pending(p) & ~p->sigmask)
      signal_check(p);
    det_maybe_switch(p); /* --deterministic: the quantum is over */
  }
  /* A thread that is not the last ends in thread_finish; the group's
   * end returns here, on the leader. */
  thread_finish(p);
  vfork_release(p); /* exit_mm: a vfork parent runs again */
  return p->fatal_signal ? 128 + p->fatal_signal : p->exit_status;
}
