/* Bit instructions: bt/bts/btr/btc, bsf/bsr, popcnt, lzcnt/tzcnt, bswap,
 * movbe and adcx/adox (SDM vol. 2). BMI1/BMI2 are in cpu/bmi.c. */
#include "../exec/atomic.h"
#include "../handlers.h"
#include "alu.h"

/* bt family: arg 0 bt, 1 bts, 2 btr, 3 btc; arg | 4 when the bit offset
 * is an imm8. A register offset with a memory operand addresses the bit
 * string beyond the operand: signed offset / width selects the word
 * (SDM vol. 2, BT, "bit base" and table 3-2). */
void op_bt(struct cpu *c, const struct insn *i) {
  int size = i->opsize, bits = 8 * size;
  int op = i->arg & 3;
  uint64_t offset;
  uint64_t addr = 0, v;
  if (i->arg & 4)
    offset = i->imm & (uint64_t)(bits - 1);
  else
    offset = cpu_reg_get(c, i, i->reg, size);
  if (i->mod == 3) {
    offset &= (uint64_t)(bits - 1);
    v = cpu_reg_get(c, i, i->rm, size);
  } else {
    addr = cpu_ea(c, i);
    if (!(i->arg & 4)) {
      int64_t so = (int64_t)sign_extend_from(offset, size);
      int64_t word = so >> (size == 8 ? 6 : size == 4 ? 5 : 4);
      addr += (uint64_t)(word * size);
      if (i->addrsize == 4 && i->seg == SEG_NONE)
        addr = (uint32_t)addr;
      offset = (uint64_t)so & (uint64_t)(bits - 1);
    }
    if (i->lock) { /* bts/btr/btc: or, and-not, xor of the bit */
      static const enum atomic_op ops[4] = {ATOMIC_OR, ATOMIC_OR, ATOMIC_AND,
                                            ATOMIC_XOR};
      uint64_t bit = 1ull << offset;
      v = cpu_atomic_rmw(c, addr, size, ops[op], op == 2 ? ~bit : bit);
      cpu_flags_merge(c, (v & bit) ? FLAG_CF : 0, FLAG_CF);
      return;
    }
    v = cpu_load(c, addr, size);
  }
  uint64_t bit = 1ull << offset, res = v;
  switch (op) {
  case 1: res = v | bit; break;
  case 2: res = v & ~bit; break;
  case 3: res = v ^ bit; break;
  default: break;
  }
  if (op != 0)
    rm_write(c, i, size, addr, res);
  cpu_flags_merge(c, (v & bit) ? FLAG_CF : 0, FLAG_CF);
}

/* 0F BC bsf, 0F BD bsr (arg 1): a zero source sets ZF and leaves the
 * destination unchanged (as AMD documents and Intel does). */
void op_bsf_bsr(struct cpu *c, const struct insn *i) {
  int size = i->opsize;
  uint64_t v = cpu_rm_get(c, i, size);
  if (v == 0) {
    cpu_flags_merge(c, FLAG_ZF, FLAG_ZF);
    return;
  }
  uint64_t idx =
      i->arg ? 63 - (unsigned)__builtin_clzll(v) : (unsigned)__builtin_ctzll(v);
  cpu_reg_set(c, i, i->reg, size, idx);
  cpu_flags_merge(c, 0, FLAG_ZF);
}

/* F3 0F BC tzcnt, F3 0F BD lzcnt (arg 1): CF = source was zero,
 * ZF = result is zero. */
void op_tzcnt_lzcnt(struct cpu *c, const struct insn *i) {
  int size = i->opsize, bits = 8 * size;
  uint64_t v = cpu_rm_get(c, i, size);
  uint64_t n;
  if (v == 0)
    n = (uint64_t)bits;
  else if (i->arg)
    n = (unsigned)__builtin_clzll(v) - (64u - (unsigned)bits);
  else
    n = (unsigned)__builtin_ctzll(v);
  cpu_reg_set(c, i, i->reg, size, n);
  /* SF, AF, PF are undefined; Zen clears them and keeps OF. */
  cpu_flags_merge(c, (v == 0 ? FLAG_CF : 0) | (n == 0 ? FLAG_ZF : 0),
                  FLAG_CF | FLAG_ZF | FLAG_SF | FLAG_AF | FLAG_PF);
}

/* F3 0F B8: popcnt; ZF = source was zero, OF/SF/AF/CF/PF cleared. */
void op_popcnt(struct cpu *c, const struct insn *i) {
  uint64_t v = cpu_rm_get(c, i, i->opsize);
  cpu_reg_set(c, i, i->reg, i->opsize, (uint64_t)__builtin_popcountll(v));
  cpu_flags_merge(c, v == 0 ? FLAG_ZF : 0, FLAGS_ARITH);
}

static uint64_t byte_swap(uint64_t v, int size) {
  switch (size) {
  case 8: return __builtin_bswap64(v);
  case 4: return __builtin_bswap32((uint32_t)v);
  default: return __builtin_bswap16((uint16_t)v);
  }
}

/* 0F C8..CF: bswap reg. With a 16-bit operand the SDM leaves the result
 * undefined; the register is cleared as on Intel and AMD parts. */
void op_bswap(struct cpu *c, const struct insn *i) {
  int size = i->opsize;
  uint64_t v = cpu_reg_get(c, i, i->reg, size);
  cpu_reg_set(c, i, i->reg, size, size == 2 ? 0 : byte_swap(v, size));
}

/* 0F 38 F0: movbe reg, m; 0F 38 F1 (arg | 1): movbe m, reg. The 66
 * forms (arg | 2) are selected as mandatory-prefix forms, so the decoder
 * does not apply the 16-bit operand size itself. */
void op_movbe(struct cpu *c, const struct insn *i) {
  int size = (i->arg & 2) && !(i->rex & 8) ? 2 : i->opsize;
  if (i->arg & 1)
    cpu_store(c, cpu_ea(c, i), size,
              byte_swap(cpu_reg_get(c, i, i->reg, size), size));
  else
    cpu_reg_set(c, i, i->reg, size,
                byte_swap(cpu_load(c, cpu_ea(c, i), size), size));
}

/* 66 0F 38 F6 adcx (CF chain), F3 0F 38 F6 adox (arg 1, OF chain):
 * add with carry that touches only its own flag. */
void op_adcx_adox(struct cpu *c, const struct insn *i) {
  int size = i->opsize;
  uint64_t flag = i->arg ? FLAG_OF : FLAG_CF;
  uint64_t a = cpu_reg_get(c, i, i->reg, size);
  uint64_t b = cpu_rm_get(c, i, size);
  uint64_t cin = (cpu_get_flags(c) & flag) ? 1 : 0;
  uint64_t res = (a + b + cin) & size_mask(size);
  bool cout = cin ? res <= (a & size_mask(size)) : res < (a & size_mask(size));
  cpu_reg_set(c, i, i->reg, size, res);
  cpu_flags_merge(c, cout ? flag : 0, flag);
}
