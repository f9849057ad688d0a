/* Differential tests of the string instructions (cpu/string.c) against
 * the host CPU: every size, REP/REPE/REPNE, DF=1, 32-bit addressing. */
#include "int_harness.h"

__asm__(
    ".irp sz, b, w, l, q\n" INT_CASE("movs\\sz") INT_CASE("stos\\sz") INT_CASE(
        "lods\\sz") INT_CASE("cmps\\sz") INT_CASE("scas\\sz")
        INT_CASE("and $63, %ecx; rep movs\\sz") INT_CASE(
            "and $63, %ecx; rep stos\\sz")
            INT_CASE("and $63, %ecx; rep lods\\sz") INT_CASE(
                "and $63, %ecx; repe cmps\\sz")
                INT_CASE("and $63, %ecx; repne cmps\\sz") INT_CASE(
                    "and $63, %ecx; repe scas\\sz") INT_CASE("and $63, %ecx; "
                                                             "repne scas\\sz")
                    INT_CASE("and $63, %ecx; std; rep movs\\sz; cld") INT_CASE(
                        "and $63, %ecx; std; rep stos\\sz; cld")
                        INT_CASE("and $63, %ecx; std; repne scas\\sz; cld")
                            INT_CASE("and $63, %ecx; std; repe cmps\\sz; cld")
                                INT_CASE("and $63, %ecx; addr32 rep movs\\sz")
                                    INT_CASE(
                                        "and $63, %ecx; addr32 rep stos\\sz")
                                        INT_CASE("and $63, %ecx; addr32 repe "
                                                 "cmps\\sz") ".endr\n"
    /* Large block copies (the page-run fast path) and overlaps. */
    INT_CASE("mov $3000, %ecx; lea -0x400(%rbx), %rsi; rep movsb") INT_CASE(
        "mov $3000, %ecx; rep stosb") INT_CASE("mov $500, %ecx; rep stosq")
        INT_CASE("mov $300, %ecx; lea 1(%rsi), %rdi; rep movsb")
            INT_CASE("mov $300, %ecx; lea 3(%rsi), %rdi; rep movsl") INT_CASE(
                "mov $300, %ecx; lea 1(%rdi), %rsi; rep movsb")
                INT_CASE("mov $900, %ecx; lea 0x600(%rsi), %rdi; rep movsq")
                    INT_CASE("mov $0, %ecx; rep movsb")
                        INT_CASE("mov $0, %ecx; repe cmpsb") INT_CASE(
                            "mov $64, %ecx; mov %rsi, %rdi; repe cmpsb")
                            INT_CASE(
                                "mov $64, %ecx; mov (%rdi), %al; repne scasb"));

INT_DIFF_TEST(string_matches_host, 64)

int main(void) {
  Suite *s = suite_create("string");
  TCase *tc = tcase_create("differential");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, string_matches_host);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
