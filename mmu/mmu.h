/* The memory-management unit: guest physical memory in 4 KiB frames,
 * x86-64 4-level page tables stored in that physical memory (PML4 → PDPT
 * → PD → PT, SDM vol. 3, 4.5), a page walk that sets the A and D bits,
 * and a software TLB (separate read, write and fetch arrays) whose hit
 * path is one compare and one add. The MMU knows nothing of files or
 * VMAs: a miss that the walk cannot satisfy is reported as a page-fault
 * error code, and the kernel decides what it means. */
#ifndef EMU_MMU_H
#define EMU_MMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE 4096ull
#define PAGE_MASK (~(PAGE_SIZE - 1))

/* PTE bits (SDM vol. 3, table 4-19). */
#define PTE_P (1ull << 0)
#define PTE_W (1ull << 1)
#define PTE_U (1ull << 2)
#define PTE_A (1ull << 5)
#define PTE_D (1ull << 6)
#define PTE_NX (1ull << 63)
#define PTE_ADDR 0x000ffffffffff000ull

/* Page-fault error code bits (SDM vol. 3, 4.7). */
#define PFERR_P (1u << 0)    /* 0: not present, 1: protection violation */
#define PFERR_W (1u << 1)    /* the access was a write */
#define PFERR_U (1u << 2)    /* user-mode access (always, for the guest) */
#define PFERR_RSVD (1u << 3) /* reserved bit set in a paging entry */
#define PFERR_I (1u << 4)    /* instruction fetch */
/* Not an SDM bit: a non-canonical address, which is #GP, not #PF. */
#define PFERR_NONCANONICAL (1u << 31)

enum mmu_access { MMU_READ, MMU_WRITE, MMU_FETCH, MMU_ACCESS_KINDS };

#define TLB_ENTRIES 1024 /* per access kind, direct-mapped */

/* A TLB entry maps one guest virtual page to host memory:
 * host = (uint8_t *)(guest + addend). `page` is the virtual page number
 * shifted back (vaddr & PAGE_MASK), or TLB_INVALID. */
struct tlb_entry {
  uint64_t page;
  uintptr_t addend;
};
#define TLB_INVALID (~0ull) /* never equal to (page | crossing bit) */

struct window_range {
  uint64_t start, len;
};

struct mmu_stats {
  uint64_t tlb_hits, tlb_misses, page_walks;
};

/* What the CPUs (threads) of one process share: the frames and the
 * shared window, and the TLB-shootdown state (mmu/shootdown.c). Guarded
 * by the kernel's lock, except `epoch` and the CPU list (see there). */
#define MMU_MAX_CPUS 1024
struct mmu_space {
  uint64_t window_size;
  struct window_range *window_free; /* free ranges, sorted by start */
  int window_nfree, window_cap;
  uint64_t next_frame; /* bump pointer for never-used frames */
  /* Freed frames, a stack of frame numbers beside the frames: a free
   * writes nothing into the frame, so a forked emu that execs or exits
   * does not make the host copy every page it frees. */
  uint32_t *free_frames;
  uint64_t free_count;
  uint64_t frames_used;
  /* Bumped by every shootdown; a CPU whose `seen_epoch` is older flushes
   * its TLB before it runs guest code again. */
  uint64_t epoch;
  struct mmu *cpus[MMU_MAX_CPUS]; /* the CPUs attached (mmu_attach) */
  int ncpus;
  int cpus_lock; /* a spinlock: taken by CPUs that must keep servicing */
};

struct mmu {
  /* Copies of the space's fixed values, for the fast paths: the host
   * view of guest physical memory, the bytes of private frames reserved,
   * and the physical address of the PML4. They change only at execve
   * (mmu_reset), when the process has one thread. */
  uint8_t *phys;
  uint64_t phys_size;
  uint64_t cr3;
  struct mmu_space *space;
  struct tlb_entry tlb[MMU_ACCESS_KINDS][TLB_ENTRIES];
  struct mmu_stats stats;
  /* Shootdown: this CPU is running guest code (it then acknowledges a
   * shootdown by flushing, at its next block boundary), and the epoch
   * its TLB is flushed to. `kick` stops its guest code soon. */
  int in_user;
  uint64_t seen_epoch;
  void (*kick)(void *ctx);
  void *kick_ctx;
  /* Called by the copy helpers when the kernel touches a guest page that
   * faults (demand paging from inside a system call). Returns true when
   * the fault was resolved and the access should be retried. */
  bool (*fault_handler)(void *ctx, uint64_t addr, uint32_t error);
  void *fault_ctx;
  /* Called when a page that may hold decoded code is written or unmapped
   * (self-modifying code; the CPU's block cache hooks in here). */
  void (*code_write_hook)(void *ctx, uint64_t page);
  void *code_hook_ctx;
};

/* --- mmu/phys.c --- */
int mmu_init(struct mmu *m, uint64_t phys_bytes); /* 0 or -ENOMEM */
void mmu_destroy(struct mmu *m);
uint64_t mmu_frame_alloc(struct mmu *m); /* zeroed frame, 0 when out */
void mmu_frame_free(struct mmu *m, uint64_t paddr);
/* Drop every private frame and page table at once (a fresh reservation
 * and an empty PML4): execve, after the VMAs are gone. */
int mmu_reset(struct mmu *m);
static inline void *mmu_phys(struct mmu *m, uint64_t paddr) {
  return m->phys + paddr;
}

/* --- mmu/shootdown.c: the MMU of a multiprocessor --- */
/* A new CPU over the same page tables as `from` (a thread): its own,
 * empty TLB. 0, or -EAGAIN when MMU_MAX_CPUS are attached. */
