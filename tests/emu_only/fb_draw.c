/* The display and input devices through their Linux ABIs, as a program
 * on a real fbdev/evdev machine would use them (it cannot run natively
 * here: the host has no /dev/fb0). It draws a known picture — the
 * channel offsets from FBIOGET_VSCREENINFO, video memory by mmap, the
 * second screen of the double buffer shown with FBIOPAN_DISPLAY, one
 * line written with pwrite — which scripts/fb_draw.sh checks pixel by
 * pixel in the --screenshot BMP. On the way it checks what the drivers
 * answer (each line "ok: ..." or "FAIL: ..."; status 1 on a failure):
 * bad modes are -EINVAL and change nothing, FBIO_WAITFORVSYNC, blanking,
 * read/write/lseek past the end; evdev's names, bits, grabs, reads of
 * whole events, O_NONBLOCK, poll and injected events. */
#include <errno.h>
#include <fcntl.h>
#include <linux/fb.h>
#include <linux/input.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

static int failed;

static void check(int ok, const char *what) {
  printf("%s: %s\n", ok ? "ok" : "FAIL", what);
  if (!ok)
    failed = 1;
}

static uint32_t pack(const struct fb_var_screeninfo *v, int r, int g, int b) {
  return (uint32_t)(r >> (8 - v->red.length)) << v->red.offset |
         (uint32_t)(g >> (8 - v->green.length)) << v->green.offset |
         (uint32_t)(b >> (8 - v->blue.length)) << v->blue.offset;
}

static void put(uint8_t *at, int bytes, uint32_t c) {
  if (bytes == 2)
    *(uint16_t *)at = (uint16_t)c;
  else
    *(uint32_t *)at = c;
}

static int bad_mode(int fb, struct fb_var_screeninfo v, const char *what) {
  struct fb_var_screeninfo now;
  int r = ioctl(fb, FBIOPUT_VSCREENINFO, &v);
  int e = errno;
  ioctl(fb, FBIOGET_VSCREENINFO, &now);
  printf("%s: mode %s -> %d %s\n", r < 0 && e == EINVAL ? "ok" : "FAIL", what,
         r, r < 0 ? strerror(e) : "");
  return r < 0 && e == EINVAL;
}

static void modes(int fb, const struct fb_var_screeninfo *cur) {
  struct fb_var_screeninfo v = *cur;
  v.bits_per_pixel = 24;
  failed |= !bad_mode(fb, v, "24 bpp");
  v = *cur;
  v.xres = 4;
  failed |= !bad_mode(fb, v, "4 pixels wide");
  v = *cur;
  v.xres = v.xres_virtual = 100000;
  failed |= !bad_mode(fb, v, "larger than video memory");
  v = *cur;
  v.xres_virtual = v.yres_virtual = 0xffffffffu;
  failed |= !bad_mode(fb, v, "4G x 4G virtual");
  v = *cur;
  v.grayscale = 1;
  failed |= !bad_mode(fb, v, "grayscale");
  v = *cur;
  v.yoffset = v.yres_virtual;
  failed |= !bad_mode(fb, v, "offset past the virtual screen");
  struct fb_var_screeninfo after;
  ioctl(fb, FBIOGET_VSCREENINFO, &after);
  check(memcmp(&after, cur, sizeof after) == 0, "refused modes change nothing");
  v = *cur;
  v.xres = 320;
  v.activate = FB_ACTIVATE_TEST;
  int r = ioctl(fb, FBIOPUT_VSCREENINFO, &v);
  ioctl(fb, FBIOGET_VSCREENINFO, &after);
  check(r == 0 && after.xres == cur->xres, "FB_ACTIVATE_TEST validates only");
  struct fb_var_screeninfo pan = *cur;
  pan.yoffset = cur->yres_virtual - cur->yres + 1;
  errno = 0;
  check(ioctl(fb, FBIOPAN_DISPLAY, &pan) < 0 && errno == EINVAL,
        "pan past the virtual screen: EINVAL");
  errno = 0;
  check(ioctl(fb, FBIOBLANK, 5) < 0 && errno == EINVAL, "FBIOBLANK 5: EINVAL");
  errno = 0;
  check(ioctl(fb, 0x46ff, 0) < 0 && errno == ENOTTY, "unknown request: ENOTTY");
  check(ioctl(fb, FBIOBLANK, FB_BLANK_POWERDOWN) == 0 &&
            ioctl(fb, FBIOBLANK, FB_BLANK_UNBLANK) == 0,
        "blank and unblank");
  uint32_t crtc = 0;
  check(ioctl(fb, FBIO_WAITFORVSYNC, &crtc) == 0, "FBIO_WAITFORVSYNC");
}

