/* Shared helpers of the SSE handlers (cpu/sse_*.c): MXCSR bits, XMM
 * operands with the SSE alignment rules, and the host-FP bridge that
 * runs floating-point operations under the guest's MXCSR. */
#ifndef EMU_SSE_H
#define EMU_SSE_H

#include <stdint.h>

#include "../cpu.h"

/* MXCSR (SDM vol. 1, 10.2.3). */
#define MXCSR_FLAGS 0x3fu
#define MXCSR_IE (1u << 0)
#define MXCSR_DE (1u << 1)
#define MXCSR_ZE (1u << 2)
#define MXCSR_OE (1u << 3)
#define MXCSR_UE (1u << 4)
#define MXCSR_PE (1u << 5)
#define MXCSR_DAZ (1u << 6)
#define MXCSR_MASKS 0x1f80u
#define MXCSR_MASK_SHIFT 7
#define MXCSR_RC_SHIFT 13
#define MXCSR_RC (3u << MXCSR_RC_SHIFT)
#define MXCSR_FTZ (1u << 15)
#define MXCSR_MM (1u << 17) /* AMD misaligned-SSE mode (APM vol. 2, 4.3) */
/* MXCSR_MASK of this CPU (AMD Zen: fxsave stores 0x2ffff). Writing any
 * other bit is #GP(0). */
#define MXCSR_WRITABLE 0x2ffffu

/* How a 128-bit memory operand must be aligned (SDM vol. 1, 4.1.1;
 * AMD APM vol. 1, 4.3.2 for MXCSR.MM). */
enum sse_align {
  SSE_UNALIGNED,     /* movups, movdqu, lddqu, pcmpXstrX */
  SSE_ALIGNED,       /* legacy SSE m128 operands; MXCSR.MM lifts it */
  SSE_ALIGNED_ALWAYS /* movaps/movdqa/movnt*: #GP even with MM */
};

static inline union xmm *sse_dst(struct cpu *c, const struct insn *i) {
  return &c->xmm[i->reg];
}

/* --- cpu/sse_operand.c --- */
void sse_check_align(struct cpu *c, uint64_t addr, enum sse_align align);
void sse_load128(struct cpu *c, uint64_t addr, union xmm *v,
                 enum sse_align align);
void sse_store128(struct cpu *c, uint64_t addr, const union xmm *v,
                  enum sse_align align);
/* The ModRM r/m operand as a whole XMM register or an m128. */
void sse_src128(struct cpu *c, const struct insn *i, union xmm *v,
                enum sse_align align);
/* The r/m operand of an instruction that reads only `bytes` of memory
 * (scalar forms, pmovzx, movddup): a register is copied whole; memory
 * fills the low bytes and zeroes the rest. No alignment rule applies. */
void sse_src_low(struct cpu *c, const struct insn *i, union xmm *v, int bytes);

/* The implicit [DS:rDI] destination of maskmovdqu / maskmovq, with the
 * address size and any FS/GS override (cpu/sse_move.c). */
uint64_t sse_rdi_address(struct cpu *c, const struct insn *i);

/* --- packed-integer operations shared by the XMM and MMX forms --- */
/* A kernel computes d = op(d, s) over the low `n` bytes (16 for XMM, 8
 * for MMX); the upper bytes of both are zero for MMX and unused. It may
 * read the instruction's imm and arg. */
typedef void (*simd_kernel)(union xmm *d, const union xmm *s, int n,
                            const struct insn *i);
/* XMM form: xmm1 = op(xmm1, xmm2/m128), 16-byte alignment rule. */
void sse_binop(struct cpu *c, const struct insn *i, simd_kernel k);
/* MMX form: mm1 = op(mm1, mm2/m64), or an m32 when `mem_bytes` is 4
 * (punpckl*). */
void mmx_binop(struct cpu *c, const struct insn *i, simd_kernel k,
               int mem_bytes);
/* The handlers of both forms of one kernel k_NAME: op_NAME (XMM) and
 * op_NAME_mm (MMX). */
