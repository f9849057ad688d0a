/* The hot path of the integer handlers, inlined: registers by a size
 * known at compile time, effective addresses by a form chosen at decode
 * time, the TLB hit path of loads and stores, and condition codes read
 * straight from the lazy flags record. The specialised handlers
 * (cpu/fast_alu.c, cpu/fast_move.c) are built from these; cpu/
 * specialize.c picks them when an instruction is decoded. Everything
 * here computes exactly what the generic path (cpu/operand.c,
 * cpu/mem.c, cpu/flags.c) computes; it only skips decisions that the
 * decoder already made. */
#ifndef EMU_FAST_H
#define EMU_FAST_H

#include <string.h>

#include "../../mmu/mmu.h"
#include "../cpu.h"
#include "../exec/chain.h"

#define FAST_INLINE static inline __attribute__((always_inline))
#define FAST_LIKELY(x) __builtin_expect(!!(x), 1)

/* Operand forms a specialised handler is built for. FORM_REG: ModRM.mod
 * is 3. The others are memory operands without a segment override and
 * with 64-bit addressing, by which registers make up the address. */
enum fast_form {
  FORM_REG,
  FORM_BD,   /* [base + disp] */
  FORM_BISD, /* [base + index * scale + disp] */
  FORM_ISD,  /* [index * scale + disp] */
  FORM_RIP,  /* [rip + disp] */
  FORM_EA,   /* any other memory operand: FS/GS, 32-bit, absolute */
  FORM_COUNT
};

/* The operand sizes the copies are made for, as an index into their
 * tables: 1, 2, 4, 8 -> 0..3, anything else -1. */
#define FAST_SIZES 4
static inline int fast_size_index(int size) {
  switch (size) {
  case 1: return 0;
  case 2: return 1;
  case 4: return 2;
  case 8: return 3;
  default: return -1;
  }
}

/* A general register at size 1 (low byte; callers never specialise the
 * AH..BH forms), 2, 4 or 8 (SDM vol. 1, 3.4.1.1). */
FAST_INLINE uint64_t fast_get(const struct cpu *c, unsigned r, int size) {
  uint64_t v = c->gpr[r];
  switch (size) {
  case 1: return (uint8_t)v;
  case 2: return (uint16_t)v;
  case 4: return (uint32_t)v;
  default: return v;
  }
}

/* v cut to `size` bytes: what a result of that size is. A lazy record
 * keeps results cut like this, so that the register write and the
 * record share one value (the flags read only the low `size` bytes). */
FAST_INLINE uint64_t fast_trunc(uint64_t v, int size) {
  switch (size) {
  case 1: return (uint8_t)v;
  case 2: return (uint16_t)v;
  case 4: return (uint32_t)v;
  default: return v;
  }
}

FAST_INLINE void fast_set(struct cpu *c, unsigned r, int size, uint64_t v) {
  switch (size) {
  case 1: c->gpr[r] = (c->gpr[r] & ~0xffull) | (uint8_t)v; break;
  case 2: c->gpr[r] = (c->gpr[r] & ~0xffffull) | (uint16_t)v; break;
  case 4: c->gpr[r] = (uint32_t)v; break; /* zero-extends */
  default: c->gpr[r] = v; break;
  }
}

FAST_INLINE uint64_t fast_ea(struct cpu *c, const struct insn *i, int form) {
  uint64_t d = (uint64_t)(int64_t)i->disp;
  switch (form) {
  case FORM_BD: return c->gpr[i->base] + d;
  case FORM_BISD: return c->gpr[i->base] + (c->gpr[i->index] << i->scale) + d;
  case FORM_ISD: return (c->gpr[i->index] << i->scale) + d;
  case FORM_RIP: return i->rip + i->len + d; /* from the next insn */
  default: c->insn_rip = i->rip; return cpu_ea(c, i);
  }
}

/* The slow paths of fast_load and fast_store (TLB miss, page crossing,
 * a write to a code page): they may fault, so c->insn_rip is set first
 * (cpu/chain.h). Out of line: they are rare and would bloat every copy. */
uint64_t fast_load_slow(struct cpu *c, const struct insn *i, uint64_t addr,
                        int size);
