/* futex(2) on the host's futexes. Guest memory is host memory (the
 * frames, or host shared memory for MAP_SHARED), the guest's threads are
 * host threads of one process and its tids are host tids: so the host's
 * futex on the host address of the guest's word is the guest's futex —
 * WAIT/WAKE with bitsets, REQUEUE, CMP_REQUEUE, WAKE_OP, the PI family
 * (the word holds tids the host knows), timeouts on either clock, and
 * the errors, all as the host kernel has them. A word in MAP_SHARED
 * memory without FUTEX_PRIVATE_FLAG is a shared host futex, so that
 * other processes (guest or native) mapping the memory meet it (Linux's
 * get_futex_key keys it by the memory, not the address space); any
 * other is private to emu's process, like the guest's address space.
 *
 * A sleep releases the kernel lock. The host futex has no signal-mask
 * argument, so a guest signal arriving between the check and the sleep
 * would be seen only when the sleep ends: the host signal handler jumps
 * back out of such a sleep instead (host_signal_jump). */
#include <errno.h>
#include <linux/futex.h>
#include <setjmp.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../process.h"
#include "thread_internal.h"

#ifndef FUTEX_LOCK_PI2
#define FUTEX_LOCK_PI2 13
#endif

#define BIT(sig) (1ull << ((sig)-1))

/* The host address of the guest's futex word: -EINVAL when misaligned,
 * -EFAULT when it cannot be mapped for the access. */
static int64_t word(struct process *p, uint64_t addr, bool write,
                    uint32_t **out, bool *shared) {
  if (addr & 3)
    return -EINVAL;
  enum mmu_access kind = write ? MMU_WRITE : MMU_READ;
  uint64_t paddr;
  uint32_t e = mmu_translate(&p->mmu, addr, kind, &paddr);
  if (e && (fault_handle(p, addr, e | PFERR_U) != FAULT_OK ||
            mmu_translate(&p->mmu, addr, kind, &paddr)))
    return -EFAULT;
  *out = (uint32_t *)mmu_phys(&p->mmu, paddr);
  if (shared) {
    struct vma *v = vma_find(&p->mm->vmas, addr);
    *shared = v && v->shm;
  }
  return 0;
}

static bool sleeps(int cmd) {
  return cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET ||
         cmd == FUTEX_LOCK_PI || cmd == FUTEX_LOCK_PI2 ||
         cmd == FUTEX_WAIT_REQUEUE_PI;
}

/* The commands that write the word (or the second word). */
static bool writes(int cmd) {
  return cmd == FUTEX_WAKE_OP || cmd == FUTEX_LOCK_PI ||
         cmd == FUTEX_LOCK_PI2 || cmd == FUTEX_TRYLOCK_PI ||
         cmd == FUTEX_UNLOCK_PI || cmd == FUTEX_CMP_REQUEUE_PI ||
         cmd == FUTEX_WAIT_REQUEUE_PI;
}

/* Which commands take a second word (uaddr2). */
static bool two_words(int cmd) {
  return cmd == FUTEX_REQUEUE || cmd == FUTEX_CMP_REQUEUE ||
         cmd == FUTEX_WAKE_OP || cmd == FUTEX_WAIT_REQUEUE_PI ||
         cmd == FUTEX_CMP_REQUEUE_PI;
}

/* A guest signal for this thread is pending, or the group is ending. */
static bool interrupted(struct process *p) {
  host_signals_drain(p);
  uint64_t mask = p->sigmask & ~(BIT(SIGKILL) | BIT(SIGSTOP));
  return thread_must_stop(p) || (sigqueue_pending(p) & ~mask);
}

/* The host futex call that sleeps, without the kernel lock, until it
 * returns or a host signal comes: -EINTR then. */
static long host_sleep(struct process *p, uint32_t *w, int op, uint32_t val,
                       const struct timespec *ts, uint32_t *w2, uint32_t val3) {
  sigjmp_buf jb;
  volatile long r = -EINTR;
  thread_sleep_begin(p);
  if (sigsetjmp(jb, 1) == 0) {
    host_signal_jump = &jb;
    /* After arming: a signal before it left only this flag behind. */
    if (!p->cpu.interrupt) {
      long h = syscall(SYS_futex, w, op, val, ts, w2, val3);
      host_signal_jump = NULL;
      r = h < 0 ? -errno : h;
    }
    host_signal_jump = NULL;
  }
  thread_sleep_end(p);
  return r;
}

