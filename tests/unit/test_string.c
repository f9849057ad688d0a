/* Differential tests of the string instructions (cpu/string.c) against
 * the host CPU: every size, REP/REPE/REPNE, DF=1, 32-bit addressing. */
#include "int_harness.h"

// clang-format off
__asm__(".irp sz, b, w, l, q\n"
        INT_CASE("movs\\sz")
        INT_CASE("stos\\sz")
        INT_CASE("lods\\sz")
        INT_CASE("cmps\\sz")
        INT_CASE("scas\\sz")
        INT_CASE("and $63, %ecx; rep movs\\sz")
        INT_CASE("and $63, %ecx; rep stos\\sz")
        INT_CASE("and $63, %ecx; rep lods\\sz")
        INT_CASE("and $63, %ecx; repe cmps\\sz")
        INT_CASE("and $63, %ecx; repne cmps\\sz")
        INT_CASE("and $63, %ecx; repe scas\\sz")
        INT_CASE("and $63, %ecx; repne scas\\sz")
        INT_CASE("and $63, %ecx; std; rep movs\\sz; cld")
        INT_CASE("and $63, %ecx; std; rep stos\\sz; cld")
        INT_CASE("and $63, %ecx; std; repne scas\\sz; cld")
        INT_CASE("and $63, %ecx; std; repe cmps\\sz; cld")
        INT_CASE("and $63, %ecx; addr32 rep movs\\sz")
        INT_CASE("and $63, %ecx; addr32 rep stos\\sz")
        INT_CASE("and $63, %ecx; addr32 repe cmps\\sz")
        ".endr\n"
        INT_CASE("mov $3000, %ecx; lea -0x400(%rbx), %rsi; rep movsb")
        INT_CASE("mov $3000, %ecx; rep stosb")
        INT_CASE("mov $500, %ecx; rep stosq")
        INT_CASE("mov $300, %ecx; lea 1(%rsi), %rdi; rep movsb")
        INT_CASE("mov $300, %ecx; lea 3(%rsi), %rdi; rep movsl")
        INT_CASE("mov $300, %ecx; lea 1(%rdi), %rsi; rep movsb")
        INT_CASE("mov $900, %ecx; lea 0x600(%rsi), %rdi; rep movsq")
        INT_CASE("mov $0, %ecx; rep movsb")
        INT_CASE("mov $0, %ecx; repe cmpsb")
        INT_CASE("mov $64, %ecx; mov %rsi, %rdi; repe cmpsb")
        INT_CASE("mov $64, %ecx; mov (%rdi), %al; repne scasb"));
// clang-format on

INT_DIFF_TEST(string_matches_host, 64)

/* A rep stos running into an unmapped page stops with #PF on the first
 * byte of that page, rip on the instruction and rcx/rdi showing the work
 * done; once the page is mapped the restarted instruction finishes. */
START_TEST(rep_stos_fault_restarts) {
  emu_setup();
  static const uint8_t code[] = {0xf3, 0xaa, 0xcc}; /* rep stosb; int3 */
  uint64_t end = DATA_ADDR + DATA_SIZE, gpr[16] = {0};
  gpr[RAX] = 0xab;
  gpr[RCX] = 64;
  gpr[RDI] = end - 16;
  ck_assert_int_eq(emu_run_bytes(code, sizeof code, gpr), TRAP_PF);
  ck_assert_uint_eq(em_cpu.trap.addr, end);
  ck_assert_uint_eq(em_cpu.rip, CODE_ADDR);
  ck_assert_uint_eq(em_cpu.gpr[RCX], 48);
  ck_assert_uint_eq(em_cpu.gpr[RDI], end);
  uint64_t f = mmu_frame_alloc(&em_mmu);
  ck_assert_int_eq(mmu_map(&em_mmu, end, f, PTE_U | PTE_W, NULL), 0);
  ck_assert_int_eq(cpu_run(&em_cpu, 100000), TRAP_BP);
  ck_assert_uint_eq(em_cpu.gpr[RCX], 0);
  ck_assert_uint_eq(em_cpu.gpr[RDI], end + 48);
  uint8_t got[64];
  ck_assert_int_eq(copy_from_guest(&em_mmu, got, end - 16, 64), 0);
  for (int k = 0; k < 64; k++)
    ck_assert_uint_eq(got[k], 0xab);
}
END_TEST

int main(void) {
  Suite *s = suite_create("string");
  TCase *tc = tcase_create("differential");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, string_matches_host);
  tcase_add_test(tc, rep_stos_fault_restarts);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