void fast_store_slow(struct cpu *c, const struct insn *i, uint64_t addr,
                     int size, uint64_t v);

/* The TLB entry for `addr` when an access of `size` bytes hits it and
 * stays in the page (the test of mmu.h: tlb_lookup), else NULL. */
FAST_INLINE const struct tlb_entry *
fast_tlb(struct cpu *c, enum mmu_access kind, uint64_t addr, int size) {
  struct mmu *m = c->mmu;
  const struct tlb_entry *e = tlb_slot(m, kind, addr);
  if (FAST_LIKELY(e->page == ((addr + (unsigned)size - 1) & PAGE_MASK))) {
    m->stats.tlb_hits++;
    return e;
  }
  return NULL;
}

/* Loads and stores through the TLB's hit path. The fast_try_ forms
 * return false, having done nothing, when the TLB misses or the access
 * crosses a page: handlers then fall back to the generic handler
 * (cpu/chain.h: chain_generic). A handler
 * makes every access before it changes any state, so that the fallback
 * can redo the whole instruction. No call on the fast path means no
 * stack frame: the handler is a few loads, the work and a jump. */
FAST_INLINE bool fast_try_load(struct cpu *c, uint64_t addr, int size,
                               uint64_t *v) {
  const struct tlb_entry *e = fast_tlb(c, MMU_READ, addr, size);
  if (!e)
    return false;
  const uint8_t *p = (const uint8_t *)(uintptr_t)(addr + e->addend);
  switch (size) {
  case 1: *v = *p; break;
  case 2: {
    uint16_t w;
    memcpy(&w, p, 2);
    *v = w;
    break;
  }
  case 4: {
    uint32_t w;
    memcpy(&w, p, 4);
    *v = w;
    break;
  }
  default: memcpy(v, p, 8); break;
  }
  return true;
}

FAST_INLINE void fast_put(uint8_t *p, int size, uint64_t v) {
  switch (size) {
  case 1: *p = (uint8_t)v; return;
  case 2: {
    uint16_t w = (uint16_t)v;
    memcpy(p, &w, 2);
    return;
  }
  case 4: {
    uint32_t w = (uint32_t)v;
    memcpy(p, &w, 4);
    return;
  }
  default: memcpy(p, &v, 8); return;
  }
}

FAST_INLINE bool fast_try_store(struct cpu *c, uint64_t addr, int size,
                                uint64_t v) {
  const struct tlb_entry *e = fast_tlb(c, MMU_WRITE, addr, size);
  if (!e)
    return false;
  fast_put((uint8_t *)(uintptr_t)(addr + e->addend), size, v);
  return true;
}

FAST_INLINE bool fast_try_rm_get(struct cpu *c, const struct insn *i, int size,
                                 int form, uint64_t *v) {
  if (form == FORM_REG) {
    *v = fast_get(c, i->rm, size);
    return true;
  }
  return fast_try_load(c, fast_ea(c, i, form), size, v);
}

FAST_INLINE bool fast_try_rm_set(struct cpu *c, const struct insn *i, int size,
                                 int form, uint64_t v) {
  if (form == FORM_REG) {
    fast_set(c, i->rm, size, v);
    return true;
  }
  return fast_try_store(c, fast_ea(c, i, form), size, v);
}

/* The same with the slow path called in place (SSE copies use these). */
FAST_INLINE uint64_t fast_load(struct cpu *c, const struct insn *i,
                               uint64_t addr, int size) {
  uint64_t v;
  return fast_try_load(c, addr, size, &v) ? v
                                          : fast_load_slow(c, i, addr, size);
}

FAST_INLINE void fast_store(struct cpu *c, const struct insn *i, uint64_t addr,
                            int size, uint64_t v) {
  if (!fast_try_store(c, addr, size, v))
    fast_store_slow(c, i, addr, size, v);
}

/* The r/m operand of a specialised handler: register or memory. */
FAST_INLINE uint64_t fast_rm_get(struct cpu *c, const struct insn *i, int size,
                                 int form) {
  if (form == FORM_REG)
    return fast_get(c, i->rm, size);
  return fast_load(c, i, fast_ea(c, i, form), size);
}

