/* x87 data transfer: fld/fst/fstp in every format, fild/fist/fistp/
 * fisttp, fbld/fbstp, the constants, fxch, fcmovcc, ffree(p). Register
 * images and integer/BCD loads are exact and done here; conversions that
 * round (to m32/m64, to integers, to BCD) run on the host FPU. SDM vol. 2,
 * the instruction pages. */
#include <string.h>

#include "../decode/optable.h"
#include "x87.h"

static uint8_t escape(const struct insn *i) { return cpu_ops[i->op].opcode; }

/* Push `v`, or handle a full stack: the register below ST(0) must be
 * empty (SDM vol. 1, 8.5.1.1). */
static void push_checked(struct x87 *x, struct x87_reg v) {
  if (!x87_is_empty(x, 7)) {
    if (x87_stack_overflow(x))
      x87_push(x, x87_indefinite());
    return;
  }
  x->status &= (uint16_t)~FSW_C1;
  x87_push(x, v);
}

/* An integer as an 80-bit value: always exact (64 significand bits). */
static struct x87_reg from_integer(bool negative, uint64_t magnitude) {
  struct x87_reg r = {0, negative ? 0x8000 : 0};
  if (magnitude == 0)
    return r;
  int lz = __builtin_clzll(magnitude);
  r.mantissa = magnitude << lz;
  r.sign_exponent |= (uint16_t)(16383 + 63 - lz);
  return r;
}

static struct x87_reg reg_from_bytes(const uint8_t *p) {
  struct x87_reg r;
  memcpy(&r.mantissa, p, 8);
  r.sign_exponent = (uint16_t)(p[8] | p[9] << 8);
  return r;
}

static void reg_to_bytes(struct x87_reg r, uint8_t *p) {
  memcpy(p, &r.mantissa, 8);
  p[8] = (uint8_t)r.sign_exponent;
  p[9] = (uint8_t)(r.sign_exponent >> 8);
}

/* Run a storing form on the host and tell whether it wrote its operand:
 * an unmasked invalid, overflow or underflow leaves memory untouched
 * (SDM vol. 1, 8.5.4). Two different fill patterns tell "wrote the
 * pattern" from "wrote nothing". */
static bool host_store(struct x87_host *h, uint8_t opc, uint8_t modrm,
                       int size) {
  static const uint8_t fills[2] = {0x5a, 0xa5};
  struct x87_host start = *h;
  for (int n = 0; n < 2; n++) {
    *h = start;
    memset(h->mem, fills[n], sizeof h->mem);
    x87_host_exec(h, opc, modrm);
    for (int b = 0; b < size; b++)
      if (h->mem[b] != fills[n])
        return true;
  }
  return false;
}

/* fld m32fp (D9 /0), fld m64fp (DD /0): the host converts, raising IE for
 * an SNaN and DE for a denormal. */
void op_x87_fld_mem(struct cpu *c, const struct insn *i) {
  struct x87 *x = &c->fpu;
  int size = escape(i) == 0xd9 ? 4 : 8;
  uint8_t buf[8];
  x87_begin_load(c, i, buf, size);
  if (!x87_is_empty(x, 7)) {
    push_checked(x, x87_indefinite());
    return;
  }
  struct x87_host h;
  x87_host_prepare(&h, x, 0, 0);
  memcpy(h.mem, buf, (size_t)size);
  x87_host_exec(&h, escape(i), X87_HOST_MEM(0));
  x87_host_merge(x, &h);
  if (h.depth == 3)
    x87_push(x, x87_host_st(&h, 0));
}

/* fld m80fp (DB /5): the image as it is; never an exception. */
void op_x87_fld_m80(struct cpu *c, const struct insn *i) {
  uint8_t buf[10];
  x87_begin_load(c, i, buf, 10);
  push_checked(&c->fpu, reg_from_bytes(buf));
}

/* fld ST(i) (D9 C0+i). */
void op_x87_fld_reg(struct cpu *c, const struct insn *i) {
  struct x87 *x = &c->fpu;
  int k = i->rm & 7;
  x87_begin(c, i);
  /* An empty source is reported before a full stack. */
  if (x87_is_empty(x, k)) {
    if (x87_stack_underflow(x))
      x87_push(x, x87_indefinite());
    return;
  }
  push_checked(x, x87_get(x, k));
}

