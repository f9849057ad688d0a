/* SSE4.2 packed string compares: pcmpestri, pcmpestrm, pcmpistri,
 * pcmpistrm (SDM vol. 2, 4.1 "Imm8 control byte operation for
 * PCMPESTRI / PCMPESTRM / PCMPISTRI / PCMPISTRM" and the instruction
 * entries). imm8: [1:0] element format (unsigned/signed bytes/words),
 * [3:2] aggregation, [5:4] polarity, [6] index or mask selection. */
#include "../handlers.h"
#include "sse.h"

enum { AGG_EQUAL_ANY, AGG_RANGES, AGG_EQUAL_EACH, AGG_EQUAL_ORDERED };

/* Element k of v in the imm8's format, sign- or zero-extended. */
static int32_t element(const union xmm *v, int k, unsigned imm) {
  switch (imm & 3) {
  case 0: return v->u8[k];
  case 1: return v->u16[k];
  case 2: return v->i8[k];
  default: return v->i16[k];
  }
}

/* Explicit length: |reg| saturated to n (4.1.2); REX.W selects the
 * 64-bit register. */
static int explicit_length(const struct cpu *c, const struct insn *i, int reg,
                           int n) {
  uint64_t v = c->gpr[reg];
  uint64_t mag;
  if (i->rex & 8)
    mag = (int64_t)v < 0 ? 0 - v : v;
  else
    mag = (int32_t)v < 0 ? 0 - (uint64_t)(int64_t)(int32_t)v : (uint32_t)v;
  return mag > (uint64_t)n ? n : (int)mag;
}

/* Implicit length: the index of the first zero element (4.1.2). */
static int implicit_length(const union xmm *v, int n, unsigned imm) {
  for (int k = 0; k < n; k++)
    if (element(v, k, imm) == 0)
      return k;
  return n;
}

/* IntRes1 for a = xmm1 (the set, ranges or needle; len1 valid) and
 * b = xmm2/m128 (the string; len2 valid), with the invalid-element
 * overrides of SDM vol. 2, table 4-7. */
static unsigned aggregate(const union xmm *a, int len1, const union xmm *b,
                          int len2, int n, unsigned imm) {
  unsigned res = 0;
  switch ((imm >> 2) & 3) {
  case AGG_EQUAL_ANY:
    for (int j = 0; j < len2; j++)
      for (int i = 0; i < len1; i++)
        if (element(a, i, imm) == element(b, j, imm))
          res |= 1u << j;
    break;
  case AGG_RANGES:
    for (int j = 0; j < len2; j++)
      for (int i = 0; i + 1 < len1; i += 2)
        if (element(a, i, imm) <= element(b, j, imm) &&
            element(b, j, imm) <= element(a, i + 1, imm))
          res |= 1u << j;
    break;
  case AGG_EQUAL_EACH:
    /* Both invalid: true; one invalid: false. */
    for (int k = 0; k < n; k++) {
      int v1 = k < len1, v2 = k < len2;
      if (v1 && v2 ? element(a, k, imm) == element(b, k, imm) : !v1 && !v2)
        res |= 1u << k;
    }
    break;
  default: /* AGG_EQUAL_ORDERED: needle a found at position j of b. An
            * invalid needle element matches anything; a valid one
            * never matches past the end of b. */
    for (int j = 0; j < n; j++) {
      int match = 1;
      for (int i = 0, k = j; k < n && i < len1 && match; i++, k++)
        match = k < len2 && element(a, i, imm) == element(b, k, imm);
      if (match)
        res |= 1u << j;
    }
    break;
  }
  return res;
}

/* Runs the comparison; returns IntRes2 and sets the flags: CF = result
 * non-zero, ZF = b has an invalid element, SF = a has one, OF = bit 0
 * of the result; AF = PF = 0. */
static unsigned pcmpstr(struct cpu *c, const struct insn *i, int explicit_len,
                        int *n_out) {
  unsigned imm = (unsigned)i->imm;
  int n = imm & 1 ? 8 : 16;
  union xmm b;
  const union xmm *a = sse_dst(c, i);
  sse_src128(c, i, &b, SSE_UNALIGNED);
  int len1 =
      explicit_len ? explicit_length(c, i, RAX, n) : implicit_length(a, n, imm);
  int len2 = explicit_len ? explicit_length(c, i, RDX, n)
                          : implicit_length(&b, n, imm);
  unsigned all = (1u << n) - 1;
  unsigned res = aggregate(a, len1, &b, len2, n, imm);
  switch ((imm >> 4) & 3) {
  case 1: res ^= all; break;
  case 3: res ^= all & ((1u << len2) - 1); break; /* valid elements only */
  default: break;
  }
  uint64_t f = (res ? FLAG_CF : 0) | (len2 < n ? FLAG_ZF : 0) |
               (len1 < n ? FLAG_SF : 0) | (res & 1 ? FLAG_OF : 0);
  cpu_flags_merge(c, f, FLAGS_ARITH);
  *n_out = n;
  return res;
}

/* Index forms: ECX = least (imm[6] = 0) or most significant set bit of
 * the result, or the element count when it is zero. */
static void pcmpstri(struct cpu *c, const struct insn *i, int explicit_len) {
  int n;
  unsigned res = pcmpstr(c, i, explicit_len, &n);
  uint32_t index = (uint32_t)n;
  if (res)
    index = (i->imm & 0x40) ? 31u - (uint32_t)__builtin_clz(res)
                            : (uint32_t)__builtin_ctz(res);
  c->gpr[RCX] = index;
}

/* Mask forms: XMM0 = the result as a bit mask (imm[6] = 0) or expanded
 * to whole bytes/words. */
static void pcmpstrm(struct cpu *c, const struct insn *i, int explicit_len) {
  int n;
  unsigned res = pcmpstr(c, i, explicit_len, &n);
  union xmm m = {{0}};
  if (!(i->imm & 0x40))
    m.u32[0] = res;
  else if (n == 16)
    for (int k = 0; k < 16; k++)
      m.u8[k] = (res >> k) & 1 ? 0xff : 0;
  else
    for (int k = 0; k < 8; k++)
      m.u16[k] = (res >> k) & 1 ? 0xffff : 0;
  c->xmm[0] = m;
}

void op_pcmpestri(struct cpu *c, const struct insn *i) { pcmpstri(c, i, 1); }
void op_pcmpistri(struct cpu *c, const struct insn *i) { pcmpstri(c, i, 0); }
void op_pcmpestrm(struct cpu *c, const struct insn *i) { pcmpstrm(c, i, 1); }
void op_pcmpistrm(struct cpu *c, const struct insn *i) { pcmpstrm(c, i, 0); }