FAST_INLINE void fast_rm_set(struct cpu *c, const struct insn *i, int size,
                             int form, uint64_t v) {
  if (form == FORM_REG)
    fast_set(c, i->rm, size, v);
  else
    fast_store(c, i, fast_ea(c, i, form), size, v);
}

/* Lazy flags with op and size known at compile time. A LOGIC record
 * needs only the result (cpu/flags.c reads no operand for it). */
FAST_INLINE void fast_flags(struct cpu *c, enum flags_op op, int size,
                            uint64_t a, uint64_t b, uint64_t res) {
  cpu_flags_head(c, op, size);
  if (op != FLAGS_LOGIC) {
    c->flags.src1 = a;
    c->flags.src2 = b;
  }
  c->flags.res = res;
}

/* CF and OF written, the other flags kept (rotates, imul): into the
 * eager bits, or as overrides of the lazy record (cpu/flags.c), which
 * then stays lazy; what cpu_flags_merge does, without its generality. */
FAST_INLINE void fast_set_cf_of(struct cpu *c, bool cf, bool of) {
  if (c->flags.op == FLAGS_EAGER) {
    c->rflags = (c->rflags & ~(uint64_t)(FLAG_CF | FLAG_OF)) |
                (cf ? FLAG_CF : 0) | (of ? FLAG_OF : 0);
    return;
  }
  unsigned o = c->flags.override & (LAZY_AF | LAZY_HAS_AF);
  c->flags.override = (uint8_t)(o | LAZY_HAS_CF | LAZY_HAS_OF |
                                (cf ? LAZY_CF : 0) | (of ? LAZY_OF : 0));
}

/* CF as cpu_get_flags would report it, or -1 after adc/sbb (whose CF
 * cpu_get_flags works out): for handlers that then fall back to their
 * generic copy rather than make a call. */
FAST_INLINE int fast_cf_known(const struct cpu *c) {
  const struct lazy_flags *l = &c->flags;
  if (l->op != FLAGS_EAGER && (l->override & LAZY_HAS_CF))
    return l->override & LAZY_CF;
  unsigned sh = 64 - 8u * l->size;
  switch (l->op) {
  case FLAGS_SUB: return (l->src1 << sh) < (l->src2 << sh);
  case FLAGS_ADD: return (l->res << sh) < (l->src1 << sh);
  case FLAGS_LOGIC: return 0;
  case FLAGS_EAGER:
  case FLAGS_INC:
  case FLAGS_DEC: return (c->rflags & FLAG_CF) != 0;
  default: return -1;
  }
}

/* CF as cpu_get_flags would report it, without computing the others. */
FAST_INLINE uint64_t fast_cf(struct cpu *c) {
  int cf = fast_cf_known(c);
  return cf >= 0 ? (uint64_t)cf : cpu_get_flags(c) & FLAG_CF;
}

/* Condition code `cc` from eager flags (SDM vol. 1, appendix B). */
FAST_INLINE int fast_cond_eager(uint64_t f, unsigned cc) {
  bool sf = f & FLAG_SF, of = f & FLAG_OF;
  int r;
  switch (cc >> 1) {
  case 0: r = of; break;
  case 1: r = (f & FLAG_CF) != 0; break;
  case 2: r = (f & FLAG_ZF) != 0; break;
  case 3: r = (f & (FLAG_CF | FLAG_ZF)) != 0; break;
  case 4: r = sf; break;
  case 5: r = (f & FLAG_PF) != 0; break;
  case 6: r = sf != of; break;
  default: r = (f & FLAG_ZF) || sf != of; break;
  }
  return r ^ (int)(cc & 1);
}

/* Condition code `cc` (a compile-time constant in most callers) from the
 * lazy record: SDM vol. 1, appendix B. Values are shifted to the top of
 * the register so that one compare serves every operand size. ZF, SF
 * and PF come from the result for every lazy kind; CF and OF from an
 * override when the record has one, else from the operands of an add,
 * a compare or inc/dec, and are 0 after a logic operation. Returns -1
 * for the rest (CF or OF of adc/sbb): the caller then tail-calls its
 * generic handler, which asks cpu_cond. */
