/* The hot SSE forms (bodies in cpu/sse_fast.h): the generic handlers of
 * the floating-point arithmetic and packed-integer operations that have
 * a fast body, and for cpu/specialize.c a copy of every fast body per
 * operand form (sse_fast_pick). A copy chains to the next instruction
 * (cpu/chain.h). It keeps no c->insn_rip: the paths that can fault (the
 * alignment #GP, a TLB miss, the per-operation floating-point path) set
 * it themselves (cpu/sse_fast.h). */
#include "sse_fast.h"

#include "../handlers.h"

/* Generic handlers: the form is found at run time. */
#define FP_GENERIC(NAME, BYTES) SSE_FAST_GENERIC(NAME)
SSE_FAST_FP_OPS(FP_GENERIC)
#define INT_GENERIC(NAME, EXPR) SSE_FAST_GENERIC(NAME)
SSE_FAST_INT_OPS(INT_GENERIC)

/* Bodies with the handler's table argument fixed: fast_NAME(c, i, form). */
#define FIXED(NAME, CALL)                                                      \
  FAST_INLINE void fast_##NAME(struct cpu *c, const struct insn *i,            \
                               int form) {                                     \
    CALL;                                                                      \
  }
FIXED(movups_load, fast_move_in(c, i, form, SSE_UNALIGNED))
FIXED(movups_store, fast_move_out(c, i, form, SSE_UNALIGNED))
FIXED(movaps_load, fast_move_in(c, i, form, SSE_ALIGNED_ALWAYS))
FIXED(movaps_store, fast_move_out(c, i, form, SSE_ALIGNED_ALWAYS))
FIXED(movss_load, fast_movs_load(c, i, form, 4))
FIXED(movsd_load, fast_movs_load(c, i, form, 8))
FIXED(movss_store, fast_movs_store(c, i, form, 4))
FIXED(movsd_store, fast_movs_store(c, i, form, 8))
FIXED(ucomiss, fast_comis(c, i, form, 0))
FIXED(ucomisd, fast_comis(c, i, form, 1))
FIXED(comiss, fast_comis(c, i, form, 2))
FIXED(comisd, fast_comis(c, i, form, 3))
FIXED(cvtsi2ss, fast_cvtsi2(c, i, form, 0))
FIXED(cvtsi2sd, fast_cvtsi2(c, i, form, 1))
FIXED(cvtss2si, fast_cvt2si(c, i, form, 0))
FIXED(cvtsd2si, fast_cvt2si(c, i, form, 1))

/* One copy of fast_NAME per form, and the row of them. */
#define SPEC_FN(NAME, F)                                                       \
  static void s_##NAME##_##F(struct cpu *c, const struct insn *i) {            \
    fast_##NAME(c, i, F);                                                      \
    CHAIN_NEXT(c, i);                                                          \
  }
#define SPEC_ROW(NAME)                                                         \
  SPEC_FN(NAME, 0)                                                             \
  SPEC_FN(NAME, 1)                                                             \
  SPEC_FN(NAME, 2)                                                             \
  SPEC_FN(NAME, 3)                                                             \
  SPEC_FN(NAME, 4)                                                             \
  SPEC_FN(NAME, 5)                                                             \
  static const cpu_handler s_##NAME[FORM_COUNT] = {                            \
      s_##NAME##_0, s_##NAME##_1, s_##NAME##_2,                                \
      s_##NAME##_3, s_##NAME##_4, s_##NAME##_5};
_Static_assert(FORM_COUNT == 6, "one copy per operand form");

#define FP_ROW(NAME, BYTES) SPEC_ROW(NAME)
SSE_FAST_FP_OPS(FP_ROW)
#define INT_ROW(NAME, EXPR) SPEC_ROW(NAME)
SSE_FAST_INT_OPS(INT_ROW)
SPEC_ROW(movups_load)
SPEC_ROW(movups_store)
SPEC_ROW(movaps_load)
SPEC_ROW(movaps_store)
SPEC_ROW(movss_load)
SPEC_ROW(movsd_load)
SPEC_ROW(movss_store)
SPEC_ROW(movsd_store)
SPEC_ROW(movq_load)
SPEC_ROW(movq_store)
SPEC_ROW(movd_to_xmm)
SPEC_ROW(movd_from_xmm)
SPEC_ROW(pmovmskb)
SPEC_ROW(ucomiss)
SPEC_ROW(ucomisd)
SPEC_ROW(comiss)
SPEC_ROW(comisd)
SPEC_ROW(cvtsi2ss)
SPEC_ROW(cvtsi2sd)
SPEC_ROW(cvtss2si)
SPEC_ROW(cvtsd2si)

/* Which generic handler (with which table argument, -1: any) each row
 * stands for. */
struct sse_fast_entry {
  cpu_handler generic;
  int arg;
  const cpu_handler *row;
};

#define ENTRY(NAME) {op_##NAME, -1, s_##NAME},
static const struct sse_fast_entry entries[] = {
#define FP_ENTRY(NAME, BYTES) ENTRY(NAME)
    SSE_FAST_FP_OPS(FP_ENTRY)
#define INT_ENTRY(NAME, EXPR) ENTRY(NAME)
        SSE_FAST_INT_OPS(INT_ENTRY)
    // clang-format off
    ENTRY(movups_load)
    ENTRY(movups_store)
    ENTRY(movaps_load)
    ENTRY(movaps_store)
    ENTRY(movq_load)
    ENTRY(movq_store)
    ENTRY(movd_to_xmm)
    ENTRY(movd_from_xmm)
    ENTRY(pmovmskb)
    ENTRY(cvtsi2ss)
    ENTRY(cvtsi2sd)
    // clang-format on
    {op_movs_load, 4, s_movss_load},
    {op_movs_load, 8, s_movsd_load},
    {op_movs_store, 4, s_movss_store},
    {op_movs_store, 8, s_movsd_store},
    {op_comis, 0, s_ucomiss},
    {op_comis, 1, s_ucomisd},
    {op_comis, 2, s_comiss},
    {op_comis, 3, s_comisd},
    {op_cvtss2si, -1, s_cvtss2si},
    {op_cvtsd2si, -1, s_cvtsd2si},
};

cpu_handler sse_fast_pick(const struct insn *in, cpu_handler generic,
                          int form) {
  if (form < 0 || form >= FORM_COUNT)
    return NULL;
  for (size_t k = 0; k < sizeof entries / sizeof entries[0]; k++) {
    const struct sse_fast_entry *e = &entries[k];
    if (e->generic == generic && (e->arg < 0 || e->arg == in->arg))
      return e->row[form];
  }
  return NULL;
}
