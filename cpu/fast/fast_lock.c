/* Specialised copies of the locked forms whose plain forms have one
 * (cpu/fast_alu.c: add/or/and/sub/xor r/m, reg or imm, and inc/dec, at
 * sizes 1, 4 and 8), one per operation, size and operand form like
 * those: they make the TLB hit-path lookups the plain copy makes, the
 * read then the write, and change the operand with the host atomic
 * (cpu/exec/atomic.h), which the constants reduce to one host locked
 * instruction (or a compare-and-exchange loop for or, and, xor). On a
 * miss or a page crossing they fall back to the generic handler before
 * changing anything, as the plain copy does, so the TLB counts and the
 * flags are those of the plain instruction. */
#include "../decode/specialize.h"
#include "../exec/atomic.h"
#include "../int/alu.h"
#include "fast.h"

/* How the source operand is found: register, immediate; or inc/dec. */
enum { L_R, L_I, L_INC, L_DEC };

FAST_INLINE bool lock_fast(struct cpu *c, const struct insn *i, int op,
                           int size, int form, int variant) {
  uint64_t addr = fast_ea(c, i, form);
  if (!fast_tlb(c, MMU_READ, addr, size))
    return false;
  const struct tlb_entry *w = fast_tlb(c, MMU_WRITE, addr, size);
  if (!w)
    return false;
  void *p = (void *)(uintptr_t)(addr + w->addend);
  if (variant == L_INC || variant == L_DEC) {
    bool dec = variant == L_DEC;
    uint64_t a = atomic_host_rmw(p, size, ATOMIC_ADD, dec ? ~0ull : 1);
    c->rflags = (c->rflags & ~(uint64_t)FLAG_CF) | fast_cf(c);
    fast_flags(c, dec ? FLAGS_DEC : FLAGS_INC, size, a, 1, dec ? a - 1 : a + 1);
    return true;
  }
  uint64_t b = variant == L_R ? fast_get(c, i->reg, size) : i->imm;
  enum atomic_op aop = op == ALU_OR    ? ATOMIC_OR
                       : op == ALU_AND ? ATOMIC_AND
                       : op == ALU_XOR ? ATOMIC_XOR
                                       : ATOMIC_ADD;
  uint64_t a = atomic_host_rmw(p, size, aop, op == ALU_SUB ? 0 - b : b);
  uint64_t res = op == ALU_SUB ? a - b : atomic_apply(aop, a, b);
  enum flags_op kind = op == ALU_ADD   ? FLAGS_ADD
                       : op == ALU_SUB ? FLAGS_SUB
                                       : FLAGS_LOGIC;
  fast_flags(c, kind, size, a, b, res);
  return true;
}

#define LOCK_FN(V, OP, SZ, F)                                                  \
  static void lock_##V##_##OP##_##SZ##_##F(struct cpu *c,                      \
                                           const struct insn *i) {             \
    if (lock_fast(c, i, OP, SZ, F, V))                                         \
      CHAIN_NEXT(c, i);                                                        \
    else                                                                       \
      chain_generic(c, i);                                                     \
  }
/* Memory forms only: FORM_REG (0) has no lock form. */
#define LOCK_FORMS(V, OP, SZ)                                                  \
  LOCK_FN(V, OP, SZ, 1)                                                        \
  LOCK_FN(V, OP, SZ, 2)                                                        \
  LOCK_FN(V, OP, SZ, 3) LOCK_FN(V, OP, SZ, 4) LOCK_FN(V, OP, SZ, 5)
#define LOCK_SIZES(V, OP)                                                      \
  LOCK_FORMS(V, OP, 1) LOCK_FORMS(V, OP, 4) LOCK_FORMS(V, OP, 8)
#define LOCK_OPS(V)                                                            \
  LOCK_SIZES(V, 0)                                                             \
  LOCK_SIZES(V, 1) LOCK_SIZES(V, 4) LOCK_SIZES(V, 5) LOCK_SIZES(V, 6)
LOCK_OPS(0)
LOCK_OPS(1)
LOCK_SIZES(2, 0) /* inc, dec: the operation is unused */
LOCK_SIZES(3, 0)

#define LOCK_ROW(V, OP, SZ)                                                    \
  {                                                                            \
    NULL, lock_##V##_##OP##_##SZ##_1, lock_##V##_##OP##_##SZ##_2,              \
        lock_##V##_##OP##_##SZ##_3, lock_##V##_##OP##_##SZ##_4,                \
        lock_##V##_##OP##_##SZ##_5                                             \
  }
#define LOCK_ENT(V, OP)                                                        \
  { LOCK_ROW(V, OP, 1), LOCK_ROW(V, OP, 4), LOCK_ROW(V, OP, 8) }

/* [variant][alu op][size index][form]; adc/sbb stay generic (NULL). */
static const cpu_handler lock_table[2][8][3][FORM_COUNT] = {
    {[0] = LOCK_ENT(0, 0),
     [1] = LOCK_ENT(0, 1),
     [4] = LOCK_ENT(0, 4),
     [5] = LOCK_ENT(0, 5),
     [6] = LOCK_ENT(0, 6)},
    {[0] = LOCK_ENT(1, 0),
     [1] = LOCK_ENT(1, 1),
     [4] = LOCK_ENT(1, 4),
     [5] = LOCK_ENT(1, 5),
     [6] = LOCK_ENT(1, 6)}};
static const cpu_handler lock_incdec_table[2][3][FORM_COUNT] = {LOCK_ENT(2, 0),
                                                                LOCK_ENT(3, 0)};

cpu_handler fast_lock_pick(const struct insn *i, cpu_handler generic,
                           int form) {
  int size = i->opsize;
  if (form == FORM_REG || (size != 1 && size != 4 && size != 8))
    return NULL;
  int s = size == 1 ? 0 : size == 4 ? 1 : 2;
  if (generic == op_alu_rm_r)
    return lock_table[L_R][i->arg & 7][s][form];
  if (generic == op_alu_rm_imm)
    return lock_table[L_I][i->arg & 7][s][form];
  if (generic == op_inc_dec)
    return lock_incdec_table[i->arg ? 1 : 0][s][form];
  return NULL;
}
