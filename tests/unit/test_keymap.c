/* The SDL-scancode to Linux-keycode map (devices/keymap.c): the keys of a
 * USB keyboard as Linux's HID driver maps them (hid-input.c
 * hid_keyboard), and the key names --input-script takes. */
#include <SDL_scancode.h>
#include <check.h>
#include <linux/input-event-codes.h>
#include <stdlib.h>

#include "devices/devices.h"

START_TEST(letters_and_digits) {
  static const int letters[26] = {
      KEY_A, KEY_B, KEY_C, KEY_D, KEY_E, KEY_F, KEY_G, KEY_H, KEY_I,
      KEY_J, KEY_K, KEY_L, KEY_M, KEY_N, KEY_O, KEY_P, KEY_Q, KEY_R,
      KEY_S, KEY_T, KEY_U, KEY_V, KEY_W, KEY_X, KEY_Y, KEY_Z};
  for (int k = 0; k < 26; k++)
    ck_assert_int_eq(keymap_linux_key(SDL_SCANCODE_A + k), letters[k]);
  /* SDL numbers 1..9 then 0, as Linux does */
  for (int k = 0; k < 10; k++)
    ck_assert_int_eq(keymap_linux_key(SDL_SCANCODE_1 + k), KEY_1 + k);
}
END_TEST

START_TEST(control_keys) {
  static const int pairs[][2] = {
      {SDL_SCANCODE_RETURN, KEY_ENTER},
      {SDL_SCANCODE_ESCAPE, KEY_ESC},
      {SDL_SCANCODE_BACKSPACE, KEY_BACKSPACE},
      {SDL_SCANCODE_TAB, KEY_TAB},
      {SDL_SCANCODE_SPACE, KEY_SPACE},
      {SDL_SCANCODE_LSHIFT, KEY_LEFTSHIFT},
      {SDL_SCANCODE_RSHIFT, KEY_RIGHTSHIFT},
      {SDL_SCANCODE_LCTRL, KEY_LEFTCTRL},
      {SDL_SCANCODE_RALT, KEY_RIGHTALT},
      {SDL_SCANCODE_LGUI, KEY_LEFTMETA},
      {SDL_SCANCODE_UP, KEY_UP},
      {SDL_SCANCODE_DOWN, KEY_DOWN},
      {SDL_SCANCODE_LEFT, KEY_LEFT},
      {SDL_SCANCODE_RIGHT, KEY_RIGHT},
      {SDL_SCANCODE_F1, KEY_F1},
      {SDL_SCANCODE_F10, KEY_F10},
      {SDL_SCANCODE_F11, KEY_F11},
      {SDL_SCANCODE_F12, KEY_F12},
      {SDL_SCANCODE_KP_0, KEY_KP0},
      {SDL_SCANCODE_KP_ENTER, KEY_KPENTER},
      {SDL_SCANCODE_PERIOD, KEY_DOT},
      {SDL_SCANCODE_GRAVE, KEY_GRAVE},
      {SDL_SCANCODE_PRINTSCREEN, KEY_SYSRQ},
      {SDL_SCANCODE_NONUSBACKSLASH, KEY_102ND},
      {SDL_SCANCODE_NONUSHASH, KEY_BACKSLASH}, /* as HID maps it */
      {SDL_SCANCODE_APPLICATION, KEY_COMPOSE},
      {SDL_SCANCODE_AUDIOPLAY, KEY_PLAYPAUSE}};
  for (unsigned k = 0; k < sizeof pairs / sizeof *pairs; k++)
    ck_assert_int_eq(keymap_linux_key(pairs[k][0]), pairs[k][1]);
}
END_TEST

START_TEST(unmapped_scancodes) {
  ck_assert_int_eq(keymap_linux_key(SDL_SCANCODE_UNKNOWN), 0);
  ck_assert_int_eq(keymap_linux_key(-1), 0);
  ck_assert_int_eq(keymap_linux_key(3), 0); /* HID "error undefined" */
  ck_assert_int_eq(keymap_linux_key(SDL_NUM_SCANCODES), 0);
  ck_assert_int_eq(keymap_linux_key(1 << 30), 0);
}
END_TEST

/* Each scancode SDL has either maps to a key the keyboard declares, or
 * to nothing: the device never sends a code it has not announced. */
START_TEST(every_code_is_declared) {
  int mapped = 0;
  for (int sc = 0; sc < SDL_NUM_SCANCODES; sc++) {
    int code = keymap_linux_key(sc);
    if (!code)
      continue;
    mapped++;
    ck_assert(keymap_is_key(code));
    ck_assert_int_lt(code, KEY_CNT);
    ck_assert_ptr_nonnull(keymap_key_name(code));
  }
  ck_assert_int_ge(mapped, 120);
  ck_assert(!keymap_is_key(BTN_LEFT));
}
END_TEST

START_TEST(names) {
  ck_assert_int_eq(keymap_key_by_name("KEY_A"), KEY_A);
  ck_assert_int_eq(keymap_key_by_name("a"), KEY_A);
  ck_assert_int_eq(keymap_key_by_name("Esc"), KEY_ESC);
  ck_assert_int_eq(keymap_key_by_name("LEFTSHIFT"), KEY_LEFTSHIFT);
  ck_assert_int_eq(keymap_key_by_name("key_f12"), KEY_F12);
  ck_assert_int_eq(keymap_key_by_name("102ND"), KEY_102ND);
  ck_assert_int_eq(keymap_key_by_name("NOPE"), -1);
  ck_assert_int_eq(keymap_key_by_name(""), -1);
  ck_assert_str_eq(keymap_key_name(KEY_SPACE), "SPACE");
}
END_TEST

int main(void) {
  Suite *s = suite_create("keymap");
  TCase *tc = tcase_create("sdl_to_linux");
  tcase_add_test(tc, letters_and_digits);
  tcase_add_test(tc, control_keys);
  tcase_add_test(tc, unmapped_scancodes);
  tcase_add_test(tc, every_code_is_declared);
  tcase_add_test(tc, names);
  suite_add_tcase(s, tc);
  SRunner *r = srunner_create(s);
  srunner_run_all(r, CK_NORMAL);
  int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
