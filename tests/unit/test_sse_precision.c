/* Two corners of emu's host-FP bridge, compared with the host CPU:
 *
 * - Overflow and underflow unmasked (cpu/sse_fp_precision.c): the
 *   instruction raises #XM, leaves the destination alone, and sets the
 *   precision flag only when the unbounded-exponent result is inexact.
 *   Operands are drawn near the ends of the exponent range, with few
 *   significant bits now and then so that exact results are common.
 *
 * - Live MXCSR (cpu/sse_fp_env.c): with every exception masked the host
 *   keeps the guest's MXCSR across instructions; stmxcsr, ldmxcsr,
 *   fxsave and fxrstor in the middle of floating-point code must still
 *   see and set exactly the hardware's flags and modes. */
#include "test_sse_harness.h"

/* A float or double near the top or the bottom of its exponent range. */
static uint64_t edge_value(int dbl) {
  int bits = dbl ? 52 : 23, bias = dbl ? 1023 : 127;
  uint64_t mant = sse_rand() & ((1ull << bits) - 1);
  if (sse_rand() % 2) /* few significant bits: exact results */
    mant &= ~((1ull << (bits - (int)(sse_rand() % 6))) - 1);
  int e;
  switch (sse_rand() % 4) {
  case 0: e = bias - (int)(sse_rand() % 8); break;      /* huge */
  case 1: e = -bias + 1 + (int)(sse_rand() % 8); break; /* tiny */
  case 2: e = (int)(sse_rand() % (unsigned)(2 * bias)) - bias + 1; break;
  default: e = bias / 2 - (int)(sse_rand() % (unsigned)bias); break;
  }
  uint64_t biased = (uint64_t)(e + bias);
  if (sse_rand() % 16 == 0)
    biased = 0; /* a denormal */
  uint64_t sign = sse_rand() % 2;
  return sign << (bits + (dbl ? 11 : 8)) | biased << bits | mant;
}

static void edge_xmm(union xmm *x, int dbl) {
  if (dbl) {
    x->u64[0] = edge_value(1);
    x->u64[1] = edge_value(1);
  } else {
    for (int k = 0; k < 4; k++)
      x->u32[k] = (uint32_t)edge_value(0);
  }
}

#define OE_MASK (1u << 10)
#define UE_MASK (1u << 11)

/* Guest modes with overflow and/or underflow unmasked, sometimes more. */
static uint32_t unmasked_mxcsr(void) {
  uint32_t m = 0x1f80 | (uint32_t)(sse_rand() % 4) << 13;
  switch (sse_rand() % 3) {
  case 0: m &= ~OE_MASK; break;
  case 1: m &= ~UE_MASK; break;
  default: m &= ~(OE_MASK | UE_MASK); break;
  }
  if (sse_rand() % 4 == 0)
    m &= ~((uint32_t)(sse_rand() & 0x3f) << 7);
  if (sse_rand() % 4 == 0)
    m |= 1u << 6; /* DAZ */
  if (sse_rand() % 4 == 0)
    m |= 1u << 15; /* FTZ */
  if (sse_rand() % 4 == 0)
    m |= (uint32_t)(sse_rand() & 0x3f);
  return m;
}

struct form {
  const char *name;
  uint8_t code[8];
  int len, dbl;
};

/* xmm0 = op(xmm0, xmm1), and the [rsi] source forms of a few. */
static const struct form forms[] = {
    {"addps", {0x0f, 0x58, 0xc1}, 3, 0},
    {"addpd", {0x66, 0x0f, 0x58, 0xc1}, 4, 1},
    {"addss", {0xf3, 0x0f, 0x58, 0xc1}, 4, 0},
    {"addsd", {0xf2, 0x0f, 0x58, 0xc1}, 4, 1},
    {"subps", {0x0f, 0x5c, 0xc1}, 3, 0},
    {"subpd", {0x66, 0x0f, 0x5c, 0xc1}, 4, 1},
    {"subss", {0xf3, 0x0f, 0x5c, 0xc1}, 4, 0},
    {"subsd", {0xf2, 0x0f, 0x5c, 0xc1}, 4, 1},
    {"mulps", {0x0f, 0x59, 0xc1}, 3, 0},
    {"mulpd", {0x66, 0x0f, 0x59, 0xc1}, 4, 1},
    {"mulss", {0xf3, 0x0f, 0x59, 0xc1}, 4, 0},
    {"mulsd", {0xf2, 0x0f, 0x59, 0xc1}, 4, 1},
    {"mulsd [rsi]", {0xf2, 0x0f, 0x59, 0x06}, 4, 1},
    {"mulps [rsi]", {0x0f, 0x59, 0x06}, 3, 0},
    {"divps", {0x0f, 0x5e, 0xc1}, 3, 0},
    {"divpd", {0x66, 0x0f, 0x5e, 0xc1}, 4, 1},
    {"divss", {0xf3, 0x0f, 0x5e, 0xc1}, 4, 0},
    {"divsd", {0xf2, 0x0f, 0x5e, 0xc1}, 4, 1},
    {"addsubps", {0xf2, 0x0f, 0xd0, 0xc1}, 4, 0},
    {"addsubpd", {0x66, 0x0f, 0xd0, 0xc1}, 4, 1},
    {"haddps", {0xf2, 0x0f, 0x7c, 0xc1}, 4, 0},
    {"haddpd", {0x66, 0x0f, 0x7c, 0xc1}, 4, 1},
    {"hsubps", {0xf2, 0x0f, 0x7d, 0xc1}, 4, 0},
    {"hsubpd", {0x66, 0x0f, 0x7d, 0xc1}, 4, 1},
    {"cvtsd2ss", {0xf2, 0x0f, 0x5a, 0xc1}, 4, 1},
    {"cvtpd2ps", {0x66, 0x0f, 0x5a, 0xc1}, 4, 1},
    {"dpps", {0x66, 0x0f, 0x3a, 0x40, 0xc1, 0xff}, 6, 0},
    {"dppd", {0x66, 0x0f, 0x3a, 0x41, 0xc1, 0x33}, 6, 1},
};

