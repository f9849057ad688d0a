/* The shared window: guest physical addresses above the private frames
 * whose host pages are MAP_SHARED views of a memfd (shared anonymous
 * memory) or of a file. A fork of emu inherits host shared mappings as
 * shared, so a frame here is the same memory in parent and child — what
 * Linux's page cache and shmem give MAP_SHARED — while the private
 * frames below are copied on write. Ranges are handed out first fit and
 * never split across two objects, so an object's page n is at its base
 * plus n pages in every process that inherited it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "mmu.h"

int window_init(struct mmu *m, uint64_t size) {
  m->space->window_size = size;
  m->space->window_cap = 16;
  m->space->window_free =
      calloc((size_t)m->space->window_cap, sizeof *m->space->window_free);
  if (!m->space->window_free)
    return -ENOMEM;
  m->space->window_free[0] = (struct window_range){m->phys_size, size};
  m->space->window_nfree = 1;
  return 0;
}

uint64_t mmu_window_map(struct mmu *m, int fd, uint64_t offset, uint64_t len,
                        bool writable) {
  len = (len + PAGE_SIZE - 1) & PAGE_MASK;
  int k = 0;
  while (k < m->space->window_nfree && m->space->window_free[k].len < len)
    k++;
  if (k == m->space->window_nfree) {
    errno = ENOMEM;
    return 0;
  }
  struct window_range *r = &m->space->window_free[k];
  uint64_t paddr = r->start;
  int prot = PROT_READ | (writable ? PROT_WRITE : 0);
  void *want = m->phys + paddr;
  void *got = mmap(want, len, prot, MAP_SHARED | MAP_FIXED, fd, (off_t)offset);
  if (got != want)
    return 0; /* MAP_FIXED over our own reservation: only EACCES & co. */
  r->start += len;
  r->len -= len;
  if (!r->len) {
    memmove(r, r + 1, (size_t)(m->space->window_nfree - k - 1) * sizeof *r);
    m->space->window_nfree--;
  }
  return paddr;
}

/* Insert [start, start+len) into the sorted free list, merging. */
static void free_range(struct mmu *m, uint64_t start, uint64_t len) {
  int k = 0;
  while (k < m->space->window_nfree && m->space->window_free[k].start < start)
    k++;
  struct window_range *v = m->space->window_free;
  if (k > 0 && v[k - 1].start + v[k - 1].len == start) {
    v[k - 1].len += len;
    if (k < m->space->window_nfree && start + len == v[k].start) {
      v[k - 1].len += v[k].len;
      memmove(&v[k], &v[k + 1],
              (size_t)(m->space->window_nfree - k - 1) * sizeof *v);
      m->space->window_nfree--;
    }
    return;
  }
  if (k < m->space->window_nfree && start + len == v[k].start) {
    v[k].start = start;
    v[k].len += len;
    return;
  }
  if (m->space->window_nfree == m->space->window_cap) {
    int cap = m->space->window_cap * 2;
    v = realloc(v, (size_t)cap * sizeof *v);
    if (!v)
      abort(); /* host out of memory: emulator invariant */
    m->space->window_free = v;
    m->space->window_cap = cap;
  }
  memmove(&v[k + 1], &v[k], (size_t)(m->space->window_nfree - k) * sizeof *v);
  v[k] = (struct window_range){start, len};
  m->space->window_nfree++;
}

void mmu_window_unmap(struct mmu *m, uint64_t paddr, uint64_t len) {
  len = (len + PAGE_SIZE - 1) & PAGE_MASK;
  /* Back to plain reserved address space: the shared object loses this
   * process's reference, and nothing is committed. */
  mmap(m->phys + paddr, len, PROT_NONE,
       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
  tlb_flush_all(m);
  free_range(m, paddr, len);
}
