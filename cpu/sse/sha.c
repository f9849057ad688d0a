/* SHA-NI (SDM vol. 2, SHA1RNDS4 ... SHA256MSG2): rounds and message
 * schedule of SHA-1 and SHA-256 (FIPS 180-4) on dwords of XMM registers,
 * dword 3 (bits 127:96) holding the first word. xmm1 is source 1 and the
 * destination; xmm2/m128 is source 2. The SDM gives them the legacy SSE
 * alignment rule (type 4), but this AMD CPU takes a misaligned m128
 * without #GP (measured; AES and PCLMULQDQ do fault). No flags. */
#include "../handlers.h"
#include "sse.h"

static uint32_t rol(uint32_t v, int n) { return v << n | v >> (32 - n); }
static uint32_t ror(uint32_t v, int n) { return v >> n | v << (32 - n); }

/* Source 1 (the destination register) and source 2 as dwords. */
static void operands(struct cpu *c, const struct insn *i, union xmm *s1,
                     union xmm *s2) {
  sse_src128(c, i, s2, SSE_UNALIGNED);
  *s1 = *sse_dst(c, i);
}

/* sha1rnds4 xmm1, xmm2/m128, imm8: four rounds from the state A B C D in
 * xmm1 and W0+E W1 W2 W3 in xmm2; imm8[1:0] picks f and K. */
void op_sha1rnds4(struct cpu *c, const struct insn *i) {
  static const uint32_t k[4] = {0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xca62c1d6};
  union xmm s1, s2;
  operands(c, i, &s1, &s2);
  unsigned fn = i->imm & 3;
  uint32_t a = s1.u32[3], b = s1.u32[2], cc = s1.u32[1], d = s1.u32[0], e = 0;
  for (int r = 0; r < 4; r++) {
    uint32_t f = fn == 0   ? (b & cc) ^ (~b & d)
                 : fn == 2 ? (b & cc) ^ (b & d) ^ (cc & d)
                           : b ^ cc ^ d;
    uint32_t t = f + rol(a, 5) + s2.u32[3 - r] + e + k[fn];
    e = d, d = cc, cc = rol(b, 30), b = a, a = t;
  }
  union xmm *dst = sse_dst(c, i);
  dst->u32[3] = a, dst->u32[2] = b, dst->u32[1] = cc, dst->u32[0] = d;
}

/* sha1nexte: E of the next rounds (A rotated by 30) added to W0. */
void op_sha1nexte(struct cpu *c, const struct insn *i) {
  union xmm s1, s2;
  operands(c, i, &s1, &s2);
  s2.u32[3] += rol(s1.u32[3], 30);
  *sse_dst(c, i) = s2;
}

/* sha1msg1: W[t-16] xor W[t-14] for the next four words. */
void op_sha1msg1(struct cpu *c, const struct insn *i) {
  union xmm s1, s2, r;
  operands(c, i, &s1, &s2);
  r.u32[3] = s1.u32[1] ^ s1.u32[3];
  r.u32[2] = s1.u32[0] ^ s1.u32[2];
  r.u32[1] = s2.u32[3] ^ s1.u32[1];
  r.u32[0] = s2.u32[2] ^ s1.u32[0];
  *sse_dst(c, i) = r;
}

/* sha1msg2: the final xor with W[t-3] and the rotation by 1; W19 uses
 * W16 just computed. */
void op_sha1msg2(struct cpu *c, const struct insn *i) {
  union xmm s1, s2, r;
  operands(c, i, &s1, &s2);
  r.u32[3] = rol(s1.u32[3] ^ s2.u32[2], 1);
  r.u32[2] = rol(s1.u32[2] ^ s2.u32[1], 1);
  r.u32[1] = rol(s1.u32[1] ^ s2.u32[0], 1);
  r.u32[0] = rol(s1.u32[0] ^ r.u32[3], 1);
  *sse_dst(c, i) = r;
}

/* sha256rnds2 xmm1, xmm2/m128, <xmm0>: two rounds. xmm1 holds C D G H,
 * xmm2 A B E F; xmm0's low two dwords are W+K of the rounds. The result
 * is the new A B E F. */
void op_sha256rnds2(struct cpu *c, const struct insn *i) {
  union xmm s1, s2;
  operands(c, i, &s1, &s2);
  uint32_t a = s2.u32[3], b = s2.u32[2], cc = s1.u32[3], d = s1.u32[2];
  uint32_t e = s2.u32[1], f = s2.u32[0], g = s1.u32[1], h = s1.u32[0];
  for (int r = 0; r < 2; r++) {
    uint32_t ch = (e & f) ^ (~e & g);
    uint32_t maj = (a & b) ^ (a & cc) ^ (b & cc);
    uint32_t sum0 = ror(a, 2) ^ ror(a, 13) ^ ror(a, 22);
    uint32_t sum1 = ror(e, 6) ^ ror(e, 11) ^ ror(e, 25);
    uint32_t t = ch + sum1 + c->xmm[0].u32[r] + h;
    h = g, g = f, f = e, e = t + d;
    d = cc, cc = b, b = a, a = t + maj + sum0;
  }
  union xmm *dst = sse_dst(c, i);
  dst->u32[3] = a, dst->u32[2] = b, dst->u32[1] = e, dst->u32[0] = f;
}

static uint32_t sigma0(uint32_t w) { return ror(w, 7) ^ ror(w, 18) ^ w >> 3; }
static uint32_t sigma1(uint32_t w) { return ror(w, 17) ^ ror(w, 19) ^ w >> 10; }

/* sha256msg1: W[t-16] + sigma0(W[t-15]) for the next four words. */
void op_sha256msg1(struct cpu *c, const struct insn *i) {
  union xmm s1, s2, r;
  operands(c, i, &s1, &s2);
  r.u32[3] = s1.u32[3] + sigma0(s2.u32[0]);
  r.u32[2] = s1.u32[2] + sigma0(s1.u32[3]);
  r.u32[1] = s1.u32[1] + sigma0(s1.u32[2]);
  r.u32[0] = s1.u32[0] + sigma0(s1.u32[1]);
  *sse_dst(c, i) = r;
}

/* sha256msg2: the final + sigma1(W[t-2]); W18 and W19 use W16 and W17
 * just computed. */
void op_sha256msg2(struct cpu *c, const struct insn *i) {
  union xmm s1, s2, r;
  operands(c, i, &s1, &s2);
  r.u32[0] = s1.u32[0] + sigma1(s2.u32[2]);
  r.u32[1] = s1.u32[1] + sigma1(s2.u32[3]);
  r.u32[2] = s1.u32[2] + sigma1(r.u32[0]);
  r.u32[3] = s1.u32[3] + sigma1(r.u32[1]);
  *sse_dst(c, i) = r;
}
