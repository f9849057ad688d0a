/* ioctl on the display and input devices, printed as strace 6.1 prints
 * them (src/ioctl.c evdev_decode_number, src/evdev.c): fbdev requests by
 * name with their argument as an address (strace has no fbdev decoder),
 * evdev requests by name with their size and type — EVIOCGBIT(EV_KEY,
 * 96) — and their argument decoded: structures, numbers in brackets,
 * strings of the length returned, bit sets by the names of their set
 * bits. Read requests are decoded only when they succeeded. */
#include <linux/fb.h>
#include <linux/input.h>
#include <stdio.h>
#include <sys/ioctl.h>

#include "../../devices/devices.h"
#include "strace_internal.h"

#define N(x)                                                                   \
  { x, #x }

static const struct flag_name fb_names[] = {N(FBIOGET_VSCREENINFO),
                                            N(FBIOPUT_VSCREENINFO),
                                            N(FBIOGET_FSCREENINFO),
                                            N(FBIOGETCMAP),
                                            N(FBIOPUTCMAP),
                                            N(FBIOPAN_DISPLAY),
                                            N(FBIO_CURSOR),
                                            N(FBIOGET_CON2FBMAP),
                                            N(FBIOPUT_CON2FBMAP),
                                            N(FBIOBLANK),
                                            N(FBIOGET_VBLANK),
                                            N(FBIO_ALLOC),
                                            N(FBIO_FREE),
                                            N(FBIOGET_GLYPH),
                                            N(FBIOGET_HWCINFO),
                                            N(FBIOPUT_MODEINFO),
                                            N(FBIOGET_DISPINFO),
                                            N(FBIO_WAITFORVSYNC),
                                            FLAG_END};

static const struct flag_name evdev_names[] = {
    N(EVIOCGVERSION), N(EVIOCGID),
    N(EVIOCGREP),     N(EVIOCSREP),
    N(EVIOCGKEYCODE), N(EVIOCGKEYCODE_V2),
    N(EVIOCSKEYCODE), N(EVIOCSKEYCODE_V2),
    N(EVIOCSFF),      N(EVIOCRMFF),
    N(EVIOCGEFFECTS), N(EVIOCGRAB),
    N(EVIOCREVOKE),   N(EVIOCGMASK),
    N(EVIOCSMASK),    N(EVIOCSCLOCKID),
    FLAG_END};

static const struct flag_name ev_names[] = {
    N(EV_SYN), N(EV_KEY),       N(EV_REL), N(EV_ABS), N(EV_MSC),
    N(EV_SW),  N(EV_LED),       N(EV_SND), N(EV_REP), N(EV_FF),
    N(EV_PWR), N(EV_FF_STATUS), FLAG_END};

static const struct flag_name rel_names[] = {N(REL_X),
                                             N(REL_Y),
                                             N(REL_Z),
                                             N(REL_RX),
                                             N(REL_RY),
                                             N(REL_RZ),
                                             N(REL_HWHEEL),
                                             N(REL_DIAL),
                                             N(REL_WHEEL),
                                             N(REL_MISC),
                                             N(REL_RESERVED),
                                             N(REL_WHEEL_HI_RES),
                                             N(REL_HWHEEL_HI_RES),
                                             FLAG_END};

static const struct flag_name rep_names[] = {N(REP_DELAY), N(REP_PERIOD),
                                             FLAG_END};

static const struct flag_name abs_names[] = {N(ABS_X),
                                             N(ABS_Y),
                                             N(ABS_Z),
                                             N(ABS_RX),
                                             N(ABS_RY),
                                             N(ABS_RZ),
                                             N(ABS_THROTTLE),
                                             N(ABS_RUDDER),
                                             N(ABS_WHEEL),
                                             N(ABS_GAS),
                                             N(ABS_BRAKE),
                                             N(ABS_PRESSURE),
                                             N(ABS_DISTANCE),
                                             N(ABS_TILT_X),
                                             N(ABS_TILT_Y),
                                             N(ABS_TOOL_WIDTH),
                                             N(ABS_VOLUME),
                                             N(ABS_MISC),
                                             N(ABS_MT_SLOT),
                                             N(ABS_MT_POSITION_X),
                                             N(ABS_MT_POSITION_Y),
                                             FLAG_END};

static const struct flag_name msc_names[] = {
    N(MSC_SERIAL), N(MSC_PULSELED),  N(MSC_GESTURE), N(MSC_RAW),
    N(MSC_SCAN),   N(MSC_TIMESTAMP), FLAG_END};

static const struct flag_name button_names[] = {N(BTN_LEFT),   N(BTN_RIGHT),
                                                N(BTN_MIDDLE), N(BTN_SIDE),
                                                N(BTN_EXTRA),  FLAG_END};

bool st_ioctl_is_evdev(uint64_t cmd) { return _IOC_TYPE(cmd) == 'E'; }

/* A key's name: the keyboard's from the key map, or a button's. */
static void key_name(struct process *p, unsigned code) {
  const char *name = keymap_key_name((int)code);
  if (name)
    st_printf(p, "KEY_%s", name);
  else
    st_xlat(p, button_names, code, "KEY_???");
}

/* The request: a fixed name, or evdev's numbered families. */
void st_ioctl_cmd(struct process *p, uint64_t cmd,
                  const struct flag_name *names) {
  const char *name = st_lookup(fb_names, cmd);
  if (!name)
    name = st_lookup(evdev_names, cmd);
  if (!name)
    name = st_lookup(names, cmd);
  if (name) {
    st_puts(p, name);
    return;
  }
  unsigned nr = _IOC_NR(cmd), size = _IOC_SIZE(cmd);
  if (_IOC_TYPE(cmd) == 'E' && _IOC_DIR(cmd) == _IOC_READ) {
    static const char *const sized[0x1c] = {
        [0x06] = "EVIOCGNAME", [0x07] = "EVIOCGPHYS",    [0x08] = "EVIOCGUNIQ",
        [0x09] = "EVIOCGPROP", [0x0a] = "EVIOCGMTSLOTS", [0x18] = "EVIOCGKEY",
        [0x19] = "EVIOCGLED",  [0x1a] = "EVIOCGSND",     [0x1b] = "EVIOCGSW"};
    if (nr >= 0x20 && nr < 0x40) {
      st_puts(p, "EVIOCGBIT(");
      if (nr == 0x20)
        st_puts(p, "0");
      else
        st_xlat(p, ev_names, nr - 0x20, "EV_???");
      st_printf(p, ", %u)", size);
      return;
    }
    if (nr >= 0x40 && nr < 0x80) {
      st_puts(p, "EVIOCGABS(");
      st_xlat(p, abs_names, nr - 0x40, "ABS_???");
      st_puts(p, ")");
      return;
    }
    if (nr < 0x1c && sized[nr]) {
      st_printf(p, "%s(%u)", sized[nr], size);
      return;
    }
  }
  if (_IOC_TYPE(cmd) == 'E' && _IOC_DIR(cmd) == _IOC_WRITE && nr >= 0xc0 &&
      nr < 0x100) {
    st_puts(p, "EVIOCSABS(");
    st_xlat(p, abs_names, nr - 0xc0, "ABS_???");
    st_puts(p, ")");
    return;
  }
  /* strace's ioctl_print_code: a request it has no name for is shown by
   * its fields. */
  static const struct flag_name dirs[] = {{_IOC_NONE, "_IOC_NONE"},
                                          {_IOC_READ, "_IOC_READ"},
                                          {_IOC_WRITE, "_IOC_WRITE"},
                                          FLAG_END};
  unsigned dir = _IOC_DIR(cmd);
  st_puts(p, "_IOC(");
  if (dir)
    st_flags(p, dirs, dir, NULL);
  else
    st_puts(p, "_IOC_NONE");
  st_printf(p, ", %#x, %#x, %#x)", (unsigned)_IOC_TYPE(cmd), nr, size);
}

/* decode_bitset: the set bits among the first `ret` bytes (at most max
 * bits), four names and then "..." as strace abbreviates. */
static void bitset(struct process *p, uint64_t addr, int64_t ret, unsigned max,
                   void (*name)(struct process *, unsigned)) {
  unsigned bits = ret > (int64_t)(max / 8) ? max : (unsigned)ret * 8;
  unsigned size = (bits + 63) / 64 * 8;
  if (!size) {
    st_ptr(p, addr);
    return;
  }
  uint64_t words[16] = {0};
  if (size > sizeof words || !st_fetch(p, addr, words, size))
    return;
  st_puts(p, "[");
  int shown = 0;
  for (unsigned b = 0; b < bits; b++) {
    if (!(words[b / 64] >> (b % 64) & 1))
      continue;
    if (shown == 4) {
      st_puts(p, " ...");
      break;
    }
    if (shown++)
      st_puts(p, " ");
    name(p, b);
  }
  st_puts(p, "]");
}

#define NAMER(fn, table, unknown)                                              \
  static void fn(struct process *p, unsigned v) {                              \
    st_xlat(p, table, v, unknown);                                             \
  }
NAMER(ev_name, ev_names, "EV_???")
NAMER(rel_name, rel_names, "REL_???")
NAMER(rep_name, rep_names, "REP_???")
NAMER(abs_name, abs_names, "ABS_???")
NAMER(msc_name, msc_names, "MSC_???")
static void other_name(struct process *p, unsigned v) {
  st_printf(p, "%#x", v);
}

static void eviocgbit(struct process *p, unsigned type, uint64_t addr,
                      int64_t ret) {
  switch (type) {
  case 0: bitset(p, addr, ret, EV_MAX, ev_name); return;
  case EV_KEY: bitset(p, addr, ret, KEY_MAX, key_name); return;
  case EV_REL: bitset(p, addr, ret, REL_MAX, rel_name); return;
  case EV_ABS: bitset(p, addr, ret, ABS_MAX, abs_name); return;
  case EV_MSC: bitset(p, addr, ret, MSC_MAX, msc_name); return;
  case EV_REP: bitset(p, addr, ret, REP_MAX, rep_name); return;
  case EV_SW: bitset(p, addr, ret, SW_MAX, other_name); return;
  case EV_LED: bitset(p, addr, ret, LED_MAX, other_name); return;
  case EV_SND: bitset(p, addr, ret, SND_MAX, other_name); return;
  case EV_FF: bitset(p, addr, ret, FF_MAX, other_name); return;
  case EV_FF_STATUS: bitset(p, addr, ret, FF_STATUS_MAX, other_name); return;
  case EV_PWR: {
    int v;
    if (st_fetch(p, addr, &v, sizeof v))
      st_printf(p, "[%d]", v);
    return;
  }
  default: st_ptr(p, addr);
  }
}

static void int_pair(struct process *p, uint64_t addr) {
  unsigned v[2];
  if (st_fetch(p, addr, v, sizeof v))
    st_printf(p, "[%u, %u]", v[0], v[1]);
}

static void one_int(struct process *p, uint64_t addr, const char *fmt) {
  unsigned v;
  if (!st_fetch(p, addr, &v, sizeof v))
    return;
  st_puts(p, "[");
  st_printf(p, fmt, v);
  st_puts(p, "]");
}

/* Read requests: decoded after they succeeded. */
static void evdev_read_arg(struct process *p, uint64_t cmd, uint64_t addr,
                           int64_t ret) {
  unsigned nr = _IOC_NR(cmd);
  switch (cmd) {
  case EVIOCGVERSION: one_int(p, addr, "%#x"); return;
  case EVIOCGEFFECTS: one_int(p, addr, "%u"); return;
  case EVIOCGREP: int_pair(p, addr); return;
  case EVIOCGID: {
    struct input_id id;
    if (st_fetch(p, addr, &id, sizeof id))
      st_printf(p, "{bustype=%u, vendor=%u, product=%u, version=%u}",
                id.bustype, id.vendor, id.product, id.version);
    return;
  }
  }
  switch (nr) {
  case 0x06:
  case 0x07:
  case 0x08: st_guest_buf(p, addr, (uint64_t)ret, 0); return;
  case 0x09: bitset(p, addr, ret, INPUT_PROP_MAX, other_name); return;
  case 0x18: bitset(p, addr, ret, KEY_MAX, key_name); return;
  case 0x19: bitset(p, addr, ret, LED_MAX, other_name); return;
  case 0x1a: bitset(p, addr, ret, SND_MAX, other_name); return;
  case 0x1b: bitset(p, addr, ret, SW_MAX, other_name); return;
  }
  if (nr >= 0x20 && nr < 0x40) {
    eviocgbit(p, nr - 0x20, addr, ret);
    return;
  }
  st_ptr(p, addr);
}

void st_ioctl_evdev_arg(struct process *p, uint64_t cmd, uint64_t addr,
                        int64_t ret) {
  if (_IOC_DIR(cmd) == _IOC_READ) {
    if (ret < 0)
      st_ptr(p, addr);
    else
      evdev_read_arg(p, cmd, addr, ret);
    return;
  }
  switch (cmd) { /* write requests: decoded whatever the result */
  case EVIOCSREP: int_pair(p, addr); return;
  case EVIOCRMFF: st_printf(p, "%d", (int)addr); return;
  case EVIOCGRAB:
  case EVIOCREVOKE: st_printf(p, "%llu", (unsigned long long)addr); return;
  case EVIOCSCLOCKID: one_int(p, addr, "%u"); return;
  default: st_ptr(p, addr);
  }
}

/* fbdev: strace 6.1 prints the argument as an address, FBIOBLANK's as
 * the number it is. */
bool st_ioctl_fb_arg(struct process *p, uint64_t cmd, uint64_t addr) {
  if (!st_lookup(fb_names, cmd))
    return false;
  if (cmd == FBIOBLANK)
    st_printf(p, "%#llx", (unsigned long long)addr);
  else
    st_ptr(p, addr);
  return true;
}
