/* SSE floating-point arithmetic: add, sub, mul, div, min, max, sqrt,
 * rcp, rsqrt, addsub, horizontal add/sub, round, dot products and the
 * cmpps family (SDM vol. 1, 10.4.2 / 11.4.1; vol. 2 entries). The
 * arithmetic itself runs on the host under the guest MXCSR
 * (cpu/sse_fp_env.c); this file picks operands and forms. */
#include "sse_fast.h"

/* Packed form: xmm/m128 source, aligned. */
static void fp_packed(struct cpu *c, const struct insn *i, sse_host_fn fn) {
  union xmm s;
  sse_src128(c, i, &s, SSE_ALIGNED);
  sse_fp_run(c, i, fn, &s);
}

/* Scalar form: xmm/m32 or xmm/m64 source, no alignment rule. */
static void fp_scalar(struct cpu *c, const struct insn *i, sse_host_fn fn,
                      int bytes) {
  union xmm s;
  sse_src_low(c, i, &s, bytes);
  sse_fp_run(c, i, fn, &s);
}

/* The per-operation path of the fast bodies (cpu/sse_fast.h). */
void sse_fp_op(struct cpu *c, const struct insn *i, sse_host_fn fn, int bytes) {
  if (bytes == 16)
    fp_packed(c, i, fn);
  else
    fp_scalar(c, i, fn, bytes);
}

#define FP_PACKED(NAME)                                                        \
  void op_##NAME(struct cpu *c, const struct insn *i) {                        \
    fp_packed(c, i, sse_host_##NAME);                                          \
  }
#define FP_SCALAR(NAME, BYTES)                                                 \
  void op_##NAME(struct cpu *c, const struct insn *i) {                        \
    fp_scalar(c, i, sse_host_##NAME, BYTES);                                   \
  }

/* add, sub, mul, div, min, max, sqrt: cpu/sse_fast.c. */
FP_PACKED(rcpps)
FP_SCALAR(rcpss, 4)
FP_PACKED(rsqrtps)
FP_SCALAR(rsqrtss, 4)
FP_PACKED(addsubps)
FP_PACKED(addsubpd)
FP_PACKED(haddps)
FP_PACKED(haddpd)
FP_PACKED(hsubps)
FP_PACKED(hsubpd)

/* cmpps/cmppd/cmpss/cmpsd: imm8[2:0] is the predicate (EQ, LT, LE,
 * UNORD, NEQ, NLT, NLE, ORD); the legacy encodings ignore imm8[7:3]. */
#define CMP_TABLE(T)                                                           \
  static const sse_host_fn cmp_##T[8] = {                                      \
      sse_host_cmpeq##T,    sse_host_cmplt##T,  sse_host_cmple##T,             \
      sse_host_cmpunord##T, sse_host_cmpneq##T, sse_host_cmpnlt##T,            \
      sse_host_cmpnle##T,   sse_host_cmpord##T};
CMP_TABLE(ps)
CMP_TABLE(pd)
CMP_TABLE(ss)
CMP_TABLE(sd)

void op_cmpps(struct cpu *c, const struct insn *i) {
  fp_packed(c, i, cmp_ps[i->imm & 7]);
}
void op_cmppd(struct cpu *c, const struct insn *i) {
  fp_packed(c, i, cmp_pd[i->imm & 7]);
}
void op_cmpss(struct cpu *c, const struct insn *i) {
  fp_scalar(c, i, cmp_ss[i->imm & 7], 4);
}
void op_cmpsd(struct cpu *c, const struct insn *i) {
  fp_scalar(c, i, cmp_sd[i->imm & 7], 8);
}

/* round* (SSE4.1): imm8[1:0] is a rounding mode used instead of
 * MXCSR.RC unless imm8[2] is set; imm8[3] suppresses the precision
 * exception. The host form reads RC from the MXCSR we hand it. */
