/* Futexes on MAP_SHARED memory, between processes. A shared futex is
 * keyed by the memory, not the address space (Linux's get_futex_key:
 * inode and offset, or the shmem object), and a guest's shared memory
 * is host shared memory (syscalls/shm.c): so the host's own futex on
 * the host address of the guest's page is the same futex in every
 * process that maps it, guest or native. FUTEX_PRIVATE_FLAG, or
 * private memory, stays emu's own (sigcalls.c: one thread per process).
 *
 * A wait sleeps in slices of at most 100 ms, checking for a guest signal
 * between them: the host futex has no form that unblocks signals
 * atomically, so a signal arriving just before the sleep is seen at
 * the end of the slice instead of at once. */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "process.h"

#define SLICE_NS 100000000ll

/* The host address of a shared guest futex word, or NULL when the word
 * is not in shared memory (or cannot be mapped: the caller's -EFAULT). */
static uint32_t *host_word(struct process *p, uint64_t uaddr, int *err) {
  *err = 0;
  struct vma *v = vma_find(&p->mm->vmas, uaddr);
  if (!v || !v->shm)
    return NULL;
  uint64_t paddr;
  uint32_t e = mmu_translate(&p->mmu, uaddr, MMU_READ, &paddr);
  if (e) {
    if (fault_handle(p, uaddr, e | PFERR_U) != FAULT_OK ||
        mmu_translate(&p->mmu, uaddr, MMU_READ, &paddr)) {
      *err = -EFAULT;
      return NULL;
    }
  }
  return (uint32_t *)mmu_phys(&p->mmu, paddr);
}

static int64_t now_ns(int clock) {
  struct timespec t;
  clock_gettime(clock, &t);
  return t.tv_sec * 1000000000ll + t.tv_nsec;
}

static int64_t wait_shared(struct process *p, uint32_t *word, uint32_t val,
                           const uint64_t a[6], int cmd) {
  uint32_t bitset = cmd == FUTEX_WAIT_BITSET ? (uint32_t)a[5] : ~0u;
  int clock = (a[1] & FUTEX_CLOCK_REALTIME) ? CLOCK_REALTIME : CLOCK_MONOTONIC;
  int64_t deadline = INT64_MAX;
  if (a[3]) {
    struct timespec t;
    if (copy_from_guest(&p->mmu, &t, a[3], sizeof t) < 0)
      return -EFAULT;
    if (t.tv_sec < 0 || t.tv_nsec < 0 || t.tv_nsec >= 1000000000)
      return -EINVAL;
    int64_t ns = t.tv_sec * 1000000000ll + t.tv_nsec;
    /* FUTEX_WAIT's timeout is relative on CLOCK_MONOTONIC. */
    deadline = cmd == FUTEX_WAIT ? now_ns(CLOCK_MONOTONIC) + ns : ns;
    if (cmd == FUTEX_WAIT)
      clock = CLOCK_MONOTONIC;
  }
  for (;;) {
    if (host_wait_signalled(p, p->sigmask))
      return -ERESTARTSYS;
    int64_t now = now_ns(clock);
    if (now >= deadline)
      return -ETIMEDOUT;
    int64_t until = deadline - now > SLICE_NS ? now + SLICE_NS : deadline;
    struct timespec abs = {until / 1000000000, until % 1000000000};
    int op = FUTEX_WAIT_BITSET |
             (clock == CLOCK_REALTIME ? FUTEX_CLOCK_REALTIME : 0);
    long r = syscall(SYS_futex, word, op, val, &abs, NULL, bitset);
    if (r == 0)
      return 0;
    if (errno == EAGAIN)
      return -EAGAIN;
    if (errno != ETIMEDOUT && errno != EINTR)
      return -errno;
  }
}

bool futex_shared(struct process *p, const uint64_t a[6], int64_t *ret) {
  if (a[1] & FUTEX_PRIVATE_FLAG)
    return false;
  int cmd = (int)(a[1] & FUTEX_CMD_MASK);
  int err;
  uint32_t *word = host_word(p, a[0], &err);
  if (!word) {
    if (err)
      *ret = err;
    return err != 0;
  }
  switch (cmd) {
  case FUTEX_WAIT:
  case FUTEX_WAIT_BITSET:
    if (cmd == FUTEX_WAIT_BITSET && (uint32_t)a[5] == 0)
      *ret = -EINVAL;
    else
      *ret = wait_shared(p, word, (uint32_t)a[2], a, cmd);
    return true;
  case FUTEX_WAKE:
  case FUTEX_WAKE_BITSET: {
    uint32_t bitset = cmd == FUTEX_WAKE_BITSET ? (uint32_t)a[5] : ~0u;
    long r = syscall(SYS_futex, word, FUTEX_WAKE_BITSET, (int)a[2], NULL, NULL,
                     bitset);
    *ret = r < 0 ? -errno : r;
    return true;
  }
  case FUTEX_REQUEUE:
  case FUTEX_CMP_REQUEUE:
  case FUTEX_WAKE_OP: {
    uint32_t *word2 = host_word(p, a[4], &err);
    if (!word2) {
      if (!err)
        return false; /* the second word is private: emu's own */
      *ret = err;
      return true;
    }
    long r = syscall(SYS_futex, word, cmd, (int)a[2], (void *)(uintptr_t)a[3],
                     word2, (int)a[5]);
    *ret = r < 0 ? -errno : r;
    return true;
  }
  default: return false;
  }
}
