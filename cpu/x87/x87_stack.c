/* The x87 register stack, tags and status word (SDM vol. 1, 8.1), the
 * pending-exception rule for waiting instructions (8.6) and stack faults
 * (8.5.1.1). Values are never computed here: see x87_host.c. */
#include "../decode/optable.h"
#include "x87.h"

void x87_reset(struct x87 *x) {
  /* FNINIT (SDM vol. 1, 8.1.5): the registers keep their contents, only
   * tagged empty; FIP, FDP and FOP are cleared on this CPU. */
  x->control = FCW_RESET;
  x->status = 0;
  x->top = 0;
  x->tag = 0xffff;
  x->last_opcode = 0;
  x->last_ip = 0;
  x->last_dp = 0;
  x->last_cs = 0;
  x->last_ds = 0;
}

enum x87_tag x87_classify(const struct x87_reg *r) {
  unsigned exp = r->sign_exponent & 0x7fff;
  if (exp == 0)
    return r->mantissa == 0 ? TAG_ZERO : TAG_SPECIAL;
  if (exp == 0x7fff || !(r->mantissa >> 63))
    return TAG_SPECIAL; /* NaN, infinity, unnormal, pseudo-NaN... */
  return TAG_VALID;
}

static void set_tag(struct x87 *x, int phys, enum x87_tag t) {
  x->tag =
      (uint16_t)((x->tag & ~(3u << (2 * phys))) | (unsigned)t << (2 * phys));
}

void x87_set(struct x87 *x, int st, struct x87_reg v) {
  int phys = x87_phys(x, st);
  x->st[phys] = v;
  set_tag(x, phys, x87_classify(&v));
}

void x87_free(struct x87 *x, int st) { set_tag(x, x87_phys(x, st), TAG_EMPTY); }

void x87_push(struct x87 *x, struct x87_reg v) {
  x->top = (x->top - 1) & 7;
  x87_set(x, 0, v);
}

void x87_pop(struct x87 *x) {
  x87_free(x, 0);
  x->top = (x->top + 1) & 7;
}

struct x87_reg x87_indefinite(void) {
  return (struct x87_reg){X87_INDEFINITE_MANT, X87_INDEFINITE_SE};
}

uint16_t x87_status_word(const struct x87 *x) {
  return (uint16_t)((x->status & ~FSW_TOP) | (x->top & 7) << 11);
}

void x87_set_status_word(struct x87 *x, uint16_t sw) {
  x->status = (uint16_t)(sw & ~FSW_TOP);
  x->top = (sw >> 11) & 7;
}

uint16_t x87_tag_word(const struct x87 *x) {
  uint16_t tw = 0;
  for (int r = 0; r < 8; r++) {
    enum x87_tag t = ((x->tag >> (2 * r)) & 3) == TAG_EMPTY
                         ? TAG_EMPTY
                         : x87_classify(&x->st[r]);
    tw |= (uint16_t)(t << (2 * r));
  }
  return tw;
}

void x87_load_tag_word(struct x87 *x, uint16_t tw) {
  for (int r = 0; r < 8; r++)
    set_tag(x, r,
            ((tw >> (2 * r)) & 3) == TAG_EMPTY ? TAG_EMPTY
                                               : x87_classify(&x->st[r]));
}

bool x87_masked(const struct x87 *x, uint16_t flags) {
  return (flags & FSW_EXCEPTIONS & ~x->control) == 0;
}

/* ES (and B, which mirrors it on every CPU since the 387) summarize the
 * exception flags the control word leaves unmasked (SDM vol. 1, 8.1.3.3). */
void x87_update_es(struct x87 *x) {
  if (x87_masked(x, x->status))
    x->status &= (uint16_t) ~(FSW_ES | FSW_B);
  else
    x->status |= FSW_ES | FSW_B;
}

void x87_raise(struct x87 *x, uint16_t flags) {
  x->status |= flags & (FSW_EXCEPTIONS | FSW_SF);
  x87_update_es(x);
}

