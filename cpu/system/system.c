/* Instructions that leave the CPU's own world: the system-call gate,
 * CPUID, time-stamp reads and the trapping opcodes. */
#include "../cpu.h"
#include "../handlers.h"

void op_syscall(struct cpu *c, const struct insn *i) {
  (void)i;
  /* SDM vol. 2, SYSCALL: RCX = next RIP, R11 = RFLAGS. The kernel sees
   * the trap with RIP already past the instruction. */
  c->gpr[RCX] = c->rip;
  c->gpr[R11] = cpu_get_flags(c);
  c->trap.kind = TRAP_SYSCALL;
  c->trap.rip = c->insn_rip;
  c->run_until = 0;
}

void op_int3(struct cpu *c, const struct insn *i) {
  (void)i;
  /* #BP is a trap: the saved RIP is the next instruction. */
  c->trap.kind = TRAP_BP;
  c->trap.rip = c->insn_rip;
  c->run_until = 0;
}

void op_ud(struct cpu *c, const struct insn *i) {
  (void)i;
  cpu_raise(c, TRAP_UD, 0);
}

void op_nop(struct cpu *c, const struct insn *i) {
  (void)c;
  (void)i;
}

void op_cpuid(struct cpu *c, const struct insn *i) {
  (void)i;
  uint32_t r[4];
  cpu_cpuid((uint32_t)c->gpr[RAX], (uint32_t)c->gpr[RCX], r);
  c->gpr[RAX] = r[0];
  c->gpr[RBX] = r[1];
  c->gpr[RCX] = r[2];
  c->gpr[RDX] = r[3];
}

/* The time-stamp counter is the cycle counter: deterministic, and it
 * advances exactly as the cost model says. */
void op_rdtsc(struct cpu *c, const struct insn *i) {
  (void)i;
  c->gpr[RAX] = (uint32_t)c->cycles;
  c->gpr[RDX] = c->cycles >> 32;
}

void op_rdtscp(struct cpu *c, const struct insn *i) {
  op_rdtsc(c, i);
  c->gpr[RCX] = CPU_TSC_AUX;
}

/* rdpid: IA32_TSC_AUX into a 64-bit register, whatever the prefixes
 * (SDM vol. 2, RDPID: r64 in 64-bit mode). */
void op_rdpid(struct cpu *c, const struct insn *i) {
  c->gpr[i->rm] = CPU_TSC_AUX;
}

/* rdrand/rdseed: splitmix64 over a state the kernel seeds, so that the
 * values are unpredictable to the guest in a normal run and repeat under
 * --deterministic. Success is CF=1 with OF SF ZF AF PF cleared (SDM vol. 2,
 * RDRAND); this generator never runs dry. */
void op_rdrand(struct cpu *c, const struct insn *i) {
  uint64_t z = (c->rng_state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  z ^= z >> 31;
  cpu_reg_set(c, i, i->rm, i->opsize, z);
  cpu_flags_merge(c, FLAG_CF, FLAGS_ARITH);
}
