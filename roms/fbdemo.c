/* The bundled display demo: `./emu fbdemo [--frames N]`. An ordinary
 * Linux fbdev and evdev program, built as a static x86-64 ELF and
 * embedded into emu: it opens /dev/fb0 and the input devices, draws an
 * animated picture double-buffered (mmap, FBIOPAN_DISPLAY,
 * FBIO_WAITFORVSYNC) in whatever channel layout the mode has, and
 * reacts to input:
 *
 *   mouse motion    moves the cross-hair cursor
 *   left button     turns the cursor yellow while held
 *   wheel           resizes the cursor
 *   arrow keys      move the green square
 *   c               changes the background's colours
 *   Esc or q        quits
 *
 * The picture depends on the frame number and the input only, so a run
 * with --frames N and an --input-script gives the same screen every
 * time. At the end it prints one line: frames drawn, mode, and the
 * state the input left; with --hold S it then keeps the last picture
 * on the screen for S seconds before it exits. */
#include <fcntl.h>
#include <linux/fb.h>
#include <linux/input.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

struct screen {
  struct fb_var_screeninfo var;
  struct fb_fix_screeninfo fix;
  uint8_t *mem;
  int bytes; /* per pixel */
};

struct state {
  int mouse_x, mouse_y, cursor; /* cursor half-size */
  int square_x, square_y;
  int palette;
  int button, quit;
};

static uint32_t channel(uint32_t v8, const struct fb_bitfield *f) {
  return (v8 >> (8 - f->length)) << f->offset;
}

/* A colour in the mode's own layout (FBIOGET_VSCREENINFO's offsets). */
static uint32_t rgb(const struct screen *s, int r, int g, int b) {
  return channel((uint32_t)r, &s->var.red) |
         channel((uint32_t)g, &s->var.green) |
         channel((uint32_t)b, &s->var.blue);
}

static void put(const struct screen *s, uint8_t *row, int x, uint32_t c) {
  if (s->bytes == 2)
    ((uint16_t *)row)[x] = (uint16_t)c;
  else
    ((uint32_t *)row)[x] = c;
}

static void fill(const struct screen *s, uint8_t *buf, int x0, int y0, int w,
                 int h, uint32_t c) {
  int xres = (int)s->var.xres, yres = (int)s->var.yres;
  for (int y = y0 < 0 ? 0 : y0; y < y0 + h && y < yres; y++) {
    uint8_t *row = buf + (size_t)y * s->fix.line_length;
    for (int x = x0 < 0 ? 0 : x0; x < x0 + w && x < xres; x++)
      put(s, row, x, c);
  }
}

static void draw(const struct screen *s, uint8_t *buf, int frame,
                 const struct state *st) {
  int xres = (int)s->var.xres, yres = (int)s->var.yres;
  /* A background of diagonal colour bands drifting with the frames. */
  for (int y = 0; y < yres; y++) {
    uint8_t *row = buf + (size_t)y * s->fix.line_length;
    for (int x = 0; x < xres; x++) {
      int band = ((x + y + 4 * frame) >> 5) & 7;
      int r = band * 24 + x * 64 / xres, g = 32 + y * 192 / yres;
      put(s, row, x, rgb(s, r, g, st->palette * 100 + band * 6));
    }
  }
  /* A white box bouncing along the bottom. */
  int span = xres - 64, t = (frame * 8) % (2 * span);
  fill(s, buf, t < span ? t : 2 * span - t, yres - 80, 64, 64,
       rgb(s, 255, 255, 255));
  fill(s, buf, st->square_x, st->square_y, 32, 32, rgb(s, 0, 200, 0));
  uint32_t cursor = st->button ? rgb(s, 255, 255, 0) : rgb(s, 255, 0, 0);
  fill(s, buf, st->mouse_x - st->cursor, st->mouse_y - 1, 2 * st->cursor, 3,
       cursor);
  fill(s, buf, st->mouse_x - 1, st->mouse_y - st->cursor, 3, 2 * st->cursor,
       cursor);
}

static int clamp(int v, int lo, int hi) {
  return v < lo ? lo : v > hi ? hi : v;
}

