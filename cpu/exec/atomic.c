/* The locked read-modify-write of a guest operand (see atomic.h). In one
 * page: the accesses the plain instruction makes (the read, then the
 * write translation: the same faults in the same order, A and D bits,
 * TLB counts and self-modifying-code invalidation), then one host
 * locked instruction on the host address. The value the first read saw
 * is not used: the host atomic reads again, so a store another thread
 * made in between is never lost (a failing compare writes nothing). */
#include <pthread.h>
#include <setjmp.h>

#include "../../mmu/mmu.h"
#include "atomic.h"

/* The host's cmpxchg16b itself: __atomic on unsigned __int128 would need
 * libatomic (gcc does not inline it). */
bool atomic_host_cmpxchg16(void *p, uint64_t *old_lo, uint64_t *old_hi,
                           uint64_t lo, uint64_t hi) {
  struct pair {
    uint64_t q[2];
  } *m = p;
  bool equal;
  __asm__ volatile("lock cmpxchg16b %1"
                   : "=@ccz"(equal), "+m"(*m), "+a"(*old_lo), "+d"(*old_hi)
                   : "b"(lo), "c"(hi)
                   : "memory");
  return equal;
}

/* The bus lock: a locked operand split across two pages is two host
 * ranges that no host instruction changes at once, so the whole
 * read-modify-write runs under this mutex, as the CPU's split lock holds
 * the bus (SDM vol. 3, 9.1.2.2). It excludes the other threads' split
 * locked accesses, and nothing else: a locked access inside one page
 * (host atomics) or a plain store that overlaps the split operand can
 * still interleave with it. Programs do not do that (Linux even makes
 * split locks fatal or slow on request: split_lock_detect), and this
 * keeps locked accesses in one page free of any lock. */
static pthread_mutex_t bus_lock = PTHREAD_MUTEX_INITIALIZER;

enum { SPLIT_CMPXCHG = ATOMIC_NEG + 1 };

/* The split operand's read-modify-write, under the bus lock: the plain
 * load and store (faults, counts as before). A fault unwinds through
 * here to release the lock first. */
static uint64_t split_locked(struct cpu *c, uint64_t addr, int size, int op,
                             uint64_t operand, uint64_t expected) {
  jmp_buf *outer = c->fault_jmp;
  jmp_buf here;
  pthread_mutex_lock(&bus_lock);
  if (setjmp(here)) {
    c->fault_jmp = outer;
    pthread_mutex_unlock(&bus_lock);
    longjmp(*outer, 1);
  }
  c->fault_jmp = &here;
  uint64_t old = cpu_load(c, addr, size);
  uint64_t mask = size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
  uint64_t next;
  if (op == SPLIT_CMPXCHG)
    next = old == (expected & mask) ? operand : old;
  else
    next = atomic_apply((enum atomic_op)op, old, operand);
  cpu_store(c, addr, size, next);
  c->fault_jmp = outer;
  pthread_mutex_unlock(&bus_lock);
  return old;
}

static bool crosses_page(uint64_t addr, int size) {
  return ((addr ^ (addr + (uint64_t)size - 1)) & PAGE_MASK) != 0;
}

uint64_t cpu_atomic_rmw(struct cpu *c, uint64_t addr, int size,
                        enum atomic_op op, uint64_t operand) {
  if (crosses_page(addr, size))
    return split_locked(c, addr, size, (int)op, operand, 0);
  cpu_load(c, addr, size);
  return atomic_host_rmw(cpu_store_ptr(c, addr, size), size, op, operand);
}

uint64_t cpu_atomic_cmpxchg(struct cpu *c, uint64_t addr, int size,
                            uint64_t expected, uint64_t desired) {
  if (crosses_page(addr, size))
    return split_locked(c, addr, size, SPLIT_CMPXCHG, desired, expected);
  cpu_load(c, addr, size);
  return atomic_host_cmpxchg(cpu_store_ptr(c, addr, size), size, expected,
                             desired);
}

bool cpu_atomic_cmpxchg16(struct cpu *c, uint64_t addr, uint64_t *old_lo,
                          uint64_t *old_hi, uint64_t lo, uint64_t hi) {
  /* The accesses of the plain form, in its order: two loads, the probe
   * of the 16 bytes, two stores (aligned: one page). */
  cpu_load(c, addr, 8);
  cpu_load(c, addr + 8, 8);
  cpu_probe_write(c, addr, 16);
  void *p = cpu_store_ptr(c, addr, 8);
  cpu_store_ptr(c, addr + 8, 8);
  return atomic_host_cmpxchg16(p, old_lo, old_hi, lo, hi);
}
