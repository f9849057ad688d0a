/* The page walk (SDM vol. 3, 4.5.4 and 4.6): four levels from CR3, user
 * mode, write protection and NX checked at every level, A set on every
 * entry used and D on the leaf for a write. A successful walk fills the
 * TLB of its access kind; read and fetch entries never grant writes, so
 * the first write to a page always walks and sets D. */
#include "mmu.h"

static int canonical(uint64_t vaddr) {
  return (uint64_t)((int64_t)(vaddr << 16) >> 16) == vaddr;
}

uint32_t mmu_translate(struct mmu *m, uint64_t vaddr, enum mmu_access kind,
                       uint64_t *paddr) {
  uint32_t access = PFERR_U | (kind == MMU_WRITE ? PFERR_W : 0) |
                    (kind == MMU_FETCH ? PFERR_I : 0);
  m->stats.tlb_misses++;
  if (!canonical(vaddr))
    return access | PFERR_NONCANONICAL;
  m->stats.page_walks++;
  uint64_t *entries[4];
  uint64_t leaf;
walk:;
  /* Each entry is read once; the A and D bits are set as the hardware
   * sets them, by a locked update that fails (and walks again) when
   * another CPU's kernel changed the leaf meanwhile, never bringing back
   * an entry it cleared. */
  uint64_t table = m->cr3;
  uint64_t allowed = PTE_W | PTE_U, nx = 0;
  for (int level = 3; level >= 0; level--) {
    uint64_t *t = (uint64_t *)mmu_phys(m, table & PTE_ADDR);
    uint64_t *e = &t[(vaddr >> (12 + 9 * level)) & 511];
    uint64_t v = __atomic_load_n(e, __ATOMIC_ACQUIRE);
    if (!(v & PTE_P))
      return access;
    allowed &= v;
    nx |= v & PTE_NX;
    entries[level] = e;
    table = v & PTE_ADDR;
    leaf = v;
  }
  if (!(allowed & PTE_U) || (kind == MMU_WRITE && !(allowed & PTE_W)) ||
      (kind == MMU_FETCH && nx))
    return access | PFERR_P;
  for (int level = 3; level >= 1; level--)
    if (!(*entries[level] & PTE_A))
      __atomic_fetch_or(entries[level], PTE_A, __ATOMIC_SEQ_CST);
  uint64_t want = leaf | PTE_A | (kind == MMU_WRITE ? PTE_D : 0);
  if (want != leaf &&
      !__atomic_compare_exchange_n(entries[0], &leaf, want, false,
                                   __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
    goto walk;
  uint64_t frame = leaf & PTE_ADDR;
  *paddr = frame | (vaddr & ~PAGE_MASK);
  struct tlb_entry *te = tlb_slot(m, kind, vaddr);
  te->page = vaddr & PAGE_MASK;
  te->addend = (uintptr_t)(m->phys + frame) - (vaddr & PAGE_MASK);
  return 0;
}
