/* MMX data movement and the SSE-era MMX forms that are not lane-wise
 * kernels: movd/movq, movntq, maskmovq, pshufw, pinsrw, pextrw,
 * pmovmskb, movq2dq, movdq2q (SDM vol. 2). The memory access comes
 * before the transition to MMX state (cpu/mmx_state.c), but for
 * maskmovq. */
#include "../handlers.h"
#include "sse.h"

/* 0F 6E: movd mm, r/m32 (movq mm, r/m64 with REX.W), zero-extended. */
void op_movd_to_mm(struct cpu *c, const struct insn *i) {
  mmx_check_pending(c);
  uint64_t v = cpu_rm_get(c, i, i->opsize);
  mmx_enter(c);
  mmx_set(c, i->reg, v);
}

/* 0F 7E: movd r/m32, mm (movq r/m64, mm with REX.W). */
void op_movd_from_mm(struct cpu *c, const struct insn *i) {
  mmx_check_pending(c);
  cpu_rm_set(c, i, i->opsize, mmx_get(c, i->reg));
  mmx_enter(c);
}

/* 0F 6F: movq mm, mm/m64. */
void op_movq_mm_load(struct cpu *c, const struct insn *i) {
  mmx_check_pending(c);
  uint64_t v = mmx_src64(c, i);
  mmx_enter(c);
  mmx_set(c, i->reg, v);
}

/* 0F 7F: movq mm/m64, mm; 0F E7: movntq m64, mm. */
void op_movq_mm_store(struct cpu *c, const struct insn *i) {
  mmx_check_pending(c);
  uint64_t v = mmx_get(c, i->reg);
  if (i->mod != 3)
    cpu_store(c, cpu_ea(c, i), 8, v);
  mmx_enter(c);
  if (i->mod == 3)
    mmx_set(c, i->rm, v);
}

/* 0F F7: maskmovq mm1, mm2: bytes of mm1 whose mask byte in mm2 has its
 * top bit set go to [DS:rDI]; all 8 bytes must be writable, as for
 * maskmovdqu. */
void op_maskmovq(struct cpu *c, const struct insn *i) {
  mmx_begin(c);
  uint64_t base = sse_rdi_address(c, i);
  cpu_probe_write(c, base, 8);
  uint64_t v = mmx_get(c, i->reg), m = mmx_get(c, i->rm);
  for (int k = 0; k < 8; k++)
    if ((m >> (8 * k + 7)) & 1)
      cpu_store(c, base + (uint64_t)k, 1, (v >> (8 * k)) & 0xff);
}

/* 0F 70: pshufw mm, mm/m64, imm8: word k = source word imm[2k+1:2k]. */
void op_pshufw(struct cpu *c, const struct insn *i) {
  mmx_check_pending(c);
  uint64_t s = mmx_src64(c, i), r = 0;
  mmx_enter(c);
  for (int k = 0; k < 4; k++)
    r |= ((s >> (16 * ((i->imm >> (2 * k)) & 3))) & 0xffff) << (16 * k);
  mmx_set(c, i->reg, r);
}

/* 0F C4: pinsrw mm, r32/m16, imm8. */
void op_pinsrw_mm(struct cpu *c, const struct insn *i) {
  mmx_check_pending(c);
  uint64_t v = cpu_rm_get(c, i, 2) & 0xffff;
  mmx_enter(c);
  unsigned at = 16 * (unsigned)(i->imm & 3);
  uint64_t d = mmx_get(c, i->reg) & ~(0xffffull << at);
  mmx_set(c, i->reg, d | v << at);
}

/* 0F C5: pextrw r32, mm, imm8 (zero-extended into the whole GPR). */
void op_pextrw_mm(struct cpu *c, const struct insn *i) {
  mmx_begin(c);
  uint64_t s = mmx_get(c, i->rm);
  cpu_reg_set(c, i, i->reg, 8, (s >> (16 * (i->imm & 3))) & 0xffff);
}

/* 0F D7: pmovmskb r32, mm: the top bit of each byte. */
void op_pmovmskb_mm(struct cpu *c, const struct insn *i) {
  mmx_begin(c);
  uint64_t s = mmx_get(c, i->rm), mask = 0;
  for (int k = 0; k < 8; k++)
    mask |= ((s >> (8 * k + 7)) & 1) << k;
  cpu_reg_set(c, i, i->reg, 8, mask);
}

/* F3 0F D6: movq2dq xmm, mm (upper quadword zeroed). */
void op_movq2dq(struct cpu *c, const struct insn *i) {
  mmx_begin(c);
  union xmm *d = sse_dst(c, i);
  d->u64[0] = mmx_get(c, i->rm);
  d->u64[1] = 0;
}

/* F2 0F D6: movdq2q mm, xmm. */
void op_movdq2q(struct cpu *c, const struct insn *i) {
  mmx_begin(c);
  mmx_set(c, i->reg, c->xmm[i->rm].u64[0]);
}
