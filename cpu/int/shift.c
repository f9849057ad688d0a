/* Shifts and rotates: shl/shr/sar/rol/ror/rcl/rcr and shld/shrd (SDM
 * vol. 2, "SAL/SAR/SHL/SHR", "RCL/RCR/ROL/ROR", "SHLD", "SHRD"). The
 * flags are computed eagerly: these are rarer than add/cmp and their
 * flag rules depend on the count. Where the SDM leaves a flag undefined
 * the value is what an AMD Zen produces (checked by tests/unit/
 * test_shift.c against the host). */
#include "../handlers.h"
#include "alu.h"

enum shift_op {
  SH_ROL,
  SH_ROR,
  SH_RCL,
  SH_RCR,
  SH_SHL,
  SH_SHR,
  SH_SAL,
  SH_SAR
};

/* Where the count comes from (arg bits 3..4). */
enum { COUNT_1 = 0, COUNT_CL = 1, COUNT_IMM = 2 };

static uint64_t msb(uint64_t v, int size) { return (v >> (8 * size - 1)) & 1; }

static uint64_t szp(uint64_t res, int size) {
  uint64_t f = 0;
  res &= size_mask(size);
  if (!res)
    f |= FLAG_ZF;
  if (msb(res, size))
    f |= FLAG_SF;
  if (cpu_parity((uint8_t)res))
    f |= FLAG_PF;
  return f;
}

/* One shift or rotate of `a` (masked to size) by a count already masked
 * to 5 or 6 bits and non-zero. Sets *flags for the bits in *mask. */
uint64_t shift_compute(int op, int size, uint64_t a, unsigned count,
                       uint64_t flags_in, uint64_t *flags, uint64_t *mask) {
  int bits = 8 * size;
  uint64_t m = size_mask(size), res, cf, f = 0;
  a &= m;
  *mask = FLAG_CF | FLAG_OF;
  switch (op) {
  case SH_ROL: {
    unsigned n = count % (unsigned)bits;
    res = n ? ((a << n) | (a >> (bits - n))) & m : a;
    cf = res & 1;
    if (cf ^ msb(res, size))
      f |= FLAG_OF;
    break;
  }
  case SH_ROR: {
    unsigned n = count % (unsigned)bits;
    res = n ? ((a >> n) | (a << (bits - n))) & m : a;
    cf = msb(res, size);
    if (cf ^ msb(res << 1, size))
      f |= FLAG_OF;
    break;
  }
  case SH_RCL:
  case SH_RCR: {
    unsigned n = size < 4 ? count % (unsigned)(bits + 1) : count;
    cf = flags_in & FLAG_CF ? 1 : 0;
    res = a;
    for (unsigned k = 0; k < n; k++) {
      uint64_t out;
      if (op == SH_RCL) {
        out = msb(res, size);
        res = ((res << 1) | cf) & m;
      } else {
        out = res & 1;
        res = (res >> 1) | cf << (bits - 1);
      }
      cf = out;
    }
    if (op == SH_RCL ? cf ^ msb(res, size)
                     : msb(res, size) ^ msb(res << 1, size))
      f |= FLAG_OF;
    break;
  }
  case SH_SHL:
  case SH_SAL:
    res = count < 64 ? (a << count) & m : 0;
    cf = count <= 64 ? ((a << (count - 1)) >> (bits - 1)) & 1 : 0;
    if (count > (unsigned)bits)
      cf = 0;
    if (cf ^ msb(res, size))
      f |= FLAG_OF;
    f |= szp(res, size) | FLAG_AF; /* AF: undefined; Zen sets it */
    *mask |= FLAG_SF | FLAG_ZF | FLAG_PF | FLAG_AF;
    break;
  case SH_SHR:
    res = count < 64 ? a >> count : 0;
    cf = (a >> (count - 1)) & 1;
    if (msb(a, size) && count == 1)
      f |= FLAG_OF;
    f |= szp(res, size) | FLAG_AF; /* AF: undefined; Zen sets it */
    *mask |= FLAG_SF | FLAG_ZF | FLAG_PF | FLAG_AF;
    break;
  default: { /* SAR */
    int64_t s = (int64_t)sign_extend_from(a, size);
    unsigned n = count > 63 ? 63 : count;
    res = (uint64_t)(s >> n) & m;
    cf = (uint64_t)(s >> (n - 1)) & 1;
    f |= szp(res, size) | FLAG_AF; /* AF: undefined; Zen sets it */
    *mask |= FLAG_SF | FLAG_ZF | FLAG_PF | FLAG_AF;
    break;
  }
  }
  if (cf)
    f |= FLAG_CF;
  *flags = f;
  return res;
}

