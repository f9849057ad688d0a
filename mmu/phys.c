/* Guest physical memory: one large host reservation, handed out in 4 KiB
 * frames. The host commits a page only when it is first written, so a
 * large reservation costs nothing until the guest uses it. */
#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "mmu.h"

#define WINDOW_MAX (16ull << 40)

static int mmu_init_failed(struct mmu *m) {
  free(m->space);
  m->space = NULL;
  return -ENOMEM;
}

/* The host's large page. Frames go out from the bottom, so the first
 * 2 MiB of guest memory is what every program touches: with the
 * reservation aligned to it, that becomes one host page (one fault, not
 * one per frame: /bin/true's start-up touched ~120 frames, each a
 * fault); unaligned, the first partial large page never can be one. */
#define HOST_LARGE_PAGE (2ull << 20)

/* `bytes` of inaccessible address space starting on a large-page
 * boundary, or NULL. */
static void *reserve_aligned(uint64_t bytes) {
  uint64_t total = bytes + HOST_LARGE_PAGE;
  uint8_t *got = mmap(NULL, total, PROT_NONE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (got == MAP_FAILED)
    return NULL;
  uintptr_t start = ((uintptr_t)got + HOST_LARGE_PAGE - 1) &
                    ~(uintptr_t)(HOST_LARGE_PAGE - 1);
  uint8_t *aligned = (uint8_t *)start;
  if (aligned > got)
    munmap(got, (size_t)(aligned - got));
  size_t tail = (size_t)(got + total - (aligned + bytes));
  if (tail)
    munmap(aligned + bytes, tail);
  return aligned;
}

int mmu_init(struct mmu *m, uint64_t phys_bytes) {
  memset(m, 0, sizeof *m);
  m->space = calloc(1, sizeof *m->space);
  if (!m->space)
    return -ENOMEM;
  m->space->cpus[0] = m;
  m->space->ncpus = 1;
  /* Above the private frames, address space for shared memory
   * (mmu/window.c), inaccessible until a MAP_SHARED mapping is placed
   * there: 16 TiB, as much as the host grants (ASan and valgrind take
   * their share), at least as much as the frames. A MAP_SHARED mapping
   * may be far larger than the machine's memory (a sparse file, a
   * MAP_NORESERVE region), so the window is not sized by RAM. */
  uint64_t window = WINDOW_MAX;
  void *base;
  for (;;) {
    base = reserve_aligned(phys_bytes + window);
    if (base)
      break;
    if (window <= phys_bytes)
      return mmu_init_failed(m);
    window /= 2;
  }
  if (mprotect(base, phys_bytes, PROT_READ | PROT_WRITE) < 0) {
    munmap(base, phys_bytes + window);
    return mmu_init_failed(m);
  }
  /* Frames are handed out from the bottom up, so guest memory is dense:
   * backing it with 2 MiB pages where the host allows takes one host
   * fault per 512 frames instead of one per frame (start-up of a short
   * program touches a few hundred). Advice only: failure changes
   * nothing. */
  madvise(base, phys_bytes, MADV_HUGEPAGE);
  m->phys = base;
  m->phys_size = phys_bytes;
  /* One slot per frame, committed by the host as the stack grows. */
  assert(phys_bytes / PAGE_SIZE <= UINT32_MAX);
  size_t stack_bytes = phys_bytes / PAGE_SIZE * sizeof *m->space->free_frames;
  void *stack = mmap(NULL, stack_bytes, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (stack == MAP_FAILED) {
    munmap(base, phys_bytes + window);
    return mmu_init_failed(m);
  }
  m->space->free_frames = stack;
  if (window_init(m, window) < 0) {
    munmap(stack, stack_bytes);
    munmap(base, phys_bytes + window);
    return mmu_init_failed(m);
  }
  /* Frame 0 stays unused so that a zero physical address means "none". */
  m->space->next_frame = PAGE_SIZE;
  tlb_flush_all(m);
  m->cr3 = mmu_frame_alloc(m);
  return m->cr3 ? 0 : -ENOMEM;
}

void mmu_destroy(struct mmu *m) {
  if (!m->space)
    return;
  if (m->phys) {
    munmap(m->phys, m->phys_size + m->space->window_size);
    munmap(m->space->free_frames,
           m->phys_size / PAGE_SIZE * sizeof *m->space->free_frames);
  }
  m->phys = NULL;
  free(m->space->window_free);
  free(m->space);
  m->space = NULL;
}

uint64_t mmu_frame_alloc(struct mmu *m) {
  uint64_t frame;
  if (m->space->free_count) {
    frame = (uint64_t)m->space->free_frames[--m->space->free_count]
            << PAGE_SHIFT;
    memset(m->phys + frame, 0, PAGE_SIZE);
  } else {
    if (m->space->next_frame + PAGE_SIZE > m->phys_size)
      return 0;
    frame = m->space->next_frame;
    m->space->next_frame += PAGE_SIZE; /* fresh host pages are already zero */
  }
  m->space->frames_used++;
  return frame;
}

int mmu_reset(struct mmu *m) {
  /* A fresh reservation over the old one: every private frame and page
   * table gone at once, without writing any (a forked child's execve
   * would otherwise write each page table it clears, and the host copy
   * them, 2 MiB at a time where huge pages back guest memory). */
  void *got =
      mmap(m->phys, m->phys_size, PROT_READ | PROT_WRITE,
           MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
  if (got != m->phys)
    return -ENOMEM;
  madvise(m->phys, m->phys_size, MADV_HUGEPAGE);
  m->space->free_count = 0;
  m->space->frames_used = 0;
  m->space->next_frame = PAGE_SIZE;
  tlb_flush_all(m);
  m->cr3 = mmu_frame_alloc(m);
  return m->cr3 ? 0 : -ENOMEM;
}

void mmu_frame_free(struct mmu *m, uint64_t paddr) {
  /* Shared memory is freed by its owner a range at a time. */
  if (mmu_in_window(m, paddr))
    return;
  m->space->free_frames[m->space->free_count++] =
      (uint32_t)(paddr >> PAGE_SHIFT);
  m->space->frames_used--;
}
