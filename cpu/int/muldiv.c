/* mul, imul (one, two and three operands), div, idiv (SDM vol. 2).
 * Division by zero and quotients that do not fit raise #DE. Flags the
 * SDM leaves undefined take the values an AMD Zen produces (see
 * tests/unit/test_muldiv.c, checked against the host). */
#include "../handlers.h"
#include "alu.h"

__extension__ typedef unsigned __int128 u128;
__extension__ typedef __int128 i128;

/* CF = OF = `overflow`; SF/ZF/AF/PF are undefined by the SDM and Zen
 * leaves them as they were. */
static void mul_flags(struct cpu *c, bool overflow, uint64_t low, int size) {
  (void)low;
  (void)size;
  cpu_flags_merge(c, overflow ? FLAG_CF | FLAG_OF : 0, FLAG_CF | FLAG_OF);
}

/* Write a double-width result: ax for bytes, else rdx:rax halves. */
static void set_wide(struct cpu *c, const struct insn *i, int size, uint64_t lo,
                     uint64_t hi) {
  if (size == 1) {
    cpu_reg_set(c, i, RAX, 2, (lo & 0xff) | (hi & 0xff) << 8);
    return;
  }
  cpu_reg_set(c, i, RAX, size, lo);
  cpu_reg_set(c, i, RDX, size, hi);
}

/* F6/F7 /4: mul r/m (unsigned, double-width result). */
void op_mul(struct cpu *c, const struct insn *i) {
  int size = i->opsize;
  uint64_t b = cpu_rm_get(c, i, size);
  uint64_t a = cpu_reg_get(c, i, RAX, size);
  u128 p = (u128)a * b;
  int bits = 8 * size;
  uint64_t lo, hi;
  if (size == 8) {
    lo = (uint64_t)p;
    hi = (uint64_t)(p >> 64);
  } else {
    lo = (uint64_t)p & size_mask(size);
    hi = (uint64_t)(p >> bits) & size_mask(size);
  }
  set_wide(c, i, size, lo, hi);
  mul_flags(c, hi != 0, lo, size);
}

/* F6/F7 /5: imul r/m (signed, double-width result). */
void op_imul1(struct cpu *c, const struct insn *i) {
  int size = i->opsize;
  int64_t b = (int64_t)sign_extend_from(cpu_rm_get(c, i, size), size);
  int64_t a = (int64_t)sign_extend_from(cpu_reg_get(c, i, RAX, size), size);
  i128 p = (i128)a * b;
  int bits = 8 * size;
  uint64_t lo = (uint64_t)p & size_mask(size);
  uint64_t hi = size == 8 ? (uint64_t)((u128)p >> 64)
                          : (uint64_t)(p >> bits) & size_mask(size);
  set_wide(c, i, size, lo, hi);
  mul_flags(c, (i128)(int64_t)sign_extend_from(lo, size) != p, lo, size);
}

static void imul_trunc(struct cpu *c, const struct insn *i, uint64_t a,
                       uint64_t b) {
  int size = i->opsize;
  i128 p = (i128)(int64_t)sign_extend_from(a, size) *
           (int64_t)sign_extend_from(b, size);
  uint64_t lo = (uint64_t)p & size_mask(size);
  cpu_reg_set(c, i, i->reg, size, lo);
  mul_flags(c, (i128)(int64_t)sign_extend_from(lo, size) != p, lo, size);
}

/* 0F AF: imul reg, r/m */
void op_imul2(struct cpu *c, const struct insn *i) {
  uint64_t b = cpu_rm_get(c, i, i->opsize);
  imul_trunc(c, i, cpu_reg_get(c, i, i->reg, i->opsize), b);
}

/* 69, 6B: imul reg, r/m, imm */
void op_imul3(struct cpu *c, const struct insn *i) {
  imul_trunc(c, i, cpu_rm_get(c, i, i->opsize), i->imm);
}

/* The dividend: ax for bytes, else rdx:rax. */
static u128 dividend(struct cpu *c, const struct insn *i, int size) {
  if (size == 1)
    return cpu_reg_get(c, i, RAX, 2);
  return (u128)cpu_reg_get(c, i, RDX, size) << (8 * size) |
         cpu_reg_get(c, i, RAX, size);
}

static void set_quot_rem(struct cpu *c, const struct insn *i, int size,
                         uint64_t q, uint64_t r) {
  if (size == 1)
    cpu_reg_set(c, i, RAX, 2, (q & 0xff) | (r & 0xff) << 8);
  else {
    cpu_reg_set(c, i, RAX, size, q);
    cpu_reg_set(c, i, RDX, size, r);
  }
}

/* Every flag is undefined after div/idiv; Zen clears SF, ZF and PF,
 * sets AF and keeps CF and OF. */
static void div_flags(struct cpu *c) {
  cpu_flags_merge(c, FLAG_AF, FLAG_SF | FLAG_ZF | FLAG_AF | FLAG_PF);
}

/* F6/F7 /6: div r/m */
void op_div(struct cpu *c, const struct insn *i) {
  int size = i->opsize;
  uint64_t d = cpu_rm_get(c, i, size);
  if (d == 0)
    cpu_raise(c, TRAP_DE, 0);
  u128 n = dividend(c, i, size);
  u128 q = n / d;
  if (q > size_mask(size))
    cpu_raise(c, TRAP_DE, 0);
  set_quot_rem(c, i, size, (uint64_t)q, (uint64_t)(n % d));
  div_flags(c);
}

/* F6/F7 /7: idiv r/m; the quotient truncates toward zero. */
void op_idiv(struct cpu *c, const struct insn *i) {
  int size = i->opsize;
  int64_t d = (int64_t)sign_extend_from(cpu_rm_get(c, i, size), size);
  if (d == 0)
    cpu_raise(c, TRAP_DE, 0);
  int bits = 8 * size;
  u128 raw = dividend(c, i, size);
  /* Sign-extend the 2*size-byte dividend to 128 bits. */
  i128 n = bits == 64 ? (i128)raw
                      : (i128)(raw << (128 - 2 * bits)) >> (128 - 2 * bits);
  /* -2^127 / -1 cannot be formed in i128; it overflows any size. */
  if (bits == 64 && d == -1 && raw == (u128)1 << 127)
    cpu_raise(c, TRAP_DE, 0);
  i128 q = n / d, r = n % d;
  i128 lim = (i128)1 << (bits - 1);
  if (q >= lim || q < -lim)
    cpu_raise(c, TRAP_DE, 0);
  set_quot_rem(c, i, size, (uint64_t)q & size_mask(size),
               (uint64_t)r & size_mask(size));
  div_flags(c);
}
