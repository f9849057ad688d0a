/* Differential harness for the SSE tests: the same instruction bytes run
 * natively on the host CPU (through a small trampoline) and in emu's CPU
 * from the same XMM0..3, RAX/RCX/RDX/RBX/RSI/RDI, RFLAGS, MXCSR, x87
 * state (the MMX registers: TOP, tags, R0..R7, loaded by fxrstor and
 * read back by fxsave) and two data pages; the results are compared bit
 * for bit, faults included (#GP <-> SIGSEGV, #XM and #MF <-> SIGFPE,
 * #UD <-> SIGILL). Header-only so each
 * tests/unit/test_sse*.c stays a self-contained check executable.
 *
 * The code page and data pages sit at the same addresses in both runs,
 * so memory operands can use [rsi] / [rsi+disp8] directly. The snippet
 * must not touch r13..r15 or rsp (the trampoline's). */
#ifndef EMU_TEST_SSE_HARNESS_H
#define EMU_TEST_SSE_HARNESS_H

#include <check.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#include "cpu/cpu.h"
#include "cpu/decode/optable.h"
#include "cpu/exec/block.h"
#include "mmu/mmu.h"

#define SSE_CODE_ADDR 0x30000000ull
#define SSE_DATA_ADDR 0x31000000ull
#define SSE_DATA_SIZE 0x2000u
/* A page after the data that is never mapped (PROT_NONE natively): an
 * operand there faults with #PF in both runs. */
#define SSE_GUARD_ADDR (SSE_DATA_ADDR + SSE_DATA_SIZE)

/* Offsets below are used by the trampoline: keep them in sync. */
struct sse_state {
  union xmm xmm[4]; /* 0 */
  uint64_t gpr[4];  /* 64: rax rcx rdx rbx */
  uint64_t rsi;     /* 96 */
  uint64_t rdi;     /* 104 */
  uint64_t flags;   /* 112 */
  uint32_t mxcsr;   /* 120 */
  uint32_t pad;
  int fault; /* 0, or the signal (native) / the trap mapped to one (emu) */
  uint32_t pad2;
  uint64_t pad3;
  /* 144: FXSAVE image; in: the x87 state to start from, out: the state
   * after the run (only FCW, FSW, FTW and ST0..7 are compared). */
  uint8_t fx[512] __attribute__((aligned(16)));
  uint8_t data[SSE_DATA_SIZE];
};
_Static_assert(__builtin_offsetof(struct sse_state, fx) == 144,
               "the trampoline's fxrstor/fxsave offset");

/* --- the native run --- */
void sse_native_enter(struct sse_state *s, const void *code);
__asm__(".text\n"
        ".globl sse_native_enter\n"
        "sse_native_enter:\n"
        "push %rbx; push %rbp; push %r12; push %r13; push %r14; push %r15\n"
        "sub $8, %rsp\n"
        "mov %rdi, %r15\n"
        "mov %rsi, %r14\n"
        "stmxcsr (%rsp)\n"
        "fninit\n"
        "fxrstor 144(%r15)\n"
        /* emu's cpu_init zeroes xmm4..15 */
        "pxor %xmm4, %xmm4; pxor %xmm5, %xmm5; pxor %xmm6, %xmm6\n"
        "pxor %xmm7, %xmm7; pxor %xmm8, %xmm8; pxor %xmm9, %xmm9\n"
        "pxor %xmm10, %xmm10; pxor %xmm11, %xmm11; pxor %xmm12, %xmm12\n"
        "pxor %xmm13, %xmm13; pxor %xmm14, %xmm14; pxor %xmm15, %xmm15\n"
        "movdqu 0(%r15), %xmm0; movdqu 16(%r15), %xmm1\n"
        "movdqu 32(%r15), %xmm2; movdqu 48(%r15), %xmm3\n"
        "ldmxcsr 120(%r15)\n"
        "lea 1f(%rip), %r13\n"
        "mov 64(%r15), %rax; mov 72(%r15), %rcx; mov 80(%r15), %rdx\n"
        "mov 88(%r15), %rbx; mov 96(%r15), %rsi; mov 104(%r15), %rdi\n"
        "pushq 112(%r15); popfq\n"
        "jmp *%r14\n"
        "1:\n"
        "pushfq; popq 112(%r15)\n"
        "cld\n"
        "mov %rax, 64(%r15); mov %rcx, 72(%r15); mov %rdx, 80(%r15)\n"
        "mov %rbx, 88(%r15); mov %rsi, 96(%r15); mov %rdi, 104(%r15)\n"
        "stmxcsr 120(%r15)\n"
        "movdqu %xmm0, 0(%r15); movdqu %xmm1, 16(%r15)\n"
        "movdqu %xmm2, 32(%r15); movdqu %xmm3, 48(%r15)\n"
        "fxsave 144(%r15)\n"
        "fninit\n"
        "ldmxcsr (%rsp)\n"
        "add $8, %rsp\n"
        "pop %r15; pop %r14; pop %r13; pop %r12; pop %rbp; pop %rbx\n"
        "ret\n");

