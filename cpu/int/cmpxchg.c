/* cmpxchg, cmpxchg8b/16b and xadd (SDM vol. 2). As on hardware, a
 * memory destination is always written (the old value goes back when the
 * compare fails), so a read-only page faults either way. With LOCK they
 * are host atomics (cpu/exec/atomic.h): a failing compare then writes
 * nothing back, which no other thread can tell from writing the value
 * it read, atomically. */
#include "../exec/atomic.h"
#include "../handlers.h"
#include "alu.h"

/* 0F B0, B1: cmpxchg r/m, reg */
void op_cmpxchg(struct cpu *c, const struct insn *i) {
  int size = i->opsize;
  uint64_t addr = 0;
  uint64_t acc = cpu_reg_get(c, i, RAX, size);
  uint64_t m = size_mask(size);
  if (i->lock) {
    /* One host compare-and-exchange; the accumulator gets what it saw. */
    uint64_t src = cpu_reg_get(c, i, i->reg, size);
    uint64_t dest = cpu_atomic_cmpxchg(c, cpu_ea(c, i), size, acc, src);
    if ((dest & m) != (acc & m))
      cpu_reg_set(c, i, RAX, size, dest);
    cpu_flags_lazy(c, FLAGS_SUB, size, acc, dest, acc - dest);
    return;
  }
  uint64_t dest = rm_read(c, i, size, &addr);
  bool equal = (dest & m) == (acc & m);
  if (equal) {
    rm_write(c, i, size, addr, cpu_reg_get(c, i, i->reg, size));
  } else {
    if (i->mod != 3)
      cpu_store(c, addr, size, dest);
    cpu_reg_set(c, i, RAX, size, dest);
  }
  cpu_flags_lazy(c, FLAGS_SUB, size, acc, dest, acc - dest);
}

/* 0F C0, C1: xadd r/m, reg: the register gets the old destination. */
void op_xadd(struct cpu *c, const struct insn *i) {
  int size = i->opsize;
  uint64_t addr = 0, dest;
  uint64_t src = cpu_reg_get(c, i, i->reg, size);
  if (i->lock) {
    dest = cpu_atomic_rmw(c, cpu_ea(c, i), size, ATOMIC_ADD, src);
  } else {
    dest = rm_read(c, i, size, &addr);
    if (i->mod != 3)
      cpu_store(c, addr, size, dest + src);
  }
  uint64_t sum = dest + src;
  cpu_reg_set(c, i, i->reg, size, dest);
  if (i->mod == 3)
    cpu_reg_set(c, i, i->rm, size, sum);
  cpu_flags_lazy(c, FLAGS_ADD, size, dest, src, sum);
}

/* cmpxchg16b m128: RDX:RAX against the operand, RCX:RBX stored when
 * equal, else the operand loaded into RDX:RAX. */
static bool cmpxchg16b(struct cpu *c, const struct insn *i, uint64_t addr) {
  if (i->lock) {
    uint64_t lo = c->gpr[RAX], hi = c->gpr[RDX];
    bool equal =
        cpu_atomic_cmpxchg16(c, addr, &lo, &hi, c->gpr[RBX], c->gpr[RCX]);
    c->gpr[RAX] = lo;
    c->gpr[RDX] = hi;
    return equal;
  }
  uint64_t lo = cpu_load(c, addr, 8), hi = cpu_load(c, addr + 8, 8);
  bool equal = lo == c->gpr[RAX] && hi == c->gpr[RDX];
  cpu_probe_write(c, addr, 16);
  if (equal) {
    cpu_store(c, addr, 8, c->gpr[RBX]);
    cpu_store(c, addr + 8, 8, c->gpr[RCX]);
  } else {
    cpu_store(c, addr, 8, lo);
    cpu_store(c, addr + 8, 8, hi);
    c->gpr[RAX] = lo;
    c->gpr[RDX] = hi;
  }
  return equal;
}

/* cmpxchg8b m64: the same with EDX:EAX and ECX:EBX. */
static bool cmpxchg8b(struct cpu *c, const struct insn *i, uint64_t addr) {
  uint64_t want = (uint32_t)c->gpr[RAX] | c->gpr[RDX] << 32;
  uint64_t next = (uint32_t)c->gpr[RBX] | c->gpr[RCX] << 32;
  uint64_t old;
  if (i->lock) {
    old = cpu_atomic_cmpxchg(c, addr, 8, want, next);
  } else {
    old = cpu_load(c, addr, 8);
    cpu_store(c, addr, 8, old == want ? next : old);
  }
  if (old == want)
    return true;
  c->gpr[RAX] = (uint32_t)old;
  c->gpr[RDX] = old >> 32;
  return false;
}

/* 0F C7 /1: cmpxchg8b m64, or cmpxchg16b m128 with REX.W (#GP unless the
 * operand is 16-byte aligned). Only ZF changes. */
void op_cmpxchg8b16b(struct cpu *c, const struct insn *i) {
  uint64_t addr = cpu_ea(c, i);
  if (i->opsize == 8 && (addr & 15))
    cpu_raise(c, TRAP_GP, 0);
  bool equal = i->opsize == 8 ? cmpxchg16b(c, i, addr) : cmpxchg8b(c, i, addr);
  cpu_flags_merge(c, equal ? FLAG_ZF : 0, FLAG_ZF);
}
