/* Single-thread semantics of the locked read-modify-write forms (cpu/
 * exec/atomic.c) against the host CPU: every lockable instruction and
 * XCHG with memory, at each size, through the specialised copies and
 * the generic handlers, aligned, misaligned and split across the two
 * data pages (RBP is the page boundary: -4(%rbp) crosses it). Then the
 * faults: a locked write to a read-only page changes nothing, and a
 * fault inside the bus lock releases it. Threads: test_atomic.c. */
#include "int_harness.h"

// clang-format off
__asm__(".irp op, add, or, adc, sbb, and, sub, xor\n"
        INT_CASE("lock \\op %cl, 1(%rbx)")
        INT_CASE("lock \\op %cx, 3(%rbx)")
        INT_CASE("lock \\op %ecx, (%rbx)")
        INT_CASE("lock \\op %rcx, 5(%rbx)")
        INT_CASE("lock \\op\\()b $0x55, 3(%rbx)")
        INT_CASE("lock \\op\\()w $0x5555, 3(%rbx)")
        INT_CASE("lock \\op\\()l $-1, 3(%rbx)")
        INT_CASE("lock \\op\\()q $-3, (%rbx)")
        INT_CASE("stc; lock \\op %rax, -4(%rbp)")
        INT_CASE("clc; lock \\op\\()l $7, -2(%rbp)")
        INT_CASE("lock \\op %dx, -1(%rbp)")
        INT_CASE("lock \\op %al, -1(%rbp)")
        INT_CASE("lock \\op %ah, 2(%rbx)")
        INT_CASE("lock \\op %ecx, (%ebx)")
        INT_CASE("and $7, %edx; lock \\op\\()l $9, (%rbx,%rdx,4)")
        INT_CASE("lock \\op %ecx, (%rbx); jz 1f; inc %r8; 1:")
        ".endr\n"
        ".irp op, inc, dec, neg, not\n"
        INT_CASE("lock \\op\\()b (%rbx)")
        INT_CASE("lock \\op\\()w 1(%rbx)")
        INT_CASE("lock \\op\\()l 2(%rbx)")
        INT_CASE("lock \\op\\()q (%rbx)")
        INT_CASE("stc; lock \\op\\()q -4(%rbp)")
        INT_CASE("clc; lock \\op\\()w -1(%rbp)")
        ".endr\n"
        ".irp op, bts, btr, btc\n"
        INT_CASE("movsbq %cl, %rcx; lock \\op %rcx, (%rbx)")
        INT_CASE("movsbl %cl, %ecx; lock \\op %ecx, 8(%rbx)")
        INT_CASE("movsbw %cl, %cx; lock \\op %cx, 9(%rbx)")
        INT_CASE("movsbq %cl, %rcx; lock \\op %rcx, -4(%rbp)")
        INT_CASE("lock \\op\\()q $63, (%rbx)")
        INT_CASE("lock \\op\\()l $37, 1(%rbx)")
        INT_CASE("lock \\op\\()w $15, -1(%rbp)")
        ".endr\n"
        INT_CASE("lock xadd %cl, 1(%rbx)")
        INT_CASE("lock xadd %cx, 1(%rbx)")
        INT_CASE("lock xadd %ecx, 2(%rbx)")
        INT_CASE("lock xadd %rcx, (%rbx)")
        INT_CASE("lock xadd %rax, -4(%rbp)")
        INT_CASE("xchg %cl, 1(%rbx)")
        INT_CASE("xchg %cx, 1(%rbx)")
        INT_CASE("xchg %ecx, 2(%rbx)")
        INT_CASE("xchg %rcx, (%rbx)")
        INT_CASE("lock xchg %rdx, 8(%rbx)")
        INT_CASE("xchg %eax, -2(%rbp)")
        INT_CASE("xchg %rax, -4(%rbp)")
        INT_CASE("lock cmpxchg %cl, 1(%rbx)")
        INT_CASE("lock cmpxchg %cx, 1(%rbx)")
        INT_CASE("lock cmpxchg %ecx, 2(%rbx)")
        INT_CASE("lock cmpxchg %rcx, (%rbx)")
        INT_CASE("mov 1(%rbx), %al; lock cmpxchg %cl, 1(%rbx)")
        INT_CASE("mov 1(%rbx), %ax; lock cmpxchg %cx, 1(%rbx)")
        INT_CASE("mov 2(%rbx), %eax; lock cmpxchg %ecx, 2(%rbx)")
        INT_CASE("mov (%rbx), %rax; lock cmpxchg %rcx, (%rbx)")
        INT_CASE("lock cmpxchg %rcx, -4(%rbp)")
        INT_CASE("mov -4(%rbp), %rax; lock cmpxchg %rcx, -4(%rbp)")
        INT_CASE("mov -2(%rbp), %eax; lock cmpxchg %ecx, -2(%rbp)")
        INT_CASE("lock cmpxchg8b 3(%rbx)")
        INT_CASE("mov 3(%rbx), %eax; mov 7(%rbx), %edx; lock cmpxchg8b 3(%rbx)")
        INT_CASE("lock cmpxchg8b -4(%rbp)")
        INT_CASE("mov -4(%rbp), %eax; mov (%rbp), %edx; lock cmpxchg8b -4(%rbp)")
        INT_CASE("and $-16, %rbx; lock cmpxchg16b (%rbx)")
        INT_CASE("and $-16, %rbx; mov (%rbx), %rax; mov 8(%rbx), %rdx;"
                 "lock cmpxchg16b (%rbx)")
        INT_CASE("lock cmpxchg16b -16(%rbp)")
        INT_CASE("lock cmpxchg16b -8(%rbp)")
        INT_CASE("lock cmpxchg16b 8(%rbx)"));
