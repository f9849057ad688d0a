/* SDL scancodes to Linux key codes. SDL's scancodes are the USB HID
 * keyboard usages (SDL_scancode.h), so this is the table Linux's HID
 * driver uses for a USB keyboard (drivers/hid/hid-input.c hid_keyboard),
 * plus the media keys SDL numbers past the HID range. The names are
 * those of <linux/input-event-codes.h> without KEY_, for
 * --input-script. */
#include <SDL_scancode.h>
#include <linux/input-event-codes.h>
#include <stdbool.h>
#include <strings.h>

#include "devices.h"

struct key_entry {
  int scancode; /* SDL_Scancode, 0 for a key only scripts name */
  int code;
  const char *name;
};

#define K(sdl, key)                                                            \
  { SDL_SCANCODE_##sdl, KEY_##key, #key }

static const struct key_entry keys[] = {
    K(A, A),
    K(B, B),
    K(C, C),
    K(D, D),
    K(E, E),
    K(F, F),
    K(G, G),
    K(H, H),
    K(I, I),
    K(J, J),
    K(K, K),
    K(L, L),
    K(M, M),
    K(N, N),
    K(O, O),
    K(P, P),
    K(Q, Q),
    K(R, R),
    K(S, S),
    K(T, T),
    K(U, U),
    K(V, V),
    K(W, W),
    K(X, X),
    K(Y, Y),
    K(Z, Z),
    K(1, 1),
    K(2, 2),
    K(3, 3),
    K(4, 4),
    K(5, 5),
    K(6, 6),
    K(7, 7),
    K(8, 8),
    K(9, 9),
    K(0, 0),
    K(RETURN, ENTER),
    K(ESCAPE, ESC),
    K(BACKSPACE, BACKSPACE),
    K(TAB, TAB),
    K(SPACE, SPACE),
    K(MINUS, MINUS),
    K(EQUALS, EQUAL),
    K(LEFTBRACKET, LEFTBRACE),
    K(RIGHTBRACKET, RIGHTBRACE),
    K(BACKSLASH, BACKSLASH),
    K(NONUSHASH, BACKSLASH),
    K(SEMICOLON, SEMICOLON),
    K(APOSTROPHE, APOSTROPHE),
    K(GRAVE, GRAVE),
    K(COMMA, COMMA),
    K(PERIOD, DOT),
    K(SLASH, SLASH),
    K(CAPSLOCK, CAPSLOCK),
    K(F1, F1),
    K(F2, F2),
    K(F3, F3),
    K(F4, F4),
    K(F5, F5),
    K(F6, F6),
    K(F7, F7),
    K(F8, F8),
    K(F9, F9),
    K(F10, F10),
    K(F11, F11),
    K(F12, F12),
    K(PRINTSCREEN, SYSRQ),
    K(SCROLLLOCK, SCROLLLOCK),
    K(PAUSE, PAUSE),
    K(INSERT, INSERT),
    K(HOME, HOME),
    K(PAGEUP, PAGEUP),
    K(DELETE, DELETE),
    K(END, END),
    K(PAGEDOWN, PAGEDOWN),
    K(RIGHT, RIGHT),
    K(LEFT, LEFT),
    K(DOWN, DOWN),
    K(UP, UP),
    K(NUMLOCKCLEAR, NUMLOCK),
    K(KP_DIVIDE, KPSLASH),
    K(KP_MULTIPLY, KPASTERISK),
    K(KP_MINUS, KPMINUS),
    K(KP_PLUS, KPPLUS),
    K(KP_ENTER, KPENTER),
    K(KP_1, KP1),
    K(KP_2, KP2),
    K(KP_3, KP3),
    K(KP_4, KP4),
    K(KP_5, KP5),
    K(KP_6, KP6),
    K(KP_7, KP7),
    K(KP_8, KP8),
    K(KP_9, KP9),
    K(KP_0, KP0),
    K(KP_PERIOD, KPDOT),
    K(NONUSBACKSLASH, 102ND),
    K(APPLICATION, COMPOSE),
    K(POWER, POWER),
    K(KP_EQUALS, KPEQUAL),
    K(F13, F13),
    K(F14, F14),
    K(F15, F15),
    K(F16, F16),
    K(F17, F17),
    K(F18, F18),
    K(F19, F19),
    K(F20, F20),
    K(F21, F21),
    K(F22, F22),
    K(F23, F23),
    K(F24, F24),
    K(EXECUTE, OPEN),
    K(HELP, HELP),
    K(MENU, PROPS),
    K(SELECT, FRONT),
    K(STOP, STOP),
    K(AGAIN, AGAIN),
    K(UNDO, UNDO),
    K(CUT, CUT),
    K(COPY, COPY),
    K(PASTE, PASTE),
    K(FIND, FIND),
    K(MUTE, MUTE),
    K(VOLUMEUP, VOLUMEUP),
    K(VOLUMEDOWN, VOLUMEDOWN),
    K(KP_COMMA, KPCOMMA),
    K(INTERNATIONAL1, RO),
    K(INTERNATIONAL2, KATAKANAHIRAGANA),
    K(INTERNATIONAL3, YEN),
    K(INTERNATIONAL4, HENKAN),
    K(INTERNATIONAL5, MUHENKAN),
    K(INTERNATIONAL6, KPJPCOMMA),
    K(LANG1, HANGEUL),
    K(LANG2, HANJA),
    K(LANG3, KATAKANA),
    K(LANG4, HIRAGANA),
    K(LANG5, ZENKAKUHANKAKU),
    K(KP_LEFTPAREN, KPLEFTPAREN),
    K(KP_RIGHTPAREN, KPRIGHTPAREN),
    K(LCTRL, LEFTCTRL),
    K(LSHIFT, LEFTSHIFT),
    K(LALT, LEFTALT),
    K(LGUI, LEFTMETA),
    K(RCTRL, RIGHTCTRL),
    K(RSHIFT, RIGHTSHIFT),
    K(RALT, RIGHTALT),
    K(RGUI, RIGHTMETA),
    K(AUDIONEXT, NEXTSONG),
    K(AUDIOPREV, PREVIOUSSONG),
    K(AUDIOSTOP, STOPCD),
    K(AUDIOPLAY, PLAYPAUSE),
    K(AUDIOMUTE, MUTE),
    K(MAIL, MAIL),
    K(CALCULATOR, CALC),
    K(COMPUTER, COMPUTER),
    K(AC_SEARCH, SEARCH),
    K(AC_HOME, HOMEPAGE),
    K(AC_BACK, BACK),
    K(AC_FORWARD, FORWARD),
    K(AC_STOP, STOP),
    K(AC_REFRESH, REFRESH),
    K(AC_BOOKMARKS, BOOKMARKS),
    K(BRIGHTNESSDOWN, BRIGHTNESSDOWN),
    K(BRIGHTNESSUP, BRIGHTNESSUP),
    K(EJECT, EJECTCD),
    K(SLEEP, SLEEP),
};

int keymap_linux_key(int sdl_scancode) {
  if (sdl_scancode <= 0)
    return 0;
  for (unsigned k = 0; k < sizeof keys / sizeof *keys; k++)
    if (keys[k].scancode == sdl_scancode)
      return keys[k].code;
  return 0;
}

const char *keymap_key_name(int code) {
  for (unsigned k = 0; k < sizeof keys / sizeof *keys; k++)
    if (keys[k].code == code)
      return keys[k].name;
  return NULL;
}

bool keymap_is_key(int code) {
  for (unsigned k = 0; k < sizeof keys / sizeof *keys; k++)
    if (keys[k].code == code)
      return true;
  return false;
}

int keymap_key_by_name(const char *name) {
  if (strncasecmp(name, "KEY_", 4) == 0)
    name += 4;
  for (unsigned k = 0; k < sizeof keys / sizeof *keys; k++)
    if (strcasecmp(keys[k].name, name) == 0)
      return keys[k].code;
  return -1;
}
