/* XMM operands of a decoded instruction and the SSE alignment rules:
 * 16-byte memory operands of legacy SSE instructions must be aligned
 * (SDM vol. 1, 4.1.1), except the explicitly unaligned forms; AMD's
 * misaligned-SSE mode (MXCSR.MM, APM vol. 1, 4.3.2) lifts the rule for
 * all but the explicitly aligned moves. */
#include "sse_fast.h"

void sse_check_align(struct cpu *c, uint64_t addr, enum sse_align align) {
  if (!(addr & 15) || align == SSE_UNALIGNED)
    return;
  if (align == SSE_ALIGNED && (c->mxcsr & MXCSR_MM))
    return;
  cpu_raise(c, TRAP_GP, 0);
}

void sse_load128(struct cpu *c, uint64_t addr, union xmm *v,
                 enum sse_align align) {
  sse_check_align(c, addr, align);
  cpu_load_bytes(c, addr, v, 16);
}

void sse_store128(struct cpu *c, uint64_t addr, const union xmm *v,
                  enum sse_align align) {
  sse_check_align(c, addr, align);
  cpu_store_bytes(c, addr, v, 16);
}

void sse_src128(struct cpu *c, const struct insn *i, union xmm *v,
                enum sse_align align) {
  __m128i x = sse_fast_src(c, i, sse_form(i), 16, align);
  _mm_storeu_si128((__m128i *)(void *)v, x);
}

void sse_src_low(struct cpu *c, const struct insn *i, union xmm *v, int bytes) {
  if (i->mod == 3) {
    *v = c->xmm[i->rm];
    return;
  }
  if (bytes == 4 || bytes == 8) {
    __m128i x = sse_fast_load(c, i, cpu_ea(c, i), bytes);
    _mm_storeu_si128((__m128i *)(void *)v, x);
    return;
  }
  union xmm t = {{0}};
  cpu_load_bytes(c, cpu_ea(c, i), &t, bytes);
  *v = t;
}

void sse_binop(struct cpu *c, const struct insn *i, simd_kernel k) {
  union xmm s;
  sse_src128(c, i, &s, SSE_ALIGNED);
  k(sse_dst(c, i), &s, 16, i);
}

/* Before anything that can fault: where the instruction is, and whether
 * its operand goes through SS (#SS rather than #GP, cpu/mem.c). */
static void note_access(struct cpu *c, const struct insn *i) {
  c->insn_rip = i->rip;
  c->ss_access = cpu_insn_uses_ss(i);
}

__m128i sse_load_slow(struct cpu *c, const struct insn *i, uint64_t a, int n) {
  note_access(c, i);
  union xmm t = {{0}};
  cpu_load_bytes(c, a, &t, n);
  return _mm_loadu_si128((const __m128i *)(const void *)&t);
}

void sse_store_slow(struct cpu *c, const struct insn *i, uint64_t a, __m128i v,
                    int n) {
  note_access(c, i);
  union xmm t;
  _mm_storeu_si128((__m128i *)(void *)&t, v);
  cpu_store_bytes(c, a, &t, n);
}
