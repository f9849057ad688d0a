/* Specialised forms of the hot data movement and control transfer: mov,
 * movzx/movsx, lea, push/pop of a register, call rel32, ret, jcc, setcc
 * and cmovcc by condition code. Like cpu/fast_alu.c: copies of the
 * generic handlers (cpu/move.c, stack.c, branch.c) for one size, form
 * or condition each, chosen by cpu/specialize.c at decode time. */
#include "../decode/specialize.h"
#include "../int/alu.h"
#include "fast.h"

/* Each returns false, having done nothing, when a memory operand needs
 * the slow path; the handler then runs the generic one (cpu/chain.h). */
#define THEN_NEXT(done)                                                        \
  if (done)                                                                    \
    CHAIN_NEXT(c, i);                                                          \
  else                                                                         \
    chain_generic(c, i)

FAST_INLINE bool mov_fast(struct cpu *c, const struct insn *i, int kind,
                          int size, int form) {
  uint64_t v;
  switch (kind) {
  case 0: /* mov r/m, reg */
    return fast_try_rm_set(c, i, size, form, fast_get(c, i->reg, size));
  case 1: /* mov reg, r/m */
    if (!fast_try_rm_get(c, i, size, form, &v))
      return false;
    break;
  case 2: /* mov r/m, imm */ return fast_try_rm_set(c, i, size, form, i->imm);
  case 3: /* lea: the offset only, no segment base */
    v = fast_ea(c, i, form);
    break;
  case 4: /* movzx from a byte */
    if (!fast_try_rm_get(c, i, 1, form, &v))
      return false;
    break;
  case 5: /* movzx from a word */
    if (!fast_try_rm_get(c, i, 2, form, &v))
      return false;
    break;
  case 6: /* movsx from a byte */
    if (!fast_try_rm_get(c, i, 1, form, &v))
      return false;
    v = (uint64_t)(int8_t)v;
    break;
  case 7: /* movsx from a word */
    if (!fast_try_rm_get(c, i, 2, form, &v))
      return false;
    v = (uint64_t)(int16_t)v;
    break;
  default: /* movsxd */
    if (!fast_try_rm_get(c, i, 4, form, &v))
      return false;
    v = (uint64_t)(int32_t)v;
    break;
  }
  fast_set(c, i->reg, size, v);
  return true;
}

// clang-format off
#define MOV_FN(K, SZ, F)                                                       \
  static void mov_##K##_##SZ##_##F(struct cpu *c, const struct insn *i) {      \
    THEN_NEXT(mov_fast(c, i, K, SZ, F));                                       \
  }
// clang-format on
// clang-format off
#define MOV_FORMS(K, SZ) \
  MOV_FN(K, SZ, 0)       \
  MOV_FN(K, SZ, 1)       \
  MOV_FN(K, SZ, 2)       \
  MOV_FN(K, SZ, 3)       \
  MOV_FN(K, SZ, 4)       \
  MOV_FN(K, SZ, 5)
// clang-format on
#define MOV_SIZES(K)                                                           \
  MOV_FORMS(K, 1) MOV_FORMS(K, 2) MOV_FORMS(K, 4) MOV_FORMS(K, 8)
// clang-format off
#define MOV_ROW(K, SZ)                                                         \
  {                                                                            \
    mov_##K##_##SZ##_0, mov_##K##_##SZ##_1, mov_##K##_##SZ##_2,                \
        mov_##K##_##SZ##_3, mov_##K##_##SZ##_4, mov_##K##_##SZ##_5             \
  }
// clang-format on
// clang-format off
#define MOV_ENT(K)                                                             \
  { MOV_ROW(K, 1), MOV_ROW(K, 2), MOV_ROW(K, 4), MOV_ROW(K, 8) }
// clang-format on
MOV_SIZES(0)
MOV_SIZES(1)
MOV_SIZES(2)
MOV_SIZES(3)
MOV_SIZES(4)
MOV_SIZES(5)
MOV_SIZES(6)
MOV_SIZES(7)
MOV_SIZES(8)
/* [kind][size 1, 4, 8][form] */
static const cpu_handler mov_table[9][FAST_SIZES][FORM_COUNT] = {
    MOV_ENT(0), MOV_ENT(1), MOV_ENT(2), MOV_ENT(3), MOV_ENT(4),
    MOV_ENT(5), MOV_ENT(6), MOV_ENT(7), MOV_ENT(8)};

/* B0..BF: mov reg, imm (the register is in the opcode: i->reg) */
static void mov_r_imm_1(struct cpu *c, const struct insn *i) {
  fast_set(c, i->reg, 1, i->imm);
  CHAIN_NEXT(c, i);
}
static void mov_r_imm_2(struct cpu *c, const struct insn *i) {
  fast_set(c, i->reg, 2, i->imm);
  CHAIN_NEXT(c, i);
}
static void mov_r_imm_4(struct cpu *c, const struct insn *i) {
  fast_set(c, i->reg, 4, i->imm);
  CHAIN_NEXT(c, i);
}
static void mov_r_imm_8(struct cpu *c, const struct insn *i) {
  fast_set(c, i->reg, 8, i->imm);
  CHAIN_NEXT(c, i);
}
static const cpu_handler mov_r_imm_table[FAST_SIZES] = {
    mov_r_imm_1, mov_r_imm_2, mov_r_imm_4, mov_r_imm_8};

