/* Differential tests of the bit instructions (cpu/bits.c, cpu/bmi.c)
 * against the host CPU. */
#include "int_harness.h"

// clang-format off
__asm__(".irp op, bt, bts, btr, btc\n"
        INT_CASE("\\op %cx, %dx")
        INT_CASE("\\op %ecx, %edx")
        INT_CASE("\\op %rcx, %rdx")
        INT_CASE("\\op\\()w $13, %dx")
        INT_CASE("\\op\\()l $45, %edx")
        INT_CASE("\\op\\()q $45, %rdx")
        INT_CASE("\\op\\()q $45, (%rbx)")
        INT_CASE("\\op\\()l $3, 4(%rbx)")
        INT_CASE("and $0x3ff, %rcx; sub $0x200, %rcx; \\op %rcx, (%rbx)")
        INT_CASE("and $0x3ff, %ecx; sub $0x200, %ecx; \\op %ecx, 8(%rbx)")
        INT_CASE("and $0x3ff, %cx; sub $0x200, %cx; \\op %cx, 8(%rbx)")
        ".endr\n"
        INT_CASE("lock btsq $3, (%rbx)")
        INT_CASE("lock btr %rcx, 0x40(%rbx)")
        ".irp op, bsf, bsr, tzcnt, lzcnt, popcnt\n"
        INT_CASE("\\op %cx, %dx")
        INT_CASE("\\op %ecx, %edx")
        INT_CASE("\\op %rcx, %rdx")
        INT_CASE("\\op (%rbx), %rdx")
        INT_CASE("\\op 2(%rbx), %dx")
        INT_CASE("xor %ecx, %ecx; \\op %ecx, %edx")
        INT_CASE("xor %ecx, %ecx; \\op %rcx, %rdx")
        INT_CASE("xor %ecx, %ecx; \\op %cx, %dx")
        ".endr\n"
        INT_CASE("bswap %eax")
        INT_CASE("bswap %rax")
        INT_CASE("bswap %r11")
        INT_CASE("bswap %r12d")
        INT_CASE("movbe (%rbx), %ax")
        INT_CASE("movbe (%rbx), %eax")
        INT_CASE("movbe (%rbx), %r10")
        INT_CASE("movbe %cx, 3(%rbx)")
        INT_CASE("movbe %ecx, 3(%rbx)")
        INT_CASE("movbe %r9, 3(%rbx)")
        INT_CASE("adcx %rcx, %rdx")
        INT_CASE("adcx %ecx, %edx")
        INT_CASE("adox %rcx, %rdx")
        INT_CASE("adox (%rbx), %edx")
        INT_CASE("stc; adcx %rcx, %rdx; adox %rax, %r8")
        INT_CASE("andn %rcx, %rdx, %rax")
        INT_CASE("andn %ecx, %edx, %eax")
        INT_CASE("andn (%rbx), %rdx, %rax")
        INT_CASE("bextr %rcx, %rdx, %rax")
        INT_CASE("bextr %ecx, %edx, %eax")
        INT_CASE("and $0x3f3f, %ecx; bextr %rcx, (%rbx), %rax")
        ".irp op, blsi, blsmsk, "
        "blsr\n"
        INT_CASE("\\op %rcx, %rdx")
        INT_CASE("\\op %ecx, %edx")
        INT_CASE("\\op (%rbx), %rdx")
        INT_CASE("xor %ecx, %ecx; \\op %ecx, %edx")
        ".endr\n"
        INT_CASE("bzhi %rcx, %rdx, %rax")
        INT_CASE("bzhi %ecx, %edx, %eax")
        INT_CASE("and $63, %ecx; bzhi %ecx, %edx, %eax")
        INT_CASE("and $127, %ecx; bzhi %rcx, (%rbx), %rax")
        INT_CASE("pdep %rcx, %rdx, %rax")
        INT_CASE("pdep %ecx, %edx, %eax")
        INT_CASE("pext %rcx, %rdx, %rax")
        INT_CASE("pext (%rbx), %edx, %eax"));
// clang-format on

INT_DIFF_TEST(bits_matches_host, 64)

int main(void) {
  Suite *s = suite_create("bits");
  TCase *tc = tcase_create("differential");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, bits_matches_host);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
