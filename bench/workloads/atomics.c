/* Locked instructions, single-threaded: what reference counting, lock
 * acquire/release and lock-free counters cost (lock xadd, lock add/inc,
 * lock cmpxchg loops, xchg, lock or/and, lock cmpxchg16b). emu makes each
 * a host atomic (cpu/exec/atomic.c), so this measures that overhead. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static volatile int spin;
static int64_t refs[64], guarded;
static uint64_t wide[2] __attribute__((aligned(16)));
static uint32_t bits;

static void acquire(void) {
  while (__atomic_exchange_n(&spin, 1, __ATOMIC_ACQUIRE))
    ;
}

static void release(void) { __atomic_store_n(&spin, 0, __ATOMIC_RELEASE); }

/* A 128-bit counter (cmpxchg16b: __atomic on 16 bytes needs libatomic). */
static void wide_increment(void) {
  uint64_t lo = wide[0], hi = wide[1];
  unsigned char ok;
  do
    __asm__ volatile("lock cmpxchg16b %1; sete %0"
                     : "=q"(ok), "+m"(wide), "+a"(lo), "+d"(hi)
                     : "b"(lo + 1), "c"(hi + (lo + 1 == 0))
                     : "memory", "cc");
  while (!ok);
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 4000000;
  uint64_t sum = 0;
  for (long i = 0; i < n; i++) {
    int64_t *r = &refs[i & 63];
    sum += (uint64_t)__atomic_fetch_add(r, 2, __ATOMIC_ACQ_REL); /* xadd */
    __atomic_fetch_sub(r, 1, __ATOMIC_RELEASE);                  /* lock sub */
    __atomic_fetch_add(&refs[(i >> 6) & 63], 1, __ATOMIC_RELAXED);
    int64_t old = *r, next;
    do
      next = old * 3 + 1;
    while (!__atomic_compare_exchange_n(r, &old, next, 0, __ATOMIC_ACQ_REL,
                                        __ATOMIC_RELAXED)); /* cmpxchg */
    acquire();                                              /* xchg */
    guarded += i;
    release();
    __atomic_fetch_or(&bits, 1u << (i & 31), __ATOMIC_RELAXED);
    __atomic_fetch_and(&bits, ~(1u << ((i + 7) & 31)), __ATOMIC_RELAXED);
    if ((i & 15) == 0)
      wide_increment();
  }
  for (int k = 0; k < 64; k++)
    sum += (uint64_t)refs[k];
  printf("%llu %lld %u %llu\n", (unsigned long long)sum, (long long)guarded,
         bits, (unsigned long long)wide[0]);
  return 0;
}
