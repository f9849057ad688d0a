/* The precision flag of an arithmetic operation that raises an unmasked
 * overflow or underflow. Then the destination is left unchanged (SDM
 * vol. 1, 11.5.1), and this CPU sets PE for such an element only when
 * the result rounded with an unbounded exponent is inexact (measured:
 * 0x1p1000 * 0x1p1000 with OE unmasked sets OE alone, 0x1.555...p1000
 * squared sets OE and PE; the same for UE; SDM vol. 1, 4.9.1.4-5
 * describes it for the exponent-wrapped x87 result). The masked run
 * that emu can afford reports PE from the masked response (infinity,
 * the largest finite or a denormal), so for those elements PE is found
 * again: on the host x87, whose 15-bit exponent holds every sum,
 * product and quotient of two doubles, with the precision control set
 * to the element's significand (SDM vol. 1, 8.1.5.2). Elements without
 * an unmasked overflow or underflow keep the flags of their own run. */
#include <stddef.h>
#include <string.h>

#include "sse_host.h"

enum arith { ADD, SUB, MUL, DIV, NARROW };

/* x87 control word: every exception masked, precision control 53 or 24
 * bits, round to nearest (inexactness does not depend on the rounding). */
static uint16_t control_for(int dbl) {
  return (uint16_t)(0x3f | (dbl ? 0x200 : 0x000));
}

#define X87_OP(LOAD, OP, B)                                                    \
  __asm__ volatile("fnstcw %[saved]\n\t"                                       \
                   "fldcw %[cw]\n\t"                                           \
                   "fnclex\n\t" LOAD " %[a]\n\t" OP " %[b]\n\t"                \
                   "fstp %%st(0)\n\t"                                          \
                   "fnstsw %[sw]\n\t"                                          \
                   "fnclex\n\t"                                                \
                   "fldcw %[saved]"                                            \
                   : [saved] "=m"(saved), [sw] "=m"(sw)                        \
                   : [cw] "m"(cw), [a] "m"(*a), [b] "m"(B)                     \
                   : "st")

/* Whether a OP b (the low floats or doubles; for NARROW, the double a
 * to a float) is inexact with an unbounded exponent. */
static bool unbounded_inexact(enum arith op, int dbl, const union xmm *a,
                              const union xmm *b) {
  static const double one = 1.0;
  uint16_t cw = control_for(dbl && op != NARROW), saved, sw;
  switch (op << 1 | dbl) {
  case ADD << 1: X87_OP("flds", "fadds", *b); break;
  case ADD << 1 | 1: X87_OP("fldl", "faddl", *b); break;
  case SUB << 1: X87_OP("flds", "fsubs", *b); break;
  case SUB << 1 | 1: X87_OP("fldl", "fsubl", *b); break;
  case MUL << 1: X87_OP("flds", "fmuls", *b); break;
  case MUL << 1 | 1: X87_OP("fldl", "fmull", *b); break;
  case DIV << 1: X87_OP("flds", "fdivs", *b); break;
  case DIV << 1 | 1: X87_OP("fldl", "fdivl", *b); break;
  default: X87_OP("fldl", "fmull", one); break; /* rounds to 24 bits */
  }
  return sw & 0x20; /* PE */
}

/* The scalar host forms, by operation and element size. */
static const sse_host_fn scalar_forms[5][2] = {{sse_host_addss, sse_host_addsd},
                                               {sse_host_subss, sse_host_subsd},
                                               {sse_host_mulss, sse_host_mulsd},
                                               {sse_host_divss, sse_host_divsd},
                                               {NULL, sse_host_cvtsd2ss}};

/* The precision flag of one element: a OP b (elements of `size` bytes
 * at a and b; for NARROW, the double at b), run alone as the scalar
 * form does. */
static uint32_t element_pe(enum arith op, int dbl, const void *a, const void *b,
                           uint32_t mxcsr) {
  int size = dbl ? 8 : 4;
  union xmm x = {{0}}, y = {{0}};
  memcpy(&x, a, (size_t)size);
  memcpy(&y, b, (size_t)size);
  union xmm r = x;
  uint32_t flags = scalar_forms[op][dbl](&r, &y, mxcsr);
  uint32_t unmasked = ~(mxcsr >> MXCSR_MASK_SHIFT) & MXCSR_FLAGS;
  if (!(flags & unmasked & (MXCSR_OE | MXCSR_UE)))
    return flags & MXCSR_PE;
  if (op == NARROW)
    return unbounded_inexact(op, dbl, &y, &y) ? MXCSR_PE : 0;
  return unbounded_inexact(op, dbl, &x, &y) ? MXCSR_PE : 0;
}

/* The forms handled, and how their elements are computed. */
enum shape { SCALAR, PACKED, ADDSUB, HORIZONTAL };

struct form {
  sse_host_fn fn;
  enum arith op;
  int dbl;
  enum shape shape;
};

#define ARITH(OP, T)                                                           \
  {sse_host_##T##ps, OP, 0, PACKED}, {sse_host_##T##pd, OP, 1, PACKED},        \
      {sse_host_##T##ss, OP, 0, SCALAR}, {                                     \
    sse_host_##T##sd, OP, 1, SCALAR                                            \
  }
static const struct form forms[] = {
    ARITH(ADD, add),
    ARITH(SUB, sub),
    ARITH(MUL, mul),
    ARITH(DIV, div),
    {sse_host_addsubps, ADD, 0, ADDSUB},
    {sse_host_addsubpd, ADD, 1, ADDSUB},
    {sse_host_haddps, ADD, 0, HORIZONTAL},
    {sse_host_haddpd, ADD, 1, HORIZONTAL},
    {sse_host_hsubps, SUB, 0, HORIZONTAL},
    {sse_host_hsubpd, SUB, 1, HORIZONTAL},
    {sse_host_cvtsd2ss, NARROW, 1, SCALAR},
    {sse_host_cvtpd2ps, NARROW, 1, PACKED},
};

uint32_t sse_fp_precision(sse_host_fn fn, const union xmm *d,
                          const union xmm *s, uint32_t mxcsr, uint32_t raised) {
  uint32_t unmasked = ~(mxcsr >> MXCSR_MASK_SHIFT) & MXCSR_FLAGS;
  if (!(raised & unmasked & (MXCSR_OE | MXCSR_UE)))
    return raised;
  const struct form *f = NULL;
  for (size_t k = 0; k < sizeof forms / sizeof forms[0]; k++)
    if (fn == forms[k].fn)
      f = &forms[k];
  if (!f)
    return raised;
  int size = f->dbl ? 8 : 4, n = f->shape == SCALAR ? 1 : 16 / size;
  uint32_t pe = 0;
  for (int k = 0; k < n; k++) {
    const uint8_t *a = d->u8 + k * size, *b = s->u8 + k * size;
    enum arith op = f->op;
    if (f->shape == ADDSUB && !(k & 1))
      op = SUB; /* even elements subtract */
    if (f->shape == HORIZONTAL) {
      /* The first half of the result sums pairs of d, the second of s. */
      const union xmm *v = k < n / 2 ? d : s;
      int j = 2 * (k % (n / 2));
      a = v->u8 + j * size;
      b = v->u8 + (j + 1) * size;
    }
    pe |= element_pe(op, f->dbl, a, b, mxcsr);
  }
  return (raised & ~MXCSR_PE) | pe;
}
