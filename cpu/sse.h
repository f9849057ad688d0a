/* Shared helpers of the SSE handlers (cpu/sse_*.c): MXCSR bits, XMM
 * operands with the SSE alignment rules, and the host-FP bridge that
 * runs floating-point operations under the guest's MXCSR. */
#ifndef EMU_SSE_H
#define EMU_SSE_H

#include <stdint.h>

#include "cpu.h"

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

/* --- cpu/sse_fp_env.c: the host-FP bridge --- */
/* A host operation: computes *d = op(*d, *s) (imm where the instruction
 * takes one) with the host's MXCSR set to `mxcsr` with all exceptions
 * masked and no flags, and returns the exception flags it raised. */
typedef uint32_t (*sse_host_fn)(union xmm *d, const union xmm *s,
                                uint32_t mxcsr);
/* Merge flags raised by a host operation into the guest MXCSR; raise
 * #XM (without writing any destination) if one of them is unmasked. */
void sse_fp_flags(struct cpu *c, uint32_t raised);
/* Run `fn` on a copy of the destination and commit it. */
void sse_fp_run(struct cpu *c, const struct insn *i, sse_host_fn fn,
                const union xmm *src);

#endif
