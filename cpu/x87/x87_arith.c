/* x87 arithmetic: fadd/fmul/fsub/fsubr/fdiv/fdivr in their m32fp, m64fp,
 * m16int, m32int and register forms (with the popping DE forms), the
 * ST(0) functions of D9 E0..FF (fsqrt, frndint, transcendentals, fprem,
 * fscale, fxtract...). Stack checks are here; values come from the host
 * FPU (x87_host.c). SDM vol. 2, the instruction pages; vol. 1, 8.5. */
#include "../decode/optable.h"
#include "x87.h"

static uint8_t escape(const struct insn *i) { return cpu_ops[i->op].opcode; }

static uint8_t modrm_byte(const struct insn *i) {
  return (uint8_t)(0xc0 | (i->reg & 7) << 3 | (i->rm & 7));
}

/* Memory operand size of the arithmetic escapes D8 (m32fp), DA (m32int),
 * DC (m64fp) and DE (m16int). */
static int arith_mem_size(uint8_t opcode) {
  switch (opcode) {
  case 0xdc: return 8;
  case 0xde: return 2;
  default: return 4;
  }
}

void op_x87_arith(struct cpu *c, const struct insn *i) {
  struct x87 *x = &c->fpu;
  uint8_t opc = escape(i);
  int group = i->reg & 7;
  struct x87_host h;
  if (i->mod != 3) {
    int size = arith_mem_size(opc);
    uint8_t buf[8];
    x87_begin_load(c, i, buf, size);
    if (x87_is_empty(x, 0)) {
      if (x87_stack_underflow(x))
        x87_set(x, 0, x87_indefinite());
      return;
    }
    x87_host_prepare(&h, x, 0, 0);
    for (int k = 0; k < size; k++)
      h.mem[k] = buf[k];
    x87_host_exec(&h, opc, X87_HOST_MEM(group));
    x87_host_merge(x, &h);
    x87_set(x, 0, x87_host_in(&h, 0));
    return;
  }
  /* D8: ST(0) = ST(0) op ST(i); DC: ST(i) = ST(i) op ST(0); DE: the DC
   * form, then pop. */
  x87_begin(c, i);
  int k = i->rm & 7, dest = opc == 0xd8 ? 0 : k;
  if (x87_is_empty(x, 0) || x87_is_empty(x, k)) {
    if (x87_stack_underflow(x)) {
      x87_set(x, dest, x87_indefinite());
      if (opc == 0xde)
        x87_pop(x);
    }
    return;
  }
  x87_host_prepare(&h, x, 0, k);
  x87_host_exec(&h, opc, X87_HOST_REG(group));
  x87_host_merge(x, &h);
  x87_set(x, dest, x87_host_in(&h, opc == 0xd8 ? 0 : 1));
  /* An unmasked pre-computation exception leaves the stack as it was;
   * the host tells whether the pop happened. */
  if (x87_host_pops(&h))
    x87_pop(x);
}

/* Stack underflow in the D9 E0..FF functions. fprem, fprem1, fptan,
 * fsincos, fsin and fcos, which report "incomplete" in C2, clear it
 * (as this CPU does). Returns true when IE is masked. */
static void clear_incomplete(struct x87 *x, const struct insn *i) {
  switch (modrm_byte(i)) {
  case 0xf2:
  case 0xf5:
  case 0xf8:
  case 0xfb:
  case 0xfe:
  case 0xff: x->status &= (uint16_t)~FSW_C2; break;
  default: break;
  }
}

static bool function_underflow(struct x87 *x, const struct insn *i) {
  clear_incomplete(x, i);
  return x87_stack_underflow(x);
}

/* fchs, fabs, f2xm1, fsqrt, frndint, fsin, fcos: ST(0) = f(ST(0)). */
void op_x87_unary(struct cpu *c, const struct insn *i) {
  struct x87 *x = &c->fpu;
  x87_begin(c, i);
  if (x87_is_empty(x, 0)) {
    if (function_underflow(x, i))
      x87_set(x, 0, x87_indefinite());
    return;
  }
  struct x87_host h;
  x87_host_prepare(&h, x, 0, 0);
  x87_host_exec(&h, 0xd9, modrm_byte(i));
  x87_host_merge(x, &h);
  x87_set(x, 0, x87_host_in(&h, 0));
}

/* fprem, fprem1, fscale: ST(0) = f(ST(0), ST(1)). */
void op_x87_binary(struct cpu *c, const struct insn *i) {
  struct x87 *x = &c->fpu;
  x87_begin(c, i);
  if (x87_is_empty(x, 0) || x87_is_empty(x, 1)) {
    if (function_underflow(x, i))
      x87_set(x, 0, x87_indefinite());
    return;
  }
  struct x87_host h;
  x87_host_prepare(&h, x, 0, 1);
  x87_host_exec(&h, 0xd9, modrm_byte(i));
  x87_host_merge(x, &h);
  x87_set(x, 0, x87_host_in(&h, 0));
}

/* fyl2x, fpatan, fyl2xp1: ST(1) = f(ST(1), ST(0)), then pop. */
void op_x87_binary_pop(struct cpu *c, const struct insn *i) {
  struct x87 *x = &c->fpu;
  x87_begin(c, i);
  if (x87_is_empty(x, 0) || x87_is_empty(x, 1)) {
    if (function_underflow(x, i)) {
      x87_set(x, 1, x87_indefinite());
      x87_pop(x);
    }
    return;
  }
  struct x87_host h;
  x87_host_prepare(&h, x, 0, 1);
  x87_host_exec(&h, 0xd9, modrm_byte(i));
  x87_host_merge(x, &h);
  x87_set(x, 1, x87_host_in(&h, 1));
  if (x87_host_pops(&h))
    x87_pop(x);
}

/* fptan, fxtract, fsincos: ST(0) = f(ST(0)), then push g(ST(0)). fptan
 * and fsincos out of range (C2 = 1) leave the stack alone. */
void op_x87_push_pair(struct cpu *c, const struct insn *i) {
  struct x87 *x = &c->fpu;
  x87_begin(c, i);
  bool under = x87_is_empty(x, 0);
  if (under || !x87_is_empty(x, 7)) {
    clear_incomplete(x, i);
    if (under ? x87_stack_underflow(x) : x87_stack_overflow(x)) {
      x87_set(x, 0, x87_indefinite());
      x87_push(x, x87_indefinite());
    }
    return;
  }
  struct x87_host h;
  x87_host_prepare(&h, x, 0, 0);
  x87_host_exec(&h, 0xd9, modrm_byte(i));
  x87_host_merge(x, &h);
  x87_set(x, 0, x87_host_in(&h, 0));
  if (h.depth == 3)
    x87_push(x, x87_host_st(&h, 0));
}

/* fdecstp, fincstp: rotate TOP; tags and values stay (C1 cleared). */
void op_x87_fdecstp(struct cpu *c, const struct insn *i) {
  x87_begin(c, i);
  c->fpu.top = (c->fpu.top - 1) & 7;
  c->fpu.status &= (uint16_t)~FSW_C1;
}

void op_x87_fincstp(struct cpu *c, const struct insn *i) {
  x87_begin(c, i);
  c->fpu.top = (c->fpu.top + 1) & 7;
  c->fpu.status &= (uint16_t)~FSW_C1;
}
