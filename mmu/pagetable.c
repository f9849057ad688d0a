/* The kernel's edits of the page tables. Tables live in guest physical
 * frames in the hardware format (SDM vol. 3, 4.5): a PML4 at CR3, then
 * PDPT, PD and PT, each 512 eight-byte entries, 4 KiB pages only. */
#include <errno.h>
#include <string.h>

#include "mmu.h"

/* Upper-level entries grant everything; permissions live in the leaf, as
 * Linux sets them up. */
#define TABLE_FLAGS (PTE_P | PTE_W | PTE_U)

static uint64_t *table_at(struct mmu *m, uint64_t paddr) {
  return (uint64_t *)mmu_phys(m, paddr & PTE_ADDR);
}

static unsigned level_index(uint64_t vaddr, int level) {
  return (unsigned)(vaddr >> (12 + 9 * level)) & 511;
}

/* The leaf PTE slot for vaddr, creating missing tables when `create`. */
static uint64_t *pte_slot(struct mmu *m, uint64_t vaddr, int create) {
  uint64_t table = m->cr3;
  for (int level = 3; level > 0; level--) {
    uint64_t *entry = &table_at(m, table)[level_index(vaddr, level)];
    if (!(*entry & PTE_P)) {
      if (!create)
        return NULL;
      uint64_t frame = mmu_frame_alloc(m);
      if (!frame)
        return NULL;
      *entry = frame | TABLE_FLAGS;
    }
    table = *entry & PTE_ADDR;
  }
  return &table_at(m, table)[level_index(vaddr, 0)];
}

static void page_changed(struct mmu *m, uint64_t vaddr) {
  tlb_flush_page(m, vaddr);
  if (m->code_write_hook)
    m->code_write_hook(m->code_hook_ctx, vaddr & PAGE_MASK);
}

int mmu_map(struct mmu *m, uint64_t vaddr, uint64_t paddr, uint64_t pte_flags,
            uint64_t *old_pte) {
  uint64_t *slot = pte_slot(m, vaddr, 1);
  if (!slot)
    return -ENOMEM;
  uint64_t pte =
      (paddr & PTE_ADDR) | PTE_P | (pte_flags & (PTE_W | PTE_U | PTE_NX));
  /* Atomic: another CPU's walk may be setting A or D in it. */
  uint64_t old = __atomic_exchange_n(slot, pte, __ATOMIC_SEQ_CST);
  if (old_pte)
    *old_pte = (old & PTE_P) ? old : 0;
  page_changed(m, vaddr);
  return 0;
}

uint64_t mmu_unmap(struct mmu *m, uint64_t vaddr) {
  uint64_t *slot = pte_slot(m, vaddr, 0);
  if (!slot || !(*slot & PTE_P))
    return 0;
  uint64_t old = __atomic_exchange_n(slot, 0, __ATOMIC_SEQ_CST);
  page_changed(m, vaddr);
  return old;
}

uint64_t mmu_pte(struct mmu *m, uint64_t vaddr) {
  uint64_t *slot = pte_slot(m, vaddr, 0);
  return slot && (*slot & PTE_P) ? *slot : 0;
}

uint64_t mmu_clear_dirty(struct mmu *m, uint64_t vaddr) {
  uint64_t *slot = pte_slot(m, vaddr, 0);
  if (!slot || !(*slot & PTE_P))
    return 0;
  return __atomic_fetch_and(slot, ~PTE_D, __ATOMIC_SEQ_CST);
}

void mmu_protect(struct mmu *m, uint64_t vaddr, uint64_t pte_flags) {
  uint64_t *slot = pte_slot(m, vaddr, 0);
  if (!slot || !(*slot & PTE_P))
    return;
  uint64_t bits = PTE_W | PTE_U | PTE_NX;
  uint64_t old = __atomic_load_n(slot, __ATOMIC_SEQ_CST);
  while (!__atomic_compare_exchange_n(slot, &old,
                                      (old & ~bits) | (pte_flags & bits), false,
                                      __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
    continue;
  page_changed(m, vaddr);
}

/* The end of the largest absent region at vaddr: lets range walks skip
 * unpopulated tables instead of visiting every page. */
static uint64_t next_table_boundary(struct mmu *m, uint64_t vaddr) {
  uint64_t table = m->cr3;
  for (int level = 3; level > 0; level--) {
    uint64_t entry = table_at(m, table)[level_index(vaddr, level)];
    if (!(entry & PTE_P)) {
      uint64_t span = 1ull << (12 + 9 * level);
      return (vaddr & ~(span - 1)) + span;
    }
    table = entry & PTE_ADDR;
  }
  return (vaddr & PAGE_MASK) + PAGE_SIZE;
}

uint64_t mmu_next_present(struct mmu *m, uint64_t vaddr, uint64_t end,
                          uint64_t *pte) {
  while (vaddr < end) {
    *pte = mmu_pte(m, vaddr);
    if (*pte)
      return vaddr;
    uint64_t next = next_table_boundary(m, vaddr);
    vaddr = next > vaddr + PAGE_SIZE ? next : vaddr + PAGE_SIZE;
  }
  *pte = 0;
  return end;
}

void mmu_set_cr3(struct mmu *m, uint64_t cr3) {
  m->cr3 = cr3;
  tlb_flush_all(m);
}
