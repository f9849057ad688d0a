/* The memory system calls: mmap, munmap, mprotect, brk, mremap, madvise,
 * msync, built on syscalls/memory/mmap.c. */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../../devices/dev.h"
#include "../core_handlers.h"
#include "../fs.h"
#include "../process.h"

int64_t sys_mmap(struct process *p, const uint64_t a[6]) {
  int flags = (int)a[3];
  int host_fd = -1;
  if (!(flags & MAP_ANONYMOUS)) {
    host_fd = fd_host(p, (int)a[4]);
    if (host_fd < 0)
      return -EBADF;
    struct fd_entry *e = fd_entry_of(p, (int)a[4]);
    if (e->dev) /* the driver's mmap */
      return dev_mmap(p, e, a[0], a[1], (int)a[2], flags, a[5]);
  }
  int64_t r = mm_map(p, a[0], a[1], (int)a[2], flags, host_fd, a[5]);
  if (r >= 0 && ((flags & MAP_LOCKED) || p->mm->def_lock))
    mlock_new_mapping(p, (uint64_t)r, a[1], flags & MAP_LOCKED);
  return r;
}

int64_t sys_munmap(struct process *p, const uint64_t a[6]) {
  return mm_unmap(p, a[0], a[1]);
}

int64_t sys_mprotect(struct process *p, const uint64_t a[6]) {
  return mm_protect(p, a[0], a[1], (int)a[2]);
}

/* brk (mm/mmap.c): the break moves within [brk_start, ...); shrinking
 * unmaps, growing maps anonymous memory; failure returns the old break. */
int64_t sys_brk(struct process *p, const uint64_t a[6]) {
  uint64_t want = a[0];
  if (want < p->mm->brk_start)
    return (int64_t)p->mm->brk;
  uint64_t old_top = (p->mm->brk + PAGE_SIZE - 1) & PAGE_MASK;
  uint64_t new_top = (want + PAGE_SIZE - 1) & PAGE_MASK;
  if (new_top < old_top) {
    vma_remove_range(p, new_top, old_top);
  } else if (new_top > old_top) {
    /* Linux checks the new range plus a guard page is free. */
    for (int k = 0; k < p->mm->vmas.n; k++) {
      const struct vma *v = &p->mm->vmas.v[k];
      if (v->start < new_top + PAGE_SIZE && v->end > old_top)
        return (int64_t)p->mm->brk;
    }
    /* do_brk_flags charges the growth (the heap is VM_ACCOUNT). */
    if (mm_enough_memory(p, new_top - old_top) < 0)
      return (int64_t)p->mm->brk;
    struct vma v = {.start = old_top,
                    .end = new_top,
                    .prot = PROT_READ | PROT_WRITE,
                    .flags = MAP_PRIVATE | MAP_ANONYMOUS,
                    .kind = VMA_HEAP,
                    .accounted = true};
    if (vma_insert(p, &v) < 0)
      return (int64_t)p->mm->brk;
  }
  p->mm->brk = want;
  return (int64_t)p->mm->brk;
}

/* Move the first `keep` bytes of [old, old + old_len) of VMA v to a new
 * mapping of new_len bytes at dst (free by now), then unmap the old
 * range. The frames are handed over, not copied. */
static int64_t move_mapping(struct process *p, struct vma *v, uint64_t old,
                            uint64_t old_len, uint64_t new_len, uint64_t dst) {
  struct vma moved = *v;
  moved.offset = v->offset + (old - v->start);
  moved.start = dst;
  moved.end = dst + new_len;
  mapped_file_get(moved.file);
  shm_get(moved.shm);
  if (vma_insert(p, &moved) < 0)
    return -ENOMEM;
  uint64_t keep = old_len < new_len ? old_len : new_len;
  for (uint64_t off = 0; off < keep; off += PAGE_SIZE) {
    uint64_t pte = mmu_pte(&p->mmu, old + off);
    if (!pte)
      continue; /* untouched: the new VMA faults it in the same way */
    /* Hand the frame over: the old mapping drops it without freeing. */
    mmu_unmap(&p->mmu, old + off);
    mmu_map(&p->mmu, dst + off, pte & PTE_ADDR, pte, NULL);
  }
  mmu_shootdown(&p->mmu);
  vma_remove_range(p, old, old + old_len);
  return (int64_t)dst;
}

/* MREMAP_FIXED (mm/mremap.c mremap_to): the mapping moves to new_addr
 * whatever its size, after what was there is unmapped; the two ranges
 * may not overlap. */
