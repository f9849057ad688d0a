/* Differential tests of data movement (cpu/move.c, cpu/cmpxchg.c) and of
 * register operands (cpu/operand.c): byte registers with and without
 * REX, partial writes, addressing modes. */
#include "int_harness.h"

// clang-format off
__asm__(INT_CASE("mov %ah, %bh")
        INT_CASE("mov %ah, %cl")
        INT_CASE("mov %sil, %dil")
        INT_CASE("mov %r8b, %al")
        INT_CASE("mov %ax, %r9w")
        INT_CASE("mov %eax, %r9d")
        INT_CASE("mov %rax, %r9")
        INT_CASE("mov (%rbx), %ch")
        INT_CASE("mov 1(%rbx,%rsi,1), %r10w")
        INT_CASE("mov %dh, 5(%rbx)")
        INT_CASE("mov %r11, 5(%rbx)")
        INT_CASE("mov $0x12, %ah")
        INT_CASE("mov $0x1234, %r8w")
        INT_CASE("mov $0x12345678, %r8d")
        INT_CASE("movabs $0x123456789abcdef0, %r8")
        INT_CASE("mov $-1, %rax")
        INT_CASE("movb $0x12, 1(%rbx)")
        INT_CASE("movw $0x1234, 1(%rbx)")
        INT_CASE("movl $0x12345678, 1(%rbx)")
        INT_CASE("movq $-2, 1(%rbx)")
        INT_CASE("movabs 0x20000100, %al")
        INT_CASE("movabs 0x20000100, %ax")
        INT_CASE("movabs 0x20000100, %eax")
        INT_CASE("movabs 0x20000100, %rax")
        INT_CASE("movabs %al, 0x20000100")
        INT_CASE("movabs %rax, 0x20000100")
        INT_CASE("mov 0x20000100, %ecx")
        INT_CASE("movzbl %ah, %ecx")
        INT_CASE("movzbw %al, %cx")
        INT_CASE("movzbq (%rbx), %rcx")
        INT_CASE("movzwl %ax, %ecx")
        INT_CASE("movzwq (%rbx), %rcx")
        INT_CASE("movsbl %ah, %ecx")
        INT_CASE("movsbw %al, %cx")
        INT_CASE("movsbq (%rbx), %rcx")
        INT_CASE("movswl %ax, %ecx")
        INT_CASE("movswq (%rbx), %rcx")
        INT_CASE("movslq %eax, %rcx")
        INT_CASE("movslq (%rbx), %rcx")
        INT_CASE("lea 8(%rax,%rcx,4), %rdx")
        INT_CASE("lea 8(%rax,%rcx,4), %edx")
        INT_CASE("lea 8(%rax,%rcx,4), %dx")
        INT_CASE("lea 8(%eax,%ecx,4), %rdx")
        INT_CASE("lea -0x80(%rip), %rdx")
        INT_CASE("lea 0x1000(,%rcx,2), %rdx")
        INT_CASE("lea (%r12,%r13,8), %r14")
        INT_CASE("lea (%rbp), %rax; lea (%r13), %rcx")
        INT_CASE("mov 2f(%rip), %rax; jmp 1f; 2: .quad 0x1122334455667788; 1:")
        INT_CASE("xchg %al, %ah")
        INT_CASE("xchg %cx, %dx")
        INT_CASE("xchg %ecx, %edx")
        INT_CASE("xchg %rcx, (%rbx)")
        INT_CASE("xchg %ecx, %eax")
        INT_CASE("xchg %r8, %rax")
        INT_CASE("xchg %r8d, %eax")
        INT_CASE(".byte 0x90")
        INT_CASE(".byte 0x66, 0x90")
        INT_CASE(".byte 0x41, 0x90")
        INT_CASE(".byte 0x49, 0x90")
        INT_CASE("cbtw; cwtl; cltq")
        INT_CASE("cbtw")
        INT_CASE("cwtl")
        INT_CASE("cltq")
        INT_CASE("cwtd")
        INT_CASE("cltd")
        INT_CASE("cqto")
        INT_CASE("lahf")
        INT_CASE("sahf")
        INT_CASE("and $0xff, %eax; lea -0x100(%rbx), %rbx; xlat")
        INT_CASE("cmpxchgb %cl, (%rbx)")
        INT_CASE("mov (%rbx), %rax; cmpxchgb %cl, (%rbx)")
        INT_CASE("lock xaddb %cl, (%rbx)")
        INT_CASE("cmpxchgw %cx, (%rbx)")
        INT_CASE("mov (%rbx), %rax; cmpxchgw %cx, (%rbx)")
        INT_CASE("lock xaddw %cx, (%rbx)")
        INT_CASE("cmpxchgl %ecx, (%rbx)")
        INT_CASE("mov (%rbx), %rax; cmpxchgl %ecx, (%rbx)")
        INT_CASE("lock xaddl %ecx, (%rbx)")
        INT_CASE("cmpxchgq %rcx, (%rbx)")
        INT_CASE("mov (%rbx), %rax; cmpxchgq %rcx, (%rbx)")
        INT_CASE("lock xaddq %rcx, (%rbx)")
        INT_CASE("cmpxchg %cl, %dl")
        INT_CASE("mov %edx, %eax; cmpxchg %ecx, %edx")
        INT_CASE("cmpxchg %ecx, %edx")
        INT_CASE("cmpxchg %rcx, %rdx")
        INT_CASE("xadd %ecx, %edx")
        INT_CASE("xadd %ecx, %ecx")
        INT_CASE("xadd %rax, %r8")
        INT_CASE("cmpxchg8b (%rbx)")
        INT_CASE("mov (%rbx), %eax; mov 4(%rbx), %edx; cmpxchg8b (%rbx)")
        INT_CASE("and $-16, %rbx; cmpxchg16b (%rbx)")
        INT_CASE("and $-16, %rbx; mov (%rbx), %rax; mov 8(%rbx), %rdx; lock cmpxchg16b (%rbx)"));
// clang-format on

INT_DIFF_TEST(move_matches_host, 64)

int main(void) {
  Suite *s = suite_create("move");
  TCase *tc = tcase_create("differential");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, move_matches_host);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