START_TEST(test_unmasked_overflow_underflow) {
  sse_harness_setup();
  int failures = 0, trapped = 0, runs = 0;
  for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++) {
    for (int k = 0; k < 3000 && failures < 5; k++) {
      struct sse_state s;
      sse_random_state(&s);
      s.rsi = SSE_DATA_ADDR + 16 * (sse_rand() % 64);
      edge_xmm(&s.xmm[0], forms[f].dbl);
      edge_xmm(&s.xmm[1], forms[f].dbl);
      edge_xmm((union xmm *)(s.data + (s.rsi - SSE_DATA_ADDR)), forms[f].dbl);
      s.mxcsr = unmasked_mxcsr();
      struct sse_state native = s;
      sse_native_run(&native, forms[f].code, forms[f].len);
      trapped += native.fault == SIGFPE;
      runs++;
      failures += !sse_compare(forms[f].name, forms[f].code, forms[f].len, &s,
                               FLAGS_ARITH, ~0u);
    }
  }
  fprintf(stderr, "test_sse_precision: %d runs, %d with #XM, %d failing\n",
          runs, trapped, failures);
  ck_assert_int_eq(failures, 0);
  ck_assert_int_gt(trapped, runs / 10); /* the corner was reached */
}
END_TEST

/* Masked floating-point work around the instructions that read or write
 * MXCSR: the flags the live host MXCSR collected must be in what they
 * store, and what they load must rule the operations after them. */
static const struct {
  const char *name;
  uint8_t code[40];
  int len;
} sequences[] = {
    /* mulsd; stmxcsr [rsi]; addsd; stmxcsr [rsi+4] */
    {"mulsd/stmxcsr/addsd/stmxcsr",
     {0xf2, 0x0f, 0x59, 0xc1, 0x0f, 0xae, 0x1e, 0xf2, 0x0f, 0x58, 0xd3, 0x0f,
      0xae, 0x5e, 0x04},
     15},
    /* divpd; ldmxcsr [rsi+8]; mulpd; divsd */
    {"divpd/ldmxcsr/mulpd/divsd",
     {0x66, 0x0f, 0x5e, 0xc1, 0x0f, 0xae, 0x56, 0x08, 0x66, 0x0f, 0x59, 0xd3,
      0xf2, 0x0f, 0x5e, 0xc2},
     16},
    /* addps; fxsave [rdi]; subps; fxrstor [rdi]; mulss */
    {"addps/fxsave/subps/fxrstor/mulss",
     {0x0f, 0x58, 0xc1, 0x0f, 0xae, 0x07, 0x0f, 0x5c, 0xd3, 0x0f, 0xae, 0x0f,
      0xf3, 0x0f, 0x59, 0xc3},
     16},
    /* sqrtsd; ucomisd; cvtsi2sd rax; cvttsd2si rcx; stmxcsr [rsi] */
    {"sqrtsd/ucomisd/cvtsi2sd/cvttsd2si/stmxcsr",
     {0xf2, 0x0f, 0x51, 0xc1, 0x66, 0x0f, 0x2e, 0xd3, 0xf2, 0x48, 0x0f,
      0x2a, 0xd0, 0xf2, 0x48, 0x0f, 0x2c, 0xca, 0x0f, 0xae, 0x1e},
     21},
};

START_TEST(test_live_mxcsr) {
  sse_harness_setup();
  int failures = 0;
  for (size_t q = 0; q < sizeof sequences / sizeof sequences[0]; q++) {
    for (int k = 0; k < 2000 && failures < 5; k++) {
      struct sse_state s;
      sse_random_state(&s);
      s.rsi = SSE_DATA_ADDR + 16 * (sse_rand() % 64);
      s.rdi = SSE_DATA_ADDR + 0x1000 + 16 * (sse_rand() % 64);
      int dbl = (int)(sse_rand() % 2);
      for (int r = 0; r < 4; r++)
        edge_xmm(&s.xmm[r], dbl);
      /* Mostly all masked (the live path), with any modes and flags. */
      s.mxcsr = sse_random_mxcsr();
      if (sse_rand() % 4)
        s.mxcsr |= 0x1f80;
      uint32_t next = sse_random_mxcsr() & 0x2ffff;
      memcpy(s.data + (s.rsi - SSE_DATA_ADDR) + 8, &next, 4);
      failures += !sse_compare(sequences[q].name, sequences[q].code,
                               sequences[q].len, &s, FLAGS_ARITH, ~0u);
    }
  }
  ck_assert_int_eq(failures, 0);
}
END_TEST

int main(void) {
  Suite *s = suite_create("sse_precision");
  TCase *tc = tcase_create("mxcsr");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, test_unmasked_overflow_underflow);
  tcase_add_test(tc, test_live_mxcsr);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_set_fork_status(sr, CK_NOFORK);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
