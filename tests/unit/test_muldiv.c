/* Differential tests of mul/imul/div/idiv (cpu/muldiv.c) against the
 * host CPU, including #DE (divide by zero, quotient overflow). */
#include "int_harness.h"

// clang-format off
__asm__(".irp op, mul, imul, div, idiv\n"
        INT_CASE("\\op %cl")
        INT_CASE("\\op %ch")
        INT_CASE("\\op %cx")
        INT_CASE("\\op %ecx")
        INT_CASE("\\op %rcx")
        INT_CASE("\\op\\()b (%rbx)")
        INT_CASE("\\op\\()w (%rbx)")
        INT_CASE("\\op\\()l (%rbx)")
        INT_CASE("\\op\\()q (%rbx)")
        INT_CASE("\\op %r9")
        ".endr\n"
        INT_CASE("xor %edx, %edx; or $1, %rcx; div %rcx")
        INT_CASE("xor %edx, %edx; or $1, %ecx; div %ecx")
        INT_CASE("xor %edx, %edx; or $1, %cx; div %cx")
        INT_CASE("movzbl %al, %eax; or $1, %cl; div %cl")
        INT_CASE("cqo; or $1, %rcx; idiv %rcx")
        INT_CASE("cltd; or $1, %ecx; idiv %ecx")
        INT_CASE("cwtd; or $1, %cx; idiv %cx")
        INT_CASE("cbtw; or $1, %cl; idiv %cl")
        INT_CASE("mov $0x8000000000000000, %rax; cqo; mov $-1, %rcx; idiv %rcx")
        INT_CASE("mov $-7, %rax; cqo; mov $2, %rcx; idiv %rcx")
        INT_CASE("mov $7, %rax; cqo; mov $-2, %rcx; idiv %rcx")
        INT_CASE("xor %ecx, %ecx; div %ecx")
        INT_CASE("imul %cx, %dx")
        INT_CASE("imul %ecx, %edx")
        INT_CASE("imul %rcx, %rdx")
        INT_CASE("imul (%rbx), %rdx")
        INT_CASE("imul $7, %cx, %dx")
        INT_CASE("imul $-7, %ecx, %edx")
        INT_CASE("imul $0x12345, %rcx, %rdx")
        INT_CASE("imul $0x7fffffff, (%rbx), %rdx")
        INT_CASE("imul $1000, %ax, %ax")
        INT_CASE("mulx %rcx, %r8, %r9")
        INT_CASE("mulx %ecx, %r8d, %r9d")
        INT_CASE("mulx (%rbx), %r8, %r8"));
// clang-format on

INT_DIFF_TEST(muldiv_matches_host, 64)

int main(void) {
  Suite *s = suite_create("muldiv");
  TCase *tc = tcase_create("differential");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, muldiv_matches_host);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
