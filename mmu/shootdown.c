/* The MMU of a multiprocessor: the threads of a process are CPUs that
 * share page tables and frames, each with its own TLB. When the kernel
 * changes a page-table entry another CPU may hold in its TLB (munmap,
 * mprotect), it must not return before that CPU has dropped it — Linux
 * sends an IPI and waits (arch/x86/mm/tlb.c, flush_tlb_mm_range). Here
 * the shooter bumps the space's epoch and kicks each CPU running guest
 * code, which stops at its next block boundary; a CPU flushes its whole
 * TLB when it sees a newer epoch before running guest code again
 * (mmu_enter_user). A CPU not running guest code needs no wait: it
 * flushes on its way back. Whoever waits keeps serving other shooters,
 * so two shootdowns at once cannot wait for each other. */
#include <errno.h>
#include <sched.h>

#include "mmu.h"

/* Serve a shootdown aimed at this CPU: flush if the epoch moved. */
static void serve(struct mmu *m) {
  uint64_t e = __atomic_load_n(&m->space->epoch, __ATOMIC_SEQ_CST);
  if (e != m->seen_epoch) {
    tlb_flush_all(m);
    __atomic_store_n(&m->seen_epoch, e, __ATOMIC_SEQ_CST);
  }
}

static void lock_cpus(struct mmu *m) {
  while (__atomic_exchange_n(&m->space->cpus_lock, 1, __ATOMIC_ACQUIRE)) {
    serve(m);
    sched_yield();
  }
}

static void unlock_cpus(struct mmu *m) {
  __atomic_store_n(&m->space->cpus_lock, 0, __ATOMIC_RELEASE);
}

int mmu_attach(struct mmu *m, const struct mmu *from) {
  *m = *from;
  m->in_user = 0;
  m->seen_epoch = __atomic_load_n(&m->space->epoch, __ATOMIC_SEQ_CST);
  m->kick = NULL;
  m->kick_ctx = NULL;
  m->stats = (struct mmu_stats){0};
  tlb_flush_all(m);
  lock_cpus(m);
  struct mmu_space *s = m->space;
  int r = -EAGAIN;
  if (s->ncpus < MMU_MAX_CPUS) {
    s->cpus[s->ncpus++] = m;
    r = 0;
  }
  unlock_cpus(m);
  return r;
}

void mmu_detach(struct mmu *m) {
  lock_cpus(m);
  struct mmu_space *s = m->space;
  for (int k = 0; k < s->ncpus; k++)
    if (s->cpus[k] == m) {
      s->cpus[k] = s->cpus[--s->ncpus];
      break;
    }
  unlock_cpus(m);
}

void mmu_shootdown(struct mmu *m) {
  struct mmu_space *s = m->space;
  if (__atomic_load_n(&s->ncpus, __ATOMIC_RELAXED) <= 1)
    return;
  lock_cpus(m);
  uint64_t e = __atomic_add_fetch(&s->epoch, 1, __ATOMIC_SEQ_CST);
  serve(m);
  for (int k = 0; k < s->ncpus; k++) {
    struct mmu *o = s->cpus[k];
    if (o != m && o->kick && __atomic_load_n(&o->in_user, __ATOMIC_SEQ_CST))
      o->kick(o->kick_ctx);
  }
  for (int k = 0; k < s->ncpus; k++) {
    struct mmu *o = s->cpus[k];
    while (o != m && __atomic_load_n(&o->in_user, __ATOMIC_SEQ_CST) &&
           __atomic_load_n(&o->seen_epoch, __ATOMIC_SEQ_CST) < e) {
      serve(m);
      sched_yield();
    }
  }
  unlock_cpus(m);
}

void mmu_enter_user(struct mmu *m) {
  /* in_user first: a shooter that bumps the epoch after the check below
   * then sees this CPU in guest code and waits for its flush. */
  __atomic_store_n(&m->in_user, 1, __ATOMIC_SEQ_CST);
  serve(m);
}

void mmu_shootdown_space(struct mmu_space *s) {
  while (__atomic_exchange_n(&s->cpus_lock, 1, __ATOMIC_ACQUIRE))
    sched_yield();
  uint64_t e = __atomic_add_fetch(&s->epoch, 1, __ATOMIC_SEQ_CST);
  for (int k = 0; k < s->ncpus; k++) {
    struct mmu *o = s->cpus[k];
    if (o->kick && __atomic_load_n(&o->in_user, __ATOMIC_SEQ_CST))
      o->kick(o->kick_ctx);
  }
  for (int k = 0; k < s->ncpus; k++) {
    struct mmu *o = s->cpus[k];
    while (__atomic_load_n(&o->in_user, __ATOMIC_SEQ_CST) &&
           __atomic_load_n(&o->seen_epoch, __ATOMIC_SEQ_CST) < e)
      sched_yield();
  }
  __atomic_store_n(&s->cpus_lock, 0, __ATOMIC_RELEASE);
}