// clang-format on

INT_DIFF_TEST(locked_matches_host, 48)

/* A locked write to a read-only page faults (a write fault, after the
 * read) and changes nothing, in one page and split across two. */
START_TEST(locked_fault_changes_nothing) {
  emu_setup();
  uint64_t ro = DATA_ADDR + DATA_SIZE, gpr[16] = {0};
  uint64_t f = mmu_frame_alloc(&em_mmu);
  ck_assert_int_eq(mmu_map(&em_mmu, ro, f, PTE_U, NULL), 0);
  static const uint8_t one_page[] = {0xf9, 0xf0, 0x48, 0x11, 0x03, 0xcc};
  static const uint8_t split[] = {0xf9, 0xf0, 0x48, 0x0f, 0xc1, 0x03, 0xcc};
  const struct {
    const uint8_t *code; /* stc; lock adc/xadd %rax, (%rbx); int3 */
    size_t n;
    uint64_t at, fault;
  } cases[] = {{one_page, sizeof one_page, ro + 8, ro + 8},
               {split, sizeof split, ro - 4, ro}};
  for (int k = 0; k < 2; k++) {
    uint64_t before = 0x1122334455667788ull;
    ck_assert_int_eq(copy_to_guest(&em_mmu, ro - 8, &before, 8), 0);
    gpr[RAX] = 5;
    gpr[RBX] = cases[k].at;
    ck_assert_int_eq(emu_run_bytes(cases[k].code, cases[k].n, gpr), TRAP_PF);
    ck_assert_uint_eq(em_cpu.trap.addr, cases[k].fault);
    ck_assert_uint_eq(em_cpu.trap.error & PFERR_W, PFERR_W);
    ck_assert_uint_eq(em_cpu.rip, CODE_ADDR + 1);
    ck_assert_uint_eq(cpu_get_flags(&em_cpu) & FLAG_CF, FLAG_CF);
    ck_assert_uint_eq(em_cpu.gpr[RAX], 5);
    uint64_t v[2] = {1, 1};
    ck_assert_int_eq(copy_from_guest(&em_mmu, v, ro - 8, 16), 0);
    ck_assert_uint_eq(v[0], before);
    ck_assert_uint_eq(v[1], 0);
  }
  /* The bus lock was released at the fault: another split locked access
   * runs (a default mutex taken twice would hang until the timeout). */
  gpr[RBX] = DATA_ADDR + PAGE_SIZE - 4;
  ck_assert_int_eq(emu_run_bytes(split, sizeof split, gpr), TRAP_BP);
}
END_TEST

int main(void) {
  Suite *s = suite_create("locked");
  TCase *tc = tcase_create("differential");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, locked_matches_host);
  tcase_add_test(tc, locked_fault_changes_nothing);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
