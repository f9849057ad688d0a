/* The x87 environment and state images: fnstenv/fldenv (14 or 28 bytes),
 * fnsave/frstor (94 or 108 bytes) in the protected-mode layouts that
 * 64-bit mode uses (SDM vol. 1, figures 8-9 and 8-10; a 66 prefix picks
 * the 16-bit layout). The FXSAVE image is cpu/fxsave.c's. */
#include <string.h>

#include "x87.h"

static void put16(uint8_t *p, uint16_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
}
static void put32(uint8_t *p, uint32_t v) {
  put16(p, (uint16_t)v);
  put16(p + 2, (uint16_t)(v >> 16));
}
static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t get32(const uint8_t *p) {
  return get16(p) | (uint32_t)get16(p + 2) << 16;
}

static int env_size(const struct insn *i) { return i->opsize == 2 ? 14 : 28; }

static void write_env(const struct x87 *x, uint8_t *p, bool small) {
  if (small) {
    put16(p + 0, x->control);
    put16(p + 2, x87_status_word(x));
    put16(p + 4, x87_tag_word(x));
    put16(p + 6, (uint16_t)x->last_ip);
    put16(p + 8, x->last_cs);
    put16(p + 10, (uint16_t)x->last_dp);
    put16(p + 12, x->last_ds);
    return;
  }
  /* The unused upper halves of the 32-bit slots read as ones. */
  memset(p, 0xff, 28);
  put16(p + 0, x->control);
  put16(p + 4, x87_status_word(x));
  put16(p + 8, x87_tag_word(x));
  put32(p + 12, (uint32_t)x->last_ip);
  put16(p + 16, x->last_cs);
  put16(p + 18, x->last_opcode & 0x7ff);
  put32(p + 20, (uint32_t)x->last_dp);
  put16(p + 24, x->last_ds);
}

/* Registers first (the tag word is interpreted against them). */
static void read_env(struct x87 *x, const uint8_t *p, bool small) {
  if (small) {
    x87_set_control(x, get16(p + 0));
    x87_set_status_word(x, get16(p + 2));
    x87_load_tag_word(x, get16(p + 4));
    x->last_ip = get16(p + 6);
    x->last_cs = get16(p + 8);
    x->last_dp = get16(p + 10);
    x->last_ds = get16(p + 12);
    x->last_opcode = 0; /* not in the 16-bit layout */
  } else {
    x87_set_control(x, get16(p + 0));
    x87_set_status_word(x, get16(p + 4));
    x87_load_tag_word(x, get16(p + 8));
    x->last_ip = get32(p + 12);
    x->last_cs = get16(p + 16);
    x->last_opcode = get16(p + 18) & 0x7ff;
    x->last_dp = get32(p + 20);
    x->last_ds = get16(p + 24);
  }
  x87_update_es(x);
}

static void write_regs(const struct x87 *x, uint8_t *p, int stride) {
  for (int k = 0; k < 8; k++) {
    struct x87_reg r = x87_get(x, k);
    memcpy(p + stride * k, &r.mantissa, 8);
    put16(p + stride * k + 8, r.sign_exponent);
  }
}

static void read_regs(struct x87 *x, const uint8_t *p, int stride) {
  for (int k = 0; k < 8; k++) {
    struct x87_reg r;
    memcpy(&r.mantissa, p + stride * k, 8);
    r.sign_exponent = get16(p + stride * k + 8);
    x->st[x87_phys(x, k)] = r;
  }
}

/* fnstenv (D9 /6): store, then mask every exception (SDM vol. 2); with
 * nothing left unmasked, ES and B clear (as this CPU does). */
void op_x87_fnstenv(struct cpu *c, const struct insn *i) {
  uint8_t buf[28];
  write_env(&c->fpu, buf, env_size(i) == 14);
  cpu_store_bytes(c, cpu_ea(c, i), buf, env_size(i));
  x87_set_control(&c->fpu, c->fpu.control | FCW_MASKS);
}

void op_x87_fldenv(struct cpu *c, const struct insn *i) {
  uint8_t buf[28];
  x87_wait(c);
  cpu_load_bytes(c, cpu_ea(c, i), buf, env_size(i));
  read_env(&c->fpu, buf, env_size(i) == 14);
}

/* fnsave (DD /6): the environment, ST(0)..ST(7), then fninit. */
void op_x87_fnsave(struct cpu *c, const struct insn *i) {
  uint8_t buf[108];
  int env = env_size(i);
  write_env(&c->fpu, buf, env == 14);
  write_regs(&c->fpu, buf + env, 10);
  cpu_store_bytes(c, cpu_ea(c, i), buf, env + 80);
  x87_reset(&c->fpu);
}

void op_x87_frstor(struct cpu *c, const struct insn *i) {
  uint8_t buf[108];
  int env = env_size(i);
  x87_wait(c);
  cpu_load_bytes(c, cpu_ea(c, i), buf, env + 80);
  /* TOP first: the registers are stored in stack order. */
  struct x87 *x = &c->fpu;
  x->top = (get16(buf + (env == 14 ? 2 : 4)) >> 11) & 7;
  read_regs(x, buf + env, 10);
  read_env(x, buf, env == 14);
}
