/* The hot SSE forms, inlined: floating-point arithmetic run as the bare
 * host instruction under the live guest MXCSR (cpu/sse_fp_env.c), whole
 * and scalar moves, and the packed-integer operations glibc's string
 * functions use, done with the same SSE2 instruction on the host (pure
 * integer semantics, so the result is the ISA's by definition). Operands
 * come through the TLB hit path of cpu/fast.h.
 *
 * Each body takes the operand form (enum fast_form): the generic
 * handlers in cpu/sse_*.c pass the one found at run time (sse_form),
 * cpu/sse_fast.c makes a copy per form for cpu/specialize.c. With an
 * unmasked MXCSR exception the floating-point bodies hand over to the
 * per-operation path, which reports flags for #XM. */
#ifndef EMU_SSE_FAST_H
#define EMU_SSE_FAST_H

#include <emmintrin.h>

#include "../fast/fast.h"
#include "sse_host.h"

/* The operand form when it is not known at compile time. */
FAST_INLINE int sse_form(const struct insn *i) {
  return i->mod == 3 ? FORM_REG : FORM_EA;
}

FAST_INLINE __m128i xmm_get(const struct cpu *c, unsigned r) {
  return _mm_loadu_si128((const __m128i *)(const void *)&c->xmm[r]);
}

FAST_INLINE void xmm_put(struct cpu *c, unsigned r, __m128i v) {
  _mm_storeu_si128((__m128i *)(void *)&c->xmm[r], v);
}

/* The 16-byte alignment rule (cpu/sse_operand.c: sse_check_align). The
 * specialised copies keep no c->insn_rip (cpu/chain.h): every path that
 * can fault sets it, and what a fault needs, from the instruction. */
FAST_INLINE void sse_fast_align(struct cpu *c, const struct insn *i, uint64_t a,
                                enum sse_align al) {
  if (al == SSE_UNALIGNED || !(a & 15))
    return;
  c->insn_rip = i->rip;
  sse_check_align(c, a, al);
}

/* TLB misses and page crossings (cpu/sse_operand.c). */
__m128i sse_load_slow(struct cpu *c, const struct insn *i, uint64_t a, int n);
void sse_store_slow(struct cpu *c, const struct insn *i, uint64_t a, __m128i v,
                    int n);

/* n = 4, 8 or 16 bytes at a, zero-extended to 128 bits, into *v; false
 * (nothing done) on a TLB miss or a page crossing. */
FAST_INLINE bool sse_fast_try_load(struct cpu *c, uint64_t a, int n,
                                   __m128i *v) {
  const struct tlb_entry *e = fast_tlb(c, MMU_READ, a, n);
  if (!FAST_LIKELY(e))
    return false;
  const void *p = (const void *)(uintptr_t)(a + e->addend);
  switch (n) {
  case 16: *v = _mm_loadu_si128((const __m128i *)p); break;
  case 8: *v = _mm_loadl_epi64((const __m128i *)p); break;
  default: {
    int32_t w;
    memcpy(&w, p, 4);
    *v = _mm_cvtsi32_si128(w);
    break;
  }
  }
  return true;
}

/* The low n = 4, 8 or 16 bytes of v to a; false as sse_fast_try_load. */
FAST_INLINE bool sse_fast_try_store(struct cpu *c, uint64_t a, int n,
                                    __m128i v) {
  const struct tlb_entry *e = fast_tlb(c, MMU_WRITE, a, n);
  if (!FAST_LIKELY(e))
    return false;
  void *p = (void *)(uintptr_t)(a + e->addend);
  switch (n) {
  case 16: _mm_storeu_si128((__m128i *)p, v); break;
  case 8: _mm_storel_epi64((__m128i *)p, v); break;
  default: {
    int32_t w = _mm_cvtsi128_si32(v);
    memcpy(p, &w, 4);
    break;
  }
  }
  return true;
}

