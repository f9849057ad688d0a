/* Near jumps, calls and returns, Jcc, loop/jrcxz (SDM vol. 2). When a
 * handler runs, c->rip already points past the instruction, so relative
 * targets are c->rip + displacement.
 *
 * Operand size: 64 bits, except that this AMD CPU honours a 66 prefix
 * (without REX.W) on every near branch, as the AMD APM vol. 3 says and
 * Intel CPUs do not: the operand size is then 16 bits, E8/E9/0F 8x take
 * a rel16, the new RIP is truncated to 16 bits, and call/ret push and
 * pop 2-byte return addresses (measured natively; tests/diff). A target
 * that is not canonical is #GP(0) at the branch itself, before anything
 * is pushed or popped (SDM vol. 1, 3.3.7.1; measured). */
#include "../handlers.h"
#include "alu.h"

static uint64_t near_target(const struct insn *i, uint64_t target) {
  return i->opsize == 2 ? (uint16_t)target : target;
}

static void check_canonical(struct cpu *c, uint64_t target) {
  if (!cpu_canonical(target))
    cpu_raise(c, TRAP_GP, 0);
}

/* The target of a relative branch taken, checked: code near the top of
 * the lower half can reach past it. (The decoder gives such a branch the
 * generic handler: cpu_specialize_at.) */
static uint64_t rel_target(struct cpu *c, const struct insn *i) {
  uint64_t target = near_target(i, c->rip + i->imm);
  check_canonical(c, target);
  return target;
}

/* EB, E9: jmp rel */
void op_jmp_rel(struct cpu *c, const struct insn *i) {
  c->rip = rel_target(c, i);
}

/* 70..7F, 0F 80..8F: jcc rel (arg = cc) */
void op_jcc(struct cpu *c, const struct insn *i) {
  if (cpu_cond(c, i->arg))
    c->rip = rel_target(c, i);
}

/* E8: call rel32 (rel16) */
void op_call_rel(struct cpu *c, const struct insn *i) {
  uint64_t target = rel_target(c, i);
  cpu_push(c, i->opsize, c->rip);
  c->rip = target;
}

/* FF /2: call r/m64 (r/m16). The target is read before the push. */
void op_call_rm(struct cpu *c, const struct insn *i) {
  uint64_t target = cpu_rm_get(c, i, i->opsize);
  check_canonical(c, target);
  cpu_push(c, i->opsize, c->rip);
  c->rip = target;
}

/* FF /4: jmp r/m64 (r/m16) */
void op_jmp_rm(struct cpu *c, const struct insn *i) {
  uint64_t target = cpu_rm_get(c, i, i->opsize);
  check_canonical(c, target);
  c->rip = target;
}

/* C3: ret; C2: ret imm16 releases imm16 more bytes of stack. */
void op_ret(struct cpu *c, const struct insn *i) {
  uint64_t target = cpu_stack_load(c, c->gpr[RSP], i->opsize);
  check_canonical(c, target);
  c->gpr[RSP] += (uint64_t)i->opsize + (uint16_t)i->imm;
  c->rip = target;
}

/* The count register of loop/jrcxz: rcx, or ecx with a 67 prefix. */
static uint64_t count_reg(const struct cpu *c, const struct insn *i) {
  return i->addrsize == 4 ? (uint32_t)c->gpr[RCX] : c->gpr[RCX];
}

/* E0 loopne, E1 loope, E2 loop (arg 0, 1, 2): decrement the count
 * without touching flags, then branch while it is non-zero (and ZF
 * matches for loope/loopne). */
void op_loop(struct cpu *c, const struct insn *i) {
  uint64_t n = count_reg(c, i) - 1;
  if (i->addrsize == 4)
    n = (uint32_t)n;
  bool take = n != 0;
  if (take && i->arg != 2) {
    bool zf = cpu_get_flags(c) & FLAG_ZF;
    take = i->arg == 1 ? zf : !zf;
  }
  /* A faulting target leaves RCX as it was. */
  uint64_t target = take ? rel_target(c, i) : c->rip;
  if (i->addrsize == 4)
    c->gpr[RCX] = (uint32_t)n;
  else
    c->gpr[RCX] = n;
  c->rip = target;
}

/* E3: jrcxz (jecxz with 67) */
void op_jrcxz(struct cpu *c, const struct insn *i) {
  if (count_reg(c, i) == 0)
    c->rip = rel_target(c, i);
}
