/* --input-script FILE: scripted keyboard and mouse input, so that runs
 * without a window can be driven. One directive per line; '#' starts a
 * comment. Events are delivered as the devices would deliver them, each
 * line one packet (ended by EV_SYN/SYN_REPORT):
 *
 *   frame N                 wait until the guest has finished N frames
 *                           (FBIOPAN_DISPLAY / FBIO_WAITFORVSYNC calls)
 *   sleep MS                wait MS milliseconds (wall clock)
 *   key NAME [press|down|up|repeat]
 *                           a key of the keyboard by its Linux name
 *                           (KEY_A or A, ESC, LEFTSHIFT, UP, F1, ...);
 *                           press (the default) is down, then up
 *   move DX DY              relative mouse motion (REL_X, REL_Y)
 *   button left|right|middle [click|down|up]
 *   wheel N                 wheel clicks (REL_WHEEL)
 *
 * Frame waits make a run repeat exactly: the events are queued before
 * the call that finishes frame N returns. */
#include <ctype.h>
#include <errno.h>
#include <linux/input.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dev.h"
#include "devices.h"

enum op_kind { OP_FRAME, OP_SLEEP, OP_KEY, OP_MOVE, OP_BUTTON, OP_WHEEL };

struct op {
  enum op_kind kind;
  int code; /* KEY_*, BTN_* */
  int a, b; /* frame, ms, value (0 up, 1 down, 2 repeat, 3 press), dx dy */
};

struct input_script {
  struct op *ops;
  int n, next;
  uint64_t sleep_until; /* deadline of the sleep in progress (0: none) */
};

static struct input_script *loaded;

struct input_script *input_script_get(void) {
  return loaded;
}

static int parse_action(const char *word, const char *const names[], int count,
                        int fallback) {
  if (!word[0])
    return fallback;
  for (int k = 0; k < count; k++)
    if (strcmp(word, names[k]) == 0)
      return k;
  return -1;
}

/* One line into *op: 1 when it is a directive, 0 when blank, -1 when
 * malformed (why says how). */
static int parse_line(char *line, struct op *op, char *why, size_t len) {
  char *hash = strchr(line, '#');
  if (hash)
    *hash = 0;
  char cmd[32] = "", w1[64] = "", w2[64] = "";
  int n = sscanf(line, "%31s %63s %63s", cmd, w1, w2);
  if (n <= 0)
    return 0;
  char *end;
  memset(op, 0, sizeof *op);
  if (strcmp(cmd, "frame") == 0 || strcmp(cmd, "sleep") == 0 ||
      strcmp(cmd, "wheel") == 0) {
    long v = strtol(w1, &end, 10);
    bool sign_ok = strcmp(cmd, "wheel") == 0 || v >= 0;
    if (n != 2 || end == w1 || *end || !sign_ok) {
      snprintf(why, len, "'%s' takes one number%s", cmd,
               sign_ok ? "" : ", not negative");
      return -1;
    }
    op->kind = cmd[0] == 'f' ? OP_FRAME : cmd[0] == 's' ? OP_SLEEP : OP_WHEEL;
    op->a = (int)v;
    return 1;
  }
  if (strcmp(cmd, "key") == 0) {
    static const char *const acts[] = {"up", "down", "repeat", "press"};
    op->kind = OP_KEY;
    op->code = keymap_key_by_name(w1);
    op->a = parse_action(w2, acts, 4, 3);
    if (n < 2 || op->code < 0 || op->a < 0) {
      snprintf(why, len, "'key %s %s': unknown key or action", w1, w2);
      return -1;
    }
    return 1;
  }
  if (strcmp(cmd, "button") == 0) {
    static const char *const acts[] = {"up", "down", "", "click"};
    static const char *const names[] = {"left", "right", "middle"};
    static const int codes[] = {BTN_LEFT, BTN_RIGHT, BTN_MIDDLE};
    int b = parse_action(w1, names, 3, -1);
    op->kind = OP_BUTTON;
    op->a = parse_action(w2, acts, 4, 3);
    if (b < 0 || op->a < 0 || op->a == 2) {
      snprintf(why, len, "'button %s %s': unknown button or action", w1, w2);
      return -1;
    }
    op->code = codes[b];
    return 1;
  }
  if (strcmp(cmd, "move") == 0) {
    char *end2;
    long dx = strtol(w1, &end, 10), dy = strtol(w2, &end2, 10);
    if (n != 3 || end == w1 || *end || end2 == w2 || *end2) {
      snprintf(why, len, "'move' takes two numbers");
      return -1;
    }
    op->kind = OP_MOVE;
    op->a = (int)dx;
    op->b = (int)dy;
    return 1;
  }
  snprintf(why, len, "unknown directive '%s'", cmd);
  return -1;
}

