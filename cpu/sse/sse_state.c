/* MXCSR loads and stores, and the 512-byte FXSAVE image of the x87,
 * MXCSR and XMM state (SDM vol. 1, 10.5.1, table 10-2; vol. 2 FXSAVE,
 * FXRSTOR, LDMXCSR, STMXCSR). */
#include <string.h>

#include "sse.h"

void op_ldmxcsr(struct cpu *c, const struct insn *i) {
  uint32_t v = (uint32_t)cpu_load(c, cpu_ea(c, i), 4);
  if (v & ~MXCSR_WRITABLE)
    cpu_raise(c, TRAP_GP, 0);
  sse_host_sync(c);
  c->mxcsr = v;
}

void op_stmxcsr(struct cpu *c, const struct insn *i) {
  uint64_t addr = cpu_ea(c, i);
  sse_host_sync(c);
  cpu_store(c, addr, 4, c->mxcsr);
}

/* fxsave/fxrstor (0F AE /0, /1; REX.W for the 64-bit pointer layout):
 * the image itself is cpu/fxsave.c's. Both check all 512 bytes, the last
 * one first: when the area crosses into a bad page, this CPU reports the
 * fault at its last byte, even for fxsave, which writes only 416. With
 * 32-bit addressing that byte's address wraps at 4 GiB like the
 * operand's (measured: the fault address is the wrapped one). */
static uint64_t last_byte(const struct insn *i, uint64_t addr) {
  uint64_t last = addr + CPU_FXSAVE_SIZE - 1;
  return i->addrsize == 4 ? (uint32_t)last : last;
}

/* Unlike the aligned SSE moves, whose misalignment #GP comes first, these
 * check the address before the alignment: a misaligned non-canonical
 * area through SS is #SS (measured natively, tests/diff). */
static uint64_t area(struct cpu *c, const struct insn *i) {
  uint64_t addr = cpu_ea(c, i);
  if (!cpu_canonical(addr))
    cpu_raise_noncanonical(c);
  sse_check_align(c, addr, SSE_ALIGNED_ALWAYS);
  return addr;
}

void op_fxsave(struct cpu *c, const struct insn *i) {
  uint64_t addr = area(c, i);
  cpu_probe_write(c, last_byte(i, addr), 1);
  uint8_t img[CPU_FXSAVE_SIZE];
  sse_host_sync(c);
  cpu_fxsave_image(c, img, i->rex & 8);
  cpu_store_bytes(c, addr, img, CPU_FXSAVE_WRITTEN);
}

void op_fxrstor(struct cpu *c, const struct insn *i) {
  uint64_t addr = area(c, i);
  uint8_t img[CPU_FXSAVE_SIZE];
  cpu_load_bytes(c, last_byte(i, addr), img, 1);
  cpu_load_bytes(c, addr, img, CPU_FXSAVE_SIZE);
  if (cpu_fxrstor_image(c, img, i->rex & 8) < 0)
    cpu_raise(c, TRAP_GP, 0);
}