static void file_ops(int fb, const struct fb_fix_screeninfo *fix) {
  struct stat st;
  check(fstat(fb, &st) == 0 && S_ISCHR(st.st_mode) &&
            st.st_rdev == makedev(29, 0),
        "fstat: character device 29,0");
  check(stat("/dev/fb0", &st) == 0 && S_ISCHR(st.st_mode), "stat /dev/fb0");
  check(lseek(fb, 0, SEEK_END) == 0, "lseek SEEK_END: the node's size, 0");
  char c;
  check(pread(fb, &c, 1, fix->smem_len) == 0, "read at the end: 0");
  errno = 0;
  check(pwrite(fb, "x", 1, fix->smem_len) < 0 && errno == ENOSPC,
        "write at the end: ENOSPC");
  errno = 0;
  check(pwrite(fb, "x", 1, fix->smem_len + 1) < 0 && errno == EFBIG,
        "write past the end: EFBIG");
  check(pwrite(fb, "xy", 2, fix->smem_len - 1) == 1,
        "write across the end: the part that fits");
}

static void draw(int fb, uint8_t *mem, const struct fb_var_screeninfo *v,
                 const struct fb_fix_screeninfo *fix) {
  int bytes = (int)v->bits_per_pixel / 8;
  int w = (int)v->xres, h = (int)v->yres;
  /* Screen 0 white; screen 1 the picture, then shown by panning. */
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++) {
      put(mem + (size_t)y * fix->line_length + (size_t)x * bytes, bytes,
          pack(v, 255, 255, 255));
      put(mem + (size_t)(y + h) * fix->line_length + (size_t)x * bytes, bytes,
          pack(v, x * 255 / (w - 1), y * 255 / (h - 1), (x ^ y) & 255));
    }
  /* Line 10 of the shown screen through write(2): blue. */
  uint8_t line[16384];
  for (int x = 0; x < w; x++)
    put(line + (size_t)x * bytes, bytes, pack(v, 0, 0, 255));
  off_t at = (off_t)(h + 10) * fix->line_length;
  check(pwrite(fb, line, (size_t)w * bytes, at) == (ssize_t)(w * bytes),
        "pwrite a line");
  struct fb_var_screeninfo pan = *v;
  pan.yoffset = (uint32_t)h;
  check(ioctl(fb, FBIOPAN_DISPLAY, &pan) == 0, "pan to the second screen");
  /* A forked child's stores reach the same memory: a red square. */
  pid_t pid = fork();
  if (pid == 0) {
    for (int y = 20; y < 30; y++)
      for (int x = 20; x < 30; x++)
        put(mem + (size_t)(y + h) * fix->line_length + (size_t)x * bytes, bytes,
            pack(v, 255, 0, 0));
    _exit(0);
  }
  int status;
  waitpid(pid, &status, 0);
  check(WIFEXITED(status), "child drew into the shared mapping");
}

