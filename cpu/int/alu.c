/* add/or/adc/sbb/and/sub/xor/cmp, test, inc/dec, neg/not (SDM vol. 2).
 * Results are stored first, flags recorded lazily afterwards, so that a
 * faulting store leaves the machine untouched for the restart. */
#include <stdlib.h>

#include "../exec/atomic.h"
#include "../handlers.h"
#include "alu.h"

uint64_t alu_result(struct cpu *c, int op, uint64_t a, uint64_t b) {
  switch (op) {
  case ALU_ADD: return a + b;
  case ALU_OR: return a | b;
  case ALU_ADC: return a + b + !!(cpu_get_flags(c) & FLAG_CF);
  case ALU_SBB: return a - b - !!(cpu_get_flags(c) & FLAG_CF);
  case ALU_AND: return a & b;
  case ALU_XOR: return a ^ b;
  default: return a - b; /* SUB, CMP */
  }
}

void alu_flags(struct cpu *c, int op, int size, uint64_t a, uint64_t b,
               uint64_t res) {
  enum flags_op kind;
  switch (op) {
  case ALU_ADD: kind = FLAGS_ADD; break;
  case ALU_ADC:
    /* A carry-in of 0 makes adc an add: the lazy op encodes carry-in. */
    kind = ((res - a - b) & size_mask(size)) ? FLAGS_ADC : FLAGS_ADD;
    break;
  case ALU_SBB:
    kind = ((a - b - res) & size_mask(size)) ? FLAGS_SBB : FLAGS_SUB;
    break;
  case ALU_SUB:
  case ALU_CMP: kind = FLAGS_SUB; break;
  default: kind = FLAGS_LOGIC; break;
  }
  cpu_flags_lazy(c, kind, size, a, b, res);
}

/* The locked form (cpu/exec/atomic.h) of op r/m, b on the memory operand
 * at addr: the old value. ADC and SBB add b plus or minus the carry, the
 * same sum modulo the operand size. */
static uint64_t alu_locked(struct cpu *c, const struct insn *i, uint64_t addr,
                           uint64_t b) {
  uint64_t carry = 0;
  if (i->arg == ALU_ADC || i->arg == ALU_SBB)
    carry = !!(cpu_get_flags(c) & FLAG_CF);
  enum atomic_op op = ATOMIC_ADD;
  uint64_t v;
  switch (i->arg) {
  case ALU_ADD:
  case ALU_ADC: v = b + carry; break;
  case ALU_SUB:
  case ALU_SBB: v = 0 - b - carry; break;
  case ALU_OR: op = ATOMIC_OR, v = b; break;
  case ALU_AND: op = ATOMIC_AND, v = b; break;
  case ALU_XOR: op = ATOMIC_XOR, v = b; break;
  default: abort(); /* cmp has no locked form: #UD at decode */
  }
  return cpu_atomic_rmw(c, addr, i->opsize, op, v);
}

static void alu_rm(struct cpu *c, const struct insn *i, uint64_t b) {
  int size = i->opsize;
  uint64_t addr = 0, a, res;
  if (i->lock) {
    a = alu_locked(c, i, cpu_ea(c, i), b);
    res = alu_result(c, i->arg, a, b);
  } else {
    a = rm_read(c, i, size, &addr);
    res = alu_result(c, i->arg, a, b);
    if (i->arg != ALU_CMP)
      rm_write(c, i, size, addr, res);
  }
  alu_flags(c, i->arg, size, a, b, res);
}

static void alu_reg(struct cpu *c, const struct insn *i, unsigned reg,
                    uint64_t b) {
  int size = i->opsize;
  uint64_t a = cpu_reg_get(c, i, reg, size);
  uint64_t res = alu_result(c, i->arg, a, b);
  if (i->arg != ALU_CMP)
    cpu_reg_set(c, i, reg, size, res);
  alu_flags(c, i->arg, size, a, b, res);
}

/* 00, 01, 08, ...: op r/m, reg */
void op_alu_rm_r(struct cpu *c, const struct insn *i) {
  alu_rm(c, i, cpu_reg_get(c, i, i->reg, i->opsize));
}

/* 02, 03, 0A, ...: op reg, r/m */
void op_alu_r_rm(struct cpu *c, const struct insn *i) {
  alu_reg(c, i, i->reg, cpu_rm_get(c, i, i->opsize));
}

/* 04, 05, 0C, ...: op al/ax/eax/rax, imm */
void op_alu_a_imm(struct cpu *c, const struct insn *i) {
  alu_reg(c, i, RAX, i->imm);
}

/* 80, 81, 83 /digit: op r/m, imm */
void op_alu_rm_imm(struct cpu *c, const struct insn *i) {
  alu_rm(c, i, i->imm);
}

static void test_flags(struct cpu *c, int size, uint64_t res) {
  cpu_flags_lazy(c, FLAGS_LOGIC, size, 0, 0, res);
}

/* 84, 85: test r/m, reg */
void op_test_rm_r(struct cpu *c, const struct insn *i) {
  uint64_t a = cpu_rm_get(c, i, i->opsize);
  test_flags(c, i->opsize, a & cpu_reg_get(c, i, i->reg, i->opsize));
}

/* A8, A9: test al/ax/eax/rax, imm */
void op_test_a_imm(struct cpu *c, const struct insn *i) {
  test_flags(c, i->opsize, cpu_reg_get(c, i, RAX, i->opsize) & i->imm);
}

/* F6/F7 /0 (and the /1 alias): test r/m, imm */
void op_test_rm_imm(struct cpu *c, const struct insn *i) {
  test_flags(c, i->opsize, cpu_rm_get(c, i, i->opsize) & i->imm);
}

/* FE/FF /0 and /1: inc and dec keep CF (SDM vol. 2, INC). arg 0 = inc. */
void op_inc_dec(struct cpu *c, const struct insn *i) {
  int size = i->opsize;
  uint64_t addr = 0, a;
  if (i->lock) { /* dec adds -1 */
    a = cpu_atomic_rmw(c, cpu_ea(c, i), size, ATOMIC_ADD, i->arg ? ~0ull : 1);
  } else {
    a = rm_read(c, i, size, &addr);
    rm_write(c, i, size, addr, i->arg ? a - 1 : a + 1);
  }
  uint64_t res = i->arg ? a - 1 : a + 1;
  c->rflags = cpu_get_flags(c); /* CF must survive in the eager bits */
  cpu_flags_lazy(c, i->arg ? FLAGS_DEC : FLAGS_INC, size, a, 1, res);
}

/* F6/F7 /3: neg is 0 - r/m; CF = (operand != 0). */
void op_neg(struct cpu *c, const struct insn *i) {
  int size = i->opsize;
  uint64_t addr = 0, a;
  if (i->lock) {
    a = cpu_atomic_rmw(c, cpu_ea(c, i), size, ATOMIC_NEG, 0);
  } else {
    a = rm_read(c, i, size, &addr);
    rm_write(c, i, size, addr, 0 - a);
  }
  cpu_flags_lazy(c, FLAGS_SUB, size, 0, a, 0 - a);
}

/* F6/F7 /2: not changes no flags. */
void op_not(struct cpu *c, const struct insn *i) {
  int size = i->opsize;
  if (i->lock) {
    cpu_atomic_rmw(c, cpu_ea(c, i), size, ATOMIC_XOR, size_mask(size));
    return;
  }
  uint64_t addr = 0;
  uint64_t a = rm_read(c, i, size, &addr);
  rm_write(c, i, size, addr, ~a);
}
