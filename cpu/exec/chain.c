/* The two chaining handlers that are not instructions (see chain.h). */
#include "chain.h"

void chain_generic(struct cpu *c, const struct insn *i) {
  c->insn_rip = i->rip;
  c->ss_access = 0;
  i->exec(c, i);
  CHAIN_NEXT(c, i);
}

void chain_fused_generic(struct cpu *c, const struct insn *i) {
  c->insn_rip = i->rip;
  c->ss_access = 0;
  i->exec(c, i);
  c->insn_rip = i[1].rip;
  i[1].exec(c, i + 1);
  CHAIN_FUSED(c, i);
}

void chain_stop(struct cpu *c, const struct insn *i) {
  (void)c;
  (void)i;
}
