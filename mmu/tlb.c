/* The software TLB: direct-mapped arrays, one per access kind, so that a
 * hit is one compare and one add (mmu.h: tlb_lookup). Entries are filled
 * by the page walk and dropped on unmap, protection change and CR3 load,
 * as INVLPG and a CR3 write do on hardware. */
#include "mmu.h"

void tlb_flush_all(struct mmu *m) {
  for (int k = 0; k < MMU_ACCESS_KINDS; k++)
    for (int e = 0; e < TLB_ENTRIES; e++)
      m->tlb[k][e].page = TLB_INVALID;
}

void tlb_flush_page(struct mmu *m, uint64_t vaddr) {
  for (int k = 0; k < MMU_ACCESS_KINDS; k++) {
    struct tlb_entry *e = tlb_slot(m, k, vaddr);
    if (e->page == (vaddr & PAGE_MASK))
      e->page = TLB_INVALID;
  }
}

void tlb_flush_write(struct mmu *m, uint64_t vaddr) {
  struct tlb_entry *e = tlb_slot(m, MMU_WRITE, vaddr);
  if (e->page == (vaddr & PAGE_MASK))
    e->page = TLB_INVALID;
}
