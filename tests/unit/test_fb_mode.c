/* The framebuffer's mode rules (devices/fb_mode.c): what FBIOPUT_VSCREENINFO
 * and FBIOPAN_DISPLAY accept, adjust and refuse. A refused mode is
 * -EINVAL and leaves the device's mode as it was; no request, however
 * wild its numbers, may crash or pass a mode the memory cannot hold. */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "devices/fb_mode.h"

#define MEM (8u << 20)

static struct fb_var_screeninfo cur;

static void setup(void) { fb_mode_default(&cur, 640, 480, 32); }

/* Set *v on a copy of cur: the result, with cur unchanged on failure. */
static int set(struct fb_var_screeninfo *v) {
  struct fb_var_screeninfo before = cur;
  int r = fb_set_var(&cur, v, MEM);
  if (r != 0)
    ck_assert_mem_eq(&before, &cur, sizeof cur);
  return r;
}

START_TEST(default_mode) {
  ck_assert_uint_eq(cur.xres, 640);
  ck_assert_uint_eq(cur.yres, 480);
  ck_assert_uint_eq(cur.yres_virtual, 960);
  ck_assert_uint_eq(cur.bits_per_pixel, 32);
  ck_assert_uint_eq(cur.red.offset, 16);
  ck_assert_uint_eq(cur.green.offset, 8);
  ck_assert_uint_eq(cur.blue.offset, 0);
  ck_assert_uint_eq(cur.transp.length, 0);
  ck_assert_uint_eq(fb_line_length(&cur), 2560);
  /* 60 Hz: total pixels per frame times the pixel clock */
  uint64_t ht = cur.xres + cur.left_margin + cur.right_margin + cur.hsync_len;
  uint64_t vt = cur.yres + cur.upper_margin + cur.lower_margin + cur.vsync_len;
  double hz = 1e12 / ((double)cur.pixclock * (double)(ht * vt));
  ck_assert(hz > 59.9 && hz < 60.1);
  struct fb_fix_screeninfo fix;
  fb_fix_info(&cur, 0x1000, MEM, &fix);
  ck_assert_str_eq(fix.id, "emufb");
  ck_assert_uint_eq(fix.visual, FB_VISUAL_TRUECOLOR);
  ck_assert_uint_eq(fix.type, FB_TYPE_PACKED_PIXELS);
  ck_assert_uint_eq(fix.line_length, 2560);
  ck_assert_uint_eq(fix.smem_len, MEM);
  ck_assert_uint_eq(fix.ypanstep, 1);
  ck_assert_uint_eq(fix.ywrapstep, 0);
}
END_TEST

START_TEST(rgb565_and_adjustments) {
  struct fb_var_screeninfo v = cur;
  v.xres = 800;
  v.yres = 600;
  v.xres_virtual = 10; /* raised to xres */
  v.yres_virtual = 1200;
  v.bits_per_pixel = 16;
  v.red.offset = 3; /* the device's layout, whatever is asked */
  ck_assert_int_eq(set(&v), 0);
  ck_assert_uint_eq(cur.xres_virtual, 800);
  ck_assert_uint_eq(cur.red.offset, 11);
  ck_assert_uint_eq(cur.red.length, 5);
  ck_assert_uint_eq(cur.green.length, 6);
  ck_assert_uint_eq(cur.blue.length, 5);
  ck_assert_mem_eq(&v, &cur, sizeof v); /* written back as chosen */
  ck_assert_uint_eq(fb_line_length(&cur), 1600);
}
END_TEST

START_TEST(bad_depths) {
  static const uint32_t bpp[] = {0, 1, 4, 8, 15, 24, 31, 33, 64, UINT32_MAX};
  for (unsigned k = 0; k < sizeof bpp / sizeof *bpp; k++) {
    struct fb_var_screeninfo v = cur;
    v.bits_per_pixel = bpp[k];
    ck_assert_int_eq(set(&v), -EINVAL);
  }
}
END_TEST

START_TEST(bad_sizes) {
  struct fb_var_screeninfo v = cur;
  v.xres = 7;
  ck_assert_int_eq(set(&v), -EINVAL);
  v = cur;
  v.yres = 0;
  ck_assert_int_eq(set(&v), -EINVAL);
  v = cur;
  v.xres = v.yres = 0x10000; /* the product overflows 32 bits */
  ck_assert_int_eq(set(&v), -EINVAL);
  v = cur;
  v.xres_virtual = v.yres_virtual = UINT32_MAX;
  ck_assert_int_eq(set(&v), -EINVAL);
  v = cur;
  v.xres = v.xres_virtual = 4096; /* 4096 x 960 x 4 > 8 MiB */
  ck_assert_int_eq(set(&v), -EINVAL);
  v = cur;
  v.xres_virtual = UINT32_MAX / 4 + 1; /* a line of 2^32 bytes */
  v.yres_virtual = 480;
  ck_assert_int_eq(set(&v), -EINVAL);
}
END_TEST

