/* push/pop in their forms, pushf/popf, enter/leave (SDM vol. 2). The
 * stack-address size is always 64 bits in long mode; the operand size is
 * 64 bits by default and 16 with a 66 prefix (32 is not encodable). */
#include "../handlers.h"
#include "alu.h"

/* 50..57: push reg. The value is read before rsp moves (push rsp). */
void op_push_r(struct cpu *c, const struct insn *i) {
  cpu_push(c, i->opsize, cpu_reg_get(c, i, i->reg, i->opsize));
}

/* 58..5F: pop reg (pop rsp loads the popped value into rsp). */
void op_pop_r(struct cpu *c, const struct insn *i) {
  uint64_t v = cpu_pop(c, i->opsize);
  cpu_reg_set(c, i, i->reg, i->opsize, v);
}

/* 68, 6A: push imm (sign-extended to the operand size). */
void op_push_imm(struct cpu *c, const struct insn *i) {
  cpu_push(c, i->opsize, i->imm);
}

/* FF /6: push r/m */
void op_push_rm(struct cpu *c, const struct insn *i) {
  cpu_push(c, i->opsize, cpu_rm_get(c, i, i->opsize));
}

/* 8F /0: pop r/m. An rsp-based address is computed with rsp already
 * incremented (SDM vol. 2, POP). The store happens before rsp moves. */
void op_pop_rm(struct cpu *c, const struct insn *i) {
  int size = i->opsize;
  uint64_t v = cpu_stack_load(c, c->gpr[RSP], size);
  if (i->mod == 3) {
    c->gpr[RSP] += size;
    cpu_reg_set(c, i, i->rm, size, v);
    return;
  }
  c->gpr[RSP] += size;
  uint64_t addr = cpu_ea(c, i);
  c->gpr[RSP] -= size;
  cpu_store(c, addr, size, v);
  c->gpr[RSP] += size;
}

/* 9C: pushf stores RFLAGS with VM and RF cleared. */
void op_pushf(struct cpu *c, const struct insn *i) {
  cpu_push(c, i->opsize, cpu_get_flags(c) & 0x00fcffffull);
}

/* 9D: popf at CPL 3 changes only the user-writable bits; IOPL and IF
 * are silently kept (SDM vol. 2, POPF, table 4-15). */
void op_popf(struct cpu *c, const struct insn *i) {
  uint64_t v = cpu_pop(c, i->opsize);
  uint64_t mask = FLAGS_USER_WRITABLE | (1u << 14); /* NT too */
  if (i->opsize == 2)
    mask &= 0xffff;
  cpu_set_flags(c, (cpu_get_flags(c) & ~mask) | (v & mask));
}

/* C8: enter imm16, imm8 (SDM vol. 2, ENTER). All stores are made before
 * rsp/rbp change so a fault restarts cleanly. */
void op_enter(struct cpu *c, const struct insn *i) {
  int size = i->opsize;
  unsigned level = i->imm2 & 31;
  uint64_t sp = c->gpr[RSP], bp = c->gpr[RBP];
  sp -= size;
  cpu_stack_store(c, sp, size, bp);
  uint64_t frame = sp;
  if (level > 0) {
    for (unsigned k = 1; k < level; k++) {
      bp -= size;
      /* The stack address size is 64 bits in long mode, whatever the
       * operand size: the copies come from RBP - k*size. */
      uint64_t v = cpu_stack_load(c, bp, size);
      sp -= size;
      cpu_stack_store(c, sp, size, v);
    }
    sp -= size;
    cpu_stack_store(c, sp, size, frame);
  }
  /* This CPU then checks that the new stack top, below the imm16 bytes
   * of locals, is writable: a #PF there comes after those of the stores
   * above, with nothing changed (measured: enter $0x39, $0 with the
   * frame 0x40 bytes above an unmapped page faults at the byte below). */
  uint64_t top = sp - (uint16_t)i->imm;
  cpu_stack_probe_write(c, top, 1);
  cpu_reg_set(c, i, RBP, size, frame);
  c->gpr[RSP] = top;
}

/* C9: leave is mov rsp, rbp; pop rbp. */
void op_leave(struct cpu *c, const struct insn *i) {
  int size = i->opsize;
  uint64_t v = cpu_stack_load(c, c->gpr[RBP], size);
  c->gpr[RSP] = c->gpr[RBP] + size;
  cpu_reg_set(c, i, RBP, size, v);
}
