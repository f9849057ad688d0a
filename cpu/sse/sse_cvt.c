/* SSE conversions between integers, single and double precision
 * (SDM vol. 1, 11.4.4; vol. 2 CVT* entries). The conversions run on the
 * host under the guest MXCSR (cpu/sse_fp_env.c) for exact rounding,
 * the integer indefinite value and the exception flags. */
#include "sse_fast.h"

/* cvtsi2ss / cvtsi2sd xmm, r/m32 (r/m64 with REX.W). */
static void cvt_from_int(struct cpu *c, const struct insn *i, int dbl) {
  int wide = i->opsize == 8;
  uint64_t v = cpu_rm_get(c, i, wide ? 8 : 4);
  union xmm d = *sse_dst(c, i);
  uint32_t raised = dbl ? sse_host_cvtsi2sd(&d, v, wide, c->mxcsr)
                        : sse_host_cvtsi2ss(&d, v, wide, c->mxcsr);
  sse_fp_flags(c, raised);
  *sse_dst(c, i) = d;
}

void sse_cvtsi2_op(struct cpu *c, const struct insn *i, int dbl) {
  cvt_from_int(c, i, dbl);
}
void op_cvtsi2ss(struct cpu *c, const struct insn *i) {
  fast_cvtsi2(c, i, sse_form(i), 0);
}
void op_cvtsi2sd(struct cpu *c, const struct insn *i) {
  fast_cvtsi2(c, i, sse_form(i), 1);
}

/* cvt(t)ss2si / cvt(t)sd2si r32/r64, xmm/m32/m64; arg = truncate. */
static void cvt_to_int(struct cpu *c, const struct insn *i, int dbl) {
  int wide = i->opsize == 8;
  union xmm s;
  sse_src_low(c, i, &s, dbl ? 8 : 4);
  uint64_t v;
  sse_fp_flags(c, sse_host_cvt2si(&s, dbl, i->arg, wide, &v, c->mxcsr));
  cpu_reg_set(c, i, i->reg, wide ? 8 : 4, v);
}

void sse_cvt2si_op(struct cpu *c, const struct insn *i, int dbl) {
  cvt_to_int(c, i, dbl);
}
void op_cvtss2si(struct cpu *c, const struct insn *i) {
  fast_cvt2si(c, i, sse_form(i), 0);
}
void op_cvtsd2si(struct cpu *c, const struct insn *i) {
  fast_cvt2si(c, i, sse_form(i), 1);
}

/* XMM-to-XMM conversions; arg = bytes read from memory (8 for the
 * forms that widen two elements, which take an unaligned m64). */
#define CVT_XMM(NAME)                                                          \
  void op_##NAME(struct cpu *c, const struct insn *i) {                        \
    union xmm s;                                                               \
    if (i->arg == 16)                                                          \
      sse_src128(c, i, &s, SSE_ALIGNED);                                       \
    else                                                                       \
      sse_src_low(c, i, &s, i->arg);                                           \
    sse_fp_run(c, i, sse_host_##NAME, &s);                                     \
  }

CVT_XMM(cvtps2pd)
CVT_XMM(cvtpd2ps)
CVT_XMM(cvtss2sd)
CVT_XMM(cvtsd2ss)
CVT_XMM(cvtdq2ps)
CVT_XMM(cvtps2dq)
CVT_XMM(cvttps2dq)
CVT_XMM(cvtdq2pd)
CVT_XMM(cvtpd2dq)
CVT_XMM(cvttpd2dq)

/* comiss/comisd/ucomiss/ucomisd: ZF, PF, CF from the comparison (all
 * three set when unordered), OF, SF, AF cleared (SDM vol. 2, COMISD).
 * arg: bit 0 = double, bit 1 = ordered (comis: #I on any NaN). */
void op_comis(struct cpu *c, const struct insn *i) {
  fast_comis(c, i, sse_form(i), i->arg);
}

void sse_comis_op(struct cpu *c, const struct insn *i) {
  int dbl = i->arg & 1;
  union xmm s;
  sse_src_low(c, i, &s, dbl ? 8 : 4);
  uint64_t flags;
  sse_fp_flags(
      c, sse_host_comi(sse_dst(c, i), &s, dbl, i->arg >> 1, &flags, c->mxcsr));
  cpu_flags_merge(c, flags, FLAGS_ARITH);
}

/* Conversions between packed dwords in an MMX register (or m64) and two
 * floats or doubles (SDM vol. 2, CVTPI2PS ... CVTTPD2PI). They run on
 * the host as the matching XMM conversion with the unused lanes zero
 * (which convert exactly and raise nothing). MMX state is entered
 * after the memory operand is read and before a #XM is raised;
 * cvtpi2ps/cvtpi2pd with a memory source leave the x87 alone (measured
 * on the host; SDM vol. 2, CVTPI2PD). */
static void cvt_from_mm(struct cpu *c, const struct insn *i, sse_host_fn fn,
                        int whole) {
  union xmm s = {{0}}, r = {{0}};
  if (i->mod == 3) {
    mmx_begin(c);
    s.u64[0] = mmx_get(c, i->rm);
  } else {
    s.u64[0] = cpu_load(c, cpu_ea(c, i), 8);
  }
  sse_fp_flags(c, fn(&r, &s, c->mxcsr));
  union xmm *d = sse_dst(c, i);
  d->u64[0] = r.u64[0];
  if (whole)
    d->u64[1] = r.u64[1];
}

/* cvtpi2ps xmm, mm/m64: the upper two floats are kept. */
void op_cvtpi2ps(struct cpu *c, const struct insn *i) {
  cvt_from_mm(c, i, sse_host_cvtdq2ps, 0);
}
/* cvtpi2pd xmm, mm/m64: two doubles fill the register. */
void op_cvtpi2pd(struct cpu *c, const struct insn *i) {
  cvt_from_mm(c, i, sse_host_cvtdq2pd, 1);
}

/* cvt(t)ps2pi mm, xmm/m64 and cvt(t)pd2pi mm, xmm/m128 (aligned). */
static void cvt_to_mm(struct cpu *c, const struct insn *i, sse_host_fn fn,
                      int dbl) {
  mmx_check_pending(c);
  union xmm s, r = {{0}};
  if (dbl) {
    sse_src128(c, i, &s, SSE_ALIGNED);
  } else {
    sse_src_low(c, i, &s, 8);
    s.u64[1] = 0;
  }
  mmx_enter(c);
  sse_fp_flags(c, fn(&r, &s, c->mxcsr));
  mmx_set(c, i->reg, r.u64[0]);
}

void op_cvtps2pi(struct cpu *c, const struct insn *i) {
  cvt_to_mm(c, i, sse_host_cvtps2dq, 0);
}
void op_cvttps2pi(struct cpu *c, const struct insn *i) {
  cvt_to_mm(c, i, sse_host_cvttps2dq, 0);
}
void op_cvtpd2pi(struct cpu *c, const struct insn *i) {
  cvt_to_mm(c, i, sse_host_cvtpd2dq, 1);
}
void op_cvttpd2pi(struct cpu *c, const struct insn *i) {
  cvt_to_mm(c, i, sse_host_cvttpd2dq, 1);
}
