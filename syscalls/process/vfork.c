/* vfork's half of fork.c: the parent waits for the child's execve or
 * exit (Linux's vfork_done), and with CLONE_VM it then sees the child's
 * stores. The child runs in a host copy of the parent's memory, so the
 * pages it dirties — found by the D bits of its page tables, cleared
 * when it starts — are sent through a pipe and written into the
 * parent's memory before the parent runs again. Shared memory (the
 * window) needs nothing: it is the same memory already. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../process.h"

struct page_record {
  uint64_t vaddr;
  uint8_t data[PAGE_SIZE];
};

/* Visit the private pages present in the process's VMAs. */
static void for_each_page(struct process *p,
                          void (*fn)(struct process *, uint64_t vaddr,
                                     uint64_t pte, void *),
                          void *ctx) {
  for (int k = 0; k < p->mm->vmas.n; k++) {
    const struct vma *v = &p->mm->vmas.v[k];
    if (v->shm)
      continue;
    uint64_t pte;
    for (uint64_t a = mmu_next_present(&p->mmu, v->start, v->end, &pte);
         a < v->end; a = mmu_next_present(&p->mmu, a + PAGE_SIZE, v->end, &pte))
      fn(p, a, pte, ctx);
  }
}

static void clear_dirty(struct process *p, uint64_t vaddr, uint64_t pte,
                        void *ctx) {
  (void)ctx;
  if (pte & PTE_D)
    mmu_clear_dirty(&p->mmu, vaddr);
}

void vfork_child_starts(struct process *p, int release_fd, bool shared_vm) {
  p->vfork_fd = release_fd;
  p->vfork_vm = shared_vm;
  if (shared_vm) {
    for_each_page(p, clear_dirty, NULL);
    tlb_flush_all(&p->mmu);
  }
}

static bool write_all(int fd, const void *buf, size_t n) {
  const uint8_t *b = buf;
  while (n) {
    ssize_t w = write(fd, b, n);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return false;
    b += w;
    n -= (size_t)w;
  }
  return true;
}

static void send_dirty(struct process *p, uint64_t vaddr, uint64_t pte,
                       void *ctx) {
  bool *ok = ctx;
  if (!(pte & PTE_D) || !*ok)
    return;
  static struct page_record r;
  r.vaddr = vaddr;
  memcpy(r.data, mmu_phys(&p->mmu, pte & PTE_ADDR), PAGE_SIZE);
  *ok = write_all(p->vfork_fd, &r, sizeof r);
}

void vfork_release(struct process *p) {
  if (p->vfork_fd < 0)
    return;
  if (p->vfork_vm) {
    bool ok = true;
    for_each_page(p, send_dirty, &ok);
  }
  close(p->vfork_fd);
  p->vfork_fd = -1;
}

static bool read_all(int fd, void *buf, size_t n) {
  uint8_t *b = buf;
  while (n) {
    ssize_t r = read(fd, b, n);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      return false;
    b += r;
    n -= (size_t)r;
  }
  return true;
}

void vfork_parent_waits(struct process *p, int release_fd) {
  static struct page_record r;
  /* Until the child's exec or exit closes the pipe (a child killed
   * early closes it by dying). */
  while (read_all(release_fd, &r, sizeof r)) {
    /* The parent's page may not be present (the child faulted it in
     * first): copy_to_guest demand-pages it like any kernel write. A
     * page the parent has since lost (never: it was suspended) fails
     * quietly. */
    copy_to_guest(&p->mmu, r.vaddr, r.data, PAGE_SIZE);
  }
  close(release_fd);
}
