/* Address-space operations: mmap, munmap, mprotect (mm/mmap.c and
 * mm/mprotect.c in Linux). They edit VMAs only; pages are populated on
 * first touch by syscalls/memory/fault.c, and page-table entries of populated
 * pages are updated or dropped here. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../cpu/exec/block.h"
#include "../process.h"

/* Linux refuses mappings below vm.mmap_min_addr (65536 by default). */
#define MMAP_MIN_ADDR 0x10000ull

static uint64_t page_up(uint64_t x) { return (x + PAGE_SIZE - 1) & PAGE_MASK; }

/* PROT_NONE pages keep their frame but lose PTE_U, so that any user
 * access faults as a protection violation. */
uint64_t pte_flags_for(int prot) {
  uint64_t f = prot ? PTE_U : 0;
  if (prot & PROT_WRITE)
    f |= PTE_W;
  if (!(prot & PROT_EXEC))
    f |= PTE_NX;
  return f;
}

/* Linux 6.x places private anonymous mappings whose length is a
 * multiple of 2 MiB on a 2 MiB boundary, for transparent huge pages
 * (mm/mmap.c __get_unmapped_area, __thp_get_unmapped_area): it asks for
 * len + 2 MiB and aligns inside. Shared anonymous memory is shmem's,
 * which does not align while shmem_enabled is "never", the default
 * (mm/shmem.c shmem_get_unmapped_area). */
#define HUGE_PAGE (2ull << 20)

static uint64_t find_free_huge_aligned(struct process *p, uint64_t len) {
  if (len & (HUGE_PAGE - 1))
    return mm_find_free(p, len);
  uint64_t r = mm_find_free(p, len + HUGE_PAGE);
  if (!r)
    return mm_find_free(p, len);
  uint64_t off_sub = (0 - r) & (HUGE_PAGE - 1);
  return off_sub ? r + off_sub : r + HUGE_PAGE;
}

int mm_enough_memory(struct process *p, uint64_t bytes) {
  /* A process built by hand (unit tests) has no limit. */
  if (!p->mm->mem_limit)
    return 0;
  return bytes >> PAGE_SHIFT > p->mm->mem_limit >> PAGE_SHIFT ? -ENOMEM : 0;
}

/* Accounted bytes of [start, end): what a MAP_FIXED mapping replaces and
 * so need not charge again (mm/mmap.c mmap_region: nr_accounted). */
static uint64_t accounted_in(struct process *p, uint64_t start, uint64_t end) {
  uint64_t n = 0;
  for (int k = 0; k < p->mm->vmas.n; k++) {
    const struct vma *v = &p->mm->vmas.v[k];
    if (!v->accounted || v->end <= start || v->start >= end)
      continue;
    n += (v->end < end ? v->end : end) - (v->start > start ? v->start : start);
  }
  return n;
}

/* What mmap charges against the overcommit limit: private writable
 * memory (accountable_mapping, which sets VM_ACCOUNT) and shared
 * anonymous memory (shmem_acct_size charges its object); never with
 * MAP_NORESERVE, which the heuristic mode honours. Read-only and
 * PROT_NONE private memory is charged when mprotect makes it writable,
 * shared file memory never (the page cache backs it). */
static int charge_mapping(struct process *p, struct vma *v, bool fixed) {
  bool shared = v->flags & MAP_SHARED;
  if (v->flags & MAP_NORESERVE)
    return 0;
  if (shared)
    return (v->flags & MAP_ANONYMOUS) ? mm_enough_memory(p, v->end - v->start)
                                      : 0;
  if (!(v->prot & PROT_WRITE))
    return 0;
  v->accounted = true;
  uint64_t replaced = fixed ? accounted_in(p, v->start, v->end) : 0;
  return mm_enough_memory(p, v->end - v->start - replaced);
}

static bool range_free(struct process *p, uint64_t start, uint64_t end) {
  for (int k = 0; k < p->mm->vmas.n; k++)
    if (p->mm->vmas.v[k].start < end && p->mm->vmas.v[k].end > start)
      return false;
  return true;
}

uint64_t mm_find_free_anon(struct process *p, uint64_t len) {
  return find_free_huge_aligned(p, len);
}

uint64_t mm_find_free(struct process *p, uint64_t len) {
  uint64_t end = p->mm->mmap_base;
  for (int k = p->mm->vmas.n - 1; k >= 0; k--) {
    const struct vma *v = &p->mm->vmas.v[k];
    if (v->start >= end)
      continue;
    if (v->end + len <= end)
      break;
    end = v->start;
  }
  if (end < len || end - len < MMAP_MIN_ADDR)
    return 0;
  return end - len;
}

