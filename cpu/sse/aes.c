/* AES-NI round instructions (SDM vol. 2, AESENC ... AESKEYGENASSIST),
 * built from the FIPS-197 transformations. The 16-byte state is the
 * XMM register, column-major: byte 4c + r is row r of column c. */
#include <stdbool.h>

#include "../handlers.h"
#include "sse.h"

/* Multiplication in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1 (FIPS-197,
 * 4.2). */
static uint8_t gf_mul(uint8_t a, uint8_t b) {
  uint8_t p = 0;
  while (b) {
    if (b & 1)
      p ^= a;
    a = (uint8_t)((a << 1) ^ (a & 0x80 ? 0x1b : 0));
    b >>= 1;
  }
  return p;
}

static uint8_t rotl8(uint8_t v, int n) {
  return (uint8_t)((v << n) | (v >> (8 - n)));
}

/* The S-box (FIPS-197, 5.1.1): multiplicative inverse (x^254) followed
 * by the affine transformation; built once, with its inverse. */
static uint8_t sbox[256], inv_sbox[256];

static void aes_tables(void) {
  static bool ready;
  if (ready)
    return;
  for (int x = 0; x < 256; x++) {
    uint8_t inv = 1, sq = (uint8_t)x;
    for (int e = 254; e; e >>= 1) { /* square and multiply */
      if (e & 1)
        inv = gf_mul(inv, sq);
      sq = gf_mul(sq, sq);
    }
    uint8_t s = (uint8_t)(inv ^ rotl8(inv, 1) ^ rotl8(inv, 2) ^ rotl8(inv, 3) ^
                          rotl8(inv, 4) ^ 0x63);
    sbox[x] = s;
    inv_sbox[s] = (uint8_t)x;
  }
  ready = true;
}

/* ShiftRows / InvShiftRows (5.1.2, 5.3.1): row r rotates by r columns. */
static void shift_rows(union xmm *st, bool inverse) {
  union xmm in = *st;
  for (int r = 0; r < 4; r++)
    for (int col = 0; col < 4; col++) {
      int from = inverse ? (col - r + 4) % 4 : (col + r) % 4;
      st->u8[4 * col + r] = in.u8[4 * from + r];
    }
}

static void sub_bytes(union xmm *st, const uint8_t *table) {
  for (int k = 0; k < 16; k++)
    st->u8[k] = table[st->u8[k]];
}

/* MixColumns / InvMixColumns (5.1.3, 5.3.3): each column times a fixed
 * circulant matrix whose first row is m[0..3]. */
static void mix_columns(union xmm *st, bool inverse) {
  static const uint8_t fwd[4] = {2, 3, 1, 1}, inv[4] = {14, 11, 13, 9};
  const uint8_t *m = inverse ? inv : fwd;
  for (int col = 0; col < 4; col++) {
    uint8_t a[4], *s = &st->u8[4 * col];
    for (int r = 0; r < 4; r++)
      a[r] = s[r];
    for (int r = 0; r < 4; r++)
      s[r] = (uint8_t)(gf_mul(a[0], m[(4 - r) % 4]) ^
                       gf_mul(a[1], m[(5 - r) % 4]) ^
                       gf_mul(a[2], m[(6 - r) % 4]) ^
                       gf_mul(a[3], m[(7 - r) % 4]));
  }
}

/* One round on xmm1 with the round key xmm2/m128. arg: bit 0 = decrypt,
 * bit 1 = last round (no MixColumns). */
void op_aes_round(struct cpu *c, const struct insn *i) {
  aes_tables();
  bool dec = i->arg & 1, last = i->arg & 2;
  union xmm key, *st = sse_dst(c, i);
  sse_src128(c, i, &key, SSE_ALIGNED);
  shift_rows(st, dec);
  sub_bytes(st, dec ? inv_sbox : sbox);
  if (!last)
    mix_columns(st, dec);
  st->u64[0] ^= key.u64[0];
  st->u64[1] ^= key.u64[1];
}

/* aesimc xmm1, xmm2/m128: InvMixColumns of a round key, for the
 * equivalent inverse cipher. */
void op_aesimc(struct cpu *c, const struct insn *i) {
  union xmm s;
  sse_src128(c, i, &s, SSE_ALIGNED);
  mix_columns(&s, true);
  *sse_dst(c, i) = s;
}

static uint32_t sub_word(uint32_t w) {
  uint32_t r = 0;
  for (int k = 0; k < 4; k++)
    r |= (uint32_t)sbox[(w >> (8 * k)) & 0xff] << (8 * k);
  return r;
}

/* aeskeygenassist xmm1, xmm2/m128, imm8: SubWord of dwords 1 and 3, and
 * RotWord(SubWord) XOR RCON (= imm8) of each. */
void op_aeskeygenassist(struct cpu *c, const struct insn *i) {
  aes_tables();
  union xmm s, r;
  sse_src128(c, i, &s, SSE_ALIGNED);
  uint32_t rcon = (uint32_t)(i->imm & 0xff);
  for (int h = 0; h < 2; h++) {
    uint32_t w = sub_word(s.u32[2 * h + 1]);
    r.u32[2 * h] = w;
    r.u32[2 * h + 1] = ((w >> 8) | (w << 24)) ^ rcon;
  }
  *sse_dst(c, i) = r;
}
