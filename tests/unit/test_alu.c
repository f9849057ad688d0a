/* Differential tests of the ALU instructions (cpu/alu.c, cpu/flags.c):
 * every operand size and form, run on the host CPU and in emu. */
#include "int_harness.h"

/* The eight ALU operations in every form and size. */
// clang-format off
__asm__(".irp op, add, or, adc, sbb, and, sub, xor, cmp\n"
        INT_CASE("\\op %al, %cl")
        INT_CASE("\\op %ah, %dh")
        INT_CASE("\\op %sil, %r9b")
        INT_CASE("\\op %ax, %dx")
        INT_CASE("\\op %eax, %edx")
        INT_CASE("\\op %rax, %rdx")
        INT_CASE("\\op %r8, %r15")
        INT_CASE("\\op (%rbx), %cl")
        INT_CASE("\\op (%rbx), %cx")
        INT_CASE("\\op 8(%rbx), %ecx")
        INT_CASE("\\op -8(%rbx), %rcx")
        INT_CASE("\\op %cl, (%rbx)")
        INT_CASE("\\op %cx, 2(%rbx)")
        INT_CASE("\\op %ecx, (%rbx)")
        INT_CASE("\\op %rcx, (%rbx,%rsi,1)")
        INT_CASE("\\op $0x7f, %al")
        INT_CASE("\\op $0x1234, %ax")
        INT_CASE("\\op $0x80000000, %eax")
        INT_CASE("\\op $-5, %rax")
        INT_CASE("\\op $0x12345678, %rax")
        INT_CASE("\\op $0x80, %cl")
        INT_CASE("\\op $3, %r10w")
        INT_CASE("\\op $-3, %r10d")
        INT_CASE("\\op $0x7fffffff, %r11")
        INT_CASE("\\op $1, %r11")
        INT_CASE("\\op\\()b $0x55, 3(%rbx)")
        INT_CASE("\\op\\()w $0x5555, 3(%rbx)")
        INT_CASE("\\op\\()l $-1, 3(%rbx)")
        INT_CASE("\\op\\()q $0x7f, 3(%rbx)")
        INT_CASE("stc; \\op %rax, %rdx")
        INT_CASE("clc; \\op %eax, %edx")
        INT_CASE("stc; \\op %al, %dl")
        ".endr\n");
// clang-format on

/* LOCK'd read-modify-write forms. */
// clang-format off
__asm__(".irp op, add, or, adc, sbb, and, sub, xor\n"
        INT_CASE("lock \\op\\()q $0x7f, 3(%rbx)")
        INT_CASE("lock \\op %ecx, 4(%rbx)")
        ".endr\n");
// clang-format on

/* test, inc/dec, neg/not */
// clang-format off
__asm__(INT_CASE("test %al, %cl")
        INT_CASE("test %ah, %ch")
        INT_CASE("test %ax, %cx")
        INT_CASE("test %eax, %ecx")
        INT_CASE("test %rax, %rcx")
        INT_CASE("test %rcx, (%rbx)")
        INT_CASE("test $0x80, %al")
        INT_CASE("test $0x8000, %ax")
        INT_CASE("test $0x80000000, %eax")
        INT_CASE("test $-1, %rax")
        INT_CASE("testb $1, %bh")
        INT_CASE("testw $0x8001, %r9w")
        INT_CASE("testl $0x1, (%rbx)")
        INT_CASE("testq $-2, %r12")
        ".irp op, inc, dec, neg, not\n"
        INT_CASE("\\op %al")
        INT_CASE("\\op %ah")
        INT_CASE("\\op %dil")
        INT_CASE("\\op %cx")
        INT_CASE("\\op %ecx")
        INT_CASE("\\op %rcx")
        INT_CASE("\\op %r13")
        INT_CASE("\\op\\()b (%rbx)")
        INT_CASE("\\op\\()w (%rbx)")
        INT_CASE("\\op\\()l (%rbx)")
        INT_CASE("\\op\\()q (%rbx)")
        INT_CASE("lock \\op\\()q 8(%rbx)")
        INT_CASE("stc; \\op %edx")
        INT_CASE("clc; \\op %edx")
        ".endr\n"
        INT_CASE("cmp %rax, %rcx; setb %dl; seto %dh; setp %bl; sets %bh")
        INT_CASE("add %eax, %ecx; adc %edx, %r8d; sbb %r9d, %r10d")
        INT_CASE("sub %ax, %cx; lahf")
        INT_CASE("inc %al; pushf; pop %rdx")
        INT_CASE("dec %r8b; pushf; pop %rdx")
        INT_CASE("xor %eax, %eax"));
// clang-format on

INT_DIFF_TEST(alu_matches_host, 64)

/* A read-modify-write of a read-only page faults after the read and
 * before anything changes: memory, registers and flags are untouched, so
 * the kernel can restart it (e.g. after copy-on-write). */
START_TEST(rmw_fault_changes_nothing) {
  emu_setup();
  uint64_t ro = DATA_ADDR + DATA_SIZE, gpr[16] = {0};
  uint64_t f = mmu_frame_alloc(&em_mmu);
  ck_assert_int_eq(mmu_map(&em_mmu, ro, f, PTE_U, NULL), 0);
  /* stc; adc %rax, (%rbx); int3 */
  static const uint8_t code[] = {0xf9, 0x48, 0x11, 0x03, 0xcc};
  gpr[RAX] = 5;
  gpr[RBX] = ro + 8;
  ck_assert_int_eq(emu_run_bytes(code, sizeof code, gpr), TRAP_PF);
  ck_assert_uint_eq(em_cpu.trap.addr, ro + 8);
  ck_assert_uint_eq(em_cpu.trap.error & PFERR_W, PFERR_W);
  ck_assert_uint_eq(em_cpu.rip, CODE_ADDR + 1);
  ck_assert_uint_eq(cpu_get_flags(&em_cpu) & FLAG_CF, FLAG_CF);
  ck_assert_uint_eq(em_cpu.gpr[RAX], 5);
  uint64_t v = 1;
  ck_assert_int_eq(copy_from_guest(&em_mmu, &v, ro + 8, 8), 0);
  ck_assert_uint_eq(v, 0);
}
END_TEST

int main(void) {
  Suite *s = suite_create("alu");
  TCase *tc = tcase_create("differential");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, alu_matches_host);
  tcase_add_test(tc, rmw_fault_changes_nothing);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
