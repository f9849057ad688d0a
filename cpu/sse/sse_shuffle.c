/* Data rearrangement: unpack (interleave), pack with saturation,
 * shuffles, blends, inserts and extracts, zero/sign extension
 * (SDM vol. 2: PUNPCK*, PACK*, PSHUF*, SHUFP*, PALIGNR, PBLEND*,
 * BLEND*, PMOVZX/PMOVSX, PEXTR*, PINSR*, EXTRACTPS, INSERTPS). */
#include <string.h>

#include "sse.h"

/* Interleave the low (high) halves of the n-byte d and s in elements
 * of `size` bytes: d0 s0 d1 s1 ... */
static void unpack(union xmm *d, const union xmm *s, int n, int size,
                   int high) {
  union xmm r = {{0}};
  int half = high ? n / 2 : 0;
  for (int k = 0; k < n / 2 / size; k++) {
    memcpy(&r.u8[2 * k * size], &d->u8[half + k * size], (size_t)size);
    memcpy(&r.u8[(2 * k + 1) * size], &s->u8[half + k * size], (size_t)size);
  }
  *d = r;
}

#define UNPACK(NAME, SIZE, HIGH)                                               \
  static void k_##NAME(union xmm *d, const union xmm *s, int n,                \
                       const struct insn *i) {                                 \
    (void)i;                                                                   \
    unpack(d, s, n, SIZE, HIGH);                                               \
  }

/* The MMX low unpacks read only an m32 (SDM vol. 2, PUNPCKLBW). The
 * XMM forms are fast bodies (cpu/sse_fast.h). */
UNPACK(punpcklbw, 1, 0)
SIMD_MMX_MEM(punpcklbw, 4)
UNPACK(punpcklwd, 2, 0)
SIMD_MMX_MEM(punpcklwd, 4)
UNPACK(punpckldq, 4, 0)
SIMD_MMX_MEM(punpckldq, 4)
UNPACK(punpckhbw, 1, 1)
SIMD_MMX_MEM(punpckhbw, 8)
UNPACK(punpckhwd, 2, 1)
SIMD_MMX_MEM(punpckhwd, 8)
UNPACK(punpckhdq, 4, 1)
SIMD_MMX_MEM(punpckhdq, 8)

static int clamp(int64_t v, int64_t lo, int64_t hi) {
  return (int)(v < lo ? lo : v > hi ? hi : v);
}

/* Packs: the destination's elements fill the low half, the source's
 * the high half; `half` elements come from each. */
#define PACK(NAME, IN, OUT, LO, HI)                                            \
  static void k_##NAME(union xmm *d, const union xmm *s, int n,                \
                       const struct insn *i) {                                 \
    (void)i;                                                                   \
    union xmm r = {{0}};                                                       \
    int half = (n == 8 ? 8 : 16) / (int)sizeof d->IN[0]; /* bounded */         \
    for (int k = 0; k < half; k++) {                                           \
      r.OUT[k] = (__typeof__(r.OUT[0]))clamp(d->IN[k], LO, HI);                \
      r.OUT[k + half] = (__typeof__(r.OUT[0]))clamp(s->IN[k], LO, HI);         \
    }                                                                          \
    *d = r;                                                                    \
  }

PACK(packsswb, i16, i8, -128, 127)
SIMD_BOTH(packsswb)
PACK(packuswb, i16, u8, 0, 255)
SIMD_BOTH(packuswb)
PACK(packssdw, i32, i16, -32768, 32767)
SIMD_BOTH(packssdw)
PACK(packusdw, i32, u16, 0, 65535) /* SSE4.1 */
SIMD_XMM(packusdw)

void op_pshufd(struct cpu *c, const struct insn *i) {
  union xmm s, r;
  sse_src128(c, i, &s, SSE_ALIGNED);
  for (int k = 0; k < 4; k++)
    r.u32[k] = s.u32[(i->imm >> (2 * k)) & 3];
  *sse_dst(c, i) = r;
}