static struct mapped_file *mapped_file_open(int host_fd) {
  struct stat st;
  if (fstat(host_fd, &st) < 0)
    return NULL;
  struct mapped_file *f = calloc(1, sizeof *f);
  if (!f)
    return NULL;
  f->host_fd = fcntl(host_fd, F_DUPFD_CLOEXEC, 100);
  if (f->host_fd < 0) {
    free(f);
    return NULL;
  }
  f->refs = 1;
  f->dev = st.st_dev;
  f->ino = st.st_ino;
  char link[64], path[4096];
  snprintf(link, sizeof link, "/proc/self/fd/%d", host_fd);
  ssize_t n = readlink(link, path, sizeof path - 1);
  path[n > 0 ? n : 0] = 0;
  f->path = strdup(path);
  return f;
}

/* MAP_POPULATE faults every page in now (mm_populate). Running out of
 * guest memory on the way is the OOM killer's SIGKILL, as in Linux. */
static void populate(struct process *p, uint64_t start, uint64_t end,
                     int prot) {
  uint32_t err = (prot & PROT_WRITE) ? PFERR_U | PFERR_W : PFERR_U;
  for (uint64_t a = start; a < end; a += PAGE_SIZE) {
    enum fault_result r = fault_handle(p, a, err);
    if (r == FAULT_OOM) {
      signal_kill(p, SIGKILL, SI_KERNEL, 0);
      return;
    }
    if (r != FAULT_OK)
      return;
  }
}

static int64_t map_vma(struct process *p, struct vma *vp, uint64_t addr,
                       uint64_t len, int flags, int host_fd);

int64_t mm_map(struct process *p, uint64_t addr, uint64_t len, int prot,
               int flags, int host_fd, uint64_t offset) {
  int type = flags & MAP_TYPE;
  if (len == 0 || (offset & ~PAGE_MASK))
    return -EINVAL;
  if (type != MAP_PRIVATE && type != MAP_SHARED && type != MAP_SHARED_VALIDATE)
    return -EINVAL;
  /* mm/mmap.c do_mmap: anonymous memory is shared or private, nothing
   * else; a file's MAP_SHARED_VALIDATE refuses flags it does not know
   * (LEGACY_MAP_MASK: no file of emu's supports MAP_SYNC). */
  if ((flags & MAP_ANONYMOUS) && type == MAP_SHARED_VALIDATE)
    return -EINVAL;
  if (!(flags & MAP_ANONYMOUS) && type == MAP_SHARED_VALIDATE &&
      (flags &
       ~(MAP_SHARED_VALIDATE | MAP_FIXED | MAP_DENYWRITE | MAP_EXECUTABLE |
         0x4000000 | MAP_GROWSDOWN | MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE |
         MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB)))
    return -EOPNOTSUPP;
  len = page_up(len);
  if (len == 0 || len > USER_TOP)
    return -ENOMEM;
  if (offset + len < offset)
    return -EOVERFLOW;

  struct vma v = {0};
  v.prot = prot & (PROT_READ | PROT_WRITE | PROT_EXEC);
  v.flags = (flags & ~MAP_SHARED_VALIDATE) |
            (type == MAP_PRIVATE ? MAP_PRIVATE : MAP_SHARED);
  v.offset = offset;
  if (!(flags & MAP_ANONYMOUS)) {
    struct stat st;
    if (fstat(host_fd, &st) < 0)
      return -EBADF;
    int acc = fcntl(host_fd, F_GETFL) & O_ACCMODE;
    if (S_ISDIR(st.st_mode))
      return -ENODEV;
    if (acc == O_WRONLY)
      return -EACCES;
    if (type != MAP_PRIVATE && (prot & PROT_WRITE) && acc != O_RDWR)
      return -EACCES;
    if (S_ISCHR(st.st_mode)) {
      /* /dev/zero maps as anonymous memory, like Linux's shmem_zero. */
      v.flags |= MAP_ANONYMOUS;
    } else if (!S_ISREG(st.st_mode)) {
      return -ENODEV;
    } else {
      v.file = mapped_file_open(host_fd);
      if (!v.file)
        return -ENOMEM;
      v.file_size = (uint64_t)st.st_size;
    }
  }
  return map_vma(p, &v, addr, len, flags, host_fd);
}

