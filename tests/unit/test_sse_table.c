/* Every SSE form without MMX operands in the opcode table
 * (cpu/opcodes_sse.def; the MMX ones are in test_mmx_table.c), encoded
 * from its own table line with random registers, memory operands, immediates
 * and prefixes, run natively and in emu from random states (NaNs,
 * denormals, infinities, every rounding mode, DAZ/FTZ, unmasked
 * exceptions, misaligned operands) and compared bit for bit. */
#include "test_sse_forms.h"

/* fxrstor then fxsave (both widths): the x87/MXCSR/XMM image survives
 * a round trip exactly as on the host, including the tag word rebuilt
 * from the abridged form. */
START_TEST(test_fxrstor_fxsave_round_trip) {
  sse_harness_setup();
  static const uint8_t code64[] = {0x48, 0x0f, 0xae, 0x0e,  /* fxrstor64 */
                                   0x48, 0x0f, 0xae, 0x07}; /* fxsave64 */
  static const uint8_t code32[] = {0x0f, 0xae, 0x0e, 0x0f, 0xae, 0x07};
  int failures = 0;
  for (int k = 0; k < 400 && failures < 3; k++) {
    struct sse_state s;
    sse_random_state(&s);
    s.rsi = SSE_DATA_ADDR + 16 * (sse_rand() % 64);
    s.rdi = SSE_DATA_ADDR + 0x1000 + 16 * (sse_rand() % 64);
    uint8_t *img = s.data + (s.rsi - SSE_DATA_ADDR);
    uint32_t mx = sse_random_mxcsr() & 0x2ffff;
    memcpy(img + 24, &mx, 4);
    img[5] = 0;  /* reserved */
    img[7] &= 7; /* FOP is 11 bits */
    if (k % 2)
      failures += !sse_compare("fxrstor64/fxsave64", code64, sizeof code64, &s,
                               FLAGS_ARITH, ~0u);
    else
      failures += !sse_compare("fxrstor/fxsave", code32, sizeof code32, &s,
                               FLAGS_ARITH, ~0u);
  }
  ck_assert_int_eq(failures, 0);
}
END_TEST

static int select_sse(int op) {
  return is_sse_feature(cpu_ops[op].feature) && !is_mmx_form(op);
}

START_TEST(test_every_sse_form) {
  ck_assert_int_eq(sse_walk_forms("test_sse_table", select_sse), 0);
}
END_TEST

int main(void) {
  Suite *s = suite_create("sse_table");
  TCase *tc = tcase_create("forms");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, test_every_sse_form);
  tcase_add_test(tc, test_fxrstor_fxsave_round_trip);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_set_fork_status(sr, CK_NOFORK);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
