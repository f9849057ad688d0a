/* Helpers shared by the integer instruction handlers (cpu/alu.c,
 * cpu/move.c, cpu/string.c, ...): operand-size masks, read-modify-write
 * of the r/m operand, and the eight classic ALU operations. */
#ifndef EMU_ALU_H
#define EMU_ALU_H

#include "../cpu.h"

/* The classic ALU operations in opcode order (SDM vol. 2, table A-6). */
enum alu_op {
  ALU_ADD,
  ALU_OR,
  ALU_ADC,
  ALU_SBB,
  ALU_AND,
  ALU_SUB,
  ALU_XOR,
  ALU_CMP
};

static inline uint64_t size_mask(int size) {
  return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

static inline uint64_t sign_extend_from(uint64_t v, int size) {
  int shift = 64 - 8 * size;
  return (uint64_t)((int64_t)(v << shift) >> shift);
}

/* Read the r/m operand, remembering the address for the write back. */
static inline uint64_t rm_read(struct cpu *c, const struct insn *i, int size,
                               uint64_t *addr) {
  if (i->mod == 3)
    return cpu_reg_get(c, i, i->rm, size);
  *addr = cpu_ea(c, i);
  return cpu_load(c, *addr, size);
}

static inline void rm_write(struct cpu *c, const struct insn *i, int size,
                            uint64_t addr, uint64_t v) {
  if (i->mod == 3)
    cpu_reg_set(c, i, i->rm, size, v);
  else
    cpu_store(c, addr, size, v);
}

/* The result of ALU operation `op` (no side effects: memory is written
 * before flags change, so the flags are recorded separately). */
uint64_t alu_result(struct cpu *c, int op, uint64_t a, uint64_t b);
/* Record the flags of `op` once its result has been stored. */
void alu_flags(struct cpu *c, int op, int size, uint64_t a, uint64_t b,
               uint64_t res);

#endif
