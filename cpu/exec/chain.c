/* The chaining handlers that are not instructions (see chain.h). */
#include "chain.h"
#include "block.h"

void chain_generic(struct cpu *c, const struct insn *i) {
  c->insn_rip = i->rip;
  c->rip = i->rip + i->len;
  c->ss_access = 0;
  i->exec(c, i);
  CHAIN_NEXT(c, i);
}

void chain_fused_generic(struct cpu *c, const struct insn *i) {
  c->insn_rip = i->rip;
  c->ss_access = 0;
  i->exec(c, i);
  c->insn_rip = i[1].rip;
  c->rip = i[1].rip + i[1].len;
  i[1].exec(c, i + 1);
  CHAIN_FUSED(c, i);
}

void chain_fused_side_generic(struct cpu *c, const struct insn *i) {
  c->insn_rip = i->rip;
  c->ss_access = 0;
  i->exec(c, i);
  const struct insn *j = i + 1;
  uint64_t next = j->rip + j->len;
  c->insn_rip = j->rip;
  c->rip = next;
  j->exec(c, j);
  if (c->rip != next) {
    block_leave(c, (uint32_t)j->disp);
    return;
  }
  CHAIN_FUSED(c, i);
}

void chain_stop(struct cpu *c, const struct insn *i) {
  (void)c;
  (void)i;
}
