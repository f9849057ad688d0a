/* LOCK-prefixed read-modify-write instructions, and XCHG with memory
 * (implicitly locked), as host atomics (SDM vol. 3, 9.1.2 "Bus Locking"
 * and 9.1.2.2 "Software Controlled Bus Locking"). Each guest thread is a
 * host thread with its own TLB over the same host memory: an operand in
 * one page is changed with one host locked instruction on its host
 * address, so it is atomic against every other thread's accesses,
 * locked or plain. An operand split across two pages is not contiguous
 * in host memory; it is changed under one global mutex, the emulator's
 * bus lock (see cpu/exec/atomic.c for what that does not cover). */
#ifndef EMU_ATOMIC_H
#define EMU_ATOMIC_H

#include <stdbool.h>
#include <stdint.h>

#include "../cpu.h"

/* What a locked instruction does to its memory operand: the new value
 * from the old one and an operand (ADC, SBB, SUB, INC, DEC are ADD with
 * an adjusted operand; NOT, BTC are XOR; BTS is OR; BTR is AND). */
enum atomic_op {
  ATOMIC_ADD,
  ATOMIC_OR,
  ATOMIC_AND,
  ATOMIC_XOR,
  ATOMIC_XCHG, /* new = operand */
  ATOMIC_NEG,  /* new = -old; operand unused */
};

/* The new value `op` makes of `old` (modulo the operand size). */
uint64_t atomic_apply(enum atomic_op op, uint64_t old, uint64_t operand);

/* On host memory (an operand inside one guest page): the old value. */
uint64_t atomic_host_rmw(void *p, int size, enum atomic_op op,
                         uint64_t operand);
/* One compare-and-exchange of `size` bytes: the value seen, which equals
 * `expected` (masked to the size) exactly when `desired` was written. */
uint64_t atomic_host_cmpxchg(void *p, int size, uint64_t expected,
                             uint64_t desired);
/* cmpxchg16b on a 16-byte aligned host address: true and {lo, hi}
 * written when equal to *old_lo:*old_hi, else false and the value seen
 * in *old_lo, *old_hi. */
bool atomic_host_cmpxchg16(void *p, uint64_t *old_lo, uint64_t *old_hi,
                           uint64_t lo, uint64_t hi);

/* cpu/exec/mem.c: the host address cpu_store would write an access of
 * `size` bytes in one page at, reached as cpu_store reaches it (the same
 * faults, TLB counts and code-page invalidation), without the store. */
void *cpu_store_ptr(struct cpu *c, uint64_t addr, int size);

/* On a guest operand, with the faults and TLB counts the plain read
 * then write of the operand has (cpu_load, cpu_store): the old value. */
uint64_t cpu_atomic_rmw(struct cpu *c, uint64_t addr, int size,
                        enum atomic_op op, uint64_t operand);
uint64_t cpu_atomic_cmpxchg(struct cpu *c, uint64_t addr, int size,
                            uint64_t expected, uint64_t desired);
/* cmpxchg16b (the caller has checked the alignment): as
 * atomic_host_cmpxchg16, with the accesses of op_cmpxchg8b16b. */
bool cpu_atomic_cmpxchg16(struct cpu *c, uint64_t addr, uint64_t *old_lo,
                          uint64_t *old_hi, uint64_t lo, uint64_t hi);

#endif
