/* The host-FP operations of cpu/sse_fp_env.c. Each runs the named
 * instruction on the host under the guest's MXCSR (exceptions masked),
 * so results, rounding, DAZ/FTZ and exception flags are this CPU's own.
 * Every one is `uint32_t sse_host_NAME(union xmm *d, const union xmm *s,
 * uint32_t mxcsr)`: d = NAME(d, s); returns the MXCSR flags raised. */
#ifndef EMU_SSE_HOST_H
#define EMU_SSE_HOST_H

#include "sse.h"

/* X(name, "host instruction mnemonic, with any immediate") */
// clang-format off
#define SSE_HOST_ARITH(X, T) \
  X(add##T, "add" #T)        \
  X(sub##T, "sub" #T)        \
  X(mul##T, "mul" #T)        \
  X(div##T, "div" #T)        \
  X(min##T, "min" #T)        \
  X(max##T, "max" #T)        \
  X(sqrt##T, "sqrt" #T)
// clang-format on

// clang-format off
#define SSE_HOST_CMP(X, T)      \
  X(cmpeq##T, "cmpeq" #T)       \
  X(cmplt##T, "cmplt" #T)       \
  X(cmple##T, "cmple" #T)       \
  X(cmpunord##T, "cmpunord" #T) \
  X(cmpneq##T, "cmpneq" #T)     \
  X(cmpnlt##T, "cmpnlt" #T)     \
  X(cmpnle##T, "cmpnle" #T)     \
  X(cmpord##T, "cmpord" #T)
// clang-format on

// clang-format off
#define SSE_HOST_OPS(X)                                                        \
  SSE_HOST_ARITH(X, ps)                                                        \
  SSE_HOST_ARITH(X, pd) SSE_HOST_ARITH(X, ss) SSE_HOST_ARITH(                  \
      X, sd) SSE_HOST_CMP(X, ps) SSE_HOST_CMP(X, pd) SSE_HOST_CMP(X, ss)       \
      SSE_HOST_CMP(X, sd) X(rcpps, "rcpps") X(rcpss, "rcpss") X(               \
          rsqrtps, "rsqrtps") X(rsqrtss, "rsqrtss") X(addsubps, "addsubps")    \
          X(addsubpd, "addsubpd") X(haddps, "haddps") X(haddpd, "haddpd")      \
              X(hsubps, "hsubps") X(hsubpd, "hsubpd") X(cvtps2pd, "cvtps2pd")  \
                  X(cvtpd2ps, "cvtpd2ps") X(cvtss2sd, "cvtss2sd")              \
                      X(cvtsd2ss, "cvtsd2ss") X(cvtdq2ps, "cvtdq2ps")          \
                          X(cvtps2dq, "cvtps2dq") X(cvttps2dq, "cvttps2dq") X( \
                              cvtdq2pd, "cvtdq2pd") X(cvtpd2dq, "cvtpd2dq")    \
                              X(cvttpd2dq,                                     \
                                "cvttpd2dq") /* round*: $4 = use MXCSR.RC, $12 \
                                                = also suppress precision */   \
      X(roundps, "roundps $4,") X(roundpd, "roundpd $4,")                      \
          X(roundss, "roundss $4,") X(roundsd, "roundsd $4,")                  \
              X(roundps_np, "roundps $12,") X(roundpd_np, "roundpd $12,")      \
                  X(roundss_np, "roundss $12,") X(roundsd_np, "roundsd $12,")
// clang-format on

// clang-format off
#define SSE_HOST_DECLARE(NAME, INSN)                                           \
  uint32_t sse_host_##NAME(union xmm *d, const union xmm *s, uint32_t mxcsr);
// clang-format on
SSE_HOST_OPS(SSE_HOST_DECLARE)
#undef SSE_HOST_DECLARE

/* cvtsi2ss/cvtsi2sd: d.low = (float/double)v; `wide`: v is 64-bit. */
uint32_t sse_host_cvtsi2ss(union xmm *d, uint64_t v, int wide, uint32_t mxcsr);
uint32_t sse_host_cvtsi2sd(union xmm *d, uint64_t v, int wide, uint32_t mxcsr);
/* cvt(t)ss2si / cvt(t)sd2si to a 32- or 64-bit integer in *out. */
uint32_t sse_host_cvt2si(const union xmm *s, int dbl, int trunc, int wide,
                         uint64_t *out, uint32_t mxcsr);
/* comiss/comisd (ordered = 1) and ucomiss/ucomisd: *flags gets ZF, PF
 * and CF (the others are cleared by the instruction). */
uint32_t sse_host_comi(const union xmm *a, const union xmm *b, int dbl,
                       int ordered, uint64_t *flags, uint32_t mxcsr);

#endif