static void fp_round(struct cpu *c, const struct insn *i, sse_host_fn fn,
                     sse_host_fn fn_np, int bytes) {
  union xmm s, d = *sse_dst(c, i);
  if (bytes == 16)
    sse_src128(c, i, &s, SSE_ALIGNED);
  else
    sse_src_low(c, i, &s, bytes);
  uint32_t mx = c->mxcsr;
  if (!(i->imm & 4))
    mx = (mx & ~MXCSR_RC) | (uint32_t)(i->imm & 3) << MXCSR_RC_SHIFT;
  uint32_t raised = ((i->imm & 8) ? fn_np : fn)(&d, &s, mx);
  sse_fp_flags(c, raised);
  *sse_dst(c, i) = d;
}

void op_roundps(struct cpu *c, const struct insn *i) {
  fp_round(c, i, sse_host_roundps, sse_host_roundps_np, 16);
}
void op_roundpd(struct cpu *c, const struct insn *i) {
  fp_round(c, i, sse_host_roundpd, sse_host_roundpd_np, 16);
}
void op_roundss(struct cpu *c, const struct insn *i) {
  fp_round(c, i, sse_host_roundss, sse_host_roundss_np, 4);
}
void op_roundsd(struct cpu *c, const struct insn *i) {
  fp_round(c, i, sse_host_roundsd, sse_host_roundsd_np, 8);
}

/* dpps / dppd (SSE4.1, SDM vol. 2 DPPS): products of the lanes selected
 * by imm8[7:4] (others +0.0), summed pairwise ((0+1)+(2+3)), stored in
 * the lanes selected by imm8[3:0], zero elsewhere. Each step is a host
 * scalar operation so rounding and flags follow the guest MXCSR; a
 * denormal intermediate product (not flushed by FTZ) makes the addition
 * report DE, as on this CPU. The stages (products,
 * pairwise sums, final sum) report their flags in turn: an unmasked
 * exception in one raises #XM before the next runs (measured: an
 * overflowing product with PE unmasked does not add IE from inf - inf). */

/* One scalar step of a dot product, with its precision flag as the
 * hardware's (cpu/sse_fp_precision.c). */
static uint32_t dp_step(sse_host_fn fn, union xmm *d, const union xmm *s,
                        uint32_t mxcsr) {
  union xmm before = *d;
  return sse_fp_precision(fn, &before, s, mxcsr, fn(d, s, mxcsr));
}

void op_dpps(struct cpu *c, const struct insn *i) {
  union xmm s, *d = sse_dst(c, i), p[4], r = {{0}};
  sse_src128(c, i, &s, SSE_ALIGNED);
  uint32_t raised = 0;
  for (int k = 0; k < 4; k++) {
    p[k] = (union xmm){{0}};
    if ((i->imm >> (4 + k)) & 1) {
      union xmm b = {{0}};
      p[k].u32[0] = d->u32[k];
      b.u32[0] = s.u32[k];
      raised |= dp_step(sse_host_mulss, &p[k], &b, c->mxcsr);
    }
  }
  sse_fp_flags(c, raised);
  raised = dp_step(sse_host_addss, &p[0], &p[1], c->mxcsr);
  raised |= dp_step(sse_host_addss, &p[2], &p[3], c->mxcsr);
  sse_fp_flags(c, raised);
  sse_fp_flags(c, dp_step(sse_host_addss, &p[0], &p[2], c->mxcsr));
  for (int k = 0; k < 4; k++)
    if ((i->imm >> k) & 1)
      r.u32[k] = p[0].u32[0];
  *d = r;
}

void op_dppd(struct cpu *c, const struct insn *i) {
  union xmm s, *d = sse_dst(c, i), p[2], r = {{0}};
  sse_src128(c, i, &s, SSE_ALIGNED);
  uint32_t raised = 0;
  for (int k = 0; k < 2; k++) {
    p[k] = (union xmm){{0}};
    if ((i->imm >> (4 + k)) & 1) {
      union xmm b = {{0}};
      p[k].u64[0] = d->u64[k];
      b.u64[0] = s.u64[k];
      raised |= dp_step(sse_host_mulsd, &p[k], &b, c->mxcsr);
    }
  }
  sse_fp_flags(c, raised);
  sse_fp_flags(c, dp_step(sse_host_addsd, &p[0], &p[1], c->mxcsr));
  for (int k = 0; k < 2; k++)
    if ((i->imm >> k) & 1)
      r.u64[k] = p[0].u64[0];
  *d = r;
}
