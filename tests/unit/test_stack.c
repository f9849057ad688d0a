/* Differential tests of the stack instructions (cpu/stack.c): push, pop,
 * pushf/popf, enter and leave. */
#include "int_harness.h"

// clang-format off
__asm__(INT_CASE("push %rax; pop %rcx")
        INT_CASE("push %r12; push %rsp; pop %rdx; pop %r13")
        INT_CASE("pushw %ax; pop %cx; pop %dx")
        INT_CASE("push $-5; push $0x12345678; pop %rax; pop %rcx")
        INT_CASE("pushw $0x1234; popw %ax")
        INT_CASE("pushq (%rbx); popq 8(%rbx)")
        INT_CASE("pushq 8(%rsp); popq (%rsp)")
        INT_CASE("push %rax; popq 8(%rsp)")
        INT_CASE("push %rax; pop %rsp")
        INT_CASE("pushf; pop %rax")
        INT_CASE("pushfw; pop %ax")
        INT_CASE("and $0x8d5, %eax; or $0x202, %eax; push %rax; popf")
        INT_CASE("and $0x8d5, %eax; push %ax; popfw")
        INT_CASE("enter $0x20, $0")
        INT_CASE("enter $0x10, $1")
        INT_CASE("enter $8, $3")
        INT_CASE("enter $0, $0; leave")
        INT_CASE("leave")
        INT_CASE("leavew")
        INT_CASE("sahf; lahf")
        INT_CASE("cmc; pushf; pop %rax")
        INT_CASE("clc; stc; cmc")
        INT_CASE("std; pushf; cld; pop %rax"));
// clang-format on

INT_DIFF_TEST(stack_matches_host, 64)

int main(void) {
  Suite *s = suite_create("stack");
  TCase *tc = tcase_create("differential");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, stack_matches_host);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
