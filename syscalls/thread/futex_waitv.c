/* futex_waitv(2) (kernel/futex/syscalls.c, Linux 5.16): wait on up to
 * 128 32-bit words at once until one is woken; the result is its index.
 * As futex.c does for one word, the host's own futex_waitv waits on the
 * words' host addresses, so wakes from FUTEX_WAKE on any thread (or any
 * process, for shared words) arrive, and its errors are the host
 * kernel's: the guest's checks come first, in Linux's order, then a
 * word that cannot be mapped is given to the host as an address that
 * faults there too (EFAULT) and a misaligned one keeps its misalignment
 * (EINVAL). With --deterministic threads, emu's own queues. */
#include <errno.h>
#include <linux/futex.h>
#include <setjmp.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../process.h"
#include "thread_internal.h"

#ifndef SYS_futex_waitv
#define SYS_futex_waitv 449
#endif
#define WAITV_MAX 128     /* FUTEX_WAITV_MAX */
#define SIZE_U32 0x02     /* FUTEX2_SIZE_U32 */
#define SIZE_MASK 0x03    /* FUTEX2_SIZE_MASK */
#define FLAG_PRIVATE 0x80 /* FUTEX2_PRIVATE */

struct waitv {
  uint64_t val, uaddr;
  uint32_t flags, reserved;
};

/* The host address of a guest word, or one that fails as it does. */
static uint64_t host_word(struct process *p, uint64_t addr) {
  if (addr & 3)
    return 0x1000 | (addr & 3); /* EINVAL before any access */
  uint64_t paddr;
  uint32_t e = mmu_translate(&p->mmu, addr, MMU_READ, &paddr);
  if (e && (fault_handle(p, addr, e | PFERR_U) != FAULT_OK ||
            mmu_translate(&p->mmu, addr, MMU_READ, &paddr)))
    return 0x1000; /* never mapped in emu: EFAULT */
  return (uint64_t)(uintptr_t)mmu_phys(&p->mmu, paddr);
}

/* The host's wait, without the kernel lock; a host signal jumps out of
 * it (futex.c explains why), giving -EINTR. */
static long host_waitv(struct process *p, struct waitv *w, unsigned n,
                       const struct timespec *ts, int clock) {
  sigjmp_buf jb;
  volatile long r = -EINTR;
  thread_sleep_begin(p);
  if (sigsetjmp(jb, 1) == 0) {
    host_signal_jump = &jb;
    if (!p->cpu.interrupt) {
      long h = syscall(SYS_futex_waitv, w, n, 0, ts, clock);
      host_signal_jump = NULL;
      r = h < 0 ? -errno : h;
    }
    host_signal_jump = NULL;
  }
  thread_sleep_end(p);
  return r;
}

static bool signalled(struct process *p) {
  host_signals_drain(p);
  return thread_must_stop(p) || (sigqueue_pending(p) & ~p->sigmask);
}

int64_t sys_futex_waitv(struct process *p, const uint64_t a[6]) {
  unsigned n = (unsigned)a[1];
  int clock = (int)a[4];
  if (a[2] || !n || n > WAITV_MAX || !a[0])
    return -EINVAL;
  struct timespec ts;
  if (a[3]) {
    if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC)
      return -EINVAL;
    if (copy_from_guest(&p->mmu, &ts, a[3], sizeof ts) < 0)
      return -EFAULT;
    if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
      return -EINVAL;
  }
  struct waitv w[WAITV_MAX];
  if (copy_from_guest(&p->mmu, w, a[0], n * sizeof *w) < 0)
    return -EFAULT;
  for (unsigned k = 0; k < n; k++)
    if ((w[k].flags & ~(SIZE_MASK | FLAG_PRIVATE)) ||
        (w[k].flags & SIZE_MASK) != SIZE_U32 || w[k].reserved ||
        w[k].val > UINT32_MAX)
      return -EINVAL;
  for (unsigned k = 0; k < n; k++)
    w[k].uaddr = host_word(p, w[k].uaddr);
  if (det_threads(p)) {
    uint32_t *words[WAITV_MAX], vals[WAITV_MAX];
    for (unsigned k = 0; k < n; k++) {
      if (w[k].uaddr < 0x2000)
        return w[k].uaddr & 3 ? -EINVAL : -EFAULT;
      words[k] = (uint32_t *)(uintptr_t)w[k].uaddr;
      vals[k] = (uint32_t)w[k].val;
    }
    int64_t timeout = -1;
    if (a[3]) {
      timeout = ts.tv_sec * 1000000000ll + ts.tv_nsec - time_now_ns(p, clock);
      if (timeout < 0)
        timeout = 0;
    }
    int64_t r = det_futex_waitv(p, words, vals, (int)n, timeout);
    return r == -EINTR ? -ERESTARTSYS : r;
  }
  /* The deadline is absolute: a wait resumed after a kick keeps it. */
  for (;;) {
    long r = host_waitv(p, w, n, a[3] ? &ts : NULL, clock);
    if (r != -EINTR)
      return r;
    if (signalled(p))
      return -ERESTARTSYS; /* futex_wait_multiple: a signal restarts */
  }
}
