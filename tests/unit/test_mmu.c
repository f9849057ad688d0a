/* The MMU: page tables in guest physical memory, the walk's permission
 * checks and error codes (SDM vol. 3, 4.7), A/D bits, and the TLB. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mmu/mmu.h"

static struct mmu m;

static void setup(void) { ck_assert_int_eq(mmu_init(&m, 1ull << 30), 0); }
static void teardown(void) { mmu_destroy(&m); }

static uint64_t map_new(uint64_t va, uint64_t flags) {
  uint64_t f = mmu_frame_alloc(&m);
  ck_assert(f != 0);
  ck_assert_int_eq(mmu_map(&m, va, f, flags, NULL), 0);
  return f;
}

START_TEST(walk_reaches_the_frame) {
  uint64_t va = 0x7ffff7dd2123ull, pa;
  uint64_t f = map_new(va & PAGE_MASK, PTE_U | PTE_W);
  ck_assert_uint_eq(mmu_translate(&m, va, MMU_READ, &pa), 0);
  ck_assert_uint_eq(pa, f | 0x123);
  /* The tables are in guest physical memory: walk them by hand. */
  uint64_t *pml4 = mmu_phys(&m, m.cr3);
  uint64_t e = pml4[(va >> 39) & 511];
  ck_assert(e & PTE_P);
  for (int level = 2; level >= 0; level--) {
    uint64_t *t = mmu_phys(&m, e & PTE_ADDR);
    e = t[(va >> (12 + 9 * level)) & 511];
    ck_assert(e & PTE_P);
  }
  ck_assert_uint_eq(e & PTE_ADDR, f);
}
END_TEST

/* The range walk finds exactly the present pages, across absent page
 * tables (2 MiB), directories (1 GiB) and a 512 GiB region. */
START_TEST(next_present_finds_mapped_pages) {
  const uint64_t want[] = {0x400000ull, 0x401000ull, 0x40003000ull,
                           0x7ffff7dd2000ull, 0x7ffffffde000ull};
  uint64_t frames[5];
  for (int k = 0; k < 5; k++)
    frames[k] = map_new(want[k], PTE_U);
  int n = 0;
  uint64_t pte, end = 0x800000000000ull;
  for (uint64_t a = mmu_next_present(&m, 0x1000, end, &pte); a < end;
       a = mmu_next_present(&m, a + PAGE_SIZE, end, &pte), n++) {
    ck_assert_int_lt(n, 5);
    ck_assert_uint_eq(a, want[n]);
    ck_assert_uint_eq(pte & PTE_ADDR, frames[n]);
  }
  ck_assert_int_eq(n, 5);
  /* An end inside a gap stops there, with no PTE. */
  ck_assert_uint_eq(mmu_next_present(&m, 0x402000, 0x500000, &pte), 0x500000);
  ck_assert_uint_eq(pte, 0);
}
END_TEST

START_TEST(not_present_error_code) {
  uint64_t pa;
  ck_assert_uint_eq(mmu_translate(&m, 0x1000, MMU_READ, &pa), PFERR_U);
  ck_assert_uint_eq(mmu_translate(&m, 0x1000, MMU_WRITE, &pa),
                    PFERR_U | PFERR_W);
  ck_assert_uint_eq(mmu_translate(&m, 0x1000, MMU_FETCH, &pa),
                    PFERR_U | PFERR_I);
}
END_TEST

START_TEST(protection_error_codes) {
  uint64_t pa;
  map_new(0x400000, PTE_U | PTE_NX); /* read-only, no exec */
  ck_assert_uint_eq(mmu_translate(&m, 0x400010, MMU_READ, &pa), 0);
  ck_assert_uint_eq(mmu_translate(&m, 0x400010, MMU_WRITE, &pa),
                    PFERR_P | PFERR_W | PFERR_U);
  ck_assert_uint_eq(mmu_translate(&m, 0x400010, MMU_FETCH, &pa),
                    PFERR_P | PFERR_I | PFERR_U);
  map_new(0x500000, PTE_W); /* supervisor page */
  ck_assert_uint_eq(mmu_translate(&m, 0x500000, MMU_READ, &pa),
                    PFERR_P | PFERR_U);
}
END_TEST

START_TEST(non_canonical_is_not_a_page_fault) {
  uint64_t pa;
  ck_assert(mmu_translate(&m, 0x0000800000000000ull, MMU_READ, &pa) &
            PFERR_NONCANONICAL);
}
END_TEST

