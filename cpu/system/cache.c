/* Cache control (SDM vol. 2, CLFLUSH, CLFLUSHOPT, CLWB; APM vol. 3,
 * CLZERO). emu has no caches, so flushing and writing back change
 * nothing, but the access checks stay: the line is named by a byte the
 * instruction reads (measured: #PF with a read error code on an unmapped
 * or PROT_NONE page, none on a read-only or execute-only one, #GP for a
 * non-canonical address). Prefetches never fault and are op_nop. */
#include <string.h>

#include "../handlers.h"

/* clflush, clflushopt, clwb m8: the byte is checked as a load. */
void op_cache_flush(struct cpu *c, const struct insn *i) {
  (void)cpu_load(c, cpu_ea(c, i), 1);
}

/* clzero: zero the 64-byte line holding DS:rAX (FS/GS override allowed,
 * 67 takes EAX), as a store of the whole line; a fault reports the
 * line's first byte (measured). */
void op_clzero(struct cpu *c, const struct insn *i) {
  static const uint8_t zeros[64];
  uint64_t addr = c->gpr[RAX];
  if (i->addrsize == 4)
    addr = (uint32_t)addr;
  if (i->seg != SEG_NONE)
    addr += i->seg == SEG_FS ? c->fs_base : c->gs_base;
  cpu_store_bytes(c, addr & ~63ull, zeros, 64);
}
