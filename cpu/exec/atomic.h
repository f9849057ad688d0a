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
static inline uint64_t atomic_apply(enum atomic_op op, uint64_t old,
                                    uint64_t operand) {
  switch (op) {
  case ATOMIC_ADD: return old + operand;
  case ATOMIC_OR: return old | operand;
  case ATOMIC_AND: return old & operand;
  case ATOMIC_XOR: return old ^ operand;
  case ATOMIC_XCHG: return operand;
  default: return 0 - old; /* NEG */
  }
}

/* The host's own locked instructions (lock xadd, lock cmpxchg, xchg): x86
 * hosts make them atomic at any alignment, even across cache lines
 * (SDM vol. 3, 9.1.2.2), so a misaligned guest operand needs nothing
 * more. Sequentially consistent, as every locked instruction is a full
 * barrier (SDM vol. 3, 9.2.2). Inline: with the size and operation known
 * (the specialised copies, cpu/fast/fast_lock.c) each is one host
 * instruction, or a compare-and-exchange loop where the host has no
 * fetching form (or, and, xor, neg). */
#define ATOMIC_HOST_RMW(T)                                                     \
  static inline uint64_t atomic_rmw_##T(T *p, enum atomic_op op, uint64_t v) { \
    switch (op) {                                                              \
    case ATOMIC_ADD: return __atomic_fetch_add(p, (T)v, __ATOMIC_SEQ_CST);     \
    case ATOMIC_XCHG: return __atomic_exchange_n(p, (T)v, __ATOMIC_SEQ_CST);   \
    default: break;                                                            \
    }                                                                          \
    T old = __atomic_load_n(p, __ATOMIC_RELAXED);                              \
    while (!__atomic_compare_exchange_n(p, &old, (T)atomic_apply(op, old, v),  \
                                        false, __ATOMIC_SEQ_CST,               \
                                        __ATOMIC_RELAXED))                     \
      ; /* another thread changed it: compute again from what it wrote */      \
    return old;                                                                \
  }                                                                            \
  static inline uint64_t atomic_cas_##T(T *p, uint64_t expected,               \
                                        uint64_t desired) {                    \
    T old = (T)expected;                                                       \
    __atomic_compare_exchange_n(p, &old, (T)desired, false, __ATOMIC_SEQ_CST,  \
                                __ATOMIC_SEQ_CST);                             \
    return old;                                                                \
  }
ATOMIC_HOST_RMW(uint8_t)
ATOMIC_HOST_RMW(uint16_t)
ATOMIC_HOST_RMW(uint32_t)
ATOMIC_HOST_RMW(uint64_t)
#undef ATOMIC_HOST_RMW

/* On host memory (an operand inside one guest page): the old value. */
static inline uint64_t atomic_host_rmw(void *p, int size, enum atomic_op op,
                                       uint64_t operand) {
  switch (size) {
  case 1: return atomic_rmw_uint8_t(p, op, operand);
  case 2: return atomic_rmw_uint16_t(p, op, operand);
  case 4: return atomic_rmw_uint32_t(p, op, operand);
  default: return atomic_rmw_uint64_t(p, op, operand);
  }
}

/* One compare-and-exchange of `size` bytes: the value seen, which equals
 * `expected` (masked to the size) exactly when `desired` was written. */
static inline uint64_t atomic_host_cmpxchg(void *p, int size, uint64_t expected,
                                           uint64_t desired) {
  switch (size) {
  case 1: return atomic_cas_uint8_t(p, expected, desired);
  case 2: return atomic_cas_uint16_t(p, expected, desired);
  case 4: return atomic_cas_uint32_t(p, expected, desired);
  default: return atomic_cas_uint64_t(p, expected, desired);
  }
}
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
