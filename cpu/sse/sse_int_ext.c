/* Packed-integer instructions of SSSE3, SSE4.1 and SSE4.2 (pcmpgtq):
 * horizontal adds, sign/abs, min/max of the remaining widths, the
 * multiply forms, ptest, phminposuw, mpsadbw (SDM vol. 2). The SSSE3
 * ones have MMX forms too: one kernel serves both. */
#include "sse.h"

#define KERNEL(NAME, F, EXPR)                                                  \
  static void k_##NAME(union xmm *d, const union xmm *s, int n,                \
                       const struct insn *i) {                                 \
    (void)i;                                                                   \
    for (int k = 0; k < n / (int)sizeof d->F[0]; k++) {                        \
      __typeof__(d->F[0]) A = d->F[k], B = s->F[k];                            \
      (void)A;                                                                 \
      d->F[k] = (__typeof__(d->F[0]))(EXPR);                                   \
    }                                                                          \
  }
/* Lane-wise with an MMX form (SSSE3) and XMM only (SSE4.x). */
#define LANEWISE_MM(NAME, F, EXPR) KERNEL(NAME, F, EXPR) SIMD_BOTH(NAME)
#define LANEWISE(NAME, F, EXPR) KERNEL(NAME, F, EXPR) SIMD_XMM(NAME)

static int16_t sat16(int32_t v) {
  return (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
}

/* SSSE3 */
LANEWISE_MM(pabsb, u8, B < 128 ? B : 256 - B)
LANEWISE_MM(pabsw, u16, B < 0x8000 ? B : 0x10000u - B)
LANEWISE_MM(pabsd, u32, B < 0x80000000u ? B : 0u - B)
LANEWISE_MM(psignb, i8, B < 0 ? -A : B == 0 ? 0 : A)
LANEWISE_MM(psignw, i16, B < 0 ? -A : B == 0 ? 0 : A)
LANEWISE_MM(psignd, u32, (int32_t)B < 0 ? 0u - A : B == 0 ? 0 : A)
LANEWISE_MM(pmulhrsw, i16, ((((int32_t)A * B) >> 14) + 1) >> 1)

/* SSE4.1 */
LANEWISE(pminsb, i8, A < B ? A : B)
LANEWISE(pmaxsb, i8, A > B ? A : B)
LANEWISE(pminuw, u16, A < B ? A : B)
LANEWISE(pmaxuw, u16, A > B ? A : B)
LANEWISE(pminsd, i32, A < B ? A : B)
LANEWISE(pmaxsd, i32, A > B ? A : B)
LANEWISE(pminud, u32, A < B ? A : B)
LANEWISE(pmaxud, u32, A > B ? A : B)
LANEWISE(pmulld, u32, A *B)
LANEWISE(pcmpeqq, u64, A == B ? ~0ull : 0)
/* SSE4.2 */
LANEWISE(pcmpgtq, i64, A > B ? -1 : 0)

/* pmuldq: signed low dwords of each quadword, 64-bit products. */
void op_pmuldq(struct cpu *c, const struct insn *i) {
  union xmm s, *d = sse_dst(c, i);
  sse_src128(c, i, &s, SSE_ALIGNED);
  for (int k = 0; k < 2; k++)
    d->i64[k] = (int64_t)d->i32[2 * k] * s.i32[2 * k];
}

/* Horizontal word/dword add and subtract (SSSE3): pairs of the
 * destination fill the low half, pairs of the source the high half.
 * arg: 0 add, 1 subtract, 2 saturating add, 3 saturating subtract. */
static int32_t hop(int op, int32_t a, int32_t b) {
  int32_t r = op & 1 ? a - b : a + b;
  return op & 2 ? sat16(r) : r;
}

static void k_phw(union xmm *d, const union xmm *s, int n,
                  const struct insn *i) {
  union xmm r = {{0}};
  int half = n / 4; /* word pairs per operand */
  for (int k = 0; k < half; k++) {
    r.i16[k] = (int16_t)hop(i->arg, d->i16[2 * k], d->i16[2 * k + 1]);
    r.i16[k + half] = (int16_t)hop(i->arg, s->i16[2 * k], s->i16[2 * k + 1]);
  }
  *d = r;
}
SIMD_BOTH(phw)

static void k_phd(union xmm *d, const union xmm *s, int n,
                  const struct insn *i) {
  union xmm r = {{0}};
  int half = n / 8; /* dword pairs per operand */
  for (int k = 0; k < half; k++) {
    uint32_t a = d->u32[2 * k], b = d->u32[2 * k + 1];
    uint32_t x = s->u32[2 * k], y = s->u32[2 * k + 1];
    r.u32[k] = i->arg & 1 ? a - b : a + b;
    r.u32[k + half] = i->arg & 1 ? x - y : x + y;
  }
  *d = r;
}
SIMD_BOTH(phd)

/* pmaddubsw: unsigned bytes of the destination times signed bytes of
 * the source, adjacent products added with signed saturation. */
static void k_pmaddubsw(union xmm *d, const union xmm *s, int n,
                        const struct insn *i) {
  (void)i;
  for (int k = 0; k < n / 2; k++)
    d->i16[k] = sat16(d->u8[2 * k] * s->i8[2 * k] +
                      d->u8[2 * k + 1] * s->i8[2 * k + 1]);
}
SIMD_BOTH(pmaddubsw)

/* ptest: ZF = (d AND s) == 0, CF = (NOT d AND s) == 0; OF, SF, AF, PF
 * cleared (SDM vol. 2, PTEST). */
void op_ptest(struct cpu *c, const struct insn *i) {
  union xmm s;
  const union xmm *d = sse_dst(c, i);
  sse_src128(c, i, &s, SSE_ALIGNED);
  uint64_t and = (d->u64[0] & s.u64[0]) | (d->u64[1] & s.u64[1]);
  uint64_t andn = (~d->u64[0] & s.u64[0]) | (~d->u64[1] & s.u64[1]);
  uint64_t f = (and? 0 : FLAG_ZF) | (andn ? 0 : FLAG_CF);
  cpu_flags_merge(c, f, FLAGS_ARITH);
}

/* phminposuw: the minimum unsigned word and its (lowest) index. */
void op_phminposuw(struct cpu *c, const struct insn *i) {
  union xmm s, r = {{0}};
  sse_src128(c, i, &s, SSE_ALIGNED);
  int at = 0;
  for (int k = 1; k < 8; k++)
    if (s.u16[k] < s.u16[at])
      at = k;
  r.u16[0] = s.u16[at];
  r.u16[1] = (uint16_t)at;
  *sse_dst(c, i) = r;
}

/* mpsadbw: eight sums of absolute differences between a 4-byte block of
 * the source (imm[1:0]) and sliding windows of the destination starting
 * at byte 4 * imm[2]. */
void op_mpsadbw(struct cpu *c, const struct insn *i) {
  union xmm s, r, *d = sse_dst(c, i);
  sse_src128(c, i, &s, SSE_ALIGNED);
  int src_at = (int)(i->imm & 3) * 4, dst_at = (int)((i->imm >> 2) & 1) * 4;
  for (int k = 0; k < 8; k++) {
    int sum = 0;
    for (int j = 0; j < 4; j++) {
      int a = d->u8[dst_at + k + j], b = s.u8[src_at + j];
      sum += a > b ? a - b : b - a;
    }
    r.u16[k] = (uint16_t)sum;
  }
  *d = r;
}
