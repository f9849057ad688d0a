/* The memory system calls: mmap, munmap, mprotect, brk, mremap, madvise,
 * msync, built on syscalls/memory/mmap.c. */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

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
  return mm_map(p, a[0], a[1], (int)a[2], flags, host_fd, a[5]);
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

int64_t sys_mremap(struct process *p, const uint64_t a[6]) {
  uint64_t old = a[0], old_len = (a[1] + PAGE_SIZE - 1) & PAGE_MASK;
  uint64_t new_len = (a[2] + PAGE_SIZE - 1) & PAGE_MASK;
  int flags = (int)a[3];
  if ((old & ~PAGE_MASK) || new_len == 0 ||
      (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED)))
    return -EINVAL;
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
  if (free_after && v->end == old + old_len && !(flags & MREMAP_FIXED)) {
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
  /* Move: copy the contents into a new anonymous-or-file mapping. The
   * frames are moved by copying through the kernel's view. */
  /* get_unmapped_area as mmap would place it (private anonymous memory
   * on a 2 MiB boundary when it can). */
  bool anon = !v->file && !(v->flags & MAP_SHARED);
  uint64_t dst =
      anon ? mm_find_free_anon(p, new_len) : mm_find_free(p, new_len);
  if (!dst)
    return -ENOMEM;
  struct vma moved = *v;
  moved.offset = v->offset + (old - v->start);
  moved.start = dst;
  moved.end = dst + new_len;
  mapped_file_get(moved.file);
  shm_get(moved.shm);
  if (vma_insert(p, &moved) < 0)
    return -ENOMEM;
  for (uint64_t off = 0; off < old_len; off += PAGE_SIZE) {
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

int64_t sys_madvise(struct process *p, const uint64_t a[6]) {
  uint64_t addr = a[0], len = (a[1] + PAGE_SIZE - 1) & PAGE_MASK;
  int advice = (int)a[2];
  if (addr & ~PAGE_MASK)
    return -EINVAL;
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
  if (a[0] & ~PAGE_MASK)
    return -EINVAL;
  for (uint64_t x = a[0]; x < a[0] + a[1]; x += PAGE_SIZE)
    if (!vma_find(&p->mm->vmas, x))
      return -ENOMEM;
  return 0;
}