START_TEST(accessed_and_dirty_bits) {
  uint64_t pa;
  map_new(0x600000, PTE_U | PTE_W);
  ck_assert(!(mmu_pte(&m, 0x600000) & (PTE_A | PTE_D)));
  mmu_translate(&m, 0x600000, MMU_READ, &pa);
  ck_assert(mmu_pte(&m, 0x600000) & PTE_A);
  ck_assert(!(mmu_pte(&m, 0x600000) & PTE_D));
  /* A read fills only the read TLB: the first write must walk. */
  ck_assert_ptr_null(tlb_lookup(&m, MMU_WRITE, 0x600000, 8));
  mmu_translate(&m, 0x600000, MMU_WRITE, &pa);
  ck_assert(mmu_pte(&m, 0x600000) & PTE_D);
  ck_assert_ptr_nonnull(tlb_lookup(&m, MMU_WRITE, 0x600008, 8));
}
END_TEST

START_TEST(tlb_hits_and_invalidation) {
  uint64_t pa;
  map_new(0x700000, PTE_U | PTE_W);
  ck_assert_ptr_null(tlb_lookup(&m, MMU_READ, 0x700000, 8));
  mmu_translate(&m, 0x700000, MMU_READ, &pa);
  ck_assert_ptr_nonnull(tlb_lookup(&m, MMU_READ, 0x700ff8, 8));
  /* An access that crosses the page end never takes the fast path. */
  ck_assert_ptr_null(tlb_lookup(&m, MMU_READ, 0x700ffc, 8));
  mmu_protect(&m, 0x700000, PTE_U | PTE_NX);
  ck_assert_ptr_null(tlb_lookup(&m, MMU_READ, 0x700000, 8));
  mmu_translate(&m, 0x700000, MMU_READ, &pa);
  ck_assert_ptr_nonnull(tlb_lookup(&m, MMU_READ, 0x700000, 8));
  uint64_t old = mmu_unmap(&m, 0x700000);
  ck_assert(old & PTE_P);
  ck_assert_ptr_null(tlb_lookup(&m, MMU_READ, 0x700000, 8));
  mmu_translate(&m, 0x700000, MMU_READ, &pa);
  mmu_set_cr3(&m, m.cr3);
  ck_assert_ptr_null(tlb_lookup(&m, MMU_READ, 0x700000, 8));
}
END_TEST

static bool fault_calls;
static bool resolve(void *ctx, uint64_t addr, uint32_t err) {
  (void)ctx;
  (void)err;
  fault_calls = true;
  uint64_t f = mmu_frame_alloc(&m);
  return mmu_map(&m, addr & PAGE_MASK, f, PTE_U | PTE_W, NULL) == 0;
}

START_TEST(copies_demand_page_and_fault) {
  char buf[8200];
  memset(buf, 'x', sizeof buf);
  ck_assert_int_eq(copy_to_guest(&m, 0x800ff0, buf, sizeof buf), -EFAULT);
  m.fault_handler = resolve;
  ck_assert_int_eq(copy_to_guest(&m, 0x800ff0, buf, sizeof buf), 0);
  ck_assert(fault_calls);
  char back[8200];
  ck_assert_int_eq(copy_from_guest(&m, back, 0x800ff0, sizeof back), 0);
  ck_assert_mem_eq(buf, back, sizeof buf);
  char s[16];
  ck_assert_int_eq(copy_to_guest(&m, 0x801ffe, "hi\0", 3), 0);
  ck_assert_int_eq(strncpy_from_guest(&m, s, 0x801ffe, sizeof s), 2);
  ck_assert_str_eq(s, "hi");
  ck_assert_int_eq(strncpy_from_guest(&m, s, 0x800ff0, 4), -ENAMETOOLONG);
}
END_TEST

START_TEST(reset_frees_everything) {
  uint64_t f = map_new(0x900000, PTE_U);
  (void)f;
  ck_assert_int_eq(mmu_reset(&m), 0);
  /* Only the fresh PML4 is left, and nothing is mapped. */
  ck_assert_uint_eq(m.space->frames_used, 1);
  ck_assert_uint_eq(mmu_pte(&m, 0x900000), 0);
}
END_TEST

int main(void) {
  Suite *s = suite_create("mmu");
  TCase *t = tcase_create("mmu");
  tcase_add_checked_fixture(t, setup, teardown);
  tcase_add_test(t, walk_reaches_the_frame);
  tcase_add_test(t, next_present_finds_mapped_pages);
  tcase_add_test(t, not_present_error_code);
  tcase_add_test(t, protection_error_codes);
  tcase_add_test(t, non_canonical_is_not_a_page_fault);
  tcase_add_test(t, accessed_and_dirty_bits);
  tcase_add_test(t, tlb_hits_and_invalidation);
  tcase_add_test(t, copies_demand_page_and_fault);
  tcase_add_test(t, reset_frees_everything);
  suite_add_tcase(s, t);
  SRunner *r = srunner_create(s);
  srunner_run_all(r, CK_NORMAL);
  int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
