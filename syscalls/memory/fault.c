/* Demand paging (Linux's handle_mm_fault): a page gets a frame only when
 * first touched, filled from its file or with zeros; the stack VMA grows
 * down on a fault just below it. Every resolved fault counts as a minor
 * page fault, as getrusage(2) reports them. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../process.h"

/* Linux: the stack may grow to RLIMIT_STACK (8 MiB by default) and keeps
 * stack_guard_gap (256 pages) from the mapping below it. */
#define STACK_LIMIT (8ull << 20)
#define STACK_GUARD_GAP (256ull * PAGE_SIZE)

static struct vma *grow_stack(struct process *p, uint64_t addr) {
  struct vma_list *l = &p->mm->vmas;
  int k = 0;
  while (k < l->n && l->v[k].end <= addr)
    k++;
  if (k == l->n)
    return NULL;
  struct vma *above = &l->v[k];
  if (above->kind != VMA_STACK && !(above->flags & MAP_GROWSDOWN))
    return NULL;
  uint64_t new_start = addr & PAGE_MASK;
  if (above->end - new_start > STACK_LIMIT)
    return NULL;
  if (k > 0 && l->v[k - 1].end + STACK_GUARD_GAP > new_start)
    return NULL;
  above->start = new_start;
  return above;
}

static bool access_allowed(const struct vma *v, uint32_t err) {
  if (err & PFERR_W)
    return v->prot & PROT_WRITE;
  /* Linux's access_error() does not look at instruction fetches: a fetch
   * from a not-present page of a readable VMA is served as a read (the
   * page is mapped, NX) and the retried fetch faults with P set, which
   * is refused (arch/x86/mm/fault.c; measured: error code 0x15). */
  if ((err & PFERR_I) && (err & PFERR_P))
    return v->prot & PROT_EXEC;
  return v->prot != PROT_NONE; /* write and exec imply read on x86 */
}

/* Fill a fresh frame from the file; false when the page lies wholly
 * beyond the end of the file (SIGBUS, as Linux's filemap_fault). */
static bool fill_from_file(struct process *p, const struct vma *v,
                           uint64_t page, uint8_t *frame) {
  uint64_t off = v->offset + (page - v->start);
  size_t got = 0;
  while (got < PAGE_SIZE) {
    ssize_t n = pread(v->file->host_fd, frame + got, PAGE_SIZE - got,
                      (off_t)(off + got));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    got += (size_t)n;
  }
  (void)p;
  return got > 0;
}

enum fault_result fault_handle(struct process *p, uint64_t addr, uint32_t err) {
  struct vma *v = vma_find(&p->mm->vmas, addr);
  if (!v) {
    v = grow_stack(p, addr);
    if (!v)
      return FAULT_MAPERR;
  }
  if (!access_allowed(v, err))
    return FAULT_ACCERR;
  uint64_t page = addr & PAGE_MASK;
  if (err & PFERR_P) {
    /* Present but refused: the VMA allows it now (mprotect raced with a
     * stale entry), so bring the entry up to date. */
    mmu_protect(&p->mmu, page, pte_flags_for(v->prot));
    p->sig->stats.page_faults++;
    return FAULT_OK;
  }
  /* Another thread's fault mapped the page since this one missed it:
   * the access is retried on that page (a new frame would lose what the
   * other thread wrote). */
  if (mmu_pte(&p->mmu, page))
    return FAULT_OK;
  if (v->shm) {
    uint64_t paddr;
    if (shm_page(v, page, &paddr) < 0)
      return FAULT_BUS;
    if (mmu_map(&p->mmu, page, paddr, pte_flags_for(v->prot), NULL) < 0)
      return FAULT_OOM;
    p->sig->stats.page_faults++;
    return FAULT_OK;
  }
  uint64_t frame = mmu_frame_alloc(&p->mmu);
  if (!frame)
    return FAULT_OOM;
  if (v->file && !fill_from_file(p, v, page, mmu_phys(&p->mmu, frame))) {
    mmu_frame_free(&p->mmu, frame);
    return FAULT_BUS;
  }
  if (mmu_map(&p->mmu, page, frame, pte_flags_for(v->prot), NULL) < 0) {
    mmu_frame_free(&p->mmu, frame);
    return FAULT_OOM;
  }
  p->sig->stats.page_faults++;
  return FAULT_OK;
}