static uint8_t *sse_native_code, *sse_native_data;
static struct sse_state *sse_native_state;
static sigjmp_buf sse_native_jmp;

/* A fault in the snippet: the state at the fault comes from the frame. */
static void sse_native_signal(int sig, siginfo_t *si, void *ctx) {
  (void)si;
  ucontext_t *uc = ctx;
  struct sse_state *s = sse_native_state;
  static const int map[4] = {REG_RAX, REG_RCX, REG_RDX, REG_RBX};
  for (int r = 0; r < 4; r++)
    s->gpr[r] = (uint64_t)uc->uc_mcontext.gregs[map[r]];
  s->rsi = (uint64_t)uc->uc_mcontext.gregs[REG_RSI];
  s->rdi = (uint64_t)uc->uc_mcontext.gregs[REG_RDI];
  s->flags = (uint64_t)uc->uc_mcontext.gregs[REG_EFL];
  s->mxcsr = uc->uc_mcontext.fpregs->mxcsr;
  memcpy(s->xmm, uc->uc_mcontext.fpregs->_xmm, sizeof s->xmm);
  memcpy(s->fx, uc->uc_mcontext.fpregs, sizeof s->fx);
  s->fault = sig;
  siglongjmp(sse_native_jmp, 1);
}

static void sse_native_setup(void) {
  sse_native_code =
      mmap((void *)SSE_CODE_ADDR, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  sse_native_data =
      mmap((void *)SSE_DATA_ADDR, SSE_DATA_SIZE, PROT_READ | PROT_WRITE,
           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  void *guard = mmap((void *)SSE_GUARD_ADDR, 4096, PROT_NONE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  ck_assert_ptr_eq(guard, (void *)SSE_GUARD_ADDR);
  ck_assert_ptr_eq(sse_native_code, (void *)SSE_CODE_ADDR);
  ck_assert_ptr_eq(sse_native_data, (void *)SSE_DATA_ADDR);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = sse_native_signal;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigaction(SIGSEGV, &sa, NULL);
  sigaction(SIGBUS, &sa, NULL);
  sigaction(SIGFPE, &sa, NULL);
  sigaction(SIGILL, &sa, NULL);
}

/* Run `len` bytes natively; *s is input and output. */
static void sse_native_run(struct sse_state *s, const uint8_t *code, int len) {
  memcpy(sse_native_code, code, (size_t)len);
  /* jmp *%r13 back to the trampoline */
  memcpy(sse_native_code + len, "\x41\xff\xe5", 3);
  memcpy(sse_native_data, s->data, SSE_DATA_SIZE);
  /* fxrstor loads MXCSR and XMM too: a valid MXCSR, XMM4..15 zero (the
   * trampoline then loads the real MXCSR and XMM0..3). */
  uint32_t mx = 0x1f80;
  memcpy(s->fx + 24, &mx, 4);
  memset(s->fx + 160, 0, 256);
  sse_native_state = s;
  s->fault = 0;
  if (!sigsetjmp(sse_native_jmp, 1))
    sse_native_enter(s, sse_native_code);
  memcpy(s->data, sse_native_data, SSE_DATA_SIZE);
  s->flags &= FLAGS_ARITH | FLAG_DF;
}

/* --- the emulated run --- */
static struct mmu sse_mmu;
/* One CPU, reset from its just-initialized image for every run (its
 * block cache flushed): no allocation per run, which matters under
 * ASan. */
static struct cpu sse_cpu, sse_cpu_fresh;
static uint64_t sse_code_frame, sse_data_frame[SSE_DATA_SIZE / 4096];

static void sse_emu_setup(void) {
  cpu_decode_init();
  ck_assert_int_eq(mmu_init(&sse_mmu, 16u << 20), 0);
  sse_code_frame = mmu_frame_alloc(&sse_mmu);
  ck_assert_int_eq(
      mmu_map(&sse_mmu, SSE_CODE_ADDR, sse_code_frame, PTE_U | PTE_W, NULL), 0);
  for (unsigned p = 0; p < SSE_DATA_SIZE / 4096; p++) {
    sse_data_frame[p] = mmu_frame_alloc(&sse_mmu);
    ck_assert_int_eq(mmu_map(&sse_mmu, SSE_DATA_ADDR + 4096 * p,
                             sse_data_frame[p], PTE_U | PTE_W, NULL),
                     0);
  }
  cpu_init(&sse_cpu, &sse_mmu);
  sse_cpu_fresh = sse_cpu;
}

static int sse_trap_signal(enum trap_kind k) {
  switch (k) {
  case TRAP_BP: return 0;
  case TRAP_GP:
  case TRAP_PF: return SIGSEGV;
  case TRAP_XM:
  case TRAP_MF: return SIGFPE;
  case TRAP_UD: return SIGILL;
  default: return 1000 + (int)k;
  }
}

/* The x87 state of an FXSAVE image into emu's struct x87 (physical
 * registers; ST(k) sits in slot k), and back. */
static void sse_emu_load_x87(struct x87 *f, const uint8_t *fx) {
  uint16_t fsw;
  memcpy(&f->control, fx, 2);
  memcpy(&fsw, fx + 2, 2);
  f->top = (fsw >> 11) & 7;
  f->status = fsw & (uint16_t)~0x3800;
  f->tag = 0;
  for (int k = 0; k < 8; k++) {
    struct x87_reg *r = &f->st[(f->top + k) & 7];
    memcpy(&r->mantissa, fx + 32 + 16 * k, 8);
    memcpy(&r->sign_exponent, fx + 40 + 16 * k, 2);
  }
  for (int r = 0; r < 8; r++)
    if (!((fx[4] >> r) & 1))
      f->tag |= (uint16_t)(3u << (2 * r));
}

static void sse_emu_store_x87(const struct x87 *f, uint8_t *fx) {
  uint16_t fsw = (uint16_t)((f->status & ~0x3800u) | (f->top & 7u) << 11);
  memcpy(fx, &f->control, 2);
  memcpy(fx + 2, &fsw, 2);
  fx[4] = 0;
  for (int r = 0; r < 8; r++)
    if (((f->tag >> (2 * r)) & 3) != 3)
      fx[4] |= (uint8_t)(1u << r);
  for (int k = 0; k < 8; k++) {
    const struct x87_reg *r = &f->st[(f->top + k) & 7];
    memcpy(fx + 32 + 16 * k, &r->mantissa, 8);
    memcpy(fx + 40 + 16 * k, &r->sign_exponent, 2);
  }
}

/* Keep only the compared parts of an FXSAVE image. */
static void sse_fx_normalize(uint8_t *fx) {
  memset(fx + 5, 0, 27);
  for (int k = 0; k < 8; k++)
    memset(fx + 42 + 16 * k, 0, 6);
  memset(fx + 160, 0, 512 - 160);
}

static void sse_emu_run(struct sse_state *s, const uint8_t *code, int len) {
  struct cpu *c = &sse_cpu;
  uint8_t *code_page = mmu_phys(&sse_mmu, sse_code_frame);
  memcpy(code_page, code, (size_t)len);
  code_page[len] = 0xcc; /* int3 */
  for (unsigned p = 0; p < SSE_DATA_SIZE / 4096; p++)
    memcpy(mmu_phys(&sse_mmu, sse_data_frame[p]), s->data + 4096 * p, 4096);
  *c = sse_cpu_fresh;
  if (c->blocks)
    block_cache_flush(c->blocks); /* the code page was rewritten */
  memcpy(c->xmm, s->xmm, sizeof s->xmm);
  for (int r = 0; r < 4; r++)
    c->gpr[r] = s->gpr[r];
  c->gpr[RSI] = s->rsi;
  c->gpr[RDI] = s->rdi;
  c->mxcsr = s->mxcsr;
  sse_emu_load_x87(&c->fpu, s->fx);
  cpu_set_flags(c, s->flags);
  c->rip = SSE_CODE_ADDR;
  s->fault = sse_trap_signal(cpu_run(c, 64));
  memcpy(s->xmm, c->xmm, sizeof s->xmm);
  for (int r = 0; r < 4; r++)
    s->gpr[r] = c->gpr[r];
  s->rsi = c->gpr[RSI];
  s->rdi = c->gpr[RDI];
  s->mxcsr = c->mxcsr;
  s->flags = cpu_get_flags(c) & (FLAGS_ARITH | FLAG_DF);
  sse_emu_store_x87(&c->fpu, s->fx);
  for (unsigned p = 0; p < SSE_DATA_SIZE / 4096; p++)
    memcpy(s->data + 4096 * p, mmu_phys(&sse_mmu, sse_data_frame[p]), 4096);
}

static void sse_harness_setup(void) {
  static int done;
  if (done++)
    return;
  sse_native_setup();
  sse_emu_setup();
}

/* --- random inputs --- */
static uint64_t sse_rng = 0x9e3779b97f4a7c15ull;
static uint64_t sse_rand(void) {
  sse_rng ^= sse_rng << 13;
  sse_rng ^= sse_rng >> 7;
  sse_rng ^= sse_rng << 17;
  return sse_rng;
}

/* Special floating-point and integer bit patterns mixed into inputs. */
static uint32_t sse_special32(void) {
  static const uint32_t v[] = {
      0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000,
      0xff800000, 0x7fc00000, 0xffc00000, 0x7f800001, 0x7fa00000,
      0x00000001, 0x807fffff, 0x00800000, 0x7f7fffff, 0x4f000000,
      0xcf000000, 0x5f000000, 0x3f000000, 0x00400000, 0x0000ffff,
      0xffffffff, 0x7fffffff, 0x80000001, 0x4b000000, 0x3fc00000};
  return v[sse_rand() % (sizeof v / sizeof v[0])];
}
static uint64_t sse_special64(void) {
  static const uint64_t v[] = {0,
                               0x8000000000000000ull,
                               0x3ff0000000000000ull,
                               0xbff0000000000000ull,
                               0x7ff0000000000000ull,
                               0xfff0000000000000ull,
                               0x7ff8000000000000ull,
                               0xfff8000000000000ull,
                               0x7ff0000000000001ull,
                               0x7ff4000000000000ull,
                               1,
                               0x800fffffffffffffull,
                               0x0010000000000000ull,
                               0x7fefffffffffffffull,
                               0x41e0000000000000ull,
                               0xc1e0000000000000ull,
                               0x43e0000000000000ull,
                               0x3fe0000000000000ull,
                               0x3ff8000000000000ull,
                               0x4330000000000000ull,
                               0xffffffffffffffffull,
                               0x7fffffffffffffffull,
                               0x0008000000000000ull,
                               0x3810000000000000ull,
                               0x47efffffe0000000ull};
  return v[sse_rand() % (sizeof v / sizeof v[0])];
}

/* Random 16 bytes: random bits, float or double specials, or moderate
 * numbers, lane by lane. */
static void sse_random_xmm(union xmm *x) {
  int kind = (int)(sse_rand() % 4);
  for (int k = 0; k < 2; k++) {
    uint64_t r = sse_rand();
    switch (kind) {
    case 0: x->u64[k] = r; break;
    case 1:
      x->u32[2 * k] = (r & 1) ? sse_special32() : (uint32_t)sse_rand();
      x->u32[2 * k + 1] = (r & 2) ? sse_special32() : (uint32_t)sse_rand();
      break;
    case 2: x->u64[k] = (r & 1) ? sse_special64() : sse_rand(); break;
    default: {
      /* numbers near 1.0 in both formats, and small integers */
      if (r & 1) {
        x->u64[k] = 0x3fe0000000000000ull + (sse_rand() >> 12) +
                    ((sse_rand() % 8) << 52);
      } else {
        x->u32[2 * k] = 0x3f000000u + (uint32_t)(sse_rand() >> 41) +
                        (uint32_t)((sse_rand() % 8) << 23);
        x->u32[2 * k + 1] = (uint32_t)(sse_rand() % 200) - 100;
      }
    }
    }
  }
}

static uint64_t sse_random_gpr(void) {
  uint64_t r = sse_rand();
  switch (sse_rand() % 4) {
  case 0: return r;
  case 1: return r % 1000;
  case 2: return (uint64_t) - (int64_t)(r % 1000);
  default: return sse_special64();
  }
}

static uint32_t sse_random_mxcsr(void) {
  uint32_t m = 0x1f80;
  m |= (uint32_t)(sse_rand() % 4) << 13; /* RC */
  if (sse_rand() % 3 == 0)
    m |= 1u << 6; /* DAZ */
  if (sse_rand() % 3 == 0)
    m |= 1u << 15; /* FTZ */
  if (sse_rand() % 4 == 0)
    m |= (uint32_t)(sse_rand() & 0x3f); /* sticky flags */
  /* Unmask some exceptions (overflow and underflow too: the precision
   * flag then follows the unbounded-exponent result,
   * cpu/sse_fp_precision.c). */
  if (sse_rand() % 5 == 0)
    m &= ~((uint32_t)(sse_rand() & 0x3f) << 7);
  if (sse_rand() % 10 == 0)
    m |= 1u << 17; /* AMD misaligned-SSE mode */
  return m;
}

/* A random x87 state as an FXSAVE image: TOP, tags (abridged), and
 * register contents, either MMX-like (exponent all ones) or anything;
 * now and then a pending unmasked exception (MMX instructions: #MF). */
static void sse_random_x87(uint8_t *fx) {
  memset(fx, 0, 512);
  uint16_t fcw = 0x037f, fsw = (uint16_t)((sse_rand() % 8) << 11);
  if (sse_rand() % 2) /* in MMX state already */
    fsw = 0, fx[4] = 0xff;
  else
    fx[4] = (uint8_t)sse_rand();
  if (sse_rand() % 16 == 0) {
    fcw &= (uint16_t)~1u; /* invalid-operation exception unmasked... */
    fsw |= 0x8081;        /* ...and pending: IE, ES, B */
  }
  memcpy(fx, &fcw, 2);
  memcpy(fx + 2, &fsw, 2);
  for (int k = 0; k < 8; k++) {
    uint64_t m = sse_rand();
    uint16_t e = sse_rand() % 2 ? 0xffff : (uint16_t)sse_rand();
    memcpy(fx + 32 + 16 * k, &m, 8);
    memcpy(fx + 40 + 16 * k, &e, 2);
  }
}

static void sse_random_state(struct sse_state *s) {
  memset(s, 0, sizeof *s);
  for (int k = 0; k < 4; k++)
    sse_random_xmm(&s->xmm[k]);
  for (int r = 0; r < 4; r++)
    s->gpr[r] = sse_random_gpr();
  for (unsigned k = 0; k < SSE_DATA_SIZE; k += 16)
    sse_random_xmm((union xmm *)(s->data + k));
  /* Mostly aligned operands, sometimes not. */
  uint64_t off = (sse_rand() % 64) * 16;
  if (sse_rand() % 6 == 0)
    off += sse_rand() % 16;
  s->rsi = SSE_DATA_ADDR + off;
  s->rdi = SSE_DATA_ADDR + 0x1000 + sse_rand() % 0x800;
  /* Now and then a faulting operand: #PF in the guard page, or #GP at
   * a non-canonical address (the order of faults against other effects
   * matters, e.g. the MMX transition). */
  switch (sse_rand() % 32) {
  case 0: s->rsi = SSE_GUARD_ADDR + (sse_rand() % 64) * 16; break;
  case 1: s->rsi = 0x8000000000000000ull + (sse_rand() % 64) * 16; break;
  case 2: s->rdi = SSE_GUARD_ADDR + sse_rand() % 0x800; break;
  case 3: s->rdi = 0x8000000000000000ull + sse_rand() % 0x800; break;
  default: break;
  }
  s->flags = sse_rand() & FLAGS_ARITH;
  s->mxcsr = sse_random_mxcsr();
  sse_random_x87(s->fx);
}

static void sse_print_state(const char *who, const struct sse_state *s) {
  fprintf(stderr, "  %s: fault %d mxcsr %08x flags %03llx\n", who, s->fault,
          s->mxcsr, (unsigned long long)s->flags);
  for (int k = 0; k < 4; k++)
    fprintf(stderr, "    xmm%d %016llx %016llx\n", k,
            (unsigned long long)s->xmm[k].u64[1],
            (unsigned long long)s->xmm[k].u64[0]);
  fprintf(stderr, "    rax %llx rcx %llx rdx %llx rbx %llx rsi %llx\n",
          (unsigned long long)s->gpr[0], (unsigned long long)s->gpr[1],
          (unsigned long long)s->gpr[2], (unsigned long long)s->gpr[3],
          (unsigned long long)s->rsi);
  uint16_t fcw, fsw;
  memcpy(&fcw, s->fx, 2);
  memcpy(&fsw, s->fx + 2, 2);
  fprintf(stderr, "    fcw %04x fsw %04x ftw %02x (ST(k) = R[(top + k) & 7])\n",
          fcw, fsw, s->fx[4]);
  for (int k = 0; k < 8; k++) {
    uint64_t m;
    uint16_t e;
    memcpy(&m, s->fx + 32 + 16 * k, 8);
    memcpy(&e, s->fx + 40 + 16 * k, 2);
    fprintf(stderr, "    st%d %04x %016llx\n", k, e, (unsigned long long)m);
  }
}

/* Run `code` both ways from `in`; returns 1 when the results agree
 * (RFLAGS compared under `flag_mask`, MXCSR under `mxcsr_mask`), else
 * prints both and returns 0. */
static int sse_compare(const char *name, const uint8_t *code, int len,
                       const struct sse_state *in, uint64_t flag_mask,
                       uint32_t mxcsr_mask) {
  static struct sse_state native, emu;
  native = *in;
  emu = *in;
  sse_native_run(&native, code, len);
  sse_emu_run(&emu, code, len);
  native.flags &= flag_mask;
  emu.flags &= flag_mask;
  native.mxcsr &= mxcsr_mask;
  emu.mxcsr &= mxcsr_mask;
  sse_fx_normalize(native.fx);
  sse_fx_normalize(emu.fx);
  int same = native.fault == emu.fault &&
             !memcmp(native.xmm, emu.xmm, sizeof native.xmm) &&
             !memcmp(native.gpr, emu.gpr, sizeof native.gpr) &&
             native.rsi == emu.rsi && native.rdi == emu.rdi &&
             native.mxcsr == emu.mxcsr && native.flags == emu.flags &&
             !memcmp(native.fx, emu.fx, sizeof native.fx) &&
             !memcmp(native.data, emu.data, SSE_DATA_SIZE);
  if (!same) {
    fprintf(stderr, "MISMATCH %s: bytes", name);
    for (int k = 0; k < len; k++)
      fprintf(stderr, " %02x", code[k]);
    fprintf(stderr, "\n");
    sse_print_state("input ", in);
    if (in->rsi >= SSE_DATA_ADDR &&
        in->rsi < SSE_DATA_ADDR + SSE_DATA_SIZE - 16) {
      const uint8_t *m = in->data + (in->rsi - SSE_DATA_ADDR);
      fprintf(stderr, "    [rsi]:");
      for (int k = 15; k >= 0; k--)
        fprintf(stderr, "%s%02x", k == 7 ? " " : "", m[k]);
      fprintf(stderr, " (then %02x.. at +16)\n", m[16]);
    }
    sse_print_state("native", &native);
    sse_print_state("emu   ", &emu);
    int shown = 0;
    for (unsigned k = 0; k < SSE_DATA_SIZE && shown < 8; k++)
      if (native.data[k] != emu.data[k])
        fprintf(stderr, "    data +%#x: input %02x native %02x emu %02x\n", k,
                in->data[k], native.data[k], emu.data[k]),
            shown++;
  }
  return same;
}

#endif