static void handle(struct state *st, const struct input_event *ev,
                   const struct screen *s) {
  int xres = (int)s->var.xres, yres = (int)s->var.yres;
  if (ev->type == EV_REL && ev->code == REL_X)
    st->mouse_x = clamp(st->mouse_x + ev->value, 0, xres - 1);
  if (ev->type == EV_REL && ev->code == REL_Y)
    st->mouse_y = clamp(st->mouse_y + ev->value, 0, yres - 1);
  if (ev->type == EV_REL && ev->code == REL_WHEEL)
    st->cursor = clamp(st->cursor + 2 * ev->value, 2, 64);
  if (ev->type != EV_KEY)
    return;
  if (ev->code == BTN_LEFT)
    st->button = ev->value != 0;
  if (ev->value == 0)
    return; /* the rest act on press and repeat */
  switch (ev->code) {
  case KEY_ESC:
  case KEY_Q: st->quit = 1; break;
  case KEY_C: st->palette = (st->palette + 1) % 3; break;
  case KEY_LEFT: st->square_x = clamp(st->square_x - 16, 0, xres - 32); break;
  case KEY_RIGHT: st->square_x = clamp(st->square_x + 16, 0, xres - 32); break;
  case KEY_UP: st->square_y = clamp(st->square_y - 16, 0, yres - 32); break;
  case KEY_DOWN: st->square_y = clamp(st->square_y + 16, 0, yres - 32); break;
  }
}

static void poll_input(int fd, struct state *st, const struct screen *s) {
  struct input_event ev[16];
  ssize_t n;
  while (fd >= 0 && (n = read(fd, ev, sizeof ev)) > 0)
    for (size_t k = 0; k < (size_t)n / sizeof *ev; k++)
      handle(st, &ev[k], s);
}

int main(int argc, char **argv) {
  long frames = -1, hold = 0;
  for (int k = 1; k < argc; k++) {
    if (strcmp(argv[k], "--frames") == 0 && k + 1 < argc) {
      frames = strtol(argv[++k], NULL, 10);
    } else if (strcmp(argv[k], "--hold") == 0 && k + 1 < argc) {
      hold = strtol(argv[++k], NULL, 10);
    } else {
      fprintf(stderr, "usage: fbdemo [--frames N] [--hold SECONDS]\n");
      return 2;
    }
  }
  struct screen s;
  int fb = open("/dev/fb0", O_RDWR);
  if (fb < 0 || ioctl(fb, FBIOGET_VSCREENINFO, &s.var) < 0) {
    perror("fbdemo: /dev/fb0");
    return 1;
  }
  /* Two screens for double buffering, when the mode has not. */
  if (s.var.yres_virtual < 2 * s.var.yres) {
    s.var.yres_virtual = 2 * s.var.yres;
    if (ioctl(fb, FBIOPUT_VSCREENINFO, &s.var) < 0)
      s.var.yres_virtual = s.var.yres; /* single-buffered, then */
  }
  if (ioctl(fb, FBIOGET_FSCREENINFO, &s.fix) < 0) {
    perror("fbdemo: FBIOGET_FSCREENINFO");
    return 1;
  }
  s.bytes = (int)s.var.bits_per_pixel / 8;
  s.mem = mmap(NULL, s.fix.smem_len, PROT_READ | PROT_WRITE, MAP_SHARED, fb, 0);
  if (s.mem == MAP_FAILED) {
    perror("fbdemo: mmap");
    return 1;
  }
  int keyboard = open("/dev/input/event0", O_RDONLY | O_NONBLOCK);
  int mouse = open("/dev/input/event1", O_RDONLY | O_NONBLOCK);
  struct state st = {
      (int)s.var.xres / 2, (int)s.var.yres / 2, 8, 32, 32, 0, 0, 0};
  int buffers = s.var.yres_virtual >= 2 * s.var.yres ? 2 : 1;
  long frame = 0;
  for (; frames < 0 || frame < frames; frame++) {
    poll_input(keyboard, &st, &s);
    poll_input(mouse, &st, &s);
    if (st.quit)
      break;
    /* Draw the screen not shown, then show it. */
    uint32_t back = buffers == 2 ? (uint32_t)(frame + 1) % 2 * s.var.yres : 0;
    draw(&s, s.mem + (size_t)back * s.fix.line_length, (int)frame, &st);
    s.var.yoffset = back;
    s.var.xoffset = 0;
    ioctl(fb, FBIOPAN_DISPLAY, &s.var);
    uint32_t crtc = 0;
    ioctl(fb, FBIO_WAITFORVSYNC, &crtc);
  }
  printf("fbdemo: %ld frames, %ux%ux%u, cursor %d,%d, square %d,%d, "
         "palette %d\n",
         frame, s.var.xres, s.var.yres, s.var.bits_per_pixel, st.mouse_x,
         st.mouse_y, st.square_x, st.square_y, st.palette);
  fflush(stdout);
  if (hold > 0)
    sleep((unsigned)hold);
  return 0;
}