/* --- stack and control transfer (64-bit operand size) --- */

static void push_r64(struct cpu *c, const struct insn *i) {
  uint64_t v = c->gpr[i->reg]; /* read before rsp moves (push rsp) */
  uint64_t rsp = c->gpr[RSP] - 8;
  if (!fast_try_store(c, rsp, 8, v)) {
    chain_generic(c, i);
    return;
  }
  c->gpr[RSP] = rsp;
  CHAIN_NEXT(c, i);
}

static void pop_r64(struct cpu *c, const struct insn *i) {
  uint64_t v;
  if (!fast_try_load(c, c->gpr[RSP], 8, &v)) {
    chain_generic(c, i);
    return;
  }
  c->gpr[RSP] += 8;
  c->gpr[i->reg] = v; /* pop rsp: the popped value wins */
  CHAIN_NEXT(c, i);
}

/* The branches set RIP from their own address: inside a block c->rip is
 * not kept up to date (cpu/exec/chain.h). */
FAST_INLINE uint64_t next_rip(const struct insn *i) { return i->rip + i->len; }

static void call_rel(struct cpu *c, const struct insn *i) {
  uint64_t rsp = c->gpr[RSP] - 8;
  if (!fast_try_store(c, rsp, 8, next_rip(i))) {
    chain_generic(c, i);
    return;
  }
  c->gpr[RSP] = rsp;
  c->rip = next_rip(i) + i->imm;
  CHAIN_NEXT(c, i);
}

/* jmp rel: a non-canonical target keeps the generic handler
 * (cpu_specialize_at). */
static void jmp_rel(struct cpu *c, const struct insn *i) {
  c->rip = next_rip(i) + i->imm;
  CHAIN_NEXT(c, i);
}

/* Hint nops and prefetches: nothing to do, and nothing that can fault. */
static void nop_fast(struct cpu *c, const struct insn *i) { CHAIN_NEXT(c, i); }

/* A non-canonical branch target is #GP at the branch, with nothing
 * pushed or popped (cpu/branch.c): the generic handler raises it. */

static void ret_near(struct cpu *c, const struct insn *i) {
  uint64_t target;
  if (!fast_try_load(c, c->gpr[RSP], 8, &target) || !cpu_canonical(target)) {
    chain_generic(c, i);
    return;
  }
  c->gpr[RSP] += 8;
  c->rip = target;
  CHAIN_NEXT(c, i);
}

/* call and jmp through a register or memory: the target is read
 * before the push (cpu/branch.c). */
FAST_INLINE bool call_rm_fast(struct cpu *c, const struct insn *i, int form) {
  uint64_t target;
  if (!fast_try_rm_get(c, i, 8, form, &target) || !cpu_canonical(target))
    return false;
  uint64_t rsp = c->gpr[RSP] - 8;
  if (!fast_try_store(c, rsp, 8, next_rip(i)))
    return false;
  c->gpr[RSP] = rsp;
  c->rip = target;
  return true;
}
// clang-format off
#define CALL_RM_FN(X, F)                                                       \
  static void call_rm_##F(struct cpu *c, const struct insn *i) {               \
    THEN_NEXT(call_rm_fast(c, i, F));                                          \
  }                                                                            \
  static void jmp_rm_##F(struct cpu *c, const struct insn *i) {                \
    uint64_t t;                                                                \
    THEN_NEXT(fast_try_rm_get(c, i, 8, F, &t) && cpu_canonical(t) &&               \
              (c->rip = t, true));                                             \
  }
// clang-format on
CALL_RM_FN(_, 0)
CALL_RM_FN(_, 1)
CALL_RM_FN(_, 2)
CALL_RM_FN(_, 3)
CALL_RM_FN(_, 4)
CALL_RM_FN(_, 5)
static const cpu_handler call_rm_table[FORM_COUNT] = {
    call_rm_0, call_rm_1, call_rm_2, call_rm_3, call_rm_4, call_rm_5};
static const cpu_handler jmp_rm_table[FORM_COUNT] = {
    jmp_rm_0, jmp_rm_1, jmp_rm_2, jmp_rm_3, jmp_rm_4, jmp_rm_5};

/* --- by condition code --- */

// clang-format off
#define JCC_FN(X, CC)                                                          \
  static void jcc_##CC(struct cpu *c, const struct insn *i) {                  \
    int r = fast_cond(c, CC);                                                  \
    c->rip = next_rip(i);                                                      \
    if (r < 0)                                                                 \
      op_jcc(c, i);                                                            \
    else if (r)                                                                \
      c->rip += i->imm;                                                        \
    CHAIN_NEXT(c, i);                                                          \
  }
