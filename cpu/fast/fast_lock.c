/* Specialised copies of the locked forms whose plain forms have one
 * (cpu/fast_alu.c: add/or/and/sub/xor r/m, reg or imm, and inc/dec, at
 * sizes 1, 4 and 8): they make the TLB hit-path lookups the plain copy
 * makes, the read then the write, and change the operand with the host
 * atomic (cpu/exec/atomic.h). On a miss or a page crossing they fall
 * back to the generic handler before changing anything, as the plain
 * copy does, so the TLB counts stay those of the plain instruction. The
 * locked instruction costs a host locked instruction anyway: one copy
 * per family, with the size and operand form read at run time. */
#include "../decode/specialize.h"
#include "../exec/atomic.h"
#include "../int/alu.h"
#include "fast.h"

/* The host address of the memory operand when both the read and the
 * write hit the TLB, else NULL. */
FAST_INLINE void *locked_host(struct cpu *c, const struct insn *i) {
  c->insn_rip = i->rip; /* cpu_ea's RIP-relative base */
  uint64_t addr = cpu_ea(c, i);
  if (!fast_tlb(c, MMU_READ, addr, i->opsize))
    return NULL;
  const struct tlb_entry *w = fast_tlb(c, MMU_WRITE, addr, i->opsize);
  return w ? (void *)(uintptr_t)(addr + w->addend) : NULL;
}

FAST_INLINE void lock_alu(struct cpu *c, const struct insn *i, uint64_t b) {
  void *p = locked_host(c, i);
  if (!p) {
    chain_generic(c, i);
    return;
  }
  uint64_t a = alu_locked(c, i, 0, p, b);
  alu_flags(c, i->arg, i->opsize, a, b, alu_result(c, i->arg, a, b));
  CHAIN_NEXT(c, i);
}

static void lock_alu_rm_r(struct cpu *c, const struct insn *i) {
  lock_alu(c, i, cpu_reg_get(c, i, i->reg, i->opsize));
}

static void lock_alu_rm_imm(struct cpu *c, const struct insn *i) {
  lock_alu(c, i, i->imm);
}

static void lock_inc_dec(struct cpu *c, const struct insn *i) {
  void *p = locked_host(c, i);
  if (!p) {
    chain_generic(c, i);
    return;
  }
  inc_dec_flags(c, i, inc_dec_locked(c, i, 0, p));
  CHAIN_NEXT(c, i);
}

cpu_handler fast_lock_pick(cpu_handler generic) {
  if (generic == op_alu_rm_r)
    return lock_alu_rm_r;
  if (generic == op_alu_rm_imm)
    return lock_alu_rm_imm;
  if (generic == op_inc_dec)
    return lock_inc_dec;
  return NULL;
}
