/* Far transfers in 64-bit user mode: jmp far (FF /5), call far (FF /3),
 * retf (CB, CA iw) and iret (CF). A target of __USER_CS (0x33, or 0x30..
 * 0x32 for jmp/call, which land with RPL 3) stays in 64-bit mode and is
 * done exactly; __USER32_CS (0x23) would switch the CPU to compatibility
 * mode, which emu does not model, so the guest stops there with a
 * TRAP_COMPAT the kernel reports; any other selector is #GP as natively
 * (cpu/segment.c). Everything is checked before any state changes.
 *
 * Operand sizes, as this AMD CPU runs them (measured natively): the far
 * pointer of jmp/call is m16:32 by default and m16:16 with 66; REX.W
 * does not make it m16:64 (AMD ignores it there, unlike Intel) but does
 * make call far push two 8-byte slots. retf and iret pop slots of the
 * operand size: 4 bytes by default, 8 with REX.W, 2 with 66; only the
 * low 16 bits of a CS or SS slot count. iret always pops SS:RSP in
 * 64-bit mode. */
#include "../handlers.h"
#include "segment.h"

#define FLAG_NT (1u << 14)

/* Stop before the transfer: trap.addr keeps the target offset. */
static _Noreturn void enter_compat_mode(struct cpu *c, uint64_t target) {
  c->trap.addr = target;
  cpu_raise(c, TRAP_COMPAT, 0);
}

/* The far pointer of FF /3 and FF /5 (memory only: the register forms
 * have no table form and are #UD). */
static uint64_t far_pointer(struct cpu *c, const struct insn *i,
                            uint16_t *sel) {
  int n = i->opsize == 2 ? 2 : 4;
  uint64_t ea = cpu_ea(c, i);
  uint64_t offset = cpu_load(c, ea, n);
  *sel = (uint16_t)cpu_load(c, ea + (uint64_t)n, 2);
  return offset;
}

/* FF /5: jmp far m16:16 / m16:32. */
void op_jmp_far(struct cpu *c, const struct insn *i) {
  uint16_t sel;
  uint64_t target = far_pointer(c, i, &sel);
  if (seg_check_code(c, sel, false) == FAR_CODE32)
    enter_compat_mode(c, target);
  c->rip = target;
}

/* FF /3: call far pushes CS, then the return RIP, each in a slot of the
 * operand size (the RIP slot truncated to it). */
void op_call_far(struct cpu *c, const struct insn *i) {
  uint16_t sel;
  uint64_t target = far_pointer(c, i, &sel);
  if (seg_check_code(c, sel, false) == FAR_CODE32)
    enter_compat_mode(c, target);
  int n = i->opsize;
  uint64_t sp = c->gpr[RSP] - 2 * (uint64_t)n;
  cpu_stack_probe_write(c, sp, 2 * n);
  cpu_stack_store(c, sp + (uint64_t)n, n, CPU_USER_CS);
  cpu_stack_store(c, sp, n, c->rip);
  c->gpr[RSP] = sp;
  c->rip = target;
}

/* CB: retf; CA iw: retf imm16 releases imm16 more bytes. Same-level
 * returns only (CPL 3 is the outermost): the CS check, then the target
 * must be canonical (#GP(0)), then RSP and RIP change. */
void op_retf(struct cpu *c, const struct insn *i) {
  int n = i->opsize;
  uint64_t sp = c->gpr[RSP];
  uint64_t target = cpu_stack_load(c, sp, n);
  uint16_t sel = (uint16_t)cpu_stack_load(c, sp + (uint64_t)n, n);
  if (seg_check_code(c, sel, true) == FAR_CODE32)
    enter_compat_mode(c, target);
  if (!cpu_canonical(target))
    cpu_raise(c, TRAP_GP, 0);
  c->gpr[RSP] = sp + 2 * (uint64_t)n + (uint16_t)i->imm;
  c->rip = target;
}

/* CF: iret pops RIP, CS, RFLAGS, RSP and SS (SDM vol. 2, IRET, IA-32e
 * mode). NT set is #GP(0) first (no task return in long mode); then the
 * CS check, the canonical target, the SS check, as this CPU orders them.
 * At CPL 3 only the bits popf may change are loaded: IF, IOPL and the
 * virtual-8086 bits stay; RF is not modelled. RSP is loaded as popped,
 * canonical or not (a later stack access faults, natively too). */
void op_iret(struct cpu *c, const struct insn *i) {
  if (cpu_get_flags(c) & FLAG_NT)
    cpu_raise(c, TRAP_GP, 0);
  uint64_t n = (uint64_t)i->opsize, sp = c->gpr[RSP];
  uint64_t target = cpu_stack_load(c, sp, (int)n);
  uint16_t cs = (uint16_t)cpu_stack_load(c, sp + n, (int)n);
  uint64_t flags = cpu_stack_load(c, sp + 2 * n, (int)n);
  uint64_t new_sp = cpu_stack_load(c, sp + 3 * n, (int)n);
  uint16_t ss = (uint16_t)cpu_stack_load(c, sp + 4 * n, (int)n);
  enum far_target kind = seg_check_code(c, cs, true);
  if (kind == FAR_CODE64 && !cpu_canonical(target))
    cpu_raise(c, TRAP_GP, 0);
  seg_check_stack(c, ss);
  if (kind == FAR_CODE32)
    enter_compat_mode(c, target);
  uint64_t mask = FLAGS_USER_WRITABLE | FLAG_NT;
  if (n == 2)
    mask &= 0xffff;
  cpu_set_flags(c, (cpu_get_flags(c) & ~mask) | (flags & mask));
  c->gpr[RSP] = new_sp;
  c->rip = target;
}
