/* The slots a block adds to its decoded instructions (block.h): the stop
 * slot that ends it, side exits at the conditional branches it decodes
 * through, the direct jumps and calls it follows, and the cut after a
 * store into its own code. An exit counts what ran since the block's
 * start (its `disp`, BLOCK_COUNTS) and hands over to the next block
 * (block_leave). */
#include "../fast/fast.h"
#include "../handlers.h"
#include "block.h"
#include "chain.h"

static void stop_fallthrough(struct cpu *c, const struct insn *i) {
  c->rip = i->rip;
  block_leave(c, (uint32_t)i->disp);
}

/* The last instruction set RIP (cpu/fast/fast_move.c, cpu/int/branch.c
 * through chain_generic). */
static void stop_branch(struct cpu *c, const struct insn *i) {
  block_leave(c, (uint32_t)i->disp);
}

/* A branch that often goes back to its own block's start (a loop): no
 * lookup then. */
static void stop_loop(struct cpu *c, const struct insn *i) {
  struct block *b = (struct block *)(uintptr_t)i->imm;
  uint32_t counts = (uint32_t)i->disp;
  if (c->rip != b->rip) {
    block_leave(c, counts);
    return;
  }
  uint64_t n = c->instret + (counts & 0xff);
  c->instret = n;
  c->cycles += counts >> 8;
  if (n < c->run_until)
    b->insns[0].handler(c, b->insns);
}

/* The stop of a basic block a superblock would extend: at its
 * BLOCK_HOT-th run the chain goes back to the loop, which builds it
 * again (block.c). */
static void count_run(struct cpu *c, const struct insn *i) {
  struct block *b = (struct block *)(uintptr_t)i->imm;
  if (++b->heat == BLOCK_HOT) {
    c->blocks->hot = b;
    c->run_until = 0;
  }
}

static void stop_fallthrough_cold(struct cpu *c, const struct insn *i) {
  c->rip = i->rip;
  count_run(c, i);
  block_leave(c, (uint32_t)i->disp);
}

static void stop_branch_cold(struct cpu *c, const struct insn *i) {
  count_run(c, i);
  block_leave(c, (uint32_t)i->disp);
}

cpu_handler block_stop_handler(enum block_stop kind) {
  switch (kind) {
  case STOP_FALLTHROUGH: return stop_fallthrough;
  case STOP_BRANCH: return stop_branch;
  case STOP_LOOP: return stop_loop;
  case STOP_FALLTHROUGH_COLD: return stop_fallthrough_cold;
  default: return stop_branch_cold;
  }
}

void chain_cut(struct cpu *c, const struct insn *i) {
  c->rip = i->rip;
  block_leave(c, c->blocks->running->cut_counts);
}

/* A side exit whose condition the lazy record cannot answer directly. */
static __attribute__((noinline)) void side_exit_slow(struct cpu *c,
                                                     const struct insn *i) {
  if (!cpu_cond(c, i->arg)) {
    CHAIN_NEXT(c, i);
    return;
  }
  c->rip = i->rip + i->len + i->imm;
  block_leave(c, (uint32_t)i->disp);
}

// clang-format off
#define SIDE_EXIT_FN(X, CC)                                                    \
  static void side_exit_##CC(struct cpu *c, const struct insn *i) {            \
    int r = fast_cond(c, CC);                                                  \
    if (r < 0) {                                                               \
      side_exit_slow(c, i);                                                    \
      return;                                                                  \
    }                                                                          \
    if (!r) {                                                                  \
      CHAIN_NEXT(c, i);                                                        \
      return;                                                                  \
    }                                                                          \
    c->rip = i->rip + i->len + i->imm;                                         \
    block_leave(c, (uint32_t)i->disp);                                         \
  }
// clang-format on
CC16(SIDE_EXIT_FN, _)
static const cpu_handler side_exit_table[16] = CC_ROW(side_exit_);

cpu_handler block_side_exit_handler(const struct insn *jcc) {
  if (cpu_ops[jcc->op].handler != op_jcc || jcc->opsize != 8)
    return NULL;
  return side_exit_table[jcc->arg & 15];
}

/* jmp rel decoded through: its target is the next slot. */
static void through_jmp(struct cpu *c, const struct insn *i) {
  CHAIN_NEXT(c, i);
}

/* call rel decoded through: the push, then the callee's first slot. On
 * the slow path op_call_rel pushes c->rip, which chain_generic sets to
 * the return address. */
static void through_call(struct cpu *c, const struct insn *i) {
  uint64_t rsp = c->gpr[RSP] - 8;
  if (!fast_try_store(c, rsp, 8, i->rip + i->len)) {
    chain_generic(c, i);
    return;
  }
  c->gpr[RSP] = rsp;
  CHAIN_NEXT(c, i);
}

cpu_handler block_through_handler(const struct insn *branch) {
  cpu_handler g = cpu_ops[branch->op].handler;
  if (branch->opsize != 8)
    return NULL;
  if (g == op_jmp_rel)
    return through_jmp;
  if (g == op_call_rel)
    return through_call;
  return NULL;
}
