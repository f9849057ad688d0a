/* Register and memory operands of a decoded instruction: effective
 * addresses (SDM vol. 1, 3.7.5), byte registers and the rules for
 * writing partial registers (SDM vol. 1, 3.4.1.1). */
#include "../cpu.h"

uint64_t cpu_ea(struct cpu *c, const struct insn *i) {
  c->ss_access = cpu_insn_uses_ss(i);
  uint64_t ea = (uint64_t)(int64_t)i->disp;
  if (i->base < 16)
    ea += c->gpr[i->base];
  else if (i->base == BASE_RIP) /* relative to the next instruction; inside
                                   a block c->rip is exact only for the last */
    ea += c->insn_rip + i->len;
  if (i->index != REG_NONE)
    ea += c->gpr[i->index] << i->scale;
  if (__builtin_expect(i->addrsize == 4, 0))
    ea = (uint32_t)ea;
  /* Only FS and GS have bases in 64-bit mode (SDM vol. 1, 3.4.2.1). */
  if (__builtin_expect(i->seg != SEG_NONE, 0))
    ea += i->seg == SEG_FS ? c->fs_base : c->gs_base;
  return ea;
}

uint64_t cpu_reg_get(struct cpu *c, const struct insn *i, unsigned reg,
                     int size) {
  switch (size) {
  case 1:
    /* Without any REX prefix, 4..7 name AH, CH, DH, BH. */
    if (!i->rex && reg >= 4 && reg < 8)
      return (c->gpr[reg - 4] >> 8) & 0xff;
    return c->gpr[reg] & 0xff;
  case 2: return c->gpr[reg] & 0xffff;
  case 4: return (uint32_t)c->gpr[reg];
  default: return c->gpr[reg];
  }
}

void cpu_reg_set(struct cpu *c, const struct insn *i, unsigned reg, int size,
                 uint64_t v) {
  switch (size) {
  case 1:
    if (!i->rex && reg >= 4 && reg < 8)
      c->gpr[reg - 4] = (c->gpr[reg - 4] & ~0xff00ull) | (v & 0xff) << 8;
    else
      c->gpr[reg] = (c->gpr[reg] & ~0xffull) | (v & 0xff);
    break;
  case 2: c->gpr[reg] = (c->gpr[reg] & ~0xffffull) | (v & 0xffff); break;
  case 4: c->gpr[reg] = (uint32_t)v; break; /* zero-extends to 64 bits */
  default: c->gpr[reg] = v; break;
  }
}

uint64_t cpu_rm_get(struct cpu *c, const struct insn *i, int size) {
  if (i->mod == 3)
    return cpu_reg_get(c, i, i->rm, size);
  return cpu_load(c, cpu_ea(c, i), size);
}

void cpu_rm_set(struct cpu *c, const struct insn *i, int size, uint64_t v) {
  if (i->mod == 3)
    cpu_reg_set(c, i, i->rm, size, v);
  else
    cpu_store(c, cpu_ea(c, i), size, v);
}