static unsigned shift_count(const struct cpu *c, const struct insn *i) {
  unsigned n;
  switch (i->arg >> 3) {
  case COUNT_1: n = 1; break;
  case COUNT_CL: n = (unsigned)c->gpr[RCX] & 0xff; break;
  default: n = (unsigned)i->imm & 0xff; break;
  }
  return n & (i->opsize == 8 ? 63 : 31);
}

/* C0/C1/D0..D3 /digit: arg = shift op | count source << 3 */
void op_shift(struct cpu *c, const struct insn *i) {
  int size = i->opsize;
  unsigned count = shift_count(c, i);
  uint64_t addr = 0;
  uint64_t a = rm_read(c, i, size, &addr);
  if (count == 0) {
    /* No flags change; a 32-bit register operand is still written
     * (zero-extended) as on hardware. */
    rm_write(c, i, size, addr, a);
    return;
  }
  uint64_t flags, mask;
  int op = i->arg & 7;
  /* Only rcl/rcr read the flags: the others need not materialise them. */
  uint64_t flags_in = op == SH_RCL || op == SH_RCR ? cpu_get_flags(c) : 0;
  uint64_t res = shift_compute(op, size, a, count, flags_in, &flags, &mask);
  rm_write(c, i, size, addr, res);
  cpu_flags_merge(c, flags, mask);
}

/* shld/shrd: shift dest, filling from src. Count masked to 5/6 bits.
 * For 16-bit operands and counts above 16 the SDM leaves the result
 * undefined; AMD Zen shifts through the 48-bit patterns dest:src:src
 * (shld) and src:src:dest (shrd), which the formulas below reproduce
 * (and which equal the defined result for counts up to 16). */
uint64_t shift_double(bool left, int size, uint64_t dest, uint64_t src,
                      unsigned count, uint64_t *flags) {
  int bits = 8 * size;
  uint64_t m = size_mask(size), res, cf;
  dest &= m;
  src &= m;
  if (size == 2) {
    if (left) {
      uint64_t w = dest << 32 | src << 16 | src;
      res = (w << count >> 32) & m;
      cf = (w >> (48 - count)) & 1;
    } else {
      uint64_t w = src << 32 | src << 16 | dest;
      res = (w >> count) & m;
      cf = (w >> (count - 1)) & 1;
    }
  } else if (left) {
    res = ((dest << count) | (src >> (bits - count))) & m;
    cf = (dest >> (bits - count)) & 1;
  } else {
    res = ((dest >> count) | (src << (bits - count))) & m;
    cf = (dest >> (count - 1)) & 1;
  }
  /* OF is defined for a count of 1 only; these expressions give that
   * and what Zen produces for larger counts. AF: Zen sets it. */
  uint64_t f = szp(res, size) | FLAG_AF;
  /* Measured on Zen: a 16-bit shld/shrd by 17..31 clears CF; a 16-bit
   * shld by 16 sets OF = CF, by 17..31 clears OF (20,000 random cases
   * per count, brute-forced against every bit pair of dest:src). */
  bool wide16 = size == 2 && count > 16;
  if (cf && !wide16)
    f |= FLAG_CF;
  uint64_t of =
      left ? cf ^ msb(res, size) : msb(res, size) ^ msb(res << 1, size);
  if (left && size == 2 && count >= 16)
    of = count == 16 ? cf : 0;
  if (of)
    f |= FLAG_OF;
  *flags = f;
  return res;
}

/* 0F A4/A5 shld, 0F AC/AD shrd: arg = 0 left / 1 right, | 2 for CL. */
void op_shld_shrd(struct cpu *c, const struct insn *i) {
  int size = i->opsize;
  unsigned count =
      (unsigned)((i->arg & 2) ? c->gpr[RCX] : i->imm) & (size == 8 ? 63 : 31);
  uint64_t addr = 0;
  uint64_t dest = rm_read(c, i, size, &addr);
  if (count == 0) {
    rm_write(c, i, size, addr, dest);
    return;
  }
  uint64_t src = cpu_reg_get(c, i, i->reg, size), flags;
  uint64_t res = shift_double(!(i->arg & 1), size, dest, src, count, &flags);
  rm_write(c, i, size, addr, res);
  cpu_flags_merge(c, flags, FLAGS_ARITH);
}