void x87_wait(struct cpu *c) {
  if (c->fpu.status & FSW_ES) {
    uint32_t bits = c->fpu.status & FSW_EXCEPTIONS & ~c->fpu.control;
    c->trap.code = bits;
    cpu_raise(c, TRAP_MF, bits);
  }
}

/* The segment of a memory operand, as FDS records it. In 64-bit mode
 * ES/CS/SS/DS overrides are ignored (SDM vol. 1, 3.4.2.1): the segment is
 * the default one, SS for an rSP or rBP base and DS otherwise; FS and GS
 * overrides stand. Linux runs 64-bit user code with DS = 0, SS =
 * __USER_DS and null FS/GS selectors (arch_prctl sets only the bases).
 * Measured on this CPU with fnstenv after each addressing form. */
/* FDS: the selector of the operand's segment as it is now (DS, FS or GS
 * can hold any selector mov Sreg loaded: cpu/segment.c). */
static uint16_t data_selector(const struct cpu *c, const struct insn *i) {
  if (i->seg == SEG_FS)
    return c->fs_sel;
  if (i->seg == SEG_GS)
    return c->gs_sel;
  return i->base == RSP || i->base == RBP ? X87_USER_SS : c->ds_sel;
}

/* FDP is the operand's offset in its segment, without the FS/GS base
 * (measured: fnstenv after fld fs:[...] stores the offset). */
static uint64_t data_offset(const struct cpu *c, const struct insn *i,
                            uint64_t ea) {
  if (i->seg == SEG_FS)
    return ea - c->fs_base;
  if (i->seg == SEG_GS)
    return ea - c->gs_base;
  return ea;
}

void x87_note(struct cpu *c, const struct insn *i, bool mem, uint64_t ea) {
  /* FOP is the low 3 bits of the first opcode byte and the ModRM byte. */
  uint8_t modrm = (uint8_t)(i->mod << 6 | (i->reg & 7) << 3 | (i->rm & 7));
  c->fpu.last_opcode = (uint16_t)((cpu_ops[i->op].opcode & 7) << 8 | modrm);
  c->fpu.last_ip = c->insn_rip;
  c->fpu.last_cs = X87_USER_CS;
  if (mem) {
    c->fpu.last_dp = data_offset(c, i, ea);
    c->fpu.last_ds = data_selector(c, i);
  }
}

uint64_t x87_begin(struct cpu *c, const struct insn *i) {
  x87_wait(c);
  uint64_t ea = i->mod == 3 ? 0 : cpu_ea(c, i);
  x87_note(c, i, i->mod != 3, ea);
  return ea;
}

uint64_t x87_begin_load(struct cpu *c, const struct insn *i, void *buf,
                        int size) {
  x87_wait(c);
  uint64_t ea = cpu_ea(c, i);
  cpu_load_bytes(c, ea, buf, size);
  x87_note(c, i, true, ea);
  return ea;
}

/* A store the FPU then suppresses (an unmasked exception, SDM vol. 1,
 * 8.5) still faults on a non-canonical address (#GP, or #SS through SS, which
 * comes before any #PF of the operand) or on a page it may not write: measured
 * with fistp from an empty stack, IM unmasked. A pending #MF comes first. */
uint64_t x87_begin_store(struct cpu *c, const struct insn *i, int size) {
  x87_wait(c);
  uint64_t ea = cpu_ea(c, i);
  if (!cpu_canonical(ea) || !cpu_canonical(ea + (uint64_t)size - 1))
    cpu_raise_noncanonical(c);
  cpu_probe_write(c, ea, size);
  x87_note(c, i, true, ea);
  return ea;
}

static bool stack_fault(struct x87 *x, uint16_t c1) {
  x->status = (uint16_t)((x->status & ~FSW_C1) | c1);
  x87_raise(x, FSW_IE | FSW_SF);
  return x87_masked(x, FSW_IE);
}

bool x87_stack_underflow(struct x87 *x) { return stack_fault(x, 0); }

bool x87_stack_overflow(struct x87 *x) { return stack_fault(x, FSW_C1); }

void x87_set_control(struct x87 *x, uint16_t cw) {
  x->control = (uint16_t)((cw & FCW_STORED) | FCW_ONES);
  x87_update_es(x);
}