/* The same, with the slow path on a miss or a page crossing. */
FAST_INLINE __m128i sse_fast_load(struct cpu *c, const struct insn *i,
                                  uint64_t a, int n) {
  __m128i v;
  return sse_fast_try_load(c, a, n, &v) ? v : sse_load_slow(c, i, a, n);
}

FAST_INLINE void sse_fast_store(struct cpu *c, const struct insn *i, uint64_t a,
                                __m128i v, int n) {
  if (!sse_fast_try_store(c, a, n, v))
    sse_store_slow(c, i, a, v, n);
}

/* The r/m operand: a whole register, or n bytes of memory zero-extended
 * (16-byte operands under the alignment rule `al`). */
FAST_INLINE __m128i sse_fast_src(struct cpu *c, const struct insn *i, int form,
                                 int n, enum sse_align al) {
  if (form == FORM_REG)
    return xmm_get(c, i->rm);
  uint64_t a = fast_ea(c, i, form);
  if (n == 16)
    sse_fast_align(c, i, a, al);
  return sse_fast_load(c, i, a, n);
}

/* --- floating point: name (the host mnemonic), bytes read from memory,
 * and the per-operation handler used when an exception is unmasked. */
/* The per-operation paths (cpu/sse_fp.c, cpu/sse_cvt.c). */
void sse_fp_op(struct cpu *c, const struct insn *i, sse_host_fn fn, int bytes);
void sse_comis_op(struct cpu *c, const struct insn *i);
void sse_cvtsi2_op(struct cpu *c, const struct insn *i, int dbl);
void sse_cvt2si_op(struct cpu *c, const struct insn *i, int dbl);

