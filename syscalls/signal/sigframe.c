/* Signal delivery to guest handlers and rt_sigreturn, with the x86-64
 * frame Linux builds (arch/x86/kernel/signal.c, signal_64.c): below the
 * red zone, the FXSAVE-format FPU state, then struct rt_sigframe
 * { pretcode, ucontext, siginfo }, aligned so that the handler starts as
 * if called (RSP + 8 is 16-byte aligned). */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>

#include "../../cpu/x87/x87.h"
#include "../core_handlers.h"
#include "../process.h"

#define K_SA_SIGINFO 0x00000004u
#define K_SA_ONSTACK 0x08000000u
#define K_SA_RESTORER 0x04000000u
#define K_SA_NODEFER 0x40000000u
#define K_SA_RESETHAND 0x80000000u
#define K_SS_ONSTACK 1
#define K_SS_DISABLE 2

/* struct sigcontext (arch/x86/include/uapi/asm/sigcontext.h), 256 bytes. */
struct k_sigcontext {
  uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
  uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
  uint16_t cs, gs, fs, ss;
  uint64_t err, trapno, oldmask, cr2;
  uint64_t fpstate;
  uint64_t reserved1[8];
};

struct k_ucontext {
  uint64_t uc_flags;
  uint64_t uc_link;
  uint64_t ss_sp;
  int32_t ss_flags, pad;
  uint64_t ss_size;
  struct k_sigcontext mcontext;
  uint64_t sigmask;
};

struct k_rt_sigframe {
  uint64_t pretcode;
  struct k_ucontext uc;
  struct guest_siginfo info;
};

_Static_assert(sizeof(struct k_sigcontext) == 256, "sigcontext layout");
_Static_assert(sizeof(struct guest_siginfo) == 128, "siginfo layout");

#define UC_FP_XSTATE 1
#define UC_SIGCONTEXT_SS 2
#define UC_STRICT_RESTORE_SS 4
#define FXSAVE_BYTES 512

/* The FPU state as the kernel's xsave64 leaves it (FXSAVE format). */
static void save_fpu(struct cpu *c, uint8_t img[FXSAVE_BYTES]) {
  memset(img, 0, FXSAVE_BYTES);
  cpu_fxsave_image(c, img, true);
}

/* Linux 6.x restores with fxrstor64 from the frame, and a reserved MXCSR
 * bit makes rt_sigreturn fail (SIGSEGV); this caller cannot report that,
 * so the reserved bits are dropped instead, as older kernels did. */
static void restore_fpu(struct cpu *c, const uint8_t img[FXSAVE_BYTES]) {
  if (cpu_fxrstor_image(c, img, true) == 0)
    return;
  uint8_t fixed[FXSAVE_BYTES];
  memcpy(fixed, img, FXSAVE_BYTES);
  fixed[26] = fixed[27] = 0; /* MXCSR bits 16..31 (the MM bit with them) */
  cpu_fxrstor_image(c, fixed, true);
}

/* trapno and err as Linux fills them in, from thread.trap_nr and
 * thread.error_code: those of the exception that raised the signal, with
 * X86_PF_PROT added to a page fault above TASK_SIZE_MAX (arch/x86/mm/
 * fault.c hides whether kernel addresses are mapped); a signal no
 * exception raised gets those of the last one that did (stale, as in
 * Linux; 0 before any). */
static uint64_t last_trapno, last_err;

static void exception_info(const struct cpu *c, struct k_sigcontext *m) {
  m->trapno = last_trapno, m->err = last_err;
  static const uint8_t vector[] = {
      [TRAP_DE] = 0,  [TRAP_DB] = 1,  [TRAP_BP] = 3,
      [TRAP_OF] = 4,  [TRAP_UD] = 6,  [TRAP_GP] = 13,
      [TRAP_PF] = 14, [TRAP_MF] = 16, [TRAP_XM] = 19};
  switch (c->trap.kind) {
  case TRAP_DE:
  case TRAP_DB:
  case TRAP_BP:
  case TRAP_OF:
  case TRAP_UD:
  case TRAP_MF:
  case TRAP_XM:
    m->trapno = vector[c->trap.kind];
    m->err = 0;
    break;
  case TRAP_GP:
  case TRAP_SS:
    m->trapno = c->trap.kind == TRAP_GP ? 13 : 12;
    m->err = c->trap.error;
    break;
  case TRAP_PF:
    m->trapno = 14;
    m->err = c->trap.error & 0xffff;
    if (c->trap.addr >= 0x7ffffffff000ull)
      m->err |= 1; /* X86_PF_PROT */
    break;
  default: return;
  }
  last_trapno = m->trapno, last_err = m->err;
}

static bool on_altstack(struct process *p, uint64_t sp) {
  return p->altstack.size && sp > p->altstack.sp &&
         sp <= p->altstack.sp + p->altstack.size;
}

