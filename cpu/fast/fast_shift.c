/* Specialised forms of shifts, rotates and bit tests on a register: shl/
 * shr/sar at every operand size by 1, an immediate or CL, rol/ror at 32
 * and 64 bits, and bt/bts/btr/btc with an immediate bit offset (register
 * or memory operand) or a register one (register operand). Copies of
 * the generic handlers (cpu/int/shift.c, bits.c) for one operation,
 * size and count source each, chosen by cpu/specialize.c at decode
 * time. The flags they write stay lazy: SF, ZF and PF of a shift as a
 * logic result has them, CF, OF and AF as overrides (cpu/flags.c). */
#include "../decode/specialize.h"
#include "../int/alu.h"
#include "fast.h"

/* Where the count comes from: the table's arg >> 3 (cpu/int/shift.c). */
enum { COUNT_ONE, COUNT_CL, COUNT_IMM };

enum { SH_ROL = 0, SH_ROR = 1, SH_SHL = 4, SH_SHR = 5, SH_SAR = 7 };

/* CF written, the other flags kept (bt and its kin): into the eager
 * bits, or as an override of the lazy record, as cpu_flags_merge does. */
FAST_INLINE void fast_set_cf(struct cpu *c, bool cf) {
  if (c->flags.op == FLAGS_EAGER) {
    c->rflags = (c->rflags & ~(uint64_t)FLAG_CF) | (cf ? FLAG_CF : 0);
    return;
  }
  unsigned o = c->flags.override & ~(unsigned)LAZY_CF;
  c->flags.override = (uint8_t)(o | LAZY_HAS_CF | (cf ? LAZY_CF : 0));
}

/* shift_compute (cpu/int/shift.c) for a count masked to 5 or 6 bits:
 * the same result and flags. A count of 0 (from CL; the decoder keeps
 * an immediate 0 generic) changes no flag, but the register is written
 * all the same (zero-extended at size 4), as op_shift does. */
FAST_INLINE void shift_fast(struct cpu *c, const struct insn *i, int op,
                            int size, int source, int flags) {
  int bits = 8 * size;
  unsigned n = source == COUNT_ONE   ? 1
               : source == COUNT_IMM ? (unsigned)i->imm
                                     : (unsigned)c->gpr[RCX];
  n &= size == 8 ? 63 : 31;
  uint64_t a = fast_get(c, i->rm, size), res, cf, of;
  if (source == COUNT_CL && n == 0) {
    fast_set(c, i->rm, size, a);
    return;
  }
  if (op == SH_ROL || op == SH_ROR) {
    /* Sizes 4 and 8, so n < bits here: only CF and OF change, OF as
     * Zen sets it for every count; the other flags stay as they are,
     * lazy or not. */
    /* Written so that the compiler makes a host rotate of it. */
    if (size == 8)
      res = op == SH_ROL ? a << n | a >> ((64 - n) & 63)
                         : a >> n | a << ((64 - n) & 63);
    else {
      uint32_t x = (uint32_t)a;
      res = op == SH_ROL ? (uint32_t)(x << n | x >> ((32 - n) & 31))
                         : (uint32_t)(x >> n | x << ((32 - n) & 31));
    }
    uint64_t top = res >> (bits - 1);
    cf = op == SH_ROL ? res & 1 : top;
    of = op == SH_ROL ? cf ^ top : (top ^ (res >> (bits - 2))) & 1;
    fast_set(c, i->rm, size, res);
    if (flags)
      fast_set_cf_of(c, cf, of);
    return;
  }
  if (op == SH_SHL) {
    res = fast_trunc(a << n, size);
    cf = n <= (unsigned)bits ? (a >> (bits - n)) & 1 : 0;
    of = cf ^ (res >> (bits - 1));
  } else if (op == SH_SHR) {
    res = a >> n;
    cf = (a >> (n - 1)) & 1;
    of = n == 1 ? a >> (bits - 1) : 0;
  } else { /* SAR */
    int64_t s = (int64_t)sign_extend_from(a, size);
    res = fast_trunc((uint64_t)(s >> n), size);
    cf = (uint64_t)(s >> (n - 1)) & 1;
    of = 0;
  }
  fast_set(c, i->rm, size, res);
  if (!flags)
    return;
  /* SF, ZF and PF as a logic result has them; CF, OF and AF (Zen sets
   * it) as overrides: all lazy. */
  fast_flags(c, FLAGS_LOGIC, size, 0, 0, res);
  c->flags.override =
      (uint8_t)(LAZY_HAS_CF | LAZY_HAS_OF | LAZY_HAS_AF | LAZY_AF |
                (cf ? LAZY_CF : 0) | (of ? LAZY_OF : 0));
}

