/* The MMX registers as the x87 sees them (SDM vol. 1, 9.5 and 9.6):
 * MMi is the 64-bit mantissa of physical register Ri. An MMX
 * instruction takes a pending unmasked x87 exception first (#MF, like
 * a waiting x87 instruction), then leaves the x87 with TOP = 0 and all
 * tags valid; writes set the register's sign/exponent to all ones.
 * On this CPU (measured by tests/diff and test_mmx_table) a fault of
 * the memory operand (#GP, #PF) comes before the transition, a #XM of
 * a conversion after it, and maskmovq makes the transition before its
 * stores. */
#include "../handlers.h"
#include "sse.h"

#define FSW_ES 0x0080u
#define FSW_EXCEPTIONS 0x003fu

void mmx_check_pending(struct cpu *c) {
  if (c->fpu.status & FSW_ES) {
    uint32_t bits = c->fpu.status & FSW_EXCEPTIONS & ~c->fpu.control;
    c->trap.code = bits;
    cpu_raise(c, TRAP_MF, bits);
  }
}

void mmx_enter(struct cpu *c) {
  c->fpu.top = 0;
  c->fpu.tag = 0;
}

uint64_t mmx_src64(struct cpu *c, const struct insn *i) {
  if (i->mod == 3)
    return mmx_get(c, i->rm);
  return cpu_load(c, cpu_ea(c, i), 8);
}

void mmx_begin(struct cpu *c) {
  mmx_check_pending(c);
  mmx_enter(c);
}

void mmx_binop(struct cpu *c, const struct insn *i, simd_kernel k,
               int mem_bytes) {
  mmx_check_pending(c);
  union xmm s = {{0}}, d = {{0}};
  if (i->mod == 3)
    s.u64[0] = mmx_get(c, i->rm);
  else
    cpu_load_bytes(c, cpu_ea(c, i), &s, mem_bytes);
  mmx_enter(c);
  d.u64[0] = mmx_get(c, i->reg);
  k(&d, &s, 8, i);
  mmx_set(c, i->reg, d.u64[0]);
}

/* emms: every tag empty (SDM vol. 2, EMMS). This CPU (AMD Zen) also
 * sets TOP to 0, as measured by the differential test. */
void op_emms(struct cpu *c, const struct insn *i) {
  (void)i;
  mmx_check_pending(c);
  c->fpu.top = 0;
  c->fpu.tag = 0xffff;
}
