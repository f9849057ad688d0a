/* Every SSE form without MMX operands in the opcode table
 * (cpu/opcodes_sse.def; the MMX ones are in test_mmx_table.c), encoded
 * from its own table line with random registers, memory operands, immediates
 * and prefixes, run natively and in emu from random states (NaNs,
 * denormals, infinities, every rounding mode, DAZ/FTZ, unmasked
 * exceptions, misaligned operands) and compared bit for bit. */
#include <cpuid.h>

#include "test_sse_forms.h"

/* How many low bits of FIP the host's fxrstor64/fxsave64 keep before
 * sign-extending: 48 on the model, 57 on a CPU built for 5-level paging
 * (Zen 5 keeps 57 even where CPUID 8000_0008 and the kernel say 48, so
 * this asks the instruction, not CPUID). */
static int host_fx_pointer_bits(void) {
  static uint8_t img[512] __attribute__((aligned(16)));
  static uint8_t out[512] __attribute__((aligned(16)));
  static uint8_t keep[512] __attribute__((aligned(16)));
  memset(img, 0, sizeof img);
  uint16_t fcw = 0x037e, fsw = 0x0081; /* IE unmasked and set: ES */
  uint32_t mx = 0x1f80;
  uint64_t fip = 0x0100000000000000ull; /* bit 56 only */
  memcpy(img, &fcw, 2);
  memcpy(img + 2, &fsw, 2);
  memcpy(img + 8, &fip, 8);
  memcpy(img + 24, &mx, 4);
  __asm__ volatile("fxsave64 %0; fxrstor64 %2; fxsave64 %1; fxrstor64 %0"
                   : "+m"(*(uint8_t(*)[512])keep), "=m"(*(uint8_t(*)[512])out)
                   : "m"(*(uint8_t(*)[512])img));
  memcpy(&fip, out + 8, 8);
  return fip == 0 ? 48 : fip == 0xff00000000000000ull ? 57 : 64;
}

static int host_is_amd(void) {
  unsigned a = 0, b = 0, c = 0, d = 0;
  __get_cpuid(0, &a, &b, &c, &d);
  return b == 0x68747541u; /* "Auth" */
}

/* FIP and FDP as the model keeps them: 48 bits, sign-extended. */
static void canonical48(uint8_t *p) {
  uint64_t v;
  memcpy(&v, p, 8);
  v = (uint64_t)((int64_t)(v << 16) >> 16);
  memcpy(p, &v, 8);
}

/* fxrstor then fxsave (both widths): the x87/MXCSR/XMM image survives
 * a round trip exactly as on the host, including the tag word rebuilt
 * from the abridged form.
 *
 * Where the host is not the model the inputs avoid what differs:
 *  - a CPU built for 57-bit linear addresses (Zen 5 here, though its
 *    CPUID says 48) keeps FIP/FDP to bit 56 in fxrstor64/fxsave64; the
 *    model's 48-bit CPU (CPUID 8000_0008, cpu/cpuid.c) sign-extends from
 *    bit 47 (APM vol. 2, 11.4.4.1; cpu/fxsave.c). Inputs are then
 *    48-bit canonical, and test_fx_pointers_48 checks the model alone.
 *  - an Intel CPU stores FOP/FIP/FDP whatever FSW.ES says and, with
 *    CPUID 7 EBX[13], zeroes FCS/FDS (SDM vol. 1, 8.1.8); AMD stores them
 *    only while ES is set (APM vol. 5, FXSAVE). Inputs are then zero. */
START_TEST(test_fxrstor_fxsave_round_trip) {
  sse_harness_setup();
  int fx_bits = host_fx_pointer_bits(), amd = host_is_amd();
  int la57 = fx_bits != 48;
  if (la57)
    printf("skip: fxsave64 FIP/FDP bits 48-63 with non-canonical inputs: "
           "the host keeps %d bits, the model 48 (checked against the "
           "model by test_fx_pointers_48)\n",
           fx_bits);
  if (!amd)
    printf("skip: fxsave FOP/FIP/FDP/FCS/FDS with FSW.ES clear: the host "
           "is not AMD (Intel stores them always)\n");
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
    if (la57) {
      canonical48(img + 8);
      canonical48(img + 16);
    }
    if (!amd)
      memset(img + 6, 0, 18);
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

/* The model alone: fxrstor64 keeps FIP/FDP to 48 bits, sign-extended
 * from bit 47, and fxsave64 stores them so (APM vol. 2, 11.4.4.1: the
 * pointers are linear addresses of this CPU's width, 48 bits). */
START_TEST(test_fx_pointers_48) {
  sse_harness_setup();
  static const uint8_t code64[] = {0x48, 0x0f, 0xae, 0x0e,  /* fxrstor64 */
                                   0x48, 0x0f, 0xae, 0x07}; /* fxsave64 */
  static const uint64_t in[] = {0x0123456789abcdefull, 0x00ff800000001234ull,
                                0xfe00000000000010ull, 0x00007fffffffffffull};
  for (unsigned k = 0; k < sizeof in / sizeof in[0]; k++) {
    struct sse_state s;
    sse_random_state(&s);
    s.rsi = SSE_DATA_ADDR;
    s.rdi = SSE_DATA_ADDR + 0x1000;
    uint8_t *img = s.data;
    uint16_t fsw = 0x0081; /* ES with IE unmasked below: pointers stored */
    uint16_t fcw = 0x037e;
    uint32_t mx = 0x1f80;
    memcpy(img + 0, &fcw, 2);
    memcpy(img + 2, &fsw, 2);
    memcpy(img + 24, &mx, 4);
    img[5] = 0;
    img[7] &= 7;
    memcpy(img + 8, &in[k], 8);
    memcpy(img + 16, &in[(k + 1) % 4], 8);
    sse_emu_run(&s, code64, sizeof code64);
    uint64_t fip, fdp;
    memcpy(&fip, s.data + 0x1000 + 8, 8);
    memcpy(&fdp, s.data + 0x1000 + 16, 8);
    uint64_t want_ip = (uint64_t)((int64_t)(in[k] << 16) >> 16);
    uint64_t want_dp = (uint64_t)((int64_t)(in[(k + 1) % 4] << 16) >> 16);
    ck_assert_msg(
        fip == want_ip && fdp == want_dp, "in %#llx/%#llx: fip %#llx fdp %#llx",
        (unsigned long long)in[k], (unsigned long long)in[(k + 1) % 4],
        (unsigned long long)fip, (unsigned long long)fdp);
  }
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
  tcase_add_test(tc, test_fx_pointers_48);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_set_fork_status(sr, CK_NOFORK);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
