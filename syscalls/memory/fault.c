/* Demand paging (Linux's handle_mm_fault): a page gets a frame only when
 * first touched, filled from its file or with zeros; the stack VMA grows
 * down on a fault just below it. Every resolved fault counts as a minor
 * page fault, as getrusage(2) reports them. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
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

/* Linux's fault-around (mm/memory.c do_fault_around, fault_around_bytes
 * 64 KiB): a read fault in a file mapping maps the file's pages of the
 * 16-page block around it too, clamped to the VMA, its page table and
 * the end of the file; only the faulting page counts as a fault. One
 * host read fills them all (a start-up reads ~130 pages one by one
 * otherwise), and ru_minflt comes out as Linux's. Linux maps only pages
 * already in the page cache; a program's own files always are there by
 * the time it runs, and here any page is served. */
#define FAULT_AROUND (16 * PAGE_SIZE)

struct around {
  uint64_t lo, hi; /* the block's pages, [lo, hi) */
};

static struct around around_block(const struct vma *v, uint64_t page) {
  uint64_t table = page & ~(512 * PAGE_SIZE - 1); /* one page table */
  uint64_t lo = page & ~(FAULT_AROUND - 1);
  if (lo < v->start)
    lo = v->start;
  uint64_t hi = lo + FAULT_AROUND;
  if (hi > table + 512 * PAGE_SIZE)
    hi = table + 512 * PAGE_SIZE;
  if (hi > v->end)
    hi = v->end;
  /* Pages wholly past the end of the file (as of mmap) are left to
   * their own faults, which read to see (SIGBUS past the end). */
  uint64_t eof = v->start;
  if (v->file_size > v->offset)
    eof += (v->file_size - v->offset + PAGE_SIZE - 1) & PAGE_MASK;
  if (hi > eof)
    hi = eof;
  if (hi <= page)
    hi = page + PAGE_SIZE;
  if (lo > page)
    lo = page;
  return (struct around){lo, hi};
}

/* Fill fresh frames for the unmapped pages [lo, hi) of v (contiguous in
 * the file) with one host read; returns how many bytes it read. */
static size_t read_run(const struct vma *v, uint64_t lo, uint64_t hi,
                       struct iovec *iov) {
  int n = (int)((hi - lo) / PAGE_SIZE);
  off_t off = (off_t)(v->offset + (lo - v->start));
  size_t got = 0, want = (size_t)n * PAGE_SIZE;
  while (got < want) {
    /* Skip what a short read already filled (EINTR or a page at a time). */
    int first = (int)(got / PAGE_SIZE);
    size_t in_first = got % PAGE_SIZE;
    iov[first].iov_base = (char *)iov[first].iov_base + in_first;
    iov[first].iov_len -= in_first;
    ssize_t r =
        preadv(v->file->host_fd, iov + first, n - first, off + (off_t)got);
    iov[first].iov_base = (char *)iov[first].iov_base - in_first;
    iov[first].iov_len += in_first;
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      break;
    got += (size_t)r;
  }
  return got;
}

/* Map the run [lo, hi) of unmapped file pages: frames filled by one
 * read, pages past the end of the file left out. A read fault maps
 * file pages read-only, as Linux maps the page cache's pages: the first
 * write is the fault (copy-on-write, or a shared page made dirty) it
 * counts; a write fault maps its page writable. The result is the
 * faulting page's: FAULT_BUS past the end of the file. */
