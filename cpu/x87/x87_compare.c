/* x87 comparisons: fcom/fcomp/fcompp/fucom*, ficom, ftst and fxam set
 * C0, C2, C3 (SDM vol. 1, table 8-6); fcomi/fucomi(p) set ZF, PF, CF
 * (table 8-7). A NaN makes the result unordered; the signalling rules
 * (which NaNs raise IE) are the host's. */
#include "../decode/optable.h"
#include "x87.h"

#define FSW_UNORDERED (FSW_C0 | FSW_C2 | FSW_C3)

static uint8_t escape(const struct insn *i) { return cpu_ops[i->op].opcode; }

/* Stack underflow in a compare: the result is "unordered" even when the
 * exception is unmasked (as this CPU does). Returns true when masked. */
static bool compare_underflow(struct x87 *x) {
  x->status |= FSW_UNORDERED;
  return x87_stack_underflow(x);
}

static int arith_mem_size(uint8_t opcode) {
  switch (opcode) {
  case 0xdc: return 8;
  case 0xde: return 2;
  default: return 4;
  }
}

/* fcom/fcomp with m32fp, m64fp, m16int, m32int or ST(i) (D8 D0+i, D8
 * D8+i and their DC and DE D0+i aliases), fucom/fucomp ST(i) (DD E0+i,
 * DD E8+i). */
void op_x87_fcom(struct cpu *c, const struct insn *i) {
  struct x87 *x = &c->fpu;
  uint8_t opc = escape(i);
  int group = i->reg & 7;
  struct x87_host h;
  bool pops = group == 3 || group == 5 || (opc == 0xde && i->mod == 3);
  uint8_t buf[8];
  int k = 0;
  if (i->mod != 3) {
    x87_begin_load(c, i, buf, arith_mem_size(opc));
  } else {
    x87_begin(c, i);
    k = i->rm & 7;
  }
  if (x87_is_empty(x, 0) || x87_is_empty(x, k)) {
    if (compare_underflow(x) && pops)
      x87_pop(x);
    return;
  }
  x87_host_prepare(&h, x, 0, k);
  if (i->mod != 3) {
    for (int b = 0; b < arith_mem_size(opc); b++)
      h.mem[b] = buf[b];
    x87_host_exec(&h, opc, X87_HOST_MEM(group));
  } else if (opc == 0xdd) {
    x87_host_exec(&h, 0xdd, X87_HOST_REG(group));
  } else {
    x87_host_exec(&h, 0xd8, X87_HOST_REG(pops ? 3 : 2));
  }
  x87_host_merge(x, &h);
  if (x87_host_pops(&h))
    x87_pop(x);
}

/* fcompp (DE D9), fucompp (DA E9): compare ST(0) with ST(1), pop twice. */
void op_x87_fcompp(struct cpu *c, const struct insn *i) {
  struct x87 *x = &c->fpu;
  x87_begin(c, i);
  if (x87_is_empty(x, 0) || x87_is_empty(x, 1)) {
    if (compare_underflow(x)) {
      x87_pop(x);
      x87_pop(x);
    }
    return;
  }
  struct x87_host h;
  x87_host_prepare(&h, x, 0, 1);
  x87_host_exec(&h, escape(i), (uint8_t)(0xc0 | (i->reg & 7) << 3 | 1));
  x87_host_merge(x, &h);
  for (int n = x87_host_pops(&h); n > 0; n--)
    x87_pop(x);
}

/* fcomi, fucomi (DB F0+i, DB E8+i) and the popping DF forms: ZF, PF, CF
 * from the comparison, OF, SF, AF cleared (SDM vol. 2, FCOMI). */
void op_x87_fcomi(struct cpu *c, const struct insn *i) {
  struct x87 *x = &c->fpu;
  int k = i->rm & 7;
  x87_begin(c, i);
  const uint64_t arith =
      FLAG_ZF | FLAG_PF | FLAG_CF | FLAG_OF | FLAG_SF | FLAG_AF;
  /* Unordered on underflow, even with IE unmasked (as this CPU does). */
  if (x87_is_empty(x, 0) || x87_is_empty(x, k)) {
    cpu_flags_merge(c, FLAG_ZF | FLAG_PF | FLAG_CF, arith);
    if (x87_stack_underflow(x) && escape(i) == 0xdf)
      x87_pop(x);
    return;
  }
  struct x87_host h;
  x87_host_prepare(&h, x, 0, k);
  uint8_t before = (uint8_t)cpu_get_flags(c);
  h.flags = before;
  x87_host_exec(&h, escape(i), X87_HOST_REG(i->reg & 7));
  x87_host_merge(x, &h);
  /* The flags are written even when an unmasked IE is raised; lahf does
   * not carry OF, which is always cleared. */
  cpu_flags_merge(c, h.flags, arith);
  if (x87_host_pops(&h))
    x87_pop(x);
}

/* ftst: compare ST(0) with +0.0. */
void op_x87_ftst(struct cpu *c, const struct insn *i) {
  struct x87 *x = &c->fpu;
  x87_begin(c, i);
  if (x87_is_empty(x, 0)) {
    compare_underflow(x);
    return;
  }
  struct x87_host h;
  x87_host_prepare(&h, x, 0, 0);
  x87_host_exec(&h, 0xd9, 0xe4);
  x87_host_merge(x, &h);
}

/* fxam: classify ST(0); an empty register is C3 C2 C0 = 1 0 1 and C1 is
 * the sign bit of whatever the register holds (SDM vol. 2, FXAM). */
void op_x87_fxam(struct cpu *c, const struct insn *i) {
  struct x87 *x = &c->fpu;
  x87_begin(c, i);
  if (x87_is_empty(x, 0)) {
    uint16_t sign = (x87_get(x, 0).sign_exponent >> 15) ? FSW_C1 : 0;
    x->status = (uint16_t)((x->status & ~FSW_CC) | FSW_C3 | FSW_C0 | sign);
    return;
  }
  struct x87_host h;
  x87_host_prepare(&h, x, 0, 0);
  x87_host_exec(&h, 0xd9, 0xe5);
  x87_host_merge(x, &h);
}
