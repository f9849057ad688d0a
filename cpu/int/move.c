/* Data movement without arithmetic: mov in all its forms, movzx/movsx/
 * movsxd, lea, xchg, setcc, cmovcc, the accumulator sign extensions and
 * the flag-register moves (SDM vol. 2). */
#include "../exec/atomic.h"
#include "../handlers.h"
#include "alu.h"

/* 88, 89: mov r/m, reg */
void op_mov_rm_r(struct cpu *c, const struct insn *i) {
  cpu_rm_set(c, i, i->opsize, cpu_reg_get(c, i, i->reg, i->opsize));
}

/* 8A, 8B: mov reg, r/m */
void op_mov_r_rm(struct cpu *c, const struct insn *i) {
  cpu_reg_set(c, i, i->reg, i->opsize, cpu_rm_get(c, i, i->opsize));
}

/* B0..BF: mov reg, imm (imm64 with REX.W) */
void op_mov_r_imm(struct cpu *c, const struct insn *i) {
  cpu_reg_set(c, i, i->reg, i->opsize, i->imm);
}

/* C6 /0, C7 /0: mov r/m, imm */
void op_mov_rm_imm(struct cpu *c, const struct insn *i) {
  cpu_rm_set(c, i, i->opsize, i->imm);
}

static uint64_t moffs_address(struct cpu *c, const struct insn *i) {
  uint64_t a = i->imm;
  if (i->seg == SEG_FS)
    a += c->fs_base;
  else if (i->seg == SEG_GS)
    a += c->gs_base;
  return a;
}

/* A0, A1: mov al/ax/eax/rax, moffs */
void op_mov_a_moffs(struct cpu *c, const struct insn *i) {
  uint64_t v = cpu_load(c, moffs_address(c, i), i->opsize);
  cpu_reg_set(c, i, RAX, i->opsize, v);
}

/* A2, A3: mov moffs, al/ax/eax/rax */
void op_mov_moffs_a(struct cpu *c, const struct insn *i) {
  cpu_store(c, moffs_address(c, i), i->opsize,
            cpu_reg_get(c, i, RAX, i->opsize));
}

/* 0F B6/B7: movzx reg, r/m8/16 (arg = source size) */
void op_movzx(struct cpu *c, const struct insn *i) {
  cpu_reg_set(c, i, i->reg, i->opsize, cpu_rm_get(c, i, i->arg));
}

/* 0F BE/BF: movsx; 63: movsxd (arg = source size) */
void op_movsx(struct cpu *c, const struct insn *i) {
  uint64_t v = cpu_rm_get(c, i, i->arg);
  cpu_reg_set(c, i, i->reg, i->opsize, sign_extend_from(v, i->arg));
}

/* 8D: lea computes the offset only: no segment base (SDM vol. 2, LEA). */
void op_lea(struct cpu *c, const struct insn *i) {
  struct insn t = *i;
  t.seg = SEG_NONE;
  cpu_reg_set(c, i, i->reg, i->opsize, cpu_ea(c, &t));
}

/* 86, 87: xchg r/m, reg; with memory always locked, prefix or not (SDM
 * vol. 2, XCHG): a host atomic exchange (cpu/exec/atomic.h). */
void op_xchg_rm_r(struct cpu *c, const struct insn *i) {
  int size = i->opsize;
  uint64_t b = cpu_reg_get(c, i, i->reg, size), a;
  if (i->mod != 3) {
    a = cpu_atomic_rmw(c, cpu_ea(c, i), size, ATOMIC_XCHG, b);
  } else {
    a = cpu_reg_get(c, i, i->rm, size);
    cpu_reg_set(c, i, i->rm, size, b);
  }
  cpu_reg_set(c, i, i->reg, size, a);
}

static void xchg_with_rax(struct cpu *c, const struct insn *i, unsigned reg) {
  int size = i->opsize;
  uint64_t a = cpu_reg_get(c, i, RAX, size);
  uint64_t b = cpu_reg_get(c, i, reg, size);
  cpu_reg_set(c, i, RAX, size, b);
  cpu_reg_set(c, i, reg, size, a);
}