static int64_t mremap_to(struct process *p, uint64_t old, uint64_t old_len,
                         uint64_t new_len, uint64_t new_addr) {
  if ((new_addr & ~PAGE_MASK) || new_addr + new_len > USER_TOP ||
      new_addr + new_len < new_addr)
    return -EINVAL;
  if (new_addr < old + old_len && old < new_addr + new_len)
    return -EINVAL;
  struct vma *v = vma_find(&p->mm->vmas, old);
  if (!v || old + old_len > v->end)
    return -EFAULT;
  if (v->file && v->file->pfnmap && new_len > old_len)
    return -EFAULT;
  if (v->accounted && new_len > old_len &&
      mm_enough_memory(p, new_len - old_len) < 0)
    return -ENOMEM;
  vma_remove_range(p, new_addr, new_addr + new_len);
  v = vma_find(&p->mm->vmas, old);
  return move_mapping(p, v, old, old_len, new_len, new_addr);
}

int64_t sys_mremap(struct process *p, const uint64_t a[6]) {
  uint64_t old = a[0], old_len = (a[1] + PAGE_SIZE - 1) & PAGE_MASK;
  uint64_t new_len = (a[2] + PAGE_SIZE - 1) & PAGE_MASK;
  int flags = (int)a[3];
  if ((old & ~PAGE_MASK) || new_len == 0 ||
      (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED)))
    return -EINVAL;
  if (flags & MREMAP_FIXED) {
    if (!(flags & MREMAP_MAYMOVE))
      return -EINVAL;
    return mremap_to(p, old, old_len, new_len, a[4]);
  }
  struct vma *v = vma_find(&p->mm->vmas, old);
  if (!v || old + old_len > v->end)
    return -EFAULT;
  if (new_len <= old_len) {
    if (new_len < old_len)
      vma_remove_range(p, old + new_len, old + old_len);
    return (int64_t)old;
  }
  /* A device's memory (VM_PFNMAP | VM_DONTEXPAND) cannot grow
   * (mm/mremap.c vma_to_resize). */
  if (v->file && v->file->pfnmap)
    return -EFAULT;
  /* Growing accounted memory charges the difference, in place or moved
   * (mm/mremap.c: vma_expandable's caller, move_vma). */
  if (v->accounted && mm_enough_memory(p, new_len - old_len) < 0)
    return -ENOMEM;
  /* Grow in place when the pages after it are free. */
  bool free_after = old + new_len <= USER_TOP;
  for (int k = 0; free_after && k < p->mm->vmas.n; k++)
    if (p->mm->vmas.v[k].start < old + new_len &&
        p->mm->vmas.v[k].end > old + old_len)
      free_after = false;
  if (free_after && v->end == old + old_len) {
    struct vma grown = *v;
    grown.start = v->end;
    grown.end = old + new_len;
    grown.offset = v->offset + (v->end - v->start);
    mapped_file_get(grown.file);
    /* A shared file grows by a new view of the file (the page cache
     * is one); shared anonymous memory keeps its object, whose end is
     * the shmem file's: pages past it raise SIGBUS, as on Linux. */
    if (grown.shm && !grown.shm->anonymous)
      grown.shm = shm_create(p, grown.file->host_fd, grown.offset,
                             grown.end - grown.start, grown.shm->writable);
    else
      shm_get(grown.shm);
    if (vma_insert(p, &grown) < 0)
      return -ENOMEM;
    return (int64_t)old;
  }
  if (!(flags & MREMAP_MAYMOVE))
    return -ENOMEM;
  /* get_unmapped_area as mmap would place it (private anonymous memory
   * on a 2 MiB boundary when it can). */
  bool anon = !v->file && !(v->flags & MAP_SHARED);
  uint64_t dst =
      anon ? mm_find_free_anon(p, new_len) : mm_find_free(p, new_len);
  if (!dst)
    return -ENOMEM;
  return move_mapping(p, v, old, old_len, new_len, dst);
}

/* MADV_POPULATE_READ/WRITE (mm/madvise.c madvise_populate): fault
 * every page in as a read or a write would; a page that cannot be is
 * EFAULT (ENOMEM where nothing is mapped). */
static int64_t populate_range(struct process *p, uint64_t addr, uint64_t len,
                              bool write) {
  uint32_t err = write ? PFERR_U | PFERR_W : PFERR_U;
  for (uint64_t x = addr; x < addr + len; x += PAGE_SIZE) {
    if (!vma_find(&p->mm->vmas, x))
      return -ENOMEM;
    enum fault_result r = fault_handle(p, x, err);
    if (r == FAULT_OOM) {
      signal_kill(p, SIGKILL, SI_KERNEL, 0);
      return -ENOMEM;
    }
    if (r != FAULT_OK)
      return -EFAULT;
  }
  return 0;
}