int64_t mm_map_device(struct process *p, uint64_t addr, uint64_t len, int prot,
                      int flags, struct mapped_file *file,
                      struct shm_object *shm, uint64_t offset) {
  int type = flags & MAP_TYPE;
  if (len == 0 || (offset & ~PAGE_MASK))
    return -EINVAL;
  if (type != MAP_PRIVATE && type != MAP_SHARED && type != MAP_SHARED_VALIDATE)
    return -EINVAL;
  len = page_up(len);
  if (len == 0 || len > USER_TOP)
    return -ENOMEM;
  struct vma v = {0};
  v.prot = prot & (PROT_READ | PROT_WRITE | PROT_EXEC);
  v.flags = (flags & ~(MAP_SHARED_VALIDATE | MAP_ANONYMOUS)) |
            (type == MAP_PRIVATE ? MAP_PRIVATE : MAP_SHARED);
  v.offset = offset;
  v.file = mapped_file_get(file);
  v.shm = type == MAP_PRIVATE ? NULL : shm_get(shm);
  struct stat st;
  v.file_size = fstat(file->host_fd, &st) == 0 ? (uint64_t)st.st_size : 0;
  return map_vma(p, &v, addr, len, flags, file->host_fd);
}

/* Place a VMA made ready by mm_map or mm_map_device (its file and shm
 * references taken), charge it and insert it; it owns those references
 * from here, even on failure. */
static int64_t map_vma(struct process *p, struct vma *vp, uint64_t addr,
                       uint64_t len, int flags, int host_fd) {
  struct vma v = *vp;
  int type = flags & MAP_TYPE;
  uint64_t offset = v.offset;
  uint64_t start;
  if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
    if ((addr & ~PAGE_MASK) || addr + len > USER_TOP || addr + len < addr ||
        addr < MMAP_MIN_ADDR) {
      mapped_file_put(v.file);
      shm_put(p, v.shm);
      return (addr & ~PAGE_MASK) ? -EINVAL : -EPERM;
    }
    if ((flags & MAP_FIXED_NOREPLACE) && !(flags & MAP_FIXED) &&
        !range_free(p, addr, addr + len)) {
      mapped_file_put(v.file);
      shm_put(p, v.shm);
      return -EEXIST;
    }
    start = addr;
  } else {
    addr &= PAGE_MASK;
    if (addr >= MMAP_MIN_ADDR && addr + len <= p->mm->mmap_base &&
        addr + len > addr && range_free(p, addr, addr + len))
      start = addr;
    else if (!addr && !v.file && type == MAP_PRIVATE)
      start = find_free_huge_aligned(p, len);
    else
      start = mm_find_free(p, len);
    if (!start) {
      mapped_file_put(v.file);
      shm_put(p, v.shm);
      return -ENOMEM;
    }
  }
  v.start = start;
  v.end = start + len;
  bool fixed = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE);
  if (charge_mapping(p, &v, fixed) < 0) {
    mapped_file_put(v.file);
    shm_put(p, v.shm);
    return -ENOMEM;
  }
  if (type != MAP_PRIVATE && !v.shm) {
    /* Shared memory is host shared memory, so that it stays shared with
     * the children forked after this (syscalls/memory/shm.c). */
    bool writable =
        v.file ? (fcntl(host_fd, F_GETFL) & O_ACCMODE) == O_RDWR : true;
    v.shm = shm_create(p, v.file ? host_fd : -1, offset, len, writable);
    if (!v.shm) {
      mapped_file_put(v.file);
      return -ENOMEM;
    }
  }
  if (fixed)
    vma_remove_range(p, start, start + len);
  if (vma_insert(p, &v) < 0) {
    mapped_file_put(v.file);
    shm_put(p, v.shm);
    return -ENOMEM;
  }
  if (flags & MAP_POPULATE)
    populate(p, start, start + len, v.prot);
  return (int64_t)start;
}

int mm_unmap(struct process *p, uint64_t addr, uint64_t len) {
  if ((addr & ~PAGE_MASK) || len == 0)
    return -EINVAL;
  len = page_up(len);
  if (addr + len > USER_TOP || addr + len < addr)
    return -EINVAL;
  vma_remove_range(p, addr, addr + len);
  return 0;
}

/* Split so that no VMA straddles `at`. */
int mm_split_at(struct process *p, uint64_t at) {
  struct vma *v = vma_find(&p->mm->vmas, at);
  if (!v || v->start == at)
    return 0;
  struct vma hi = *v;
  hi.offset += at - v->start;
  hi.start = at;
  v->end = at;
  mapped_file_get(hi.file);
  shm_get(hi.shm);
  /* Insert without merging: the neighbours differ only after the change. */
  struct vma_list *l = &p->mm->vmas;
  if (l->n + 1 > l->cap) {
    int cap = l->cap * 2 + 8;
    struct vma *nv = realloc(l->v, (size_t)cap * sizeof *nv);
    if (!nv)
      return -ENOMEM;
    l->v = nv;
    l->cap = cap;
  }
  int k = 0;
  while (k < l->n && l->v[k].start < at)
    k++;
  memmove(&l->v[k + 1], &l->v[k], (size_t)(l->n - k) * sizeof hi);
  l->v[k] = hi;
  l->n++;
  return 0;
}

/* mprotect_fixup: private memory becoming writable is charged unless it
 * already is, or is MAP_NORESERVE. */