/* fild m16int (DF /0), m32int (DB /0), m64int (DF /5). */
void op_x87_fild(struct cpu *c, const struct insn *i) {
  int size = escape(i) == 0xdb ? 4 : (i->reg & 7) == 5 ? 8 : 2;
  int64_t v = 0; /* little-endian host, as the emulator assumes */
  x87_begin_load(c, i, &v, size);
  if (size == 2)
    v = (int16_t)v;
  else if (size == 4)
    v = (int32_t)v;
  uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
  push_checked(&c->fpu, from_integer(v < 0, mag));
}

/* fbld (DF /4): 18 packed BCD digits and a sign byte. Digits above 9 are
 * not checked by the hardware; they weigh in as their binary value. */
void op_x87_fbld(struct cpu *c, const struct insn *i) {
  uint8_t buf[10];
  x87_begin_load(c, i, buf, 10);
  uint64_t v = 0;
  for (int b = 8; b >= 0; b--)
    v = v * 100 + (uint64_t)(buf[b] >> 4) * 10 + (buf[b] & 15);
  push_checked(&c->fpu, from_integer(buf[9] & 0x80, v));
}

/* Indefinite values stored by a masked invalid operation. */
static void store_indefinite(struct cpu *c, uint64_t ea, uint8_t opc, int group,
                             int size) {
  uint8_t buf[10] = {0};
  if (opc == 0xdf && group == 6) { /* BCD indefinite */
    buf[7] = 0xc0;
    buf[8] = buf[9] = 0xff;
  } else if (opc == 0xdb && group == 7) { /* m80: the QNaN indefinite */
    reg_to_bytes(x87_indefinite(), buf);
  } else if ((opc == 0xd9 || opc == 0xdd) && group >= 2) { /* m32/m64fp */
    buf[size - 1] = 0xff;
    buf[size - 2] = size == 4 ? 0xc0 : 0xf8;
  } else { /* integer indefinite: the most negative integer */
    buf[size - 1] = 0x80;
  }
  cpu_store_bytes(c, ea, buf, size);
}

/* Shared by the storing forms that round: fst(p) m32/m64, fist(p),
 * fisttp, fbstp. */
static void store_rounded(struct cpu *c, const struct insn *i, int size,
                          bool pops) {
  struct x87 *x = &c->fpu;
  uint8_t opc = escape(i);
  int group = i->reg & 7;
  uint64_t ea = x87_begin_store(c, i, size);
  if (x87_is_empty(x, 0)) {
    if (x87_masked(x, FSW_IE)) {
      store_indefinite(c, ea, opc, group, size);
      if (pops)
        x87_pop(x);
    }
    x87_stack_underflow(x);
    return;
  }
  struct x87_host h;
  x87_host_prepare(&h, x, 0, 0);
  if (host_store(&h, opc, X87_HOST_MEM(group), size))
    cpu_store_bytes(c, ea, h.mem, size);
  x87_host_merge(x, &h);
  if (pops && x87_host_pops(&h))
    x87_pop(x);
}

/* fst/fstp m32fp (D9 /2, /3) and m64fp (DD /2, /3). */
void op_x87_fst_mem(struct cpu *c, const struct insn *i) {
  store_rounded(c, i, escape(i) == 0xd9 ? 4 : 8, (i->reg & 7) == 3);
}

/* fist/fistp/fisttp: m16int (DF /1,/2,/3), m32int (DB /1,/2,/3), m64int
 * (DF /7, DD /1). */
void op_x87_fist(struct cpu *c, const struct insn *i) {
  int group = i->reg & 7;
  int size = escape(i) == 0xdb ? 4 : escape(i) == 0xdd || group == 7 ? 8 : 2;
  store_rounded(c, i, size, group != 2);
}

/* fbstp (DF /6): round to an integer by RC, store 18 BCD digits. */
void op_x87_fbstp(struct cpu *c, const struct insn *i) {
  store_rounded(c, i, 10, true);
}

