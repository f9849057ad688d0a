/* Every form with MMX register operands in the opcode table (the MMX
 * section of cpu/opcodes_sse.def), run natively and in emu from random
 * states that include the x87 side of the MMX registers (TOP, tags,
 * exponents, pending unmasked exceptions) and compared bit for bit;
 * plus short sequences mixing x87 and MMX instructions. */
#include "test_sse_forms.h"

START_TEST(test_every_mmx_form) {
  ck_assert_int_eq(sse_walk_forms("test_mmx_table", is_mmx_form), 0);
}
END_TEST

/* x87 and MMX share registers (SDM vol. 1, 9.5-9.6): values written by
 * one are seen by the other, with the tags and TOP each leaves. */
START_TEST(test_x87_mmx_sequences) {
  sse_harness_setup();
  static const struct {
    const char *name;
    uint8_t code[24]; /* no zero byte: the first one ends the code */
  } seqs[] = {
      /* fld1; movq mm1, [rsi]; movq [rsi+8], mm1; emms; fldz */
      {"fld1 movq movq emms fldz",
       {0xd9, 0xe8, 0x0f, 0x6f, 0x0e, 0x0f, 0x7f, 0x4e, 0x08, 0x0f, 0x77, 0xd9,
        0xee}},
      /* movq mm0, [rsi]; fld st(0) (stack overflow: every tag valid) */
      {"movq fld", {0x0f, 0x6f, 0x06, 0xd9, 0xc0}},
      /* fldpi; fldl2e; paddd mm7, mm6; fstp qword [rsi] */
      {"fldpi fldl2e paddd fstp",
       {0xd9, 0xeb, 0xd9, 0xea, 0x0f, 0xfe, 0xfe, 0xdd, 0x1e}},
      /* movq mm3, rax; emms; fld tbyte [rsi]; fstp tbyte [rsi+16] */
      {"movq emms fld80 fstp80",
       {0x48, 0x0f, 0x6e, 0xd8, 0x0f, 0x77, 0xdb, 0x2e, 0xdb, 0x7e, 0x10}},
  };
  int failures = 0;
  for (unsigned q = 0; q < sizeof seqs / sizeof seqs[0]; q++)
    for (int k = 0; k < 300 && failures < 3; k++) {
      struct sse_state s;
      sse_random_state(&s);
      s.rsi = SSE_DATA_ADDR + 16 * (sse_rand() % 64);
      int len = 0;
      while (len < (int)sizeof seqs[q].code && seqs[q].code[len])
        len++;
      failures +=
          !sse_compare(seqs[q].name, seqs[q].code, len, &s, FLAGS_ARITH, ~0u);
    }
  ck_assert_int_eq(failures, 0);
}
END_TEST

int main(void) {
  Suite *s = suite_create("mmx_table");
  TCase *tc = tcase_create("forms");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, test_every_mmx_form);
  tcase_add_test(tc, test_x87_mmx_sequences);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_set_fork_status(sr, CK_NOFORK);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
