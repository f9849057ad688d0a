/* Between the files of the machine's display and input: the
 * framebuffer (fb.c), the thread that scans it out and pumps the
 * window's events (display.c, display_sdl.c), the input devices
 * (evdev.c), the scancode map (keymap.c) and --input-script
 * (input_script.c). */
#ifndef EMU_DEVICES_H
#define EMU_DEVICES_H

#include <linux/fb.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

struct process;

/* Video memory: at most this much, and by default enough for two
 * screens of 1280x800 at 32 bpp. */
#define FB_MEM_MAX (64u << 20)
#define FB_MEM_DEFAULT (8u << 20)
#define FB_PAGES_MAX (FB_MEM_MAX / 4096)

/* The framebuffer's registers, in host memory shared by every process
 * of the run (created before the first fork), so that a mode one
 * process sets is the mode another sees, as on one machine. */
struct fb_shared {
  pthread_mutex_t lock; /* process-shared; guards the fields below */
  struct fb_var_screeninfo var;
  int blank;           /* FB_BLANK_* */
  uint64_t smem_start; /* guest physical address of video memory */
  uint64_t smem_len;
  /* Bumped by every change of mode, pan or blank: the display then
   * shows the whole screen again. */
  uint64_t changes;
  /* Frames the guest finished: FBIOPAN_DISPLAY and FBIO_WAITFORVSYNC
   * calls, a pan followed by a wait counted once (--input-script's
   * clock). */
  uint64_t guest_frames;
  bool pan_pending;
  /* The process that opened a device first shows the display and
   * takes the input (0: none yet). */
  int owner_pid;
  /* Video memory pages written other than through this process's page
   * tables: write(2) to /dev/fb0, and the D bits other processes'
   * scanners collected (one bit per page, set atomically). */
  uint64_t dirty[FB_PAGES_MAX / 64];
};

/* --- machine.c --- */
/* The device nodes' opens (dev_open): a host fd, -errno, or
 * DEV_NOT_SPECIAL; *kind says which device. */
int dev_node_open(struct process *p, const char *path, int flags, int *kind);

/* --- fb.c --- */
/* The registers, or NULL when the device is absent. */
struct fb_shared *fb_regs(void);
/* Host address of video memory (the guest physical range smem_start). */
uint8_t *fb_memory(void);
/* Does the VMA map video memory? */
struct vma;
bool fb_maps(const struct vma *v);
/* Pages [first, last] of video memory were written. */
void fb_mark_dirty(uint64_t first_page, uint64_t last_page);
/* The guest finished a frame (pan or vsync wait): the frame count moves
 * on and the input script may feed what waited for it. */
void fb_guest_frame(struct process *p, bool pan);

/* --- display.c: the scan-out thread --- */
/* This process shows the display and owns the input: start the thread
 * (once). */
void display_start(struct process *p);
/* Another process shows it: this one only hands over the D bits of its
 * own page tables (started at its first mapping of video memory). */
void display_start_scanner(struct process *p);
/* Stop this process's display or scanner thread and wait for it (at
 * the process's end: the window closes). */
void display_stop(void);
/* Is this process the one that shows the display? */
bool display_is_owner(void);
/* The thread's lock, taken around input delivery and client lists
 * (evdev.c), which SDL events and guest calls both reach. */
void input_lock(void);
void input_unlock(void);

/* --- display_sdl.c: the window, only ever called on the display thread
 * --- */
struct sdl_window;
/* Open the window (SDL_Init on first use): NULL with the reason in
 * `why` when there is no display to open it on. */
struct sdl_window *sdl_window_open(char *why, size_t len);
/* Show the visible screen (`pixels` at its first visible byte, `pitch`
 * bytes per line), scaled to the window; black when blanked. */
void sdl_window_present(struct sdl_window *w, const uint8_t *pixels,
                        uint32_t pitch, uint32_t xres, uint32_t yres,
                        uint32_t bpp, bool blank);
/* Deliver the window's pending events to the input devices; false when
 * the window was closed. */
bool sdl_window_pump(struct sdl_window *w);
/* Close the window. */
void sdl_window_close(struct sdl_window *w);

/* --- evdev.c: /dev/input/event0 (keyboard) and event1 (mouse) --- */
/* One input event into device kind (DEV_KEYBOARD or DEV_MOUSE), as the
 * input core would take it from a driver (input_event): filtered by the
 * device's capabilities and state, and queued to its clients at the
 * next EV_SYN/SYN_REPORT. `p` is the task whose call delivers it (its
 * clock stamps it), or NULL for the display thread (the host's clock).
 * Call with input_lock held. */
void evdev_event(struct process *p, int kind, uint16_t type, uint16_t code,
                 int32_t value);
void evdev_fork_child(void);

/* --- keymap.c --- */
/* The Linux key code (KEY_*, BTN_*) of an SDL scancode, 0 when none. */
int keymap_linux_key(int sdl_scancode);
/* A key's name without KEY_ (for --strace), NULL when not a key. */
const char *keymap_key_name(int code);
/* Does the keyboard have this key (a code the map produces)? */
bool keymap_is_key(int code);
/* A key's Linux code from its name (KEY_A, A, ESC, ...), -1 when none. */
int keymap_key_by_name(const char *name);

/* --- input_script.c: --input-script --- */
/* Parse the script; NULL and a message in `why` when it is malformed. */
struct input_script;
struct input_script *input_script_load(const char *path, char *why, size_t len);
/* Feed the events that are due (frames reached, time passed); returns
 * the host CLOCK_MONOTONIC time in ns at which a `sleep` next makes
 * events due, or 0 when nothing waits on time. Call with input_lock. */
uint64_t input_script_run(struct input_script *s, struct process *p,
                          uint64_t guest_frames, uint64_t now_ns);
/* The script loaded at start (NULL when none). */
struct input_script *input_script_get(void);

/* --- bmp.c --- */
/* The visible screen as a 24-bit BMP file: 0 or -errno. */
int bmp_write(const char *path, const uint8_t *pixels, uint32_t pitch,
              uint32_t xres, uint32_t yres, uint32_t bpp);

#endif