/* fstp m80fp (DB /7): the image as it is. */
void op_x87_fstp_m80(struct cpu *c, const struct insn *i) {
  struct x87 *x = &c->fpu;
  uint64_t ea = x87_begin_store(c, i, 10);
  if (x87_is_empty(x, 0)) {
    if (x87_masked(x, FSW_IE)) {
      store_indefinite(c, ea, 0xdb, 7, 10);
      x87_pop(x);
    }
    x87_stack_underflow(x);
    return;
  }
  uint8_t buf[10];
  reg_to_bytes(x87_get(x, 0), buf);
  cpu_store_bytes(c, ea, buf, 10);
  x->status &= (uint16_t)~FSW_C1;
  x87_pop(x);
}

/* fst ST(i) (DD D0+i), fstp ST(i) (DD D8+i and the aliases D9 D8+i, DF
 * D0+i, DF D8+i). */
void op_x87_fst_reg(struct cpu *c, const struct insn *i) {
  struct x87 *x = &c->fpu;
  int k = i->rm & 7;
  bool pops = !(escape(i) == 0xdd && (i->reg & 7) == 2);
  x87_begin(c, i);
  if (escape(i) == 0xd9 && x87_is_empty(x, 0)) {
    /* The D9 D8+i alias does not check for underflow: it only pops. */
    x->status &= (uint16_t)~FSW_C1;
    x87_pop(x);
    return;
  }
  if (x87_is_empty(x, 0)) {
    if (!x87_stack_underflow(x))
      return;
    x87_set(x, k, x87_indefinite());
  } else {
    x->status &= (uint16_t)~FSW_C1;
    x87_set(x, k, x87_get(x, 0));
  }
  if (pops)
    x87_pop(x);
}

/* The constants (D9 E8..EE): rounded by RC on this CPU, so the host
 * loads them. */
void op_x87_fldconst(struct cpu *c, const struct insn *i) {
  struct x87 *x = &c->fpu;
  x87_begin(c, i);
  if (!x87_is_empty(x, 7)) {
    push_checked(x, x87_indefinite());
    return;
  }
  struct x87_host h;
  x87_host_prepare(&h, x, 0, 0);
  x87_host_exec(&h, 0xd9, (uint8_t)(0xe8 | (i->rm & 7)));
  x87_host_merge(x, &h);
  x87_push(x, x87_host_st(&h, 0));
}

/* fxch ST(i) (D9 C8+i, aliases DD C8+i, DF C8+i). */
void op_x87_fxch(struct cpu *c, const struct insn *i) {
  struct x87 *x = &c->fpu;
  int k = i->rm & 7;
  x87_begin(c, i);
  if (x87_is_empty(x, 0) || x87_is_empty(x, k)) {
    if (!x87_stack_underflow(x))
      return;
    if (x87_is_empty(x, 0))
      x87_set(x, 0, x87_indefinite());
    if (x87_is_empty(x, k))
      x87_set(x, k, x87_indefinite());
  } else {
    x->status &= (uint16_t)~FSW_C1;
  }
  struct x87_reg a = x87_get(x, 0), b = x87_get(x, k);
  x87_set(x, 0, b);
  x87_set(x, k, a);
}

/* fcmovcc (DA C0..DF, DB C0..DF): ST(0) = ST(i) if the RFLAGS condition
 * (insn arg, a Jcc code) holds. */
void op_x87_fcmov(struct cpu *c, const struct insn *i) {
  struct x87 *x = &c->fpu;
  int k = i->rm & 7;
  x87_begin(c, i);
  if (x87_is_empty(x, 0) || x87_is_empty(x, k)) {
    if (x87_stack_underflow(x))
      x87_set(x, 0, x87_indefinite());
    return;
  }
  if (cpu_cond(c, i->arg)) /* C1 is left as it was, as this CPU does */
    x87_set(x, 0, x87_get(x, k));
}

/* ffree ST(i) (DD C0+i); ffreep (DF C0+i) pops as well. */
void op_x87_ffree(struct cpu *c, const struct insn *i) {
  x87_begin(c, i);
  c->fpu.status &= (uint16_t)~FSW_C1; /* as this CPU does */
  x87_free(&c->fpu, i->rm & 7);
  if (escape(i) == 0xdf)
    x87_pop(&c->fpu);
}
