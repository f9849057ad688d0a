/* SSE2 and MMX packed-integer arithmetic, logic, compares and shifts,
 * one kernel for the XMM and the MMX form of each (SDM vol. 1, 9.4 and
 * 11.4.3; vol. 2 P* entries). Pure integer semantics: no MXCSR. */
#include "sse.h"

/* Saturation helpers (SDM vol. 1, 4.6.2). */
static int8_t sat_i8(int v) {
  return (int8_t)(v > 127 ? 127 : v < -128 ? -128 : v);
}
static uint8_t sat_u8(int v) {
  return (uint8_t)(v > 255 ? 255 : v < 0 ? 0 : v);
}
static int16_t sat_i16(int v) {
  return (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
}
static uint16_t sat_u16(int v) {
  return (uint16_t)(v > 65535 ? 65535 : v < 0 ? 0 : v);
}

/* A kernel per lane-wise operation: d.F[k] = EXPR over A = d.F[k] and
 * B = s.F[k], for the XMM and the MMX form. */
#define LANEWISE(NAME, F, EXPR)                                                \
  static void k_##NAME(union xmm *d, const union xmm *s, int n,                \
                       const struct insn *i) {                                 \
    (void)i;                                                                   \
    for (int k = 0; k < n / (int)sizeof d->F[0]; k++) {                        \
      __typeof__(d->F[0]) A = d->F[k], B = s->F[k];                            \
      (void)A;                                                                 \
      (void)B;                                                                 \
      d->F[k] = (__typeof__(d->F[0]))(EXPR);                                   \
    }                                                                          \
  }                                                                            \
  SIMD_BOTH(NAME)
/* The same with only the MMX form (cpu/sse_fast.h has the XMM one). */
#define LANEWISE_MMX(NAME, F, EXPR)                                            \
  static void k_##NAME(union xmm *d, const union xmm *s, int n,                \
                       const struct insn *i) {                                 \
    (void)i;                                                                   \
    for (int k = 0; k < n / (int)sizeof d->F[0]; k++) {                        \
      __typeof__(d->F[0]) A = d->F[k], B = s->F[k];                            \
      d->F[k] = (__typeof__(d->F[0]))(EXPR);                                   \
    }                                                                          \
  }                                                                            \
  SIMD_MMX_MEM(NAME, 8)

LANEWISE_MMX(paddb, u8, A + B)
LANEWISE_MMX(paddw, u16, A + B)
LANEWISE_MMX(paddd, u32, A + B)
LANEWISE_MMX(paddq, u64, A + B)
LANEWISE_MMX(psubb, u8, A - B)
LANEWISE_MMX(psubw, u16, A - B)
LANEWISE_MMX(psubd, u32, A - B)
LANEWISE_MMX(psubq, u64, A - B)
LANEWISE(paddsb, i8, sat_i8(A + B))
LANEWISE(paddsw, i16, sat_i16(A + B))
LANEWISE(paddusb, u8, sat_u8(A + B))
LANEWISE(paddusw, u16, sat_u16(A + B))
LANEWISE(psubsb, i8, sat_i8(A - B))
LANEWISE(psubsw, i16, sat_i16(A - B))
LANEWISE(psubusb, u8, sat_u8(A - B))
LANEWISE(psubusw, u16, sat_u16(A - B))
LANEWISE(pmullw, i16, (int32_t)A *B)
LANEWISE(pmulhw, i16, ((int32_t)A * B) >> 16)
LANEWISE(pmulhuw, u16, ((uint32_t)A * B) >> 16)
LANEWISE(pavgb, u8, (A + B + 1) >> 1)
LANEWISE(pavgw, u16, ((uint32_t)A + B + 1) >> 1)
LANEWISE_MMX(pminub, u8, A < B ? A : B)
LANEWISE_MMX(pmaxub, u8, A > B ? A : B)
LANEWISE(pminsw, i16, A < B ? A : B)
LANEWISE(pmaxsw, i16, A > B ? A : B)
LANEWISE_MMX(pand, u64, A &B)
LANEWISE_MMX(pandn, u64, ~A &B)
LANEWISE_MMX(por, u64, A | B)
LANEWISE_MMX(pxor, u64, A ^ B)
LANEWISE_MMX(pcmpeqb, u8, A == B ? 0xff : 0)
LANEWISE_MMX(pcmpeqw, u16, A == B ? 0xffff : 0)
LANEWISE_MMX(pcmpeqd, u32, A == B ? 0xffffffffu : 0)
LANEWISE_MMX(pcmpgtb, i8, A > B ? -1 : 0)
LANEWISE(pcmpgtw, i16, A > B ? -1 : 0)
LANEWISE(pcmpgtd, i32, A > B ? -1 : 0)

/* pmuludq: low dword of each quadword, unsigned 64-bit product. */
static void k_pmuludq(union xmm *d, const union xmm *s, int n,
                      const struct insn *i) {
  (void)i;
  for (int k = 0; k < n / 8; k++)
    d->u64[k] = (uint64_t)d->u32[2 * k] * s->u32[2 * k];
}
SIMD_BOTH(pmuludq)