static int64_t futex_sleep(struct process *p, int cmd, int hop, uint32_t *w,
                           uint32_t val, const struct timespec *ts,
                           uint32_t *w2, uint32_t val3) {
  struct timespec abs;
  /* FUTEX_WAIT's timeout is relative: made absolute once, so that a
   * sleep resumed after a kick does not start it over. */
  if (cmd == FUTEX_WAIT) {
    hop = (hop & ~FUTEX_CMD_MASK) | FUTEX_WAIT_BITSET;
    val3 = FUTEX_BITSET_MATCH_ANY;
    if (ts) {
      clock_gettime(
          hop & FUTEX_CLOCK_REALTIME ? CLOCK_REALTIME : CLOCK_MONOTONIC, &abs);
      abs.tv_sec += ts->tv_sec;
      abs.tv_nsec += ts->tv_nsec;
      if (abs.tv_nsec >= 1000000000) {
        abs.tv_sec++;
        abs.tv_nsec -= 1000000000;
      }
      ts = &abs;
    }
  }
  for (;;) {
    long r = host_sleep(p, w, hop, val, ts, w2, val3);
    if (r != -EINTR)
      return r;
    if (interrupted(p))
      break;
  }
  /* Linux: a wait without timeout restarts (ERESTARTSYS), a timed one
   * goes through restart_syscall, which emu reports as EINTR when a
   * handler runs; a PI lock always restarts. */
  if (cmd == FUTEX_LOCK_PI || cmd == FUTEX_LOCK_PI2 ||
      cmd == FUTEX_WAIT_REQUEUE_PI)
    return -ERESTARTNOINTR;
  return ts ? -EINTR : -ERESTARTSYS;
}

/* --deterministic with threads: emu's own queues (det_sched.c), so that
 * which waiter a wake picks depends on the guest alone, PI locks
 * included; the requeue-to-PI pair (glibc does not use it) is not. */
