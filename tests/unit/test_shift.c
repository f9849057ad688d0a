/* Differential tests of shifts and rotates (cpu/shift.c) against the
 * host CPU, including the flags the SDM leaves undefined (reported as
 * "undefined-flag differences"). */
#include "int_harness.h"

// clang-format off
__asm__(".irp op, rol, ror, rcl, rcr, shl, shr, sar\n"
        INT_CASE("\\op %al")
        INT_CASE("\\op %ah")
        INT_CASE("\\op %dx")
        INT_CASE("\\op %edx")
        INT_CASE("\\op %rdx")
        INT_CASE("\\op\\()b (%rbx)")
        INT_CASE("\\op\\()q (%rbx)")
        INT_CASE("\\op %cl, %al")
        INT_CASE("\\op %cl, %r9b")
        INT_CASE("\\op %cl, %dx")
        INT_CASE("\\op %cl, %edx")
        INT_CASE("\\op %cl, %rdx")
        INT_CASE("\\op\\()w %cl, (%rbx)")
        INT_CASE("\\op\\()l %cl, (%rbx)")
        INT_CASE("\\op $0, %edx")
        INT_CASE("\\op $1, %edx")
        INT_CASE("\\op $7, %al")
        INT_CASE("\\op $8, %al")
        INT_CASE("\\op $9, %al")
        INT_CASE("\\op $17, %dx")
        INT_CASE("\\op $16, %dx")
        INT_CASE("\\op $31, %edx")
        INT_CASE("\\op $33, %edx")
        INT_CASE("\\op $63, %rdx")
        INT_CASE("\\op $4, %r14")
        INT_CASE("\\op\\()l $3, (%rbx)")
        INT_CASE("and $0x1f, %ecx; \\op %cl, %al")
        INT_CASE("and $0x1f, %ecx; \\op %cl, %ax")
        INT_CASE("and $0x3, %ecx; \\op %cl, %eax")
        ".endr\n"
        INT_CASE("sal $3, %eax")
        ".irp op, shld, shrd\n"
        INT_CASE("\\op $1, %ax, %dx")
        INT_CASE("\\op $5, %ax, %dx")
        INT_CASE("\\op $5, %eax, %edx")
        INT_CASE("\\op $33, %rax, %rdx")
        INT_CASE("\\op $0, %eax, %edx")
        INT_CASE("\\op %cl, %eax, %edx")
        INT_CASE("\\op %cl, %rax, %rdx")
        INT_CASE("\\op %cl, %rax, (%rbx)")
        INT_CASE("\\op $7, %ax, (%rbx)")
        INT_CASE("and $15, %ecx; \\op %cl, %ax, %dx")
        INT_CASE("and $31, %ecx; \\op %cl, %ax, %dx")
        INT_CASE("\\op $17, %ax, %dx")
        INT_CASE("\\op $24, %ax, %dx")
        INT_CASE("\\op $31, %ax, %dx")
        INT_CASE("\\op $2, %eax, %edx")
        INT_CASE("\\op $2, %rax, %rdx")
        INT_CASE("\\op $2, %ax, %dx")
        INT_CASE("and $31, %ecx; \\op %cl, %ax, (%rbx)")
        INT_CASE("and $31, %ecx; \\op %cl, %r9w, %r10w")
        INT_CASE("\\op %cl, %ax, %dx")
        INT_CASE("\\op $16, %ax, %dx")
        ".endr\n"
        INT_CASE("shlx %rax, %rdx, %rcx")
        INT_CASE("shlx %eax, %edx, %ecx")
        INT_CASE("sarx %rax, (%rbx), %rcx")
        INT_CASE("sarx %eax, %edx, %r9d")
        INT_CASE("shrx %r8, %rdx, %rcx")
        INT_CASE("shrx %eax, %edx, %ecx")
        INT_CASE("rorx $5, %rdx, %rcx")
        INT_CASE("rorx $31, %edx, %ecx")
        INT_CASE("rorx $0, (%rbx), %ecx"));
// clang-format on

INT_DIFF_TEST(shift_matches_host, 64)

int main(void) {
  Suite *s = suite_create("shift");
  TCase *tc = tcase_create("differential");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, shift_matches_host);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
