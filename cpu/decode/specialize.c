/* Which specialised handler an instruction gets (see specialize.h). The
 * decoder has already settled everything the generic handlers would ask
 * again at run time: operand size, register or memory, how the address
 * is made, the ALU operation and condition code. Forms that the copies
 * do not cover keep the generic handler: AH..BH registers, 16-bit
 * shifts and imul. Memory operands with a segment base, 32-bit addressing or
 * an absolute address take cpu_ea (FORM_EA). */
#include "specialize.h"
#include "../exec/chain.h"
#include "../fast/fast.h"
#include "../sse/sse_fast.h"

/* The operand form of a ModRM instruction. */
static int operand_form(const struct insn *in) {
  if (in->mod == 3)
    return FORM_REG;
  if (in->seg != SEG_NONE || in->addrsize != 8)
    return FORM_EA;
  if (in->base == BASE_RIP)
    return FORM_RIP;
  if (in->base != REG_NONE)
    return in->index == REG_NONE ? FORM_BD : FORM_BISD;
  return in->index == REG_NONE ? FORM_EA : FORM_ISD;
}

/* Without REX, byte registers 4..7 are AH, CH, DH, BH (SDM vol. 1,
 * 3.4.1.1): the copies only know the low bytes. */
static bool byte_regs_plain(const struct insn *in, const struct op_desc *d,
                            int form) {
  if (in->rex)
    return true;
  /* ModRM.reg names a byte register only at operand size 1: movzx and
   * movsx read a byte from r/m into a wider register. */
  bool reg_byte =
      in->opsize == 1 &&
      ((d->decode & D_OPREG) || ((d->decode & D_MODRM) && d->group == NG));
  if (reg_byte && in->reg >= 4)
    return false;
  return form != FORM_REG || !(d->decode & D_MODRM) || in->rm < 4;
}

/* The operand form for a specialised handler, or -1. */
static int specialized_form(const struct insn *in) {
  const struct op_desc *d = &cpu_ops[in->op];
  cpu_handler generic = d->handler;
  int form = FORM_REG;
  if (d->decode & D_MODRM) {
    form = operand_form(in);
    if (form < 0)
      return -1;
  }
  bool bytes = in->opsize == 1 ||
               ((generic == op_movzx || generic == op_movsx) && in->arg == 1) ||
               generic == op_setcc;
  if (bytes && !byte_regs_plain(in, d, form))
    return -1;
  return form;
}

/* A relative branch whose target is not canonical (code at the top of
 * the lower half): only the generic handler checks for the #GP. */
static bool rel_target_bad(const struct insn *in) {
  cpu_handler g = cpu_ops[in->op].handler;
  if (g != op_jcc && g != op_jmp_rel && g != op_call_rel)
    return false;
  return !cpu_canonical(in->rip + in->len + in->imm);
}

void cpu_specialize_at(struct insn *in) {
  if (in->handler != chain_generic && rel_target_bad(in))
    in->handler = chain_generic;
}

cpu_handler cpu_specialize_fused(const struct insn *in, bool side) {
  /* A locked flag setter and its Jcc run apart: the locked copy and the
   * Jcc's own (the same accesses and counts). */
  if (in->lock)
    return NULL;
  if (in[1].opsize != 8) /* a 66 Jcc is 16-bit: op_jcc (cpu/branch.c) */
    return NULL;
  if (rel_target_bad(&in[1]))
    return NULL;
  int form = specialized_form(in);
  return form < 0
             ? NULL
             : fast_alu_fused_pick(in, cpu_ops[in->op].handler, form, side);
}

/* Which chooser knows an op's generic handler: asked once per op, so
 * that decoding an instruction asks one chooser (or none). */
enum { PICK_NONE, PICK_ALU, PICK_SHIFT, PICK_MOVE, PICK_SSE };
static uint8_t pick_family[OP_COUNT];

static uint8_t family_of(cpu_handler g) {
  if (g == op_alu_rm_r || g == op_alu_r_rm || g == op_alu_rm_imm ||
      g == op_alu_a_imm || g == op_test_rm_r || g == op_test_rm_imm ||
      g == op_test_a_imm || g == op_inc_dec || g == op_neg || g == op_not ||
      g == op_imul2 || g == op_imul3)
    return PICK_ALU;
  if (g == op_shift || g == op_bt)
    return PICK_SHIFT;
  if (g == op_mov_rm_r || g == op_mov_r_rm || g == op_mov_rm_imm ||
      g == op_mov_r_imm || g == op_lea || g == op_movzx || g == op_movsx ||
      g == op_nop || g == op_jcc || g == op_setcc || g == op_cmovcc ||
      g == op_call_rm || g == op_jmp_rm || g == op_push_r || g == op_pop_r ||
      g == op_call_rel || g == op_jmp_rel || g == op_ret)
    return PICK_MOVE;
  return sse_fast_handles(g) ? PICK_SSE : PICK_NONE;
}

void cpu_specialize(struct insn *in) {
  cpu_handler generic = cpu_ops[in->op].handler;
  cpu_handler h = NULL;
  in->exec = generic;
  if (pick_family[in->op] == 0) /* first use: PICK_NONE is stored + 1 */
    pick_family[in->op] = (uint8_t)(family_of(generic) + 1);
  unsigned family = pick_family[in->op] - 1u;
  int form = family == PICK_NONE ? -1 : specialized_form(in);
  /* 66-prefixed near branches are 16-bit on this CPU: the generic ones. */
  if ((cpu_ops[in->op].decode & D_F64) && in->opsize != 8)
    form = -1;
  if (form >= 0 && in->lock) {
    /* Where the plain form has a copy, the locked one has its own: a
     * plain copy's read and write are not atomic (cpu/exec/atomic.h). */
    h = family == PICK_ALU && fast_alu_pick(in, generic, form)
            ? fast_lock_pick(in, generic, form)
            : NULL;
  } else if (form >= 0) {
    switch (family) {
    case PICK_ALU: h = fast_alu_pick(in, generic, form); break;
    case PICK_SHIFT: h = fast_shift_pick(in, generic, form); break;
    case PICK_MOVE: h = fast_move_pick(in, generic, form); break;
    default: h = sse_fast_pick(in, generic, form); break;
    }
  }
  in->handler = h ? h : chain_generic;
}

cpu_handler cpu_specialize_noflags(const struct insn *in) {
  if (in->lock)
    return NULL;
  int form = specialized_form(in);
  if (form < 0)
    return NULL;
  cpu_handler generic = cpu_ops[in->op].handler;
  cpu_handler h = fast_alu_noflags_pick(in, generic, form);
  return h ? h : fast_shift_noflags_pick(in, generic, form);
}
