/* Instructions for the kernel, run at CPL 3 (cpu/opcodes_cpl0.def):
 * #GP, or a trap through an interrupt gate that Linux made callable
 * from user mode. The gate table and CR4 are the kernel's settings; emu
 * models Linux 6.x with IA32 emulation on this AMD CPU, so they are
 * fixed here as the constants of that machine. */
#include "../handlers.h"

void op_privileged(struct cpu *c, const struct insn *i) {
  (void)i;
  cpu_raise(c, TRAP_GP, 0);
}

/* A trap that leaves RIP past the instruction, as int3 does. */
static void soft_trap(struct cpu *c, enum trap_kind kind) {
  c->trap.kind = kind;
  c->trap.rip = c->insn_rip;
  c->run_until = 0;
}

/* int n. Linux's IDT (arch/x86/kernel/idt.c) has three system gates,
 * DPL 3: #BP (3), #OF (4) and IA32_SYSCALL_VECTOR (0x80, with IA32
 * emulation). Through any other gate, int n at CPL 3 is #GP with the
 * error code of an IDT vector: n * 8 + 2 (SDM vol. 3, 6.12.1.1 and
 * 6.13). */
void op_int(struct cpu *c, const struct insn *i) {
  uint8_t vector = (uint8_t)i->imm;
  switch (vector) {
  case 3: soft_trap(c, TRAP_BP); return;
  case 4: soft_trap(c, TRAP_OF); return;
  case 0x80: soft_trap(c, TRAP_INT80); return;
  default: cpu_raise(c, TRAP_GP, vector * 8u + 2);
  }
}

/* int1 (icebp) raises #DB as a trap, without the gate's DPL check
 * (SDM vol. 3, 6.12.1.1; APM vol. 3, INT1). */
void op_int1(struct cpu *c, const struct insn *i) {
  (void)i;
  soft_trap(c, TRAP_DB);
}

/* mov to/from a control register: CR0, CR2, CR3, CR4 and CR8 exist, the
 * others are #UD before the privilege check (measured); LOCK selects
 * CR8 + n on AMD (APM vol. 3, MOV CRn; CPUID AltMovCr8). */
void op_mov_cr(struct cpu *c, const struct insn *i) {
  unsigned cr = i->reg + (i->lock ? 8u : 0u);
  if (cr != 0 && cr != 2 && cr != 3 && cr != 4 && cr != 8)
    cpu_raise(c, TRAP_UD, 0);
  cpu_raise(c, TRAP_GP, 0);
}

/* mov to/from a debug register: DR8-DR15 do not exist (#UD); DR0-DR7
 * are #GP at CPL 3, DR4/DR5 included (measured). */
void op_mov_dr(struct cpu *c, const struct insn *i) {
  cpu_raise(c, i->reg > 7 ? TRAP_UD : TRAP_GP, 0);
}

/* sgdt, sidt, sldt, smsw, str with CR4.UMIP set, which Linux does on
 * every CPU that has it (arch/x86/kernel/cpu/common.c, setup_umip): #GP,
 * with the instruction and its destination recorded for the kernel,
 * which emulates some of them (syscalls/umip.c). */
void op_umip(struct cpu *c, const struct insn *i) {
  struct trap_umip *u = &c->trap.umip;
  u->insn = i->arg;
  u->memory = i->mod != 3;
  u->reg = i->rm;
  u->opsize = i->opsize;
  u->len = i->len;
  u->addr = u->memory ? cpu_ea(c, i) : 0;
  cpu_raise(c, TRAP_GP, 0);
}