/* mm/madvise.c madvise_behavior_valid, for a kernel with KSM and
 * transparent huge pages. MADV_COLLAPSE is refused: emu's memory has no
 * huge pages to collapse into (Linux says EINVAL for a range that cannot
 * hold one). */
static bool advice_valid(int advice) {
  switch (advice) {
  case MADV_NORMAL:
  case MADV_RANDOM:
  case MADV_SEQUENTIAL:
  case MADV_WILLNEED:
  case MADV_DONTNEED:
  case MADV_FREE:
  case MADV_REMOVE:
  case MADV_DONTFORK:
  case MADV_DOFORK:
  case MADV_MERGEABLE:
  case MADV_UNMERGEABLE:
  case MADV_HUGEPAGE:
  case MADV_NOHUGEPAGE:
  case MADV_DONTDUMP:
  case MADV_DODUMP:
  case MADV_WIPEONFORK:
  case MADV_KEEPONFORK:
  case 20: /* MADV_COLD */
  case 21: /* MADV_PAGEOUT */
  case 22: /* MADV_POPULATE_READ */
  case 23: /* MADV_POPULATE_WRITE */
  case 24: /* MADV_DONTNEED_LOCKED */
  case MADV_HWPOISON:
  case 101: /* MADV_SOFT_OFFLINE */ return true;
  default: return false;
  }
}

int64_t sys_madvise(struct process *p, const uint64_t a[6]) {
  uint64_t addr = a[0], len = (a[1] + PAGE_SIZE - 1) & PAGE_MASK;
  int advice = (int)a[2];
  if (!advice_valid(advice) || (addr & ~PAGE_MASK))
    return -EINVAL;
  if (advice == MADV_HWPOISON || advice == 101)
    return -EPERM;                  /* CAP_SYS_ADMIN's */
  if (advice == 22 || advice == 23) /* MADV_POPULATE_READ, _WRITE */
    return populate_range(p, addr, len, advice == 23);
  if (advice == MADV_DONTNEED) {
    /* Private pages read back as zero (anonymous) or the file's data:
     * drop the frames and let the next touch fault them in again. */
    for (uint64_t x = addr; x < addr + len; x += PAGE_SIZE) {
      struct vma *v = vma_find(&p->mm->vmas, x);
      if (!v)
        return -ENOMEM;
      uint64_t pte = mmu_unmap(&p->mmu, x);
      if (pte)
        mmu_frame_free(&p->mmu, pte & PTE_ADDR);
    }
    mmu_shootdown(&p->mmu);
  }
  return 0;
}

int64_t sys_msync(struct process *p, const uint64_t a[6]) {
  int flags = (int)a[2];
  if ((flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) || (a[0] & ~PAGE_MASK) ||
      ((flags & MS_ASYNC) && (flags & MS_SYNC)))
    return -EINVAL;
  for (uint64_t x = a[0]; x < a[0] + a[1]; x += PAGE_SIZE)
    if (!vma_find(&p->mm->vmas, x))
      return -ENOMEM;
  return 0;
}

/* Every page of [addr, addr + len) mapped: ENOMEM otherwise. */
static int range_mapped(struct process *p, uint64_t addr, uint64_t len) {
  uint64_t end = addr + len;
  if (end < addr)
    return -ENOMEM;
  for (uint64_t x = addr; x < end;) {
    struct vma *v = vma_find(&p->mm->vmas, x);
    if (!v)
      return -ENOMEM;
    x = v->end;
  }
  return 0;
}

/* mincore (mm/mincore.c): one byte per page, 1 when the page is in
 * memory: a page the guest has touched. */
int64_t sys_mincore(struct process *p, const uint64_t a[6]) {
  uint64_t addr = a[0], len = a[1];
  if (addr & ~PAGE_MASK)
    return -EINVAL;
  if (addr + len < addr || addr + len > USER_TOP)
    return -ENOMEM;
  uint64_t pages = (len + PAGE_SIZE - 1) / PAGE_SIZE;
  int r = range_mapped(p, addr, pages * PAGE_SIZE);
  for (uint64_t k = 0; r == 0 && k < pages; k++) {
    uint8_t in = mmu_pte(&p->mmu, addr + k * PAGE_SIZE) ? 1 : 0;
    if (copy_to_guest(&p->mmu, a[2] + k, &in, 1) < 0)
      return -EFAULT;
  }
  return r;
}

/* membarrier orders memory across the process's threads, which are host
 * threads: the host's call does it (and answers MEMBARRIER_CMD_QUERY with
 * what the host kernel supports). */
int64_t sys_membarrier(struct process *p, const uint64_t a[6]) {
  (void)p;
  long r = syscall(SYS_membarrier, (int)a[0], (unsigned)a[1], (int)a[2]);
  return r < 0 ? -errno : r;
}