START_TEST(bad_features) {
  struct fb_var_screeninfo v = cur;
  v.grayscale = 1;
  ck_assert_int_eq(set(&v), -EINVAL);
  v = cur;
  v.grayscale = 0x34325258; /* a FOURCC */
  ck_assert_int_eq(set(&v), -EINVAL);
  v = cur;
  v.nonstd = 1;
  ck_assert_int_eq(set(&v), -EINVAL);
  v = cur;
  v.rotate = FB_ROTATE_CW;
  ck_assert_int_eq(set(&v), -EINVAL);
  v = cur;
  v.vmode |= FB_VMODE_YWRAP;
  ck_assert_int_eq(set(&v), -EINVAL);
  v = cur;
  v.yoffset = 481;
  ck_assert_int_eq(set(&v), -EINVAL);
  v = cur;
  v.xoffset = 1;
  ck_assert_int_eq(set(&v), -EINVAL);
}
END_TEST

START_TEST(activate_test_changes_nothing) {
  struct fb_var_screeninfo before = cur, v = cur;
  v.xres = 320;
  v.activate = FB_ACTIVATE_TEST;
  ck_assert_int_eq(fb_set_var(&cur, &v, MEM), 0);
  ck_assert_mem_eq(&before, &cur, sizeof cur);
  v = cur; /* the same mode again: nothing to do */
  ck_assert_int_eq(fb_set_var(&cur, &v, MEM), 0);
  ck_assert_mem_eq(&before, &cur, sizeof cur);
}
END_TEST

START_TEST(pan) {
  struct fb_var_screeninfo v = cur;
  v.yoffset = 480;
  ck_assert_int_eq(fb_pan_display(&cur, &v), 0);
  ck_assert_uint_eq(cur.yoffset, 480);
  v.yoffset = 481;
  ck_assert_int_eq(fb_pan_display(&cur, &v), -EINVAL);
  v.yoffset = 0;
  v.xoffset = 1;
  ck_assert_int_eq(fb_pan_display(&cur, &v), -EINVAL);
  v.xoffset = 0;
  v.yoffset = 8;
  v.vmode = FB_VMODE_YWRAP; /* ywrapstep 0 */
  ck_assert_int_eq(fb_pan_display(&cur, &v), -EINVAL);
  ck_assert_uint_eq(cur.yoffset, 480);
}
END_TEST

/* Random requests: each is refused with -EINVAL and changes nothing, or
 * is a mode the device can show from its memory. */
START_TEST(random_requests_never_crash) {
  uint64_t seed = 12345;
  for (int n = 0; n < 50000; n++) {
    struct fb_var_screeninfo v = cur;
    uint32_t *w = (uint32_t *)&v;
    for (int k = 0; k < 4; k++) {
      seed = seed * 6364136223846793005ull + 1442695040888963407ull;
      unsigned field = (unsigned)(seed >> 33) % (sizeof v / 4);
      uint32_t value = (uint32_t)(seed >> 7);
      w[field] = (seed & 1) ? value : value % 4096; /* small values too */
    }
    v.activate &= ~(uint32_t)FB_ACTIVATE_INV_MODE;
    int r = set(&v);
    ck_assert(r == 0 || r == -EINVAL);
    if (r == 0) {
      ck_assert(cur.bits_per_pixel == 16 || cur.bits_per_pixel == 32);
      ck_assert_uint_ge(cur.xres, 8);
      ck_assert_uint_ge(cur.xres_virtual, cur.xres);
      ck_assert_uint_ge(cur.yres_virtual, cur.yres);
      ck_assert_uint_le((uint64_t)fb_line_length(&cur) * cur.yres_virtual, MEM);
      ck_assert_uint_le(cur.yoffset + cur.yres, cur.yres_virtual);
      fb_mode_default(&cur, 640, 480, 32);
    }
  }
}
END_TEST

int main(void) {
  Suite *s = suite_create("fb_mode");
  TCase *tc = tcase_create("modes");
  tcase_add_checked_fixture(tc, setup, NULL);
  tcase_set_timeout(tc, 60); /* the random requests, on a loaded machine */
  tcase_add_test(tc, default_mode);
  tcase_add_test(tc, rgb565_and_adjustments);
  tcase_add_test(tc, bad_depths);
  tcase_add_test(tc, bad_sizes);
  tcase_add_test(tc, bad_features);
  tcase_add_test(tc, activate_test_changes_nothing);
  tcase_add_test(tc, pan);
  tcase_add_test(tc, random_requests_never_crash);
  suite_add_tcase(s, tc);
  SRunner *r = srunner_create(s);
  srunner_run_all(r, CK_NORMAL);
  int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
