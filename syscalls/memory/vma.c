/* The process's VMAs: a sorted array of non-overlapping ranges, each
 * saying what backs its pages (anonymous memory or a host file) and with
 * which protection. Page tables are filled lazily by syscalls/memory/fault.c.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../process.h"

struct mapped_file *mapped_file_get(struct mapped_file *f) {
  if (f)
    f->refs++;
  return f;
}

void mapped_file_put(struct mapped_file *f) {
  if (!f || --f->refs > 0)
    return;
  close(f->host_fd);
  free(f->path);
  free(f);
}

struct vma *vma_find(struct vma_list *l, uint64_t addr) {
  int lo = 0, hi = l->n - 1;
  while (lo <= hi) {
    int mid = (lo + hi) / 2;
    struct vma *v = &l->v[mid];
    if (addr < v->start)
      hi = mid - 1;
    else if (addr >= v->end)
      lo = mid + 1;
    else
      return v;
  }
  return NULL;
}

/* MAP_SHARED file pages the guest dirtied go back to the file, as the
 * page cache would write them; the D bit says which. */
static void write_back(struct process *p, const struct vma *v, uint64_t page,
                       uint64_t pte) {
  if (!v->file || v->shm || !(v->flags & 0x01 /* MAP_SHARED */) ||
      !(pte & PTE_D))
    return;
  uint64_t off = v->offset + (page - v->start);
  if (off >= v->file_size)
    return;
  uint64_t n = v->file_size - off < PAGE_SIZE ? v->file_size - off : PAGE_SIZE;
  ssize_t w = pwrite(v->file->host_fd, mmu_phys(&p->mmu, pte & PTE_ADDR), n,
                     (off_t)off);
  (void)w; /* a failed write-back is lost, as with a full disk on Linux */
}

static void unmap_pages(struct process *p, const struct vma *v, uint64_t start,
                        uint64_t end) {
  uint64_t pte;
  for (uint64_t page = mmu_next_present(&p->mmu, start, end, &pte); page < end;
       page = mmu_next_present(&p->mmu, page + PAGE_SIZE, end, &pte)) {
    write_back(p, v, page, pte);
    mmu_unmap(&p->mmu, page);
    mmu_frame_free(&p->mmu, pte & PTE_ADDR);
  }
  /* Other threads' TLBs drop the pages before munmap returns; the frames
   * are not handed out again before then (the kernel lock is held). */
  mmu_shootdown(&p->mmu);
}

static int reserve(struct vma_list *l, int extra) {
  if (l->n + extra <= l->cap)
    return 0;
  int cap = l->cap ? l->cap * 2 : 32;
  while (cap < l->n + extra)
    cap *= 2;
  struct vma *v = realloc(l->v, (size_t)cap * sizeof *v);
  if (!v)
    return -1;
  l->v = v;
  l->cap = cap;
  return 0;
}

void vma_remove_range(struct process *p, uint64_t start, uint64_t end) {
  struct vma_list *l = &p->mm->vmas;
  for (int k = 0; k < l->n;) {
    struct vma *v = &l->v[k];
    if (v->end <= start || v->start >= end) {
      k++;
      continue;
    }
    uint64_t cut_start = v->start > start ? v->start : start;
    uint64_t cut_end = v->end < end ? v->end : end;
    unmap_pages(p, v, cut_start, cut_end);
    if (v->start < cut_start && v->end > cut_end) {
      /* The hole is in the middle: split into two. */
      if (reserve(l, 1))
        abort(); /* host out of memory: emulator invariant */
      v = &l->v[k];
      memmove(&l->v[k + 1], &l->v[k], (size_t)(l->n - k) * sizeof *v);
      l->n++;
      struct vma *hi = &l->v[k + 1];
      hi->offset += cut_end - hi->start;
      hi->start = cut_end;
      mapped_file_get(hi->file);
      shm_get(hi->shm);
      l->v[k].end = cut_start;
      k += 2;
    } else if (v->start < cut_start) {
      v->end = cut_start;
      k++;
    } else if (v->end > cut_end) {
      v->offset += cut_end - v->start;
      v->start = cut_end;
      k++;
    } else {
      mapped_file_put(v->file);
      shm_put(p, v->shm);
      memmove(&l->v[k], &l->v[k + 1], (size_t)(l->n - k - 1) * sizeof *v);
      l->n--;
    }
  }
}

static int mergeable(const struct vma *a, const struct vma *b) {
  if (a->end != b->start || a->prot != b->prot || a->flags != b->flags ||
      a->kind != b->kind || a->file != b->file || a->shm != b->shm ||
      a->accounted != b->accounted || a->lock != b->lock)
    return 0;
  return (!a->file && !a->shm) || a->offset + (a->end - a->start) == b->offset;
}

int vma_insert(struct process *p, const struct vma *nv) {
  struct vma_list *l = &p->mm->vmas;
  if (reserve(l, 1))
    return -1;
  int k = 0;
  while (k < l->n && l->v[k].start < nv->start)
    k++;
  memmove(&l->v[k + 1], &l->v[k], (size_t)(l->n - k) * sizeof *nv);
  l->v[k] = *nv;
  l->n++;
  /* Merge with the neighbours, as Linux's vma_merge does. */
  if (k + 1 < l->n && mergeable(&l->v[k], &l->v[k + 1])) {
    l->v[k].end = l->v[k + 1].end;
    mapped_file_put(l->v[k + 1].file);
    shm_put(p, l->v[k + 1].shm);
    memmove(&l->v[k + 1], &l->v[k + 2], (size_t)(l->n - k - 2) * sizeof *nv);
    l->n--;
  }
  if (k > 0 && mergeable(&l->v[k - 1], &l->v[k])) {
    l->v[k - 1].end = l->v[k].end;
    mapped_file_put(l->v[k].file);
    shm_put(p, l->v[k].shm);
    memmove(&l->v[k], &l->v[k + 1], (size_t)(l->n - k - 1) * sizeof *nv);
    l->n--;
  }
  return 0;
}