static void input(void) {
  int kbd = open("/dev/input/event0", O_RDONLY | O_NONBLOCK);
  int mouse = open("/dev/input/event1", O_RDWR);
  check(kbd >= 0 && mouse >= 0, "open /dev/input/event0 and event1");
  char name[64] = "";
  int n = ioctl(kbd, EVIOCGNAME(sizeof name), name);
  check(n == (int)strlen(name) + 1 && strcmp(name, "emu keyboard") == 0,
        "EVIOCGNAME");
  unsigned long bits[12] = {0};
  check(ioctl(kbd, EVIOCGBIT(0, sizeof bits), bits) == 8 &&
            bits[0] == (1ul << EV_SYN | 1ul << EV_KEY | 1ul << EV_REP),
        "keyboard: EV_SYN, EV_KEY, EV_REP");
  check(ioctl(kbd, EVIOCGBIT(EV_KEY, sizeof bits), bits) == 96 &&
            (bits[KEY_A / 64] >> (KEY_A % 64) & 1),
        "keyboard has KEY_A");
  memset(bits, 0, sizeof bits);
  check(ioctl(mouse, EVIOCGBIT(EV_REL, 8), bits) == 8 &&
            bits[0] == (1ul << REL_X | 1ul << REL_Y | 1ul << REL_WHEEL),
        "mouse: REL_X, REL_Y, REL_WHEEL");
  errno = 0;
  check(ioctl(mouse, EVIOCGREP, bits) < 0 && errno == ENOSYS,
        "mouse has no autorepeat: ENOSYS");
  errno = 0;
  check(ioctl(kbd, EVIOCGBIT(25, 8), bits) < 0 && errno == EINVAL,
        "EVIOCGBIT of an unknown type: EINVAL");
  struct input_event ev[4];
  errno = 0;
  check(read(kbd, ev, sizeof ev) < 0 && errno == EAGAIN,
        "O_NONBLOCK read of an empty queue: EAGAIN");
  errno = 0;
  check(read(kbd, ev, 10) < 0 && errno == EINVAL,
        "read shorter than an event: EINVAL");
  struct pollfd pfd = {mouse, POLLIN, 0};
  check(poll(&pfd, 1, 0) == 0, "poll: nothing queued");
  /* Events written to the device are injected, as evdev_write does. */
  struct input_event in[3] = {{.type = EV_REL, .code = REL_X, .value = 7},
                              {.type = EV_REL, .code = REL_Y, .value = 0},
                              {.type = EV_SYN, .code = SYN_REPORT}};
  check(write(mouse, in, sizeof in) == sizeof in, "inject three events");
  check(poll(&pfd, 1, 1000) == 1 && (pfd.revents & POLLIN),
        "poll: the packet is queued");
  n = (int)read(mouse, ev, sizeof ev);
  check(n == 2 * (int)sizeof *ev && ev[0].type == EV_REL &&
            ev[0].code == REL_X && ev[0].value == 7 && ev[1].type == EV_SYN,
        "read: REL_X 7 then SYN_REPORT (REL_Y 0 dropped)");
  check(ioctl(kbd, EVIOCGRAB, 1) == 0, "grab");
  errno = 0;
  check(ioctl(kbd, EVIOCGRAB, 1) < 0 && errno == EBUSY, "grab again: EBUSY");
  check(ioctl(kbd, EVIOCGRAB, 0) == 0, "ungrab");
  errno = 0;
  check(ioctl(kbd, EVIOCGRAB, 0) < 0 && errno == EINVAL,
        "ungrab when not grabbed: EINVAL");
  close(kbd);
  close(mouse);
}

int main(void) {
  int fb = open("/dev/fb0", O_RDWR);
  struct fb_var_screeninfo v;
  struct fb_fix_screeninfo fix;
  if (fb < 0 || ioctl(fb, FBIOGET_VSCREENINFO, &v) < 0 ||
      ioctl(fb, FBIOGET_FSCREENINFO, &fix) < 0) {
    perror("/dev/fb0");
    return 1;
  }
  printf("mode %ux%u virtual %ux%u %u bpp, line %u, memory %u, %s\n", v.xres,
         v.yres, v.xres_virtual, v.yres_virtual, v.bits_per_pixel,
         fix.line_length, fix.smem_len, fix.id);
  check(fix.visual == FB_VISUAL_TRUECOLOR && fix.type == FB_TYPE_PACKED_PIXELS,
        "packed true colour");
  check(v.yres_virtual == 2 * v.yres, "two screens");
  modes(fb, &v);
  file_ops(fb, &fix);
  uint8_t *mem =
      mmap(NULL, fix.smem_len, PROT_READ | PROT_WRITE, MAP_SHARED, fb, 0);
  check(mem != MAP_FAILED, "mmap video memory");
  errno = 0;
  check(mmap(NULL, 4096, PROT_READ, MAP_SHARED, fb, fix.smem_len) ==
                MAP_FAILED &&
            errno == EINVAL,
        "mmap past video memory: EINVAL");
  if (mem == MAP_FAILED)
    return 1;
  draw(fb, mem, &v, &fix);
  input();
  return failed;
}