/* 91..97: xchg reg, rax */
void op_xchg_r_a(struct cpu *c, const struct insn *i) {
  xchg_with_rax(c, i, i->reg);
}

/* 90 is nop (even as xchg eax, eax: no zero extension), but with REX.B
 * it is xchg r8, rax (SDM vol. 2, XCHG and NOP). */
void op_nop_or_xchg(struct cpu *c, const struct insn *i) {
  if (i->rex & 1)
    xchg_with_rax(c, i, R8);
}

/* 0F 90..9F: setcc r/m8 (arg = cc) */
void op_setcc(struct cpu *c, const struct insn *i) {
  cpu_rm_set(c, i, 1, cpu_cond(c, i->arg));
}

/* 0F 40..4F: cmovcc reg, r/m. The source is read (and may fault) and a
 * 32-bit destination is zero-extended whatever the condition. */
void op_cmovcc(struct cpu *c, const struct insn *i) {
  uint64_t v = cpu_rm_get(c, i, i->opsize);
  if (!cpu_cond(c, i->arg))
    v = cpu_reg_get(c, i, i->reg, i->opsize);
  cpu_reg_set(c, i, i->reg, i->opsize, v);
}

/* 98: cbw/cwde/cdqe sign-extend the lower half of rax into rax. */
void op_cbw(struct cpu *c, const struct insn *i) {
  int size = i->opsize;
  uint64_t v = sign_extend_from(cpu_reg_get(c, i, RAX, size / 2), size / 2);
  cpu_reg_set(c, i, RAX, size, v);
}

/* 99: cwd/cdq/cqo fill rdx with the sign of rax. */
void op_cwd(struct cpu *c, const struct insn *i) {
  int size = i->opsize;
  uint64_t a = cpu_reg_get(c, i, RAX, size);
  uint64_t v = (a >> (8 * size - 1)) & 1 ? ~0ull : 0;
  cpu_reg_set(c, i, RDX, size, v);
}

/* 9F: lahf loads SF:ZF:0:AF:0:PF:1:CF into AH. */
void op_lahf(struct cpu *c, const struct insn *i) {
  (void)i;
  uint64_t f = cpu_get_flags(c) & 0xff;
  c->gpr[RAX] = (c->gpr[RAX] & ~0xff00ull) | (f | FLAGS_FIXED) << 8;
}

/* 9E: sahf stores AH into SF, ZF, AF, PF, CF. */
void op_sahf(struct cpu *c, const struct insn *i) {
  (void)i;
  uint64_t ah = (c->gpr[RAX] >> 8) & 0xff;
  cpu_flags_merge(c, ah, FLAG_SF | FLAG_ZF | FLAG_AF | FLAG_PF | FLAG_CF);
}

/* F5 cmc, F8 clc, F9 stc, FC cld, FD std: arg selects the operation. */
void op_flag_op(struct cpu *c, const struct insn *i) {
  switch (i->arg) {
  case 0: cpu_flags_merge(c, ~cpu_get_flags(c), FLAG_CF); break;
  case 1: cpu_flags_merge(c, 0, FLAG_CF); break;
  case 2: cpu_flags_merge(c, FLAG_CF, FLAG_CF); break;
  case 3: c->rflags &= ~(uint64_t)FLAG_DF; break;
  default: c->rflags |= FLAG_DF; break;
  }
}

/* D7: xlat loads al from [rbx + al] (the segment override applies). */
void op_xlat(struct cpu *c, const struct insn *i) {
  uint64_t a = c->gpr[RBX] + (c->gpr[RAX] & 0xff);
  if (i->addrsize == 4)
    a = (uint32_t)a;
  if (i->seg == SEG_FS)
    a += c->fs_base;
  else if (i->seg == SEG_GS)
    a += c->gs_base;
  uint64_t v = cpu_load(c, a, 1);
  c->gpr[RAX] = (c->gpr[RAX] & ~0xffull) | v;
}