/* pmaddwd: sum of adjacent signed word products. The one overflowing
 * case (all four words -32768) wraps to 0x80000000, as on hardware. */
static void k_pmaddwd(union xmm *d, const union xmm *s, int n,
                      const struct insn *i) {
  (void)i;
  for (int k = 0; k < n / 4; k++) {
    int64_t sum = (int64_t)d->i16[2 * k] * s->i16[2 * k] +
                  (int64_t)d->i16[2 * k + 1] * s->i16[2 * k + 1];
    d->u32[k] = (uint32_t)sum;
  }
}
SIMD_BOTH(pmaddwd)

/* psadbw: sums of absolute byte differences per quadword. */
static void k_psadbw(union xmm *d, const union xmm *s, int n,
                     const struct insn *i) {
  (void)i;
  for (int q = 0; q < n / 8; q++) {
    unsigned sum = 0;
    for (int k = 8 * q; k < 8 * q + 8; k++)
      sum += (unsigned)(d->u8[k] > s->u8[k] ? d->u8[k] - s->u8[k]
                                            : s->u8[k] - d->u8[k]);
    d->u64[q] = sum;
  }
}
SIMD_BOTH(psadbw)

/* Shifts (SDM vol. 2, PSLLW/PSRLW/PSRAW...): a count above the lane
 * width clears the lane (logical) or fills it with the sign. */
enum shift_kind { SHIFT_LEFT, SHIFT_RIGHT, SHIFT_ARITH };

static void shift_lanes(union xmm *d, int n, int bits, enum shift_kind kind,
                        uint64_t count) {
  int lanes = 8 * n / bits;
  if (count >= (uint64_t)bits) {
    if (kind != SHIFT_ARITH) {
      d->u64[0] = d->u64[1] = 0;
      return;
    }
    count = (uint64_t)bits - 1;
  }
  for (int k = 0; k < lanes; k++) {
    switch (bits) {
    case 16:
      d->u16[k] = kind == SHIFT_LEFT    ? (uint16_t)(d->u16[k] << count)
                  : kind == SHIFT_RIGHT ? (uint16_t)(d->u16[k] >> count)
                                        : (uint16_t)(d->i16[k] >> count);
      break;
    case 32:
      d->u32[k] = kind == SHIFT_LEFT    ? d->u32[k] << count
                  : kind == SHIFT_RIGHT ? d->u32[k] >> count
                                        : (uint32_t)(d->i32[k] >> count);
      break;
    default:
      d->u64[k] = kind == SHIFT_LEFT ? d->u64[k] << count : d->u64[k] >> count;
      break;
    }
  }
}

/* Each shift has a register/memory-count form and an imm8 form
 * (0F 71..73), for XMM and for MMX. */
#define SHIFT_OPS(NAME, BITS, KIND)                                            \
  static void k_##NAME(union xmm *d, const union xmm *s, int n,                \
                       const struct insn *i) {                                 \
    (void)i;                                                                   \
    shift_lanes(d, n, BITS, KIND, s->u64[0]);                                  \
  }                                                                            \
  SIMD_BOTH(NAME)                                                              \
  void op_##NAME##_imm(struct cpu *c, const struct insn *i) {                  \
    shift_lanes(&c->xmm[i->rm], 16, BITS, KIND, i->imm);                       \
  }                                                                            \
  void op_##NAME##_imm_mm(struct cpu *c, const struct insn *i) {               \
    mmx_begin(c);                                                              \
    union xmm d = {.u64 = {mmx_get(c, i->rm), 0}};                             \
    shift_lanes(&d, 8, BITS, KIND, i->imm);                                    \
    mmx_set(c, i->rm, d.u64[0]);                                               \
  }

SHIFT_OPS(psllw, 16, SHIFT_LEFT)
SHIFT_OPS(pslld, 32, SHIFT_LEFT)
SHIFT_OPS(psllq, 64, SHIFT_LEFT)
SHIFT_OPS(psrlw, 16, SHIFT_RIGHT)
SHIFT_OPS(psrld, 32, SHIFT_RIGHT)
SHIFT_OPS(psrlq, 64, SHIFT_RIGHT)
SHIFT_OPS(psraw, 16, SHIFT_ARITH)
SHIFT_OPS(psrad, 32, SHIFT_ARITH)

/* pslldq / psrldq: whole-register byte shifts by imm8 (>15 clears). */
void op_pslldq(struct cpu *c, const struct insn *i) {
  union xmm *d = &c->xmm[i->rm], r = {{0}};
  unsigned n = (unsigned)i->imm;
  for (unsigned k = n; k < 16; k++)
    r.u8[k] = d->u8[k - n];
  *d = r;
}

void op_psrldq(struct cpu *c, const struct insn *i) {
  union xmm *d = &c->xmm[i->rm], r = {{0}};
  unsigned n = (unsigned)i->imm;
  for (unsigned k = 0; k + n < 16; k++)
    r.u8[k] = d->u8[k + n];
  *d = r;
}