static enum fault_result map_run(struct process *p, const struct vma *v,
                                 uint64_t lo, uint64_t hi, uint64_t page,
                                 bool writable) {
  struct iovec iov[FAULT_AROUND / PAGE_SIZE];
  uint64_t frames[FAULT_AROUND / PAGE_SIZE];
  int n = 0;
  for (uint64_t a = lo; a < hi; a += PAGE_SIZE, n++) {
    frames[n] = mmu_frame_alloc(&p->mmu);
    if (!frames[n]) {
      while (n--)
        mmu_frame_free(&p->mmu, frames[n]);
      return FAULT_OOM;
    }
    iov[n].iov_base = mmu_phys(&p->mmu, frames[n]);
    iov[n].iov_len = PAGE_SIZE;
  }
  size_t got = read_run(v, lo, hi, iov);
  uint64_t flags = pte_flags_for(v->prot);
  if (!writable)
    flags &= ~(uint64_t)PTE_W;
  enum fault_result r = FAULT_OK;
  for (int k = 0; k < n; k++) {
    uint64_t a = lo + (uint64_t)k * PAGE_SIZE;
    bool past_eof = (uint64_t)k * PAGE_SIZE >= got;
    if (past_eof || mmu_map(&p->mmu, a, frames[k], flags, NULL) < 0) {
      mmu_frame_free(&p->mmu, frames[k]);
      if (a == page)
        r = past_eof ? FAULT_BUS : FAULT_OOM;
    }
  }
  return r;
}

/* A read (or fetch) fault: the page and the block around it. */
static enum fault_result fault_in_file(struct process *p, const struct vma *v,
                                       uint64_t page) {
  struct around b = around_block(v, page);
  enum fault_result result = FAULT_OK;
  uint64_t a = b.lo;
  while (a < b.hi) {
    if (mmu_pte(&p->mmu, a)) {
      a += PAGE_SIZE;
      continue;
    }
    uint64_t end = a + PAGE_SIZE;
    while (end < b.hi && !mmu_pte(&p->mmu, end))
      end += PAGE_SIZE;
    enum fault_result r = map_run(p, v, a, end, page, false);
    if (page >= a && page < end) {
      /* Short of frames for the block: the page alone may still fit. */
      if (r == FAULT_OOM && end - a > PAGE_SIZE)
        r = map_run(p, v, page, page + PAGE_SIZE, page, false);
      result = r;
    }
    a = end;
  }
  return result;
}

/* A MAP_SHARED page is the object's own (its file's page cache, or a
 * memfd): nothing to read. A read fault in a file's mapping maps the
 * block around too, as Linux maps its page cache; a file with dirty
 * tracking gets them read-only (the first write is a fault), one on a
 * memory file system writable as the VMA is. Anonymous shared memory
 * maps the page alone (Linux's shmem has no pages to map around before
 * they are touched). */
static enum fault_result fault_in_shared(struct process *p, const struct vma *v,
                                         uint64_t page, bool write) {
  uint64_t size = shm_file_size(v), paddr;
  if (shm_page(v, page, size, &paddr) < 0)
    return FAULT_BUS;
  uint64_t flags = pte_flags_for(v->prot);
  bool notify = v->shm->write_notify;
  if (notify && !write)
    flags &= ~(uint64_t)PTE_W;
  if (mmu_map(&p->mmu, page, paddr, flags, NULL) < 0)
    return FAULT_OOM;
  if (v->shm->anonymous || write)
    return FAULT_OK;
  struct around b = around_block(v, page);
  for (uint64_t a = b.lo; a < b.hi; a += PAGE_SIZE)
    if (a != page && !mmu_pte(&p->mmu, a) && shm_page(v, a, size, &paddr) == 0)
      mmu_map(&p->mmu, a, paddr, flags, NULL); /* no memory: no matter */
  return FAULT_OK;
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
    enum fault_result r = fault_in_shared(p, v, page, err & PFERR_W);
    if (r == FAULT_OK)
      p->sig->stats.page_faults++;
    return r;
  }
  if (v->file) {
    /* A write fault maps its page alone (Linux's do_cow_fault and
     * do_shared_fault do no fault-around). */
    bool write = err & PFERR_W;
    enum fault_result r =
        write ? map_run(p, v, page, page + PAGE_SIZE, page, true)
              : fault_in_file(p, v, page);
    if (r == FAULT_OK)
      p->sig->stats.page_faults++;
    return r;
  }
  uint64_t frame = mmu_frame_alloc(&p->mmu);
  if (!frame)
    return FAULT_OOM;
  if (mmu_map(&p->mmu, page, frame, pte_flags_for(v->prot), NULL) < 0) {
    mmu_frame_free(&p->mmu, frame);
    return FAULT_OOM;
  }
  p->sig->stats.page_faults++;
  return FAULT_OK;
}
