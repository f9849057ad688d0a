/* The slow paths of the specialised handlers' memory accesses (cpu/
 * fast.h): the generic accessors, after c->insn_rip is made right for a
 * fault (chaining handlers do not keep it up to date, cpu/chain.h). */
#include "fast.h"

uint64_t fast_load_slow(struct cpu *c, const struct insn *i, uint64_t addr,
                        int size) {
  c->insn_rip = i->rip;
  c->ss_access = cpu_insn_uses_ss(i);
  return cpu_load(c, addr, size);
}

void fast_store_slow(struct cpu *c, const struct insn *i, uint64_t addr,
                     int size, uint64_t v) {
  c->insn_rip = i->rip;
  c->ss_access = cpu_insn_uses_ss(i);
  cpu_store(c, addr, size, v);
}