static int64_t det_futex(struct process *p, int cmd, int op, uint32_t *w,
                         uint32_t *w2, const uint64_t a[6]) {
  switch (cmd) {
  case FUTEX_WAIT:
  case FUTEX_WAIT_BITSET: {
    uint32_t bitset =
        cmd == FUTEX_WAIT ? FUTEX_BITSET_MATCH_ANY : (uint32_t)a[5];
    if (!bitset)
      return -EINVAL;
    int64_t timeout = -1;
    if (a[3]) {
      struct timespec ts;
      if (copy_from_guest(&p->mmu, &ts, a[3], sizeof ts) < 0)
        return -EFAULT;
      if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
        return -EINVAL;
      timeout = ts.tv_sec * 1000000000ll + ts.tv_nsec;
      if (cmd == FUTEX_WAIT_BITSET) {
        int clock =
            op & FUTEX_CLOCK_REALTIME ? CLOCK_REALTIME : CLOCK_MONOTONIC;
        timeout -= time_now_ns(p, clock);
        if (timeout < 0)
          timeout = 0;
      }
    }
    int64_t r = det_futex_wait(p, w, (uint32_t)a[2], bitset, timeout);
    if (r == -EINTR && !a[3])
      return -ERESTARTSYS;
    return r;
  }
  case FUTEX_WAKE:
  case FUTEX_WAKE_BITSET: {
    uint32_t bitset =
        cmd == FUTEX_WAKE ? FUTEX_BITSET_MATCH_ANY : (uint32_t)a[5];
    return bitset ? det_futex_wake(w, bitset, (int)a[2]) : -EINVAL;
  }
  case FUTEX_CMP_REQUEUE:
    if (__atomic_load_n(w, __ATOMIC_SEQ_CST) != (uint32_t)a[5])
      return -EAGAIN;
    /* fall through */
  case FUTEX_REQUEUE: return det_futex_requeue(w, w2, (int)a[2], (int)a[3]);
  case FUTEX_WAKE_OP: {
    /* The operation on the second word, then the wakes (futex_wake_op):
     * FUTEX_OP(op, oparg, cmp, cmparg) in val3. */
    uint32_t e = (uint32_t)a[5];
    int fop = (e >> 28) & 7, fcmp = (e >> 24) & 15;
    /* Both arguments are 12-bit signed fields (futex_atomic_op_inuser). */
    uint32_t oparg = (uint32_t)((int32_t)(e << 8) >> 20), cmparg = e & 0xfff;
    if ((e >> 28) & 8)
      oparg = 1u << (oparg & 31);
    uint32_t old = __atomic_load_n(w2, __ATOMIC_SEQ_CST), nv;
    switch (fop) {
    case FUTEX_OP_SET: nv = oparg; break;
    case FUTEX_OP_ADD: nv = old + oparg; break;
    case FUTEX_OP_OR: nv = old | oparg; break;
    case FUTEX_OP_ANDN: nv = old & ~oparg; break;
    case FUTEX_OP_XOR: nv = old ^ oparg; break;
    default: return -ENOSYS;
    }
    __atomic_store_n(w2, nv, __ATOMIC_SEQ_CST);
    int64_t r = det_futex_wake(w, FUTEX_BITSET_MATCH_ANY, (int)a[2]);
    int32_t o = (int32_t)old, c = (int32_t)((cmparg << 20) >> 20);
    bool hit = fcmp == FUTEX_OP_CMP_EQ   ? o == c
               : fcmp == FUTEX_OP_CMP_NE ? o != c
               : fcmp == FUTEX_OP_CMP_LT ? o < c
               : fcmp == FUTEX_OP_CMP_LE ? o <= c
               : fcmp == FUTEX_OP_CMP_GT ? o > c
               : fcmp == FUTEX_OP_CMP_GE ? o >= c
                                         : false;
    if (hit)
      r += det_futex_wake(w2, FUTEX_BITSET_MATCH_ANY, (int)a[3]);
    return r;
  }
  case FUTEX_LOCK_PI:
  case FUTEX_LOCK_PI2:
  case FUTEX_TRYLOCK_PI: {
    /* LOCK_PI's timeout is absolute on CLOCK_REALTIME; LOCK_PI2's on
     * the clock FUTEX_CLOCK_REALTIME names (futex_init_timeout). */
    int64_t timeout = -1;
    if (a[3] && cmd != FUTEX_TRYLOCK_PI) {
      struct timespec ts;
      if (copy_from_guest(&p->mmu, &ts, a[3], sizeof ts) < 0)
        return -EFAULT;
      if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
        return -EINVAL;
      int clock = cmd == FUTEX_LOCK_PI || (op & FUTEX_CLOCK_REALTIME)
                      ? CLOCK_REALTIME
                      : CLOCK_MONOTONIC;
      timeout = ts.tv_sec * 1000000000ll + ts.tv_nsec - time_now_ns(p, clock);
      if (timeout < 0)
        timeout = 0;
    }
    return det_futex_lock_pi(p, w, cmd == FUTEX_TRYLOCK_PI, timeout);
  }
  case FUTEX_UNLOCK_PI: return det_futex_unlock_pi(p, w);
  default: return -ENOSYS;
  }
}

int64_t sys_futex(struct process *p, const uint64_t a[6]) {
  int op = (int)a[1];
  int cmd = op & FUTEX_CMD_MASK;
  uint32_t *w, *w2 = NULL;
  bool shared;
  int64_t e = word(p, a[0], writes(cmd), &w, &shared);
  if (e)
    return e;
  if (two_words(cmd) && (e = word(p, a[4], writes(cmd), &w2, NULL)))
    return e;
  if (det_threads(p) && !shared)
    return det_futex(p, cmd, op, w, w2, a);
  /* Private on the host unless the guest shares the word with others. */
  int hop = op & ~FUTEX_PRIVATE_FLAG;
  if ((op & FUTEX_PRIVATE_FLAG) || !shared)
    hop |= FUTEX_PRIVATE_FLAG;
  if (!sleeps(cmd)) {
    /* The fourth argument is val2 (a count) for these, not a pointer. */
    long r = syscall(SYS_futex, w, hop, (uint32_t)a[2], (void *)(uintptr_t)a[3],
                     w2, (uint32_t)a[5]);
    return r < 0 ? -errno : r;
  }
  struct timespec ts;
  if (a[3]) {
    if (copy_from_guest(&p->mmu, &ts, a[3], sizeof ts) < 0)
      return -EFAULT;
    if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
      return -EINVAL;
  }
  return futex_sleep(p, cmd, hop, w, (uint32_t)a[2], a[3] ? &ts : NULL, w2,
                     (uint32_t)a[5]);
}