#define SIMD_XMM(NAME)                                                         \
  void op_##NAME(struct cpu *c, const struct insn *i) {                        \
    sse_binop(c, i, k_##NAME);                                                 \
  }
/* Only the MMX form: the XMM form is a fast body (cpu/sse_fast.c). */
#define SIMD_MMX_MEM(NAME, MEM_BYTES)                                          \
  void op_##NAME##_mm(struct cpu *c, const struct insn *i) {                   \
    mmx_binop(c, i, k_##NAME, MEM_BYTES);                                      \
  }
#define SIMD_BOTH_MEM(NAME, MEM_BYTES)                                         \
  SIMD_XMM(NAME)                                                               \
  SIMD_MMX_MEM(NAME, MEM_BYTES)
#define SIMD_BOTH(NAME) SIMD_BOTH_MEM(NAME, 8)

/* --- cpu/mmx_state.c: the MMX registers, aliased onto the x87 ---
 * MMi is the mantissa of the physical x87 register Ri (SDM vol. 1,
 * 9.5). Every MMX instruction but emms first takes a pending unmasked
 * x87 exception (#MF), then sets TOP = 0 and every tag valid; a write
 * to MMi sets bits 64..79 of Ri to all ones. */
void mmx_check_pending(struct cpu *c); /* #MF if FSW.ES */
void mmx_enter(struct cpu *c);         /* TOP = 0, tags valid */
void mmx_begin(struct cpu *c);         /* both, as an MMX form starts */
static inline uint64_t mmx_get(const struct cpu *c, unsigned n) {
  return c->fpu.st[n & 7].mantissa;
}
static inline void mmx_set(struct cpu *c, unsigned n, uint64_t v) {
  c->fpu.st[n & 7].mantissa = v;
  c->fpu.st[n & 7].sign_exponent = 0xffff;
}
/* The r/m operand of an MMX form: mm register or m64 (no alignment). */
uint64_t mmx_src64(struct cpu *c, const struct insn *i);

/* --- cpu/sse_fp_env.c: the host-FP bridge --- */
/* A host operation: computes *d = op(*d, *s) (imm where the instruction
 * takes one) with the host's MXCSR set to `mxcsr` with all exceptions
 * masked and no flags, and returns the exception flags it raised. */
typedef uint32_t (*sse_host_fn)(union xmm *d, const union xmm *s,
                                uint32_t mxcsr);
/* Live mode (cpu/sse_fp_env.c): while every MXCSR exception is masked,
 * the host MXCSR holds the guest's control bits from the first floating-
 * point operation until sse_host_sync, and the host collects the sticky
 * flags. sse_host_enter loads it (false, and nothing changes, when an
 * exception is unmasked); sse_host_sync folds the flags into c->mxcsr
 * and gives the host its MXCSR back. cpu_run syncs as it returns, and
 * every handler that reads or writes c->mxcsr's flags or masks syncs
 * first. Handlers may read the control bits at any time. */
bool sse_host_enter(struct cpu *c);
void sse_host_sync(struct cpu *c);
static inline bool sse_host_ready(struct cpu *c) {
  return __builtin_expect(c->host_mxcsr_live, 1) || sse_host_enter(c);
}
/* Passed as the mxcsr of a host operation (never a valid MXCSR bit):
 * run the bare instruction under the live MXCSR; it returns 0. */
#define SSE_HOST_LIVE 0x80000000u

/* Merge flags raised by a host operation into the guest MXCSR; raise
 * #XM (without writing any destination) if one of them is unmasked. */
void sse_fp_flags(struct cpu *c, uint32_t raised);
/* The flags `raised` by the host operation fn(d, s) under `mxcsr`, with
 * the precision flag made the hardware's when an unmasked overflow or
 * underflow fires in add/sub/mul/div (cpu/sse_fp_precision.c). */
uint32_t sse_fp_precision(sse_host_fn fn, const union xmm *d,
                          const union xmm *s, uint32_t mxcsr, uint32_t raised);
/* Run `fn` on a copy of the destination and commit it. */
void sse_fp_run(struct cpu *c, const struct insn *i, sse_host_fn fn,
                const union xmm *src);

#endif
