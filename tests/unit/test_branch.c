/* Differential tests of branches, calls and returns (cpu/branch.c),
 * written so that both outcomes of a branch show in the registers. */
#include "int_harness.h"

// clang-format off
__asm__(INT_CASE("jmp 1f; mov $1, %eax; 1:")
        INT_CASE(".byte 0xe9, 5, 0, 0, 0; mov $1, %eax")
        ".irp cc, o, no, b, ae, e, ne, be, a, s, ns, p, np, l, ge, le, g\n"
        INT_CASE("j\\cc 1f; mov $1, %eax; 1:")
        INT_CASE("cmp %rcx, %rdx; j\\cc 1f; mov $1, %eax; 1:")
        INT_CASE("cmp %cl, %dl; j\\cc 1f; mov $1, %eax; 1:")
        INT_CASE("sub %cx, %dx; j\\cc 1f; mov $1, %eax; 1:")
        INT_CASE("add %ecx, %edx; j\\cc 1f; mov $1, %eax; 1:")
        INT_CASE("test %ecx, %edx; j\\cc 1f; mov $1, %eax; 1:")
        INT_CASE("inc %ecx; j\\cc 1f; mov $1, %eax; 1:")
        INT_CASE("j\\cc 1f; .fill 200, 1, 0x90; mov $1, %eax; 1:")
        INT_CASE("set\\cc %al; set\\cc (%rbx)")
        INT_CASE("cmp %rcx, %rdx; set\\cc %dil")
        INT_CASE("cmp %rcx, %rdx; cmov\\cc %rcx, %rax")
        INT_CASE("cmp %ecx, %edx; cmov\\cc %ecx, %eax")
        INT_CASE("cmp %cx, %dx; cmov\\cc (%rbx), %ax")
        ".endr\n"
        INT_CASE("call 1f; 1: pop %rax")
        INT_CASE("lea 1f(%rip), %rax; call *%rax; 1: pop %rcx")
        INT_CASE("lea 1f(%rip), %rax; mov %rax, (%rbx); call *(%rbx); 1: pop %rcx")
        INT_CASE("lea 1f(%rip), %rax; jmp *%rax; mov $1, %ecx; 1:")
        INT_CASE("lea 1f(%rip), %rax; mov %rax, 8(%rbx); jmp *8(%rbx); mov $1, %ecx; 1:")
        INT_CASE("call 1f; jmp 2f; 1: ret; 2:")
        INT_CASE("call 1f; jmp 2f; 1: ret $16; 2:")
        INT_CASE("and $7, %ecx; inc %ecx; 1: inc %eax; loop 1b")
        INT_CASE("and $7, %ecx; inc %ecx; 1: inc %eax; cmp $3, %eax; loopne 1b")
        INT_CASE("and $7, %ecx; inc %ecx; 1: inc %eax; cmp %eax, %edx; loope 1b")
        INT_CASE("and $7, %ecx; inc %ecx; 1: inc %eax; addr32 loop 1b")
        INT_CASE("jrcxz 1f; mov $1, %eax; 1:")
        INT_CASE("xor %ecx, %ecx; jrcxz 1f; mov $1, %eax; 1:")
        INT_CASE("shl $32, %rcx; jecxz 1f; mov $1, %eax; 1:"));
// clang-format on

INT_DIFF_TEST(branch_matches_host, 16)

int main(void) {
  Suite *s = suite_create("branch");
  TCase *tc = tcase_create("differential");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, branch_matches_host);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