FAST_INLINE int fast_cond(const struct cpu *c, unsigned cc) {
  const struct lazy_flags *l = &c->flags;
  unsigned kind = cc >> 1;
  int r;
  if (l->op == FLAGS_EAGER)
    return fast_cond_eager(c->rflags, cc);
  unsigned sh = 64 - 8u * l->size;
  uint64_t res = l->res << sh;
  if (kind == 2) {
    r = res == 0;
  } else if (kind == 4) {
    r = (int64_t)res < 0;
  } else if (kind == 5) {
    r = !__builtin_parity((unsigned)(uint8_t)l->res);
  } else if (!l->override && l->op == FLAGS_SUB) {
    uint64_t a = l->src1 << sh, b = l->src2 << sh;
    switch (kind) {
    case 0: r = (int64_t)((a ^ b) & (a ^ res)) < 0; break;
    case 1: r = a < b; break;
    case 3: r = a <= b; break;
    case 6: r = (int64_t)a < (int64_t)b; break;
    default: r = (int64_t)a <= (int64_t)b; break; /* 7 */
    }
  } else if (!l->override && l->op == FLAGS_LOGIC) {
    switch (kind) { /* CF = OF = 0 */
    case 0:
    case 1: r = 0; break;
    case 3: r = res == 0; break;
    case 6: r = (int64_t)res < 0; break;
    default: r = (int64_t)res <= 0; break; /* 7: ZF or SF */
    }
  } else {
    /* CF and OF one by one: -1 when unknown here. */
    uint64_t a = l->src1 << sh, b = l->src2 << sh;
    int cf = -1, of = -1;
    if (l->override & LAZY_HAS_CF)
      cf = (l->override & LAZY_CF) != 0;
    else if (l->op == FLAGS_SUB)
      cf = a < b;
    else if (l->op == FLAGS_ADD)
      cf = res < a;
    else if (l->op == FLAGS_LOGIC)
      cf = 0;
    else if (l->op == FLAGS_INC || l->op == FLAGS_DEC)
      cf = (c->rflags & FLAG_CF) != 0;
    if (l->override & LAZY_HAS_OF)
      of = (l->override & LAZY_OF) != 0;
    else if (l->op == FLAGS_SUB)
      of = (int64_t)((a ^ b) & (a ^ res)) < 0;
    else if (l->op == FLAGS_ADD)
      of = (int64_t)((a ^ res) & (b ^ res)) < 0;
    else if (l->op == FLAGS_LOGIC)
      of = 0;
    else if (l->op == FLAGS_INC) /* the result is the sign bit alone */
      of = res == 1ull << 63;
    else if (l->op == FLAGS_DEC) /* the operand was the sign bit alone */
      of = res + (1ull << sh) == 1ull << 63;
    bool sf = (int64_t)res < 0;
    switch (kind) {
    case 0: r = of; break;
    case 1: r = cf; break;
    case 3: r = cf < 0 ? -1 : cf || res == 0; break;
    case 6: r = of < 0 ? -1 : sf != of; break;
    default: r = of < 0 ? -1 : res == 0 || sf != of; break; /* 7 */
    }
    if (r < 0)
      return -1;
  }
  return r ^ (int)(cc & 1);
}

/* Instantiation helpers for handlers made per condition code. */
// clang-format off
#define CC16(M, ...) \
  M(__VA_ARGS__, 0)  \
  M(__VA_ARGS__, 1)  \
  M(__VA_ARGS__, 2)  \
  M(__VA_ARGS__, 3)  \
  M(__VA_ARGS__, 4)  \
  M(__VA_ARGS__, 5)  \
  M(__VA_ARGS__, 6)  \
  M(__VA_ARGS__, 7)  \
  M(__VA_ARGS__, 8)  \
  M(__VA_ARGS__, 9)  \
  M(__VA_ARGS__, 10) \
  M(__VA_ARGS__, 11) \
  M(__VA_ARGS__, 12) \
  M(__VA_ARGS__, 13) \
  M(__VA_ARGS__, 14) \
  M(__VA_ARGS__, 15)
// clang-format on
// clang-format off
#define CC_ROW(P)                                                              \
  {                                                                            \
    P##0, P##1, P##2, P##3, P##4, P##5, P##6, P##7, P##8, P##9, P##10, P##11,  \
        P##12, P##13, P##14, P##15                                             \
  }
// clang-format on

#endif
