/* rdfsbase, rdgsbase, wrfsbase, wrgsbase (SDM vol. 2, RDFSBASE/RDGSBASE,
 * WRFSBASE/WRGSBASE): FS and GS bases from user mode, which Linux allows
 * since 5.9 by setting CR4.FSGSBASE (and announces in AT_HWCAP2). 32 bits
 * without REX.W (66 changes nothing): a read zero-extends the low half,
 * a write zero-extends the register. A non-canonical base is #GP(0). The
 * selectors are left as they are. */
#include "../handlers.h"

/* arg: 0 rdfsbase, 1 rdgsbase, 2 wrfsbase, 3 wrgsbase (ModRM.reg). */
void op_fsgsbase(struct cpu *c, const struct insn *i) {
  uint64_t *base = i->arg & 1 ? &c->gs_base : &c->fs_base;
  int size = i->rex & 8 ? 8 : 4;
  if (i->arg < 2) {
    cpu_reg_set(c, i, i->rm, size, *base);
    return;
  }
  uint64_t v = cpu_reg_get(c, i, i->rm, size);
  if (!cpu_canonical(v))
    cpu_raise(c, TRAP_GP, 0);
  *base = v;
}