int mmu_attach(struct mmu *m, const struct mmu *from);
void mmu_detach(struct mmu *m);
/* After the kernel changed page tables that other CPUs may have cached
 * (munmap, mprotect, mremap, madvise, a cleared D bit): every other CPU
 * running guest code flushes its TLB before this returns (Linux's
 * flush_tlb_mm_range IPIs). No-op with one CPU. */
void mmu_shootdown(struct mmu *m);
/* The same from a host thread that is no CPU of the space (the display's
 * scan-out, which clears D bits): every CPU, the only one too, flushes
 * before this returns or before it next runs guest code. */
void mmu_shootdown_space(struct mmu_space *s);
/* Before running guest code: flush when a shootdown happened since the
 * last flush. */
void mmu_enter_user(struct mmu *m);
static inline void mmu_leave_user(struct mmu *m) {
  __atomic_store_n(&m->in_user, 0, __ATOMIC_SEQ_CST);
}

/* --- mmu/window.c: physical ranges backed by host shared memory --- */
/* Map len bytes of host fd at offset into a free range of the window
 * (PROT_READ, plus PROT_WRITE when `writable`): the guest physical
 * address of its first byte, or 0 with errno set. The range is the same
 * memory in every process forked after this, and a file's range is its
 * page cache. */
int window_init(struct mmu *m, uint64_t size); /* from mmu_init */
uint64_t mmu_window_map(struct mmu *m, int fd, uint64_t offset, uint64_t len,
                        bool writable);
/* Give the range back (its host mapping replaced by nothing). */
void mmu_window_unmap(struct mmu *m, uint64_t paddr, uint64_t len);
static inline bool mmu_in_window(const struct mmu *m, uint64_t paddr) {
  return paddr >= m->phys_size;
}

/* --- mmu/pagetable.c: the kernel's edits of the page tables --- */
/* Map one page; pte_flags is a combination of PTE_W, PTE_U, PTE_NX (P is
 * implied). Replaces any previous mapping (returned through *old_pte if
 * non-NULL, 0 if none). Returns 0 or -ENOMEM. */
int mmu_map(struct mmu *m, uint64_t vaddr, uint64_t paddr, uint64_t pte_flags,
            uint64_t *old_pte);
/* Remove a mapping; returns the old PTE (0 if none). Flushes the TLB. */
uint64_t mmu_unmap(struct mmu *m, uint64_t vaddr);
/* The present PTE for vaddr, or 0. */
uint64_t mmu_pte(struct mmu *m, uint64_t vaddr);
/* Clear the D bit of a present PTE; returns the PTE as it was. The caller
 * flushes the TLB (a cached writable entry would skip setting D). */
uint64_t mmu_clear_dirty(struct mmu *m, uint64_t vaddr);
/* Rewrite the permission bits (PTE_W, PTE_U, PTE_NX) of a present PTE. */
void mmu_protect(struct mmu *m, uint64_t vaddr, uint64_t pte_flags);
/* The first page at or after vaddr, below end, that has a present PTE
 * (returned through *pte), or end: range walks skip whole unpopulated
 * 2 MiB/1 GiB/512 GiB regions. Walk with
 *   for (a = mmu_next_present(m, lo, hi, &pte); a < hi;
 *        a = mmu_next_present(m, a + PAGE_SIZE, hi, &pte)) */
uint64_t mmu_next_present(struct mmu *m, uint64_t vaddr, uint64_t end,
                          uint64_t *pte);
/* Load CR3 (flushes the TLB, as a mov to CR3 without PCID does). */
void mmu_set_cr3(struct mmu *m, uint64_t cr3);

/* --- mmu/walk.c --- */
/* Translate a user-mode access. On success sets *paddr (full address) and
 * returns 0; else returns the #PF error code (non-zero). Sets A, and D on
 * a write, in the page-table entries as hardware does; fills the TLB. */
uint32_t mmu_translate(struct mmu *m, uint64_t vaddr, enum mmu_access kind,
                       uint64_t *paddr);

/* --- mmu/tlb.c --- */
void tlb_flush_all(struct mmu *m);
void tlb_flush_page(struct mmu *m, uint64_t vaddr);
/* Drop only the write entry, so the next store to vaddr's page takes the
 * slow path (the CPU does this for pages holding decoded code). */
void tlb_flush_write(struct mmu *m, uint64_t vaddr);

static inline struct tlb_entry *tlb_slot(struct mmu *m, enum mmu_access kind,
                                         uint64_t vaddr) {
  return &m->tlb[kind][(vaddr >> PAGE_SHIFT) & (TLB_ENTRIES - 1)];
}

/* The fast path: a host pointer for an access of `size` bytes that stays
 * inside one page and hits the TLB, or NULL. One compare covers both: the
 * slot is chosen by the first byte's page, and an entry there can only
 * hold a page congruent to it, never the next page, so the last byte's
 * page matches only when the access stays in the page. */
static inline void *tlb_lookup(struct mmu *m, enum mmu_access kind,
                               uint64_t vaddr, unsigned size) {
  struct tlb_entry *e = tlb_slot(m, kind, vaddr);
  if (e->page == ((vaddr + size - 1) & PAGE_MASK)) {
    m->stats.tlb_hits++;
    return (void *)(uintptr_t)(vaddr + e->addend);
  }
  return 0;
}

/* --- mmu/copy.c: the kernel's only way into guest memory. Each returns
 * 0 or -EFAULT (never touches host memory outside guest frames). --- */
int copy_from_guest(struct mmu *m, void *dst, uint64_t src, size_t n);
int copy_to_guest(struct mmu *m, uint64_t dst, const void *src, size_t n);
/* Copies up to max-1 bytes and a NUL; returns the length, -EFAULT, or
 * -ENAMETOOLONG when no NUL was found within max bytes. */
long strncpy_from_guest(struct mmu *m, char *dst, uint64_t src, size_t max);

#endif