/* pshuflw / pshufhw: shuffle the words of one half, copy the other. */
static void pshuf_half(struct cpu *c, const struct insn *i, int base) {
  union xmm s, r;
  sse_src128(c, i, &s, SSE_ALIGNED);
  r = s;
  for (int k = 0; k < 4; k++)
    r.u16[base + k] = s.u16[base + ((i->imm >> (2 * k)) & 3)];
  *sse_dst(c, i) = r;
}

void op_pshuflw(struct cpu *c, const struct insn *i) { pshuf_half(c, i, 0); }
void op_pshufhw(struct cpu *c, const struct insn *i) { pshuf_half(c, i, 4); }

/* shufps: two dwords from the destination, two from the source. */
void op_shufps(struct cpu *c, const struct insn *i) {
  union xmm s, r, *d = sse_dst(c, i);
  sse_src128(c, i, &s, SSE_ALIGNED);
  r.u32[0] = d->u32[i->imm & 3];
  r.u32[1] = d->u32[(i->imm >> 2) & 3];
  r.u32[2] = s.u32[(i->imm >> 4) & 3];
  r.u32[3] = s.u32[(i->imm >> 6) & 3];
  *d = r;
}

void op_shufpd(struct cpu *c, const struct insn *i) {
  union xmm s, r, *d = sse_dst(c, i);
  sse_src128(c, i, &s, SSE_ALIGNED);
  r.u64[0] = d->u64[i->imm & 1];
  r.u64[1] = s.u64[(i->imm >> 1) & 1];
  *d = r;
}

/* pshufb (SSSE3): byte table lookup (index modulo the width); a set
 * top bit selects zero. */
static void k_pshufb(union xmm *d, const union xmm *s, int n,
                     const struct insn *i) {
  (void)i;
  union xmm r = {{0}};
  for (int k = 0; k < n; k++)
    r.u8[k] = (s->u8[k] & 0x80) ? 0 : d->u8[s->u8[k] & (n - 1)];
  *d = r;
}
SIMD_BOTH(pshufb)

/* palignr (SSSE3): bytes imm..imm+n-1 of the 2n-byte value dest:src. */
static void k_palignr(union xmm *d, const union xmm *s, int n,
                      const struct insn *i) {
  union xmm r = {{0}};
  uint8_t both[32];
  memcpy(both, s, (size_t)n);
  memcpy(both + n, d, (size_t)n);
  for (unsigned k = 0; k < (unsigned)n; k++)
    if (i->imm + k < 2u * (unsigned)n)
      r.u8[k] = both[i->imm + k];
  *d = r;
}
SIMD_MMX_MEM(palignr, 8) /* the XMM form: cpu/sse_fast.h */

/* Blends by immediate (SSE4.1): bit k of imm selects source element k. */
static void blend_imm(struct cpu *c, const struct insn *i, int size) {
  union xmm s, *d = sse_dst(c, i);
  sse_src128(c, i, &s, SSE_ALIGNED);
  for (int k = 0; k < 16 / size; k++)
    if ((i->imm >> k) & 1)
      memcpy(&d->u8[k * size], &s.u8[k * size], (size_t)size);
}

void op_pblendw(struct cpu *c, const struct insn *i) { blend_imm(c, i, 2); }
void op_blendps(struct cpu *c, const struct insn *i) { blend_imm(c, i, 4); }
void op_blendpd(struct cpu *c, const struct insn *i) { blend_imm(c, i, 8); }

/* Blends by XMM0 (SSE4.1): the top bit of each XMM0 element selects. */
static void blend_xmm0(struct cpu *c, const struct insn *i, int size) {
  union xmm s, *d = sse_dst(c, i), m = c->xmm[0];
  sse_src128(c, i, &s, SSE_ALIGNED);
  for (int k = 0; k < 16 / size; k++)
    if (m.u8[k * size + size - 1] & 0x80)
      memcpy(&d->u8[k * size], &s.u8[k * size], (size_t)size);
}

