/* mlock and friends (mm/mlock.c) over emu's VMAs: the locked state is
 * the VMA's (VM_LOCKED, VM_LOCKONFAULT), locking populates the pages as
 * Linux's __mm_populate does (a locked page is a present page: that is
 * what mincore reports), and RLIMIT_MEMLOCK applies as Linux applies it:
 * without CAP_IPC_LOCK a limit of 0 is EPERM and going over it ENOMEM
 * (mlock) or EAGAIN (a locked mmap). Nothing is locked on the host: the
 * model's memory is never swapped out. */
#include <errno.h>
#include <linux/capability.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../process.h"
#include "../syscall_table.h"

#ifndef MCL_ONFAULT
#define MCL_ONFAULT 4
#endif
#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT 1
#endif

/* capable(CAP_IPC_LOCK): the host thread's effective set (the guest's
 * credentials are emu's). */
static bool cap_ipc_lock(void) {
  struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct d[2];
  if (syscall(SYS_capget, &h, d) < 0)
    return false;
  return d[CAP_IPC_LOCK / 32].effective & (1u << (CAP_IPC_LOCK % 32));
}

static uint64_t memlock_limit_pages(void) {
  struct rlimit r;
  if (getrlimit(RLIMIT_MEMLOCK, &r) < 0 || r.rlim_cur == RLIM_INFINITY)
    return UINT64_MAX;
  return r.rlim_cur / PAGE_SIZE;
}

/* can_do_mlock */
static bool can_lock(void) {
  return memlock_limit_pages() != 0 || cap_ipc_lock();
}

/* VMAs mlock leaves alone (VM_SPECIAL, the vDSO's): device memory and
 * the vDSO/vvar pages. */
static bool lockable(const struct vma *v) {
  return v->kind != VMA_VDSO && v->kind != VMA_VVAR &&
         v->kind != VMA_VVAR_VCLOCK && !(v->file && v->file->pfnmap);
}

static uint64_t locked_in(struct process *p, uint64_t start, uint64_t end) {
  uint64_t n = 0;
  for (int k = 0; k < p->mm->vmas.n; k++) {
    const struct vma *v = &p->mm->vmas.v[k];
    uint64_t s = v->start > start ? v->start : start;
    uint64_t e = v->end < end ? v->end : end;
    if ((v->lock & VMA_LOCKED) && s < e)
      n += e - s;
  }
  return n;
}

uint64_t mlock_locked_bytes(struct process *p) {
  return locked_in(p, 0, UINT64_MAX);
}

/* apply_vma_lock_flags: VMA after VMA from start, each split to the
 * range and given the flags, until the end or a hole: then ENOMEM, with
 * the VMAs before the hole changed, as Linux leaves them. */
static int set_lock(struct process *p, uint64_t start, uint64_t end,
                    uint8_t lock) {
  for (uint64_t a = start; a < end;) {
    struct vma *v = vma_find(&p->mm->vmas, a);
    if (!v)
      return -ENOMEM;
    uint64_t piece_end = v->end < end ? v->end : end;
    if (mm_split_at(p, a) || mm_split_at(p, piece_end))
      return -ENOMEM;
    v = vma_find(&p->mm->vmas, a);
    if (lockable(v))
      v->lock = lock;
    a = piece_end;
  }
  return 0;
}

/* __mm_populate: fault in the locked VMAs' pages (not the ones locked
 * on fault), a private writable one for writing as get_user_pages does;
 * a page that cannot be touched (PROT_NONE) is EFAULT. */