/* bt/bts/btr/btc (op 0..3) with the offset from the immediate, or from a
 * register when the operand is a register (a register offset into
 * memory addresses a bit string: generic). CF is the bit as it was. */
FAST_INLINE bool bt_fast(struct cpu *c, const struct insn *i, int op, int size,
                         int form, int with_imm) {
  unsigned bits = 8u * (unsigned)size;
  uint64_t offset =
      (with_imm ? i->imm : fast_get(c, i->reg, size)) & (bits - 1);
  uint64_t addr = 0, v;
  if (form == FORM_REG) {
    v = fast_get(c, i->rm, size);
  } else {
    addr = fast_ea(c, i, form);
    if (!fast_try_load(c, addr, size, &v))
      return false;
  }
  uint64_t bit = 1ull << offset, res = v;
  switch (op) {
  case 1: res = v | bit; break;
  case 2: res = v & ~bit; break;
  case 3: res = v ^ bit; break;
  default: break;
  }
  if (op != 0) {
    if (form == FORM_REG)
      fast_set(c, i->rm, size, res);
    else if (!fast_try_store(c, addr, size, res))
      return false;
  }
  fast_set_cf(c, (v & bit) != 0);
  return true;
}

/* --- instantiation --- */

// clang-format off
/* SRC: the count source, + 3 for the copy recording no flags. */
#define SHIFT_FN(OP, SZ, SRC)                                                  \
  static void shift_##OP##_##SZ##_##SRC(struct cpu *c, const struct insn *i) { \
    shift_fast(c, i, OP, SZ, SRC % 3, SRC < 3);                                \
    CHAIN_NEXT(c, i);                                                          \
  }
#define SHIFT_SOURCES(OP, SZ) \
  SHIFT_FN(OP, SZ, 0)         \
  SHIFT_FN(OP, SZ, 1)         \
  SHIFT_FN(OP, SZ, 2)         \
  SHIFT_FN(OP, SZ, 3)         \
  SHIFT_FN(OP, SZ, 4)         \
  SHIFT_FN(OP, SZ, 5)
#define SHIFT_SIZES(OP)  \
  SHIFT_SOURCES(OP, 1)   \
  SHIFT_SOURCES(OP, 2)   \
  SHIFT_SOURCES(OP, 4)   \
  SHIFT_SOURCES(OP, 8)
#define SHIFT_ROW(OP, SZ)                                                      \
  {                                                                            \
    shift_##OP##_##SZ##_0, shift_##OP##_##SZ##_1, shift_##OP##_##SZ##_2,       \
        shift_##OP##_##SZ##_3, shift_##OP##_##SZ##_4, shift_##OP##_##SZ##_5    \
  }
#define SHIFT_ENT(OP)                                                          \
  { SHIFT_ROW(OP, 1), SHIFT_ROW(OP, 2), SHIFT_ROW(OP, 4), SHIFT_ROW(OP, 8) }
#define ROTATE_ENT(OP)                                                         \
  { {0}, {0}, SHIFT_ROW(OP, 4), SHIFT_ROW(OP, 8) }
