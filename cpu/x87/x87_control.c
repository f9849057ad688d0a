/* x87 control instructions: fwait, fnop, fldcw/fnstcw, fnstsw, fnclex,
 * fninit. The "fn" forms are non-waiting: they do not deliver a pending
 * #MF and they do not update FIP/FOP/FDP (SDM vol. 1, 8.1.8 and 8.3.11). */
#include "x87.h"

/* fwait (9B): deliver a pending unmasked exception, nothing else. */
void op_x87_fwait(struct cpu *c, const struct insn *i) {
  (void)i;
  x87_wait(c);
}

/* fnop (D9 D0) is a waiting, non-control instruction. */
void op_x87_fnop(struct cpu *c, const struct insn *i) { x87_begin(c, i); }

/* feni, fdisi, fsetpm (DB E0, E1, E4): 8087/287 mode controls that the
 * 387 and later execute as no-ops. */
void op_x87_fnop_legacy(struct cpu *c, const struct insn *i) {
  (void)c;
  (void)i;
}

void op_x87_fldcw(struct cpu *c, const struct insn *i) {
  x87_wait(c);
  uint16_t cw = (uint16_t)cpu_load(c, cpu_ea(c, i), 2);
  /* Unmasking a set flag makes it pending (SDM vol. 2, FLDCW). */
  x87_set_control(&c->fpu, cw);
}

void op_x87_fnstcw(struct cpu *c, const struct insn *i) {
  cpu_store(c, cpu_ea(c, i), 2, c->fpu.control);
}

/* fnstsw m16 (DD /7) and fnstsw ax (DF E0). */
void op_x87_fnstsw(struct cpu *c, const struct insn *i) {
  uint16_t sw = x87_status_word(&c->fpu);
  if (i->mod == 3)
    c->gpr[RAX] = (c->gpr[RAX] & ~0xffffull) | sw;
  else
    cpu_store(c, cpu_ea(c, i), 2, sw);
}

/* fnclex: exception flags, SF, ES and B cleared; C0..C3 kept. */
void op_x87_fnclex(struct cpu *c, const struct insn *i) {
  (void)i;
  c->fpu.status &= (uint16_t) ~(FSW_EXCEPTIONS | FSW_SF | FSW_ES | FSW_B);
}

void op_x87_fninit(struct cpu *c, const struct insn *i) {
  (void)i;
  x87_reset(&c->fpu);
}