struct input_script *input_script_load(const char *path, char *why,
                                       size_t len) {
  FILE *f = fopen(path, "r");
  if (!f) {
    snprintf(why, len, "%s", strerror(errno));
    return NULL;
  }
  struct input_script *s = calloc(1, sizeof *s);
  char line[512], what[256];
  int cap = 0, lineno = 0;
  while (s && fgets(line, sizeof line, f)) {
    lineno++;
    struct op op;
    int r = parse_line(line, &op, what, sizeof what);
    if (r < 0) {
      snprintf(why, len, "line %d: %s", lineno, what);
      free(s->ops);
      free(s);
      s = NULL;
      break;
    }
    if (!r)
      continue;
    if (s->n == cap) {
      cap = cap ? 2 * cap : 16;
      struct op *ops = realloc(s->ops, (size_t)cap * sizeof *ops);
      if (!ops)
        abort(); /* host out of memory */
      s->ops = ops;
    }
    s->ops[s->n++] = op;
  }
  fclose(f);
  loaded = s;
  return s;
}

static void key(struct process *p, int kind, int code, int value) {
  evdev_event(p, kind, EV_KEY, (uint16_t)code, value);
  evdev_event(p, kind, EV_SYN, SYN_REPORT, 0);
}

static void act(struct process *p, const struct op *op) {
  switch (op->kind) {
  case OP_KEY:
  case OP_BUTTON: {
    int kind = op->kind == OP_KEY ? DEV_KEYBOARD : DEV_MOUSE;
    if (op->a == 3) { /* press, click */
      key(p, kind, op->code, 1);
      key(p, kind, op->code, 0);
    } else {
      key(p, kind, op->code, op->a);
    }
    break;
  }
  case OP_MOVE:
    evdev_event(p, DEV_MOUSE, EV_REL, REL_X, op->a);
    evdev_event(p, DEV_MOUSE, EV_REL, REL_Y, op->b);
    evdev_event(p, DEV_MOUSE, EV_SYN, SYN_REPORT, 0);
    break;
  case OP_WHEEL:
    evdev_event(p, DEV_MOUSE, EV_REL, REL_WHEEL, op->a);
    evdev_event(p, DEV_MOUSE, EV_SYN, SYN_REPORT, 0);
    break;
  case OP_FRAME:
  case OP_SLEEP: break;
  }
}

uint64_t input_script_run(struct input_script *s, struct process *p,
                          uint64_t guest_frames, uint64_t now_ns) {
  while (s->next < s->n) {
    const struct op *op = &s->ops[s->next];
    if (op->kind == OP_FRAME && guest_frames < (uint64_t)op->a)
      return 0;
    if (op->kind == OP_SLEEP) {
      if (!s->sleep_until)
        s->sleep_until = now_ns + (uint64_t)op->a * 1000000ull;
      if (now_ns < s->sleep_until)
        return s->sleep_until;
      s->sleep_until = 0;
    }
    act(p, op);
    s->next++;
  }
  return 0;
}