// clang-format on
SHIFT_SIZES(4)
SHIFT_SIZES(5)
SHIFT_SIZES(7)
SHIFT_SOURCES(0, 4)
SHIFT_SOURCES(0, 8)
SHIFT_SOURCES(1, 4)
SHIFT_SOURCES(1, 8)
/* [shift op (arg & 7)][size index][count source, + 3 without flags] */
static const cpu_handler shift_table[8][FAST_SIZES][6] = {
    [0] = ROTATE_ENT(0), [1] = ROTATE_ENT(1), [4] = SHIFT_ENT(4),
    [5] = SHIFT_ENT(5),  [6] = SHIFT_ENT(4), /* sal is shl */
    [7] = SHIFT_ENT(7)};

// clang-format off
#define BT_FN(OP, SZ, F, IMM)                                                  \
  static void bt_##OP##_##SZ##_##F##_##IMM(struct cpu *c,                      \
                                           const struct insn *i) {             \
    if (bt_fast(c, i, OP, SZ, F, IMM))                                         \
      CHAIN_NEXT(c, i);                                                        \
    else                                                                       \
      chain_generic(c, i);                                                     \
  }
#define BT_FORMS(OP, SZ) \
  BT_FN(OP, SZ, 0, 1)    \
  BT_FN(OP, SZ, 1, 1)    \
  BT_FN(OP, SZ, 2, 1)    \
  BT_FN(OP, SZ, 3, 1)    \
  BT_FN(OP, SZ, 4, 1)    \
  BT_FN(OP, SZ, 5, 1)    \
  BT_FN(OP, SZ, 0, 0)
#define BT_SIZES(OP) \
  BT_FORMS(OP, 2)    \
  BT_FORMS(OP, 4)    \
  BT_FORMS(OP, 8)
#define BT_ROW(OP, SZ)                                                         \
  {                                                                            \
    {bt_##OP##_##SZ##_0_0, 0, 0, 0, 0, 0},                                     \
    {                                                                          \
      bt_##OP##_##SZ##_0_1, bt_##OP##_##SZ##_1_1, bt_##OP##_##SZ##_2_1,        \
          bt_##OP##_##SZ##_3_1, bt_##OP##_##SZ##_4_1, bt_##OP##_##SZ##_5_1     \
    }                                                                          \
  }
#define BT_ENT(OP) { {{0}}, BT_ROW(OP, 2), BT_ROW(OP, 4), BT_ROW(OP, 8) }
// clang-format on
BT_SIZES(0)
BT_SIZES(1)
BT_SIZES(2)
BT_SIZES(3)
/* [bt, bts, btr, btc][size index][offset register, immediate][form] */
static const cpu_handler bt_table[4][FAST_SIZES][2][FORM_COUNT] = {
    BT_ENT(0), BT_ENT(1), BT_ENT(2), BT_ENT(3)};

/* The copy of a shift, recording its flags or not. */
static cpu_handler shift_pick(const struct insn *i, int s, bool flags) {
  int source = i->arg >> 3;
  if (source == COUNT_IMM &&
      ((unsigned)i->imm & (i->opsize == 8 ? 63 : 31)) == 0)
    return NULL; /* count 0 changes no flags: generic */
  return shift_table[i->arg & 7][s][source + (flags ? 0 : 3)];
}

cpu_handler fast_shift_noflags_pick(const struct insn *i, cpu_handler generic,
                                    int form) {
  int s = fast_size_index(i->opsize);
  if (s < 0 || generic != op_shift || form != FORM_REG)
    return NULL;
  return shift_pick(i, s, false);
}

cpu_handler fast_shift_pick(const struct insn *i, cpu_handler generic,
                            int form) {
  int s = fast_size_index(i->opsize);
  if (s < 0)
    return NULL;
  if (generic == op_shift && form == FORM_REG)
    return shift_pick(i, s, true);
  if (generic == op_bt) {
    int with_imm = (i->arg & 4) != 0;
    return bt_table[i->arg & 3][s][with_imm][form];
  }
  return NULL;
}