static bool needs_charge(const struct vma *v) {
  return !v->accounted && !(v->prot & PROT_WRITE) &&
         !(v->flags & (MAP_SHARED | MAP_NORESERVE));
}

/* Linux charges each VMA of the range in turn and stops at the first
 * that does not fit, leaving the ones before it changed; emu checks
 * them all first and changes nothing on failure. */
static int charge_protect(struct process *p, uint64_t addr, uint64_t end,
                          int prot) {
  if (!(prot & PROT_WRITE))
    return 0;
  for (int k = 0; k < p->mm->vmas.n; k++) {
    const struct vma *v = &p->mm->vmas.v[k];
    if (v->start >= end || v->end <= addr || !needs_charge(v))
      continue;
    uint64_t lo = v->start > addr ? v->start : addr;
    uint64_t hi = v->end < end ? v->end : end;
    if (mm_enough_memory(p, hi - lo) < 0)
      return -ENOMEM;
  }
  return 0;
}

int mm_protect(struct process *p, uint64_t addr, uint64_t len, int prot) {
  if (addr & ~PAGE_MASK)
    return -EINVAL;
  int grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);
  if (grows == (PROT_GROWSDOWN | PROT_GROWSUP) ||
      (prot &
       ~(PROT_READ | PROT_WRITE | PROT_EXEC | 0x8 /* PROT_SEM */ | grows)))
    return -EINVAL;
  len = page_up(len);
  uint64_t end = addr + len;
  if (end < addr)
    return -ENOMEM;
  if (len == 0)
    return 0;
  if (grows) {
    /* mm/mprotect.c: PROT_GROWSDOWN extends the change to the start of
     * a mapping that grows down (the stack, MAP_GROWSDOWN), and is
     * EINVAL on any other; nothing grows up on x86. */
    struct vma *v = vma_find(&p->mm->vmas, addr);
    if (!v)
      return -ENOMEM;
    if ((grows & PROT_GROWSUP) ||
        (v->kind != VMA_STACK && !(v->flags & MAP_GROWSDOWN)))
      return -EINVAL;
    addr = v->start;
  }
  /* Linux fails with ENOMEM if any part of the range is unmapped. */
  for (uint64_t a = addr; a < end;) {
    struct vma *v = vma_find(&p->mm->vmas, a);
    if (!v)
      return -ENOMEM;
    /* A shared file opened read-only can never become writable
     * (VM_MAYWRITE is clear). */
    if ((prot & PROT_WRITE) && v->shm && !v->shm->writable)
      return -EACCES;
    a = v->end;
  }
  prot &= PROT_READ | PROT_WRITE | PROT_EXEC;
  if (charge_protect(p, addr, end, prot) < 0)
    return -ENOMEM;
  if (mm_split_at(p, addr) || mm_split_at(p, end))
    return -ENOMEM;
  for (int k = 0; k < p->mm->vmas.n; k++) {
    struct vma *v = &p->mm->vmas.v[k];
    if (v->start >= end || v->end <= addr)
      continue;
    if ((prot & PROT_WRITE) && needs_charge(v))
      v->accounted = true;
    v->prot = prot;
    /* Populated pages change in place; private pages keep their frame. */
    uint64_t pte;
    for (uint64_t a = mmu_next_present(&p->mmu, v->start, v->end, &pte);
         a < v->end; a = mmu_next_present(&p->mmu, a + PAGE_SIZE, v->end, &pte))
      mmu_protect(&p->mmu, a, pte_flags_for(prot));
  }
  mmu_shootdown(&p->mmu);
  return 0;
}

/* execve and exit: the whole address space goes. Page by page that
 * would write every page table and free list it touches, which in a
 * forked child makes the host copy what the parent still holds (a
 * child of a 100 MiB process spent 1.6 s exiting). So only the mappings
 * that need their pages — shared file memory emu could not map from the
 * host, whose dirty pages go back to the file — are unmapped one by one;
 * the rest drop their references and the MMU starts afresh. */
void mm_clear(struct process *p) {
  for (int k = 0; k < p->mm->vmas.n;) {
    struct vma *v = &p->mm->vmas.v[k];
    if (v->file && !v->shm && (v->flags & MAP_SHARED)) {
      vma_remove_range(p, v->start, v->end);
      continue;
    }
    k++;
  }
  for (int k = 0; k < p->mm->vmas.n; k++) {
    mapped_file_put(p->mm->vmas.v[k].file);
    shm_put(p, p->mm->vmas.v[k].shm);
  }
  p->mm->vmas.n = 0;
  if (p->cpu.blocks)
    block_cache_flush(p->cpu.blocks);
  if (mmu_reset(&p->mmu) < 0)
    abort(); /* MAP_FIXED over emu's own reservation: cannot fail */
}