static int populate(struct process *p, uint64_t start, uint64_t end) {
  for (int k = 0; k < p->mm->vmas.n; k++) {
    const struct vma v = p->mm->vmas.v[k];
    if (v.end <= start || v.start >= end || !(v.lock & VMA_LOCKED) ||
        (v.lock & VMA_LOCKONFAULT) || !lockable(&v))
      continue;
    if (!(v.prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
      return -EFAULT;
    bool write = (v.prot & PROT_WRITE) && !(v.flags & MAP_SHARED);
    uint64_t s = v.start > start ? v.start : start;
    uint64_t e = v.end < end ? v.end : end;
    for (uint64_t a = s; a < e; a += PAGE_SIZE) {
      uint64_t pte = mmu_pte(&p->mmu, a);
      if (pte && (!write || (pte & PTE_W)))
        continue;
      enum fault_result r = fault_handle(p, a, PFERR_U | (write ? PFERR_W : 0));
      if (r == FAULT_OOM)
        return -ENOMEM;
      if (r != FAULT_OK)
        return -EFAULT;
    }
  }
  return 0;
}

/* do_mlock */
static int64_t do_mlock(struct process *p, uint64_t start, uint64_t len,
                        uint8_t lock) {
  if (!can_lock())
    return -EPERM;
  len = (len + (start & ~PAGE_MASK) + PAGE_SIZE - 1) & PAGE_MASK;
  start &= PAGE_MASK;
  uint64_t end = start + len;
  if (end < start)
    return -ENOMEM;
  uint64_t locked = len / PAGE_SIZE + mlock_locked_bytes(p) / PAGE_SIZE;
  uint64_t limit = memlock_limit_pages();
  if (locked > limit && !cap_ipc_lock()) {
    locked -= locked_in(p, start, end) / PAGE_SIZE;
    if (locked > limit)
      return -ENOMEM;
  }
  int r = set_lock(p, start, end, lock);
  if (r < 0)
    return r;
  r = populate(p, start, end);
  /* __mlock_posix_error_return */
  return r == -EFAULT ? -ENOMEM : r == -ENOMEM ? -EAGAIN : r;
}

int64_t sys_mlock(struct process *p, const uint64_t a[6]) {
  return do_mlock(p, a[0], a[1], VMA_LOCKED);
}

int64_t sys_mlock2(struct process *p, const uint64_t a[6]) {
  if (a[2] & ~(uint64_t)MLOCK_ONFAULT)
    return -EINVAL;
  uint8_t lock = VMA_LOCKED | (a[2] & MLOCK_ONFAULT ? VMA_LOCKONFAULT : 0);
  return do_mlock(p, a[0], a[1], lock);
}

int64_t sys_munlock(struct process *p, const uint64_t a[6]) {
  uint64_t start = a[0] & PAGE_MASK;
  uint64_t len = (a[1] + (a[0] & ~PAGE_MASK) + PAGE_SIZE - 1) & PAGE_MASK;
  if (start + len < start)
    return -ENOMEM;
  return set_lock(p, start, start + len, 0);
}

/* apply_mlockall_flags: MCL_FUTURE sets the flags new mappings get,
 * MCL_CURRENT locks every mapping now. */
int64_t sys_mlockall(struct process *p, const uint64_t a[6]) {
  uint64_t flags = a[0];
  if (!flags || (flags & ~(uint64_t)(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) ||
      flags == MCL_ONFAULT)
    return -EINVAL;
  if (!can_lock())
    return -EPERM;
  uint64_t total = 0;
  for (int k = 0; k < p->mm->vmas.n; k++)
    total += p->mm->vmas.v[k].end - p->mm->vmas.v[k].start;
  if ((flags & MCL_CURRENT) && total / PAGE_SIZE > memlock_limit_pages() &&
      !cap_ipc_lock())
    return -ENOMEM;
  uint8_t lock = VMA_LOCKED | (flags & MCL_ONFAULT ? VMA_LOCKONFAULT : 0);
  p->mm->def_lock = flags & MCL_FUTURE ? lock : 0;
  if (!(flags & MCL_CURRENT))
    return 0;
  for (int k = 0; k < p->mm->vmas.n; k++)
    if (lockable(&p->mm->vmas.v[k]))
      p->mm->vmas.v[k].lock = lock;
  populate(p, 0, USER_TOP); /* mm_populate ignores errors */
  return 0;
}

int64_t sys_munlockall(struct process *p, const uint64_t a[6]) {
  (void)a;
  p->mm->def_lock = 0;
  for (int k = 0; k < p->mm->vmas.n; k++)
    p->mm->vmas.v[k].lock = 0;
  return 0;
}

void mlock_new_mapping(struct process *p, uint64_t start, uint64_t len,
                       bool map_locked) {
  uint8_t lock = p->mm->def_lock ? p->mm->def_lock
                 : map_locked    ? VMA_LOCKED
                                 : 0;
  if (!lock)
    return;
  uint64_t end = start + ((len + PAGE_SIZE - 1) & PAGE_MASK);
  if (set_lock(p, start, end, lock) == 0)
    populate(p, start, end);
}

/* dup_mmap: a child's mappings are not locked, nor its future ones. */
void mlock_fork_child(struct process *p) {
  p->mm->def_lock = 0;
  for (int k = 0; k < p->mm->vmas.n; k++)
    p->mm->vmas.v[k].lock = 0;
}