// clang-format on
CC16(JCC_FN, _)
static const cpu_handler jcc_table[16] = CC_ROW(jcc_);

/* setcc r/m8 */
// clang-format off
#define SETCC_FN(F, CC)                                                        \
  static void setcc_##F##_##CC(struct cpu *c, const struct insn *i) {          \
    int r = fast_cond(c, CC);                                                  \
    THEN_NEXT(r >= 0 && fast_try_rm_set(c, i, 1, F, (uint64_t)r));             \
  }
// clang-format on
CC16(SETCC_FN, 0)
CC16(SETCC_FN, 1)
CC16(SETCC_FN, 2)
CC16(SETCC_FN, 3)
CC16(SETCC_FN, 4)
CC16(SETCC_FN, 5)
static const cpu_handler setcc_table[FORM_COUNT][16] = {
    CC_ROW(setcc_0_), CC_ROW(setcc_1_), CC_ROW(setcc_2_),
    CC_ROW(setcc_3_), CC_ROW(setcc_4_), CC_ROW(setcc_5_)};

/* cmovcc: the source is read (and may fault) whatever the condition, and
 * a 32-bit destination is zero-extended either way (SDM vol. 2, CMOVcc). */
FAST_INLINE bool cmov_fast(struct cpu *c, const struct insn *i, int size,
                           int form, unsigned cc) {
  int r = fast_cond(c, cc);
  uint64_t v;
  if (r < 0 || !fast_try_rm_get(c, i, size, form, &v))
    return false;
  if (!r)
    v = c->gpr[i->reg];
  fast_set(c, i->reg, size, v);
  return true;
}
// clang-format off
#define CMOV_FN(SZ, F, CC)                                                     \
  static void cmov_##SZ##_##F##_##CC(struct cpu *c, const struct insn *i) {    \
    THEN_NEXT(cmov_fast(c, i, SZ, F, CC));                                     \
  }
// clang-format on
CC16(CMOV_FN, 4, 0)
CC16(CMOV_FN, 4, 1)
CC16(CMOV_FN, 4, 2)
CC16(CMOV_FN, 4, 3)
CC16(CMOV_FN, 4, 4)
CC16(CMOV_FN, 4, 5)
CC16(CMOV_FN, 8, 0)
CC16(CMOV_FN, 8, 1)
CC16(CMOV_FN, 8, 2)
CC16(CMOV_FN, 8, 3)
CC16(CMOV_FN, 8, 4)
CC16(CMOV_FN, 8, 5)
static const cpu_handler cmov_table[2][FORM_COUNT][16] = {
    {CC_ROW(cmov_4_0_), CC_ROW(cmov_4_1_), CC_ROW(cmov_4_2_), CC_ROW(cmov_4_3_),
     CC_ROW(cmov_4_4_), CC_ROW(cmov_4_5_)},
    {CC_ROW(cmov_8_0_), CC_ROW(cmov_8_1_), CC_ROW(cmov_8_2_), CC_ROW(cmov_8_3_),
     CC_ROW(cmov_8_4_), CC_ROW(cmov_8_5_)}};

cpu_handler fast_move_pick(const struct insn *i, cpu_handler generic,
                           int form) {
  int s = fast_size_index(i->opsize);
  int kind = -1;
  if (generic == op_mov_rm_r)
    kind = 0;
  else if (generic == op_mov_r_rm)
    kind = 1;
  else if (generic == op_mov_rm_imm)
    kind = 2;
  else if (generic == op_lea && form != FORM_REG)
    kind = form == FORM_EA ? -2 : 3; /* lea adds no segment base */
  if (kind == -2)
    return NULL;
  else if (generic == op_movzx)
    kind = i->arg == 1 ? 4 : 5;
  else if (generic == op_movsx)
    kind = i->arg == 1 ? 6 : i->arg == 2 ? 7 : 8;
  if (kind >= 0) {
    /* lea, movzx and movsx write 2-byte or wider registers only */
    if (s < 0 || (kind >= 3 && s == 0))
      return NULL;
    return mov_table[kind][s][form];
  }
  if (generic == op_nop)
    return nop_fast;
  if (generic == op_mov_r_imm && s >= 0)
    return mov_r_imm_table[s];
  if (generic == op_jcc)
    return jcc_table[i->arg & 15];
  if (generic == op_setcc)
    return setcc_table[form][i->arg & 15];
  if (generic == op_cmovcc && s >= 2)
    return cmov_table[s - 2][form][i->arg & 15];
  if (i->opsize != 8)
    return NULL;
  if (generic == op_call_rm)
    return call_rm_table[form];
  if (generic == op_jmp_rm)
    return jmp_rm_table[form];
  if (form != FORM_REG)
    return NULL;
  if (generic == op_push_r)
    return push_r64;
  if (generic == op_pop_r)
    return pop_r64;
  if (generic == op_call_rel)
    return call_rel;
  if (generic == op_jmp_rel)
    return jmp_rel;
  if (generic == op_ret && i->imm == 0)
    return ret_near;
  return NULL;
}
