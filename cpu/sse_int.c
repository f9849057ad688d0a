/* SSE2 packed-integer arithmetic, logic, compares and shifts on XMM
 * registers (SDM vol. 1, 11.4.3; vol. 2 P* entries). Pure integer
 * semantics: no MXCSR involvement. */
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

/* One handler per lane-wise operation: d.F[k] = EXPR over A = d.F[k] and
 * B = s.F[k], with a 16-byte-aligned memory source. */
#define LANEWISE(NAME, LANES, F, EXPR)                                         \
  void NAME(struct cpu *c, const struct insn *i) {                             \
    union xmm s, *d = sse_dst(c, i);                                           \
    sse_src128(c, i, &s, SSE_ALIGNED);                                         \
    for (int k = 0; k < LANES; k++) {                                          \
      __typeof__(d->F[0]) A = d->F[k], B = s.F[k];                             \
      (void)A;                                                                 \
      (void)B;                                                                 \
      d->F[k] = (__typeof__(d->F[0]))(EXPR);                                   \
    }                                                                          \
  }

LANEWISE(op_paddb, 16, u8, A + B)
LANEWISE(op_paddw, 8, u16, A + B)
LANEWISE(op_paddd, 4, u32, A + B)
LANEWISE(op_paddq, 2, u64, A + B)
LANEWISE(op_psubb, 16, u8, A - B)
LANEWISE(op_psubw, 8, u16, A - B)
LANEWISE(op_psubd, 4, u32, A - B)
LANEWISE(op_psubq, 2, u64, A - B)
LANEWISE(op_paddsb, 16, i8, sat_i8(A + B))
LANEWISE(op_paddsw, 8, i16, sat_i16(A + B))
LANEWISE(op_paddusb, 16, u8, sat_u8(A + B))
LANEWISE(op_paddusw, 8, u16, sat_u16(A + B))
LANEWISE(op_psubsb, 16, i8, sat_i8(A - B))
LANEWISE(op_psubsw, 8, i16, sat_i16(A - B))
LANEWISE(op_psubusb, 16, u8, sat_u8(A - B))
LANEWISE(op_psubusw, 8, u16, sat_u16(A - B))
LANEWISE(op_pmullw, 8, i16, (int32_t)A *B)
LANEWISE(op_pmulhw, 8, i16, ((int32_t)A * B) >> 16)
LANEWISE(op_pmulhuw, 8, u16, ((uint32_t)A * B) >> 16)
LANEWISE(op_pavgb, 16, u8, (A + B + 1) >> 1)
LANEWISE(op_pavgw, 8, u16, ((uint32_t)A + B + 1) >> 1)
LANEWISE(op_pminub, 16, u8, A < B ? A : B)
LANEWISE(op_pmaxub, 16, u8, A > B ? A : B)
LANEWISE(op_pminsw, 8, i16, A < B ? A : B)
LANEWISE(op_pmaxsw, 8, i16, A > B ? A : B)
LANEWISE(op_pand, 2, u64, A &B)
LANEWISE(op_pandn, 2, u64, ~A &B)
LANEWISE(op_por, 2, u64, A | B)
LANEWISE(op_pxor, 2, u64, A ^ B)
LANEWISE(op_pcmpeqb, 16, u8, A == B ? 0xff : 0)
LANEWISE(op_pcmpeqw, 8, u16, A == B ? 0xffff : 0)
LANEWISE(op_pcmpeqd, 4, u32, A == B ? 0xffffffffu : 0)
LANEWISE(op_pcmpgtb, 16, i8, A > B ? -1 : 0)
LANEWISE(op_pcmpgtw, 8, i16, A > B ? -1 : 0)
LANEWISE(op_pcmpgtd, 4, i32, A > B ? -1 : 0)

/* pmuludq: low dword of each quadword, unsigned 64-bit product. */
void op_pmuludq(struct cpu *c, const struct insn *i) {
  union xmm s, *d = sse_dst(c, i);
  sse_src128(c, i, &s, SSE_ALIGNED);
  for (int k = 0; k < 2; k++)
    d->u64[k] = (uint64_t)d->u32[2 * k] * s.u32[2 * k];
}

/* pmaddwd: sum of adjacent signed word products. The one overflowing
 * case (all four words -32768) wraps to 0x80000000, as on hardware. */
void op_pmaddwd(struct cpu *c, const struct insn *i) {
  union xmm s, *d = sse_dst(c, i);
  sse_src128(c, i, &s, SSE_ALIGNED);
  for (int k = 0; k < 4; k++) {
    int64_t sum = (int64_t)d->i16[2 * k] * s.i16[2 * k] +
                  (int64_t)d->i16[2 * k + 1] * s.i16[2 * k + 1];
    d->u32[k] = (uint32_t)sum;
  }
}

/* psadbw: sums of absolute byte differences per quadword. */
void op_psadbw(struct cpu *c, const struct insn *i) {
  union xmm s, *d = sse_dst(c, i);
  sse_src128(c, i, &s, SSE_ALIGNED);
  for (int q = 0; q < 2; q++) {
    unsigned sum = 0;
    for (int k = 8 * q; k < 8 * q + 8; k++)
      sum += (unsigned)(d->u8[k] > s.u8[k] ? d->u8[k] - s.u8[k]
                                           : s.u8[k] - d->u8[k]);
    d->u64[q] = sum;
  }
}

/* Shifts (SDM vol. 2, PSLLW/PSRLW/PSRAW...): a count above the lane
 * width clears the lane (logical) or fills it with the sign. */
enum shift_kind { SHIFT_LEFT, SHIFT_RIGHT, SHIFT_ARITH };

static void shift_lanes(union xmm *d, int bits, enum shift_kind kind,
                        uint64_t count) {
  int lanes = 128 / bits;
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

/* Each shift has an xmm/m128-count form and an imm8 form (0F 71..73). */
#define SHIFT_OPS(NAME, BITS, KIND)                                            \
  void op_##NAME(struct cpu *c, const struct insn *i) {                        \
    union xmm s;                                                               \
    sse_src128(c, i, &s, SSE_ALIGNED);                                         \
    shift_lanes(sse_dst(c, i), BITS, KIND, s.u64[0]);                          \
  }                                                                            \
  void op_##NAME##_imm(struct cpu *c, const struct insn *i) {                  \
    shift_lanes(&c->xmm[i->rm], BITS, KIND, i->imm);                           \
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