void op_pblendvb(struct cpu *c, const struct insn *i) { blend_xmm0(c, i, 1); }
void op_blendvps(struct cpu *c, const struct insn *i) { blend_xmm0(c, i, 4); }
void op_blendvpd(struct cpu *c, const struct insn *i) { blend_xmm0(c, i, 8); }

/* pmovzx / pmovsx (SSE4.1): arg = from size | to size << 3 | signed << 7.
 * The memory operand is only as wide as the elements read. */
void op_pmovx(struct cpu *c, const struct insn *i) {
  int from = i->arg & 7, to = (i->arg >> 3) & 15, sign = i->arg >> 7;
  int n = 16 / to;
  union xmm s, r;
  sse_src_low(c, i, &s, n * from);
  for (int k = 0; k < n; k++) {
    uint64_t v = 0;
    memcpy(&v, &s.u8[k * from], (size_t)from);
    if (sign) {
      int shift = 64 - 8 * from;
      v = (uint64_t)((int64_t)(v << shift) >> shift);
    }
    memcpy(&r.u8[k * to], &v, (size_t)to);
  }
  *sse_dst(c, i) = r;
}

/* pextrw r32, xmm, imm8 (SSE2, 0F C5: register form only). */
void op_pextrw(struct cpu *c, const struct insn *i) {
  cpu_reg_set(c, i, i->reg, 8, c->xmm[i->rm].u16[i->imm & 7]);
}

/* pinsrw xmm, r32/m16, imm8. */
void op_pinsrw(struct cpu *c, const struct insn *i) {
  uint16_t v = (uint16_t)cpu_rm_get(c, i, 2);
  sse_dst(c, i)->u16[i->imm & 7] = v;
}

/* SSE4.1 extracts to r/m: arg = element size (1, 2, 4; 4 with REX.W
 * means 8). A register destination is zero-extended. */
void op_pextr(struct cpu *c, const struct insn *i) {
  int size = i->arg == 4 && (i->rex & 8) ? 8 : i->arg;
  const union xmm *s = sse_dst(c, i);
  uint64_t v = 0;
  memcpy(&v, &s->u8[(i->imm & (16 / size - 1)) * size], (size_t)size);
  if (i->mod == 3)
    cpu_reg_set(c, i, i->rm, size == 8 ? 8 : 4, v);
  else
    cpu_store(c, cpu_ea(c, i), size, v);
}

/* SSE4.1 inserts from r/m: arg = element size as for op_pextr. */
void op_pinsr(struct cpu *c, const struct insn *i) {
  int size = i->arg == 4 && (i->rex & 8) ? 8 : i->arg;
  /* A register source is r32/r64 (its low bytes), never AH..BH. */
  uint64_t v = i->mod == 3 ? c->gpr[i->rm] : cpu_load(c, cpu_ea(c, i), size);
  memcpy(&sse_dst(c, i)->u8[(i->imm & (16 / size - 1)) * size], &v,
         (size_t)size);
}

/* extractps r/m32, xmm, imm8: a register destination is zero-extended
 * (to 64 bits as well under REX.W). */
void op_extractps(struct cpu *c, const struct insn *i) {
  uint32_t v = sse_dst(c, i)->u32[i->imm & 3];
  if (i->mod == 3)
    cpu_reg_set(c, i, i->rm, 8, v);
  else
    cpu_store(c, cpu_ea(c, i), 4, v);
}

/* insertps xmm, xmm/m32, imm8: imm[7:6] source dword (register form),
 * imm[5:4] destination dword, imm[3:0] zero mask. */
void op_insertps(struct cpu *c, const struct insn *i) {
  uint32_t v = i->mod == 3 ? c->xmm[i->rm].u32[(i->imm >> 6) & 3]
                           : (uint32_t)cpu_load(c, cpu_ea(c, i), 4);
  union xmm *d = sse_dst(c, i);
  d->u32[(i->imm >> 4) & 3] = v;
  for (int k = 0; k < 4; k++)
    if ((i->imm >> k) & 1)
      d->u32[k] = 0;
}