// clang-format off
#define SSE_FAST_FP_KINDS(X, OP) \
  X(OP##ps, 16)                  \
  X(OP##pd, 16)                  \
  X(OP##ss, 4)                   \
  X(OP##sd, 8)
#define SSE_FAST_FP_OPS(X)       \
  SSE_FAST_FP_KINDS(X, add)      \
  SSE_FAST_FP_KINDS(X, sub)      \
  SSE_FAST_FP_KINDS(X, mul)      \
  SSE_FAST_FP_KINDS(X, div)      \
  SSE_FAST_FP_KINDS(X, min)      \
  SSE_FAST_FP_KINDS(X, max)      \
  SSE_FAST_FP_KINDS(X, sqrt)
// clang-format on

/* xmm1 = op(xmm1, xmm2/mem): scalar forms keep the upper lanes, as the
 * host instruction does on the copy. */
#define SSE_FAST_FP_BODY(NAME, BYTES)                                          \
  FAST_INLINE void fast_##NAME(struct cpu *c, const struct insn *i,            \
                               int form) {                                     \
    if (!sse_host_ready(c)) {                                                  \
      c->insn_rip = i->rip; /* it may raise #XM */                             \
      sse_fp_op(c, i, sse_host_##NAME, BYTES);                                 \
      return;                                                                  \
    }                                                                          \
    __m128i b = sse_fast_src(c, i, form, BYTES, SSE_ALIGNED);                  \
    __m128i a = xmm_get(c, i->reg);                                            \
    __asm__ volatile(#NAME " %[b], %[a]" : [a] "+x"(a) : [b] "x"(b));          \
    xmm_put(c, i->reg, a);                                                     \
  }
SSE_FAST_FP_OPS(SSE_FAST_FP_BODY)

/* comiss/comisd/ucomiss/ucomisd; arg: bit 0 double, bit 1 ordered. */
#define SSE_COMI_ASM(INSN)                                                     \
  __asm__ volatile(INSN " %[b], %[a]"                                          \
                   : "=@ccz"(zf), "=@ccp"(pf), "=@ccc"(cf)                     \
                   : [a] "x"(a), [b] "x"(b))

FAST_INLINE void fast_comis(struct cpu *c, const struct insn *i, int form,
                            int arg) {
  if (!sse_host_ready(c)) {
    c->insn_rip = i->rip; /* it may raise #XM */
    sse_comis_op(c, i);
    return;
  }
  __m128i b = sse_fast_src(c, i, form, arg & 1 ? 8 : 4, SSE_UNALIGNED);
  __m128i a = xmm_get(c, i->reg);
  int zf, pf, cf;
  switch (arg & 3) {
  case 0: SSE_COMI_ASM("ucomiss"); break;
  case 1: SSE_COMI_ASM("ucomisd"); break;
  case 2: SSE_COMI_ASM("comiss"); break;
  default: SSE_COMI_ASM("comisd"); break;
  }
  /* cpu_flags_merge(c, ..., FLAGS_ARITH): OF, SF, AF cleared. */
  c->rflags = (c->rflags & ~(uint64_t)FLAGS_ARITH) | FLAGS_FIXED |
              (zf ? FLAG_ZF : 0) | (pf ? FLAG_PF : 0) | (cf ? FLAG_CF : 0);
  c->flags.op = FLAGS_EAGER;
}

/* cvtsi2ss / cvtsi2sd xmm, r/m32 (r/m64 with REX.W). */
#define SSE_CVTSI2_ASM(INSN, V)                                                \
  __asm__ volatile(INSN " %[v], %[a]" : [a] "+x"(a) : [v] "rm"(V))

FAST_INLINE void fast_cvtsi2(struct cpu *c, const struct insn *i, int form,
                             int dbl) {
  if (!sse_host_ready(c)) {
    c->insn_rip = i->rip; /* it may raise #XM */
    sse_cvtsi2_op(c, i, dbl);
    return;
  }
  int wide = i->opsize == 8;
  uint64_t v = fast_rm_get(c, i, wide ? 8 : 4, form);
  uint32_t v32 = (uint32_t)v;
  __m128i a = xmm_get(c, i->reg);
  switch (dbl << 1 | wide) {
  case 0: SSE_CVTSI2_ASM("cvtsi2ssl", v32); break;
  case 1: SSE_CVTSI2_ASM("cvtsi2ssq", v); break;
  case 2: SSE_CVTSI2_ASM("cvtsi2sdl", v32); break;
  default: SSE_CVTSI2_ASM("cvtsi2sdq", v); break;
  }
  xmm_put(c, i->reg, a);
}

/* cvt(t)ss2si / cvt(t)sd2si r32/r64, xmm/m32/m64; i->arg = truncate. */
#define SSE_CVT2SI_ASM(INSN, T)                                                \
  {                                                                            \
    T r;                                                                       \
    __asm__ volatile(INSN " %[b], %[r]" : [r] "=r"(r) : [b] "x"(b));           \
    v = (uint64_t)r;                                                           \
  }

FAST_INLINE void fast_cvt2si(struct cpu *c, const struct insn *i, int form,
                             int dbl) {
  if (!sse_host_ready(c)) {
    c->insn_rip = i->rip; /* it may raise #XM */
    sse_cvt2si_op(c, i, dbl);
    return;
  }
  int wide = i->opsize == 8;
  __m128i b = sse_fast_src(c, i, form, dbl ? 8 : 4, SSE_UNALIGNED);
  uint64_t v;
  switch (dbl << 2 | (i->arg & 1) << 1 | wide) {
  case 0: SSE_CVT2SI_ASM("cvtss2si", uint32_t) break;
  case 1: SSE_CVT2SI_ASM("cvtss2si", uint64_t) break;
  case 2: SSE_CVT2SI_ASM("cvttss2si", uint32_t) break;
  case 3: SSE_CVT2SI_ASM("cvttss2si", uint64_t) break;
  case 4: SSE_CVT2SI_ASM("cvtsd2si", uint32_t) break;
  case 5: SSE_CVT2SI_ASM("cvtsd2si", uint64_t) break;
  case 6: SSE_CVT2SI_ASM("cvttsd2si", uint32_t) break;
  default: SSE_CVT2SI_ASM("cvttsd2si", uint64_t) break;
  }
  fast_set(c, i->reg, wide ? 8 : 4, v);
}

/* --- moves (cpu/sse_move.c) --- */
/* movups/movaps/movdqa/movdqu xmm, xmm/m128. */
FAST_INLINE void fast_move_in(struct cpu *c, const struct insn *i, int form,
                              enum sse_align al) {
  xmm_put(c, i->reg, sse_fast_src(c, i, form, 16, al));
}

/* ... xmm/m128, xmm. */
FAST_INLINE void fast_move_out(struct cpu *c, const struct insn *i, int form,
                               enum sse_align al) {
  if (form == FORM_REG) {
    xmm_put(c, i->rm, xmm_get(c, i->reg));
    return;
  }
  uint64_t a = fast_ea(c, i, form);
  sse_fast_align(c, i, a, al);
  sse_fast_store(c, i, a, xmm_get(c, i->reg), 16);
}

/* movss/movsd xmm, xmm/m (n = 4 or 8): a load zeroes the rest of the
 * register, a register move keeps it. */
FAST_INLINE void fast_movs_load(struct cpu *c, const struct insn *i, int form,
                                int n) {
  if (form != FORM_REG) {
    xmm_put(c, i->reg, sse_fast_load(c, i, fast_ea(c, i, form), n));
    return;
  }
  if (n == 4)
    c->xmm[i->reg].u32[0] = c->xmm[i->rm].u32[0];
  else
    c->xmm[i->reg].u64[0] = c->xmm[i->rm].u64[0];
}

FAST_INLINE void fast_movs_store(struct cpu *c, const struct insn *i, int form,
                                 int n) {
  if (form != FORM_REG) {
    sse_fast_store(c, i, fast_ea(c, i, form), xmm_get(c, i->reg), n);
    return;
  }
  if (n == 4)
    c->xmm[i->rm].u32[0] = c->xmm[i->reg].u32[0];
  else
    c->xmm[i->rm].u64[0] = c->xmm[i->reg].u64[0];
}

/* F3 0F 7E movq xmm, xmm/m64: the upper quadword is zeroed. */
FAST_INLINE void fast_movq_load(struct cpu *c, const struct insn *i, int form) {
  xmm_put(c, i->reg,
          _mm_move_epi64(sse_fast_src(c, i, form, 8, SSE_UNALIGNED)));
}

/* 66 0F D6 movq xmm/m64, xmm. */
FAST_INLINE void fast_movq_store(struct cpu *c, const struct insn *i,
                                 int form) {
  __m128i v = xmm_get(c, i->reg);
  if (form == FORM_REG)
    xmm_put(c, i->rm, _mm_move_epi64(v));
  else
    sse_fast_store(c, i, fast_ea(c, i, form), v, 8);
}

/* 66 0F 6E movd/movq xmm, r/m32/64, zero-extended. */
FAST_INLINE void fast_movd_to_xmm(struct cpu *c, const struct insn *i,
                                  int form) {
  uint64_t v = fast_rm_get(c, i, i->opsize == 8 ? 8 : 4, form);
  xmm_put(c, i->reg, _mm_cvtsi64_si128((long long)v));
}

/* 66 0F 7E movd/movq r/m32/64, xmm. */
FAST_INLINE void fast_movd_from_xmm(struct cpu *c, const struct insn *i,
                                    int form) {
  fast_rm_set(c, i, i->opsize == 8 ? 8 : 4, form, c->xmm[i->reg].u64[0]);
}

/* pmovmskb r32, xmm (register forms only). */
FAST_INLINE void fast_pmovmskb(struct cpu *c, const struct insn *i, int form) {
  (void)form;
  c->gpr[i->reg] = (uint32_t)_mm_movemask_epi8(xmm_get(c, i->rm));
}

/* palignr: bytes imm..imm+15 of the 32-byte value d:s, zeros past it. */
FAST_INLINE __m128i sse_palignr(__m128i d, __m128i s, uint64_t imm) {
  if (imm >= 32)
    return _mm_setzero_si128();
  uint8_t both[48];
  _mm_storeu_si128((__m128i *)(void *)both, s);
  _mm_storeu_si128((__m128i *)(void *)(both + 16), d);
  _mm_storeu_si128((__m128i *)(void *)(both + 32), _mm_setzero_si128());
  return _mm_loadu_si128((const __m128i *)(const void *)(both + imm));
}

/* --- packed integer: xmm1 = op(A = xmm1, B = xmm2/m128), aligned --- */
// clang-format off
#define SSE_FAST_INT_OPS(X)                          \
  X(pand, _mm_and_si128(A, B))                      \
  X(pandn, _mm_andnot_si128(A, B))                  \
  X(por, _mm_or_si128(A, B))                        \
  X(pxor, _mm_xor_si128(A, B))                      \
  X(paddb, _mm_add_epi8(A, B))                      \
  X(paddw, _mm_add_epi16(A, B))                     \
  X(paddd, _mm_add_epi32(A, B))                     \
  X(paddq, _mm_add_epi64(A, B))                     \
  X(psubb, _mm_sub_epi8(A, B))                      \
  X(psubw, _mm_sub_epi16(A, B))                     \
  X(psubd, _mm_sub_epi32(A, B))                     \
  X(psubq, _mm_sub_epi64(A, B))                     \
  X(pminub, _mm_min_epu8(A, B))                     \
  X(pmaxub, _mm_max_epu8(A, B))                     \
  X(pcmpeqb, _mm_cmpeq_epi8(A, B))                  \
  X(pcmpeqw, _mm_cmpeq_epi16(A, B))                 \
  X(pcmpeqd, _mm_cmpeq_epi32(A, B))                 \
  X(pcmpgtb, _mm_cmpgt_epi8(A, B))                  \
  X(punpcklbw, _mm_unpacklo_epi8(A, B))             \
  X(punpcklwd, _mm_unpacklo_epi16(A, B))            \
  X(punpckldq, _mm_unpacklo_epi32(A, B))            \
  X(punpcklqdq, _mm_unpacklo_epi64(A, B))           \
  X(punpckhbw, _mm_unpackhi_epi8(A, B))             \
  X(punpckhwd, _mm_unpackhi_epi16(A, B))            \
  X(punpckhdq, _mm_unpackhi_epi32(A, B))            \
  X(punpckhqdq, _mm_unpackhi_epi64(A, B))          \
  X(palignr, sse_palignr(A, B, i->imm))
// clang-format on

#define SSE_FAST_INT_BODY(NAME, EXPR)                                          \
  FAST_INLINE void fast_##NAME(struct cpu *c, const struct insn *i,            \
                               int form) {                                     \
    __m128i B = sse_fast_src(c, i, form, 16, SSE_ALIGNED);                     \
    __m128i A = xmm_get(c, i->reg);                                            \
    xmm_put(c, i->reg, EXPR);                                                  \
  }
SSE_FAST_INT_OPS(SSE_FAST_INT_BODY)

/* For cpu/specialize.c: the copy of the fast body of `generic` (the
 * table's handler of `in`) for operand form `form`, or NULL when it has
 * none. The copies chain (cpu/chain.h). */
cpu_handler sse_fast_pick(const struct insn *in, cpu_handler generic, int form);
/* Whether sse_fast_pick has copies for that generic handler. */
bool sse_fast_handles(cpu_handler generic);

/* The generic (run-time form) handler of a fast body. */
#define SSE_FAST_GENERIC(NAME)                                                 \
  void op_##NAME(struct cpu *c, const struct insn *i) {                        \
    fast_##NAME(c, i, sse_form(i));                                            \
  }

#endif
