/* pclmulqdq xmm1, xmm2/m128, imm8 (66 0F 3A 44): the 128-bit carry-less
 * product of one quadword of each operand; imm[0] picks the quadword of
 * xmm1, imm[4] the one of the source (SDM vol. 2, PCLMULQDQ). */
#include "../handlers.h"
#include "sse.h"

void op_pclmulqdq(struct cpu *c, const struct insn *i) {
  union xmm s, *d = sse_dst(c, i);
  sse_src128(c, i, &s, SSE_ALIGNED);
  uint64_t a = d->u64[i->imm & 1], b = s.u64[(i->imm >> 4) & 1];
  uint64_t lo = 0, hi = 0;
  for (int k = 0; k < 64; k++)
    if ((b >> k) & 1) {
      lo ^= a << k;
      hi ^= k ? a >> (64 - k) : 0;
    }
  d->u64[0] = lo;
  d->u64[1] = hi;
}
