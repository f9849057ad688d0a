/* SSE data movement: whole-register, scalar, half-register and GPR
 * moves, non-temporal stores (SDM vol. 2, MOV* entries). Non-temporal
 * hints change nothing an emulated program can observe. */
#include "sse_fast.h"

/* Load or register copy of a whole XMM register. */
static void move_in(struct cpu *c, const struct insn *i, enum sse_align a) {
  fast_move_in(c, i, sse_form(i), a);
}

void op_movups_load(struct cpu *c, const struct insn *i) {
  fast_move_in(c, i, sse_form(i), SSE_UNALIGNED);
}
void op_movups_store(struct cpu *c, const struct insn *i) {
  fast_move_out(c, i, sse_form(i), SSE_UNALIGNED);
}
void op_movaps_load(struct cpu *c, const struct insn *i) {
  fast_move_in(c, i, sse_form(i), SSE_ALIGNED_ALWAYS);
}
void op_movaps_store(struct cpu *c, const struct insn *i) {
  fast_move_out(c, i, sse_form(i), SSE_ALIGNED_ALWAYS);
}

/* movntdqa (SSE4.1) loads like movdqa. */
void op_movntdqa(struct cpu *c, const struct insn *i) {
  move_in(c, i, SSE_ALIGNED_ALWAYS);
}

/* lddqu: unaligned load (memory only, the table restricts it). */
void op_lddqu(struct cpu *c, const struct insn *i) {
  move_in(c, i, SSE_UNALIGNED);
}

/* movss/movsd: arg = 4 or 8 bytes. A load zeroes the rest of the
 * register; a register-to-register move keeps it. */
void op_movs_load(struct cpu *c, const struct insn *i) {
  fast_movs_load(c, i, sse_form(i), i->arg);
}

void op_movs_store(struct cpu *c, const struct insn *i) {
  fast_movs_store(c, i, sse_form(i), i->arg);
}

/* 0F 12: movlps/movlpd xmm, m64 (low half); movhlps xmm, xmm. */
void op_movlps_load(struct cpu *c, const struct insn *i) {
  uint64_t v =
      i->mod == 3 ? c->xmm[i->rm].u64[1] : cpu_load(c, cpu_ea(c, i), 8);
  sse_dst(c, i)->u64[0] = v;
}

/* 0F 16: movhps/movhpd xmm, m64 (high half); movlhps xmm, xmm. */
void op_movhps_load(struct cpu *c, const struct insn *i) {
  uint64_t v =
      i->mod == 3 ? c->xmm[i->rm].u64[0] : cpu_load(c, cpu_ea(c, i), 8);
  sse_dst(c, i)->u64[1] = v;
}

/* 0F 13 / 0F 17: store the low / high half (memory only); arg = half. */
void op_movlps_store(struct cpu *c, const struct insn *i) {
  cpu_store(c, cpu_ea(c, i), 8, sse_dst(c, i)->u64[i->arg]);
}

/* movsldup (arg 0) / movshdup (arg 1): duplicate even / odd dwords. */
void op_movsldup(struct cpu *c, const struct insn *i) {
  union xmm s, *d = sse_dst(c, i);
  sse_src128(c, i, &s, SSE_ALIGNED);
  for (int k = 0; k < 4; k += 2)
    d->u32[k] = d->u32[k + 1] = s.u32[k + i->arg];
}

/* movddup: duplicate the low quadword (m64: no alignment). */
void op_movddup(struct cpu *c, const struct insn *i) {
  union xmm s, *d = sse_dst(c, i);
  sse_src_low(c, i, &s, 8);
  d->u64[0] = d->u64[1] = s.u64[0];
}

/* 66 0F 6E: movd/movq xmm, r/m32/64, zero-extended to 128 bits. */
void op_movd_to_xmm(struct cpu *c, const struct insn *i) {
  fast_movd_to_xmm(c, i, sse_form(i));
}

/* 66 0F 7E: movd/movq r/m32/64, xmm. */
void op_movd_from_xmm(struct cpu *c, const struct insn *i) {
  fast_movd_from_xmm(c, i, sse_form(i));
}

/* F3 0F 7E: movq xmm, xmm/m64 (upper quadword zeroed). */
void op_movq_load(struct cpu *c, const struct insn *i) {
  fast_movq_load(c, i, sse_form(i));
}

/* 66 0F D6: movq xmm/m64, xmm (a register destination's upper quadword
 * is zeroed). */
void op_movq_store(struct cpu *c, const struct insn *i) {
  fast_movq_store(c, i, sse_form(i));
}

/* 0F C3: movnti m32/64, r32/64. */
void op_movnti(struct cpu *c, const struct insn *i) {
  cpu_store(c, cpu_ea(c, i), i->opsize, cpu_reg_get(c, i, i->reg, i->opsize));
}

/* 66 0F F7: maskmovdqu xmm1, xmm2 stores the bytes of xmm1 whose mask
 * byte in xmm2 has its top bit set to [DS:rDI] (SDM vol. 2, MASKMOVDQU).
 * The whole 16 bytes must be writable, even with an all-zero mask: this
 * CPU faults then too (the SDM leaves it to the implementation). */
uint64_t sse_rdi_address(struct cpu *c, const struct insn *i) {
  uint64_t base = c->gpr[RDI];
  if (i->addrsize == 4)
    base = (uint32_t)base;
  if (i->seg == SEG_FS)
    base += c->fs_base;
  else if (i->seg == SEG_GS)
    base += c->gs_base;
  return base;
}

void op_maskmovdqu(struct cpu *c, const struct insn *i) {
  uint64_t base = sse_rdi_address(c, i);
  cpu_probe_write(c, base, 16);
  const union xmm *s = sse_dst(c, i), *m = &c->xmm[i->rm];
  for (int k = 0; k < 16; k++)
    if (m->u8[k] & 0x80)
      cpu_store(c, base + (uint64_t)k, 1, s->u8[k]);
}

/* pmovmskb r32, xmm: the top bit of each byte. */
void op_pmovmskb(struct cpu *c, const struct insn *i) {
  fast_pmovmskb(c, i, FORM_REG);
}

/* movmskps (arg 4) / movmskpd (arg 8): the sign of each element. */
void op_movmskp(struct cpu *c, const struct insn *i) {
  const union xmm *s = &c->xmm[i->rm];
  uint32_t mask = 0;
  if (i->arg == 4)
    for (int k = 0; k < 4; k++)
      mask |= (s->u32[k] >> 31) << k;
  else
    for (int k = 0; k < 2; k++)
      mask |= (uint32_t)(s->u64[k] >> 63) << k;
  cpu_reg_set(c, i, i->reg, 8, mask);
}