bool signal_deliver(struct process *p, const struct guest_siginfo *info) {
  int sig = info->signo;
  struct cpu *c = &p->cpu;
  struct guest_sigaction *act = &p->sighand->sigactions[sig - 1];
  uint64_t sp = c->gpr[RSP];
  int ss_flags =
      p->altstack.size ? (on_altstack(p, sp) ? K_SS_ONSTACK : 0) : K_SS_DISABLE;
  if ((act->flags & K_SA_ONSTACK) && ss_flags == 0)
    sp = p->altstack.sp + p->altstack.size;
  else
    sp -= 128; /* the ABI's red zone */
  uint64_t fp = (sp - FXSAVE_BYTES) & ~63ull;
  uint64_t frame = ((fp - sizeof(struct k_rt_sigframe)) & ~15ull) - 8;

  struct k_rt_sigframe f;
  memset(&f, 0, sizeof f);
  f.pretcode = act->restorer;
  f.uc.uc_flags = UC_FP_XSTATE | UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
  f.uc.uc_flags &= ~(uint64_t)UC_FP_XSTATE; /* plain FXSAVE format */
  f.uc.ss_sp = p->altstack.sp;
  f.uc.ss_flags = ss_flags;
  f.uc.ss_size = p->altstack.size;
  struct k_sigcontext *m = &f.uc.mcontext;
  const uint64_t *g = c->gpr;
  m->r8 = g[R8], m->r9 = g[R9], m->r10 = g[R10], m->r11 = g[R11];
  m->r12 = g[R12], m->r13 = g[R13], m->r14 = g[R14], m->r15 = g[R15];
  m->rdi = g[RDI], m->rsi = g[RSI], m->rbp = g[RBP], m->rbx = g[RBX];
  m->rdx = g[RDX], m->rax = g[RAX], m->rcx = g[RCX], m->rsp = g[RSP];
  m->rip = c->rip;
  m->eflags = cpu_get_flags(c);
  /* CS and SS cannot change in 64-bit user mode; Linux stores 0 for FS
   * and GS (the selectors are not part of the frame; signal delivery
   * leaves them as they are). */
  m->cs = CPU_USER_CS, m->ss = CPU_USER_SS;
  /* cr2: a fault's address (si_code > 0 carries one; kill's do not). */
  m->cr2 =
      (sig == SIGSEGV || sig == SIGBUS) && info->code > 0 ? info->u.addr : 0;
  exception_info(c, m);
  /* After a wait under a temporary mask, the frame restores the mask
   * from before the wait (signal.c: signal_wait_interrupted). */
  uint64_t restore = p->restore_sigmask ? p->saved_sigmask : p->sigmask;
  /* A handler runs after an interrupted call: it fails with EINTR or
   * starts again when the handler returns (syscalls/signal/restart.c). */
  if (p->syscall_restart)
    restart_for_handler(p, act->flags, &m->rax, &m->rip);
  m->oldmask = restore;
  m->fpstate = fp;
  f.uc.sigmask = restore;
  f.info = *info;
  uint8_t fpu[FXSAVE_BYTES];
  save_fpu(c, fpu);
  if (!(act->flags & K_SA_RESTORER) ||
      copy_to_guest(&p->mmu, fp, fpu, sizeof fpu) < 0 ||
      copy_to_guest(&p->mmu, frame, &f, sizeof f) < 0)
    return false;

  c->gpr[RDI] = (uint64_t)sig;
  c->gpr[RSI] = frame + offsetof(struct k_rt_sigframe, info);
  c->gpr[RDX] = frame + offsetof(struct k_rt_sigframe, uc);
  c->gpr[RAX] = 0;
  c->gpr[RSP] = frame;
  c->rip = act->handler;
  /* The handler runs with DF and TF clear (Linux clears them). */
  cpu_set_flags(c, cpu_get_flags(c) & ~(uint64_t)(FLAG_DF | FLAG_TF));
  p->restore_sigmask = false;
  p->sigmask |= act->mask;
  if (!(act->flags & K_SA_NODEFER))
    p->sigmask |= 1ull << (sig - 1);
  p->sigmask &= ~((1ull << (SIGKILL - 1)) | (1ull << (SIGSTOP - 1)));
  if (act->flags & K_SA_RESETHAND)
    act->handler = (uint64_t)SIG_DFL;
  p->sig->stats.signals++;
  cpu_segments_after_iret(c);
  return true;
}

uint64_t sigframe_mask_addr(const struct process *p) {
  /* The handler's ret popped pretcode: rsp is at the ucontext. */
  return p->cpu.gpr[RSP] + offsetof(struct k_ucontext, sigmask);
}

int64_t sys_rt_sigreturn(struct process *p, const uint64_t a[6]) {
  (void)a;
  struct cpu *c = &p->cpu;
  /* The handler's ret popped pretcode: the frame starts 8 bytes below. */
  uint64_t frame = c->gpr[RSP] - 8;
  struct k_rt_sigframe f;
  if (copy_from_guest(&p->mmu, &f, frame, sizeof f) < 0) {
    signal_kill(p, SIGSEGV, SI_KERNEL, 0);
    return 0;
  }
  const struct k_sigcontext *m = &f.uc.mcontext;
  uint64_t *g = c->gpr;
  g[R8] = m->r8, g[R9] = m->r9, g[R10] = m->r10, g[R11] = m->r11;
  g[R12] = m->r12, g[R13] = m->r13, g[R14] = m->r14, g[R15] = m->r15;
  g[RDI] = m->rdi, g[RSI] = m->rsi, g[RBP] = m->rbp, g[RBX] = m->rbx;
  g[RDX] = m->rdx, g[RCX] = m->rcx, g[RSP] = m->rsp;
  c->rip = m->rip;
  uint64_t keep = cpu_get_flags(c) & ~(uint64_t)FLAGS_USER_WRITABLE;
  cpu_set_flags(c, keep | (m->eflags & FLAGS_USER_WRITABLE));
  p->sigmask =
      f.uc.sigmask & ~((1ull << (SIGKILL - 1)) | (1ull << (SIGSTOP - 1)));
  if (m->fpstate) {
    uint8_t fpu[FXSAVE_BYTES];
    if (copy_from_guest(&p->mmu, fpu, m->fpstate, sizeof fpu) == 0)
      restore_fpu(c, fpu);
  }
  cpu_segments_after_iret(c);
  return (int64_t)m->rax;
}
