/* BMI1 and BMI2 (VEX-encoded general-purpose instructions, SDM vol. 2):
 * andn, bextr, blsi/blsmsk/blsr, bzhi, pdep/pext, sarx/shlx/shrx, rorx,
 * mulx. All are #UD with VEX.L = 1. Operand size is 32, or 64 with
 * VEX.W; insn.vvvv names the extra register operand. */
#include "../handlers.h"
#include "alu.h"

__extension__ typedef unsigned __int128 u128;

static void require_l0(struct cpu *c, const struct insn *i) {
  if (i->vex_l)
    cpu_raise(c, TRAP_UD, 0);
}

static uint64_t vreg(struct cpu *c, const struct insn *i) {
  return cpu_reg_get(c, i, i->vvvv, i->opsize);
}

/* SF, ZF and PF of a result, with CF, OF and AF clear: PF and AF are
 * undefined by the SDM, these are Zen's values (tests/unit/test_bits.c). */
static uint64_t sz_flags(uint64_t res, int size) {
  uint64_t f = cpu_parity((uint8_t)res) ? FLAG_PF : 0;
  if ((res & size_mask(size)) == 0)
    f |= FLAG_ZF;
  if ((res >> (8 * size - 1)) & 1)
    f |= FLAG_SF;
  return f;
}

/* VEX.0F38 F2: andn reg, vvvv, r/m */
void op_andn(struct cpu *c, const struct insn *i) {
  require_l0(c, i);
  int size = i->opsize;
  uint64_t res = ~vreg(c, i) & cpu_rm_get(c, i, size) & size_mask(size);
  cpu_reg_set(c, i, i->reg, size, res);
  cpu_flags_merge(c, sz_flags(res, size), FLAGS_ARITH);
}

/* VEX.0F38 F7 (no prefix): bextr reg, r/m, vvvv (start, length bytes) */
void op_bextr(struct cpu *c, const struct insn *i) {
  require_l0(c, i);
  int size = i->opsize, bits = 8 * size;
  uint64_t src = cpu_rm_get(c, i, size), ctl = vreg(c, i);
  unsigned start = ctl & 0xff, len = (ctl >> 8) & 0xff;
  uint64_t res = start < (unsigned)bits ? src >> start : 0;
  if (len < 64)
    res &= (1ull << len) - 1;
  cpu_reg_set(c, i, i->reg, size, res);
  /* SF, AF, PF undefined: Zen clears SF, sets AF, PF from the result. */
  uint64_t f = (res ? 0 : FLAG_ZF) | FLAG_AF;
  if (cpu_parity((uint8_t)res))
    f |= FLAG_PF;
  cpu_flags_merge(c, f, FLAGS_ARITH);
}

/* VEX.0F38 F3 /1 blsr, /2 blsmsk, /3 blsi: vvvv = f(r/m). arg = /digit */
void op_bls(struct cpu *c, const struct insn *i) {
  require_l0(c, i);
  int size = i->opsize;
  uint64_t src = cpu_rm_get(c, i, size), res, f = 0;
  switch (i->arg) {
  case 1:
    res = (src - 1) & src;
    f = src == 0 ? FLAG_CF : 0;
    break;
  case 2:
    res = (src - 1) ^ src;
    f = src == 0 ? FLAG_CF : 0;
    break;
  default:
    res = (0 - src) & src;
    f = src != 0 ? FLAG_CF : 0;
    break;
  }
  res &= size_mask(size);
  f |= sz_flags(res, size);
  if (i->arg == 2)
    f &= ~(uint64_t)FLAG_ZF;
  cpu_reg_set(c, i, i->vvvv, size, res);
  cpu_flags_merge(c, f, FLAGS_ARITH);
}

/* VEX.0F38 F5 (no prefix): bzhi reg, r/m, vvvv */
void op_bzhi(struct cpu *c, const struct insn *i) {
  require_l0(c, i);
  int size = i->opsize, bits = 8 * size;
  uint64_t src = cpu_rm_get(c, i, size);
  unsigned n = vreg(c, i) & 0xff;
  uint64_t res = n < (unsigned)bits ? src & ((1ull << n) - 1) : src;
  uint64_t f = sz_flags(res, size) | (n > (unsigned)bits - 1 ? FLAG_CF : 0);
  cpu_reg_set(c, i, i->reg, size, res);
  cpu_flags_merge(c, f, FLAGS_ARITH);
}

/* VEX.F2.0F38 F5 pdep (arg 0), VEX.F3.0F38 F5 pext (arg 1): reg, vvvv,
 * r/m (the mask). */
void op_pdep_pext(struct cpu *c, const struct insn *i) {
  require_l0(c, i);
  int size = i->opsize;
  uint64_t src = vreg(c, i), mask = cpu_rm_get(c, i, size), res = 0;
  unsigned k = 0;
  for (int b = 0; b < 8 * size; b++) {
    if (!((mask >> b) & 1))
      continue;
    if (i->arg)
      res |= ((src >> b) & 1) << k;
    else
      res |= ((src >> k) & 1) << b;
    k++;
  }
  cpu_reg_set(c, i, i->reg, size, res);
}

/* VEX.0F38 F7 with 66 shlx, F3 sarx, F2 shrx: reg, r/m, vvvv (count);
 * arg 0 shl, 1 sar, 2 shr. No flags change. */
void op_shiftx(struct cpu *c, const struct insn *i) {
  require_l0(c, i);
  int size = i->opsize;
  uint64_t src = cpu_rm_get(c, i, size);
  unsigned n = vreg(c, i) & (size == 8 ? 63 : 31);
  uint64_t res;
  switch (i->arg) {
  case 0: res = src << n; break;
  case 1: res = (uint64_t)((int64_t)sign_extend_from(src, size) >> n); break;
  default: res = src >> n; break;
  }
  cpu_reg_set(c, i, i->reg, size, res);
}

/* VEX.F2.0F3A F0: rorx reg, r/m, imm8. No flags change. VEX.vvvv is
 * reserved (must be 1111b, i.e. 0 here): #UD otherwise. */
void op_rorx(struct cpu *c, const struct insn *i) {
  require_l0(c, i);
  if (i->vvvv)
    cpu_raise(c, TRAP_UD, 0);
  int size = i->opsize, bits = 8 * size;
  uint64_t src = cpu_rm_get(c, i, size);
  unsigned n = (unsigned)i->imm & (unsigned)(bits - 1);
  uint64_t res = n ? (src >> n) | (src << (bits - n)) : src;
  cpu_reg_set(c, i, i->reg, size, res);
}

/* VEX.F2.0F38 F6: mulx hi(reg), lo(vvvv), r/m; implicit rdx/edx. When
 * both destinations are one register it gets the high half. */
void op_mulx(struct cpu *c, const struct insn *i) {
  require_l0(c, i);
  int size = i->opsize;
  uint64_t b = cpu_rm_get(c, i, size);
  u128 p = (u128)cpu_reg_get(c, i, RDX, size) * b;
  uint64_t lo, hi;
  if (size == 8) {
    lo = (uint64_t)p;
    hi = (uint64_t)(p >> 64);
  } else {
    lo = (uint32_t)p;
    hi = (uint32_t)(p >> 32);
  }
  cpu_reg_set(c, i, i->vvvv, size, lo);
  cpu_reg_set(c, i, i->reg, size, hi);
}
