/* The window of --display sdl: SDL2 is initialised here, on the display
 * thread, the first time a device is opened — most runs never touch it.
 * The visible screen is one streaming texture in the framebuffer's own
 * pixel format (XRGB8888 is SDL's RGB888, RGB565 its RGB565), scaled to
 * the window with its aspect kept. The window's keyboard and mouse
 * events become the input devices' events. */
#include <linux/input.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dev.h"
#include "devices.h"
#include "fb_mode.h"
#include "sdl_lib.h"

/* Set by sdl_window_open; the display thread is its only user. */
static const struct sdl_lib *sdl;

struct sdl_window {
  SDL_Window *window;
  SDL_Renderer *renderer;
  SDL_Texture *texture;
  uint32_t width, height, bpp; /* of the texture */
  bool blank;
};

struct sdl_window *sdl_window_open(char *why, size_t len) {
  sdl = sdl_lib_load(why, len);
  if (!sdl)
    return NULL;
  /* emu's own handlers for SIGINT and SIGTERM stay: they are the
   * guest's signals. */
  sdl->SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
  /* The display --display sdl was chosen for (SDL_VIDEODRIVER, when
   * set, still wins): no other backend is tried, nor its complaints
   * printed. */
  sdl->SDL_SetHint(SDL_HINT_VIDEODRIVER, getenv("WAYLAND_DISPLAY")
                                             ? "wayland,x11"
                                         : getenv("DISPLAY") ? "x11"
                                                             : NULL);
  if (sdl->SDL_Init(SDL_INIT_VIDEO) < 0) {
    snprintf(why, len, "%s", sdl->SDL_GetError());
    sdl->SDL_Quit();
    return NULL;
  }
  const char *driver = sdl->SDL_GetCurrentVideoDriver();
  if (!driver || strcmp(driver, "dummy") == 0 ||
      strcmp(driver, "offscreen") == 0) {
    snprintf(why, len, "no display (SDL video driver %s)",
             driver ? driver : "none");
    sdl->SDL_Quit();
    return NULL;
  }
  struct sdl_window *w = calloc(1, sizeof *w);
  struct fb_shared *r = fb_regs();
  if (!w) {
    snprintf(why, len, "out of memory");
    return NULL;
  }
  w->window = sdl->SDL_CreateWindow("emu /dev/fb0", SDL_WINDOWPOS_UNDEFINED,
                                    SDL_WINDOWPOS_UNDEFINED, (int)r->var.xres,
                                    (int)r->var.yres, SDL_WINDOW_RESIZABLE);
  if (w->window)
    w->renderer = sdl->SDL_CreateRenderer(w->window, -1, 0);
  if (w->window && !w->renderer)
    w->renderer = sdl->SDL_CreateRenderer(w->window, -1, SDL_RENDERER_SOFTWARE);
  if (!w->renderer) {
    snprintf(why, len, "%s", sdl->SDL_GetError());
    if (w->window)
      sdl->SDL_DestroyWindow(w->window);
    free(w);
    sdl->SDL_Quit();
    return NULL;
  }
  return w;
}

/* The last frame again (the window was resized or uncovered). */
static void redraw(struct sdl_window *w) {
  sdl->SDL_SetRenderDrawColor(w->renderer, 0, 0, 0, 255);
  sdl->SDL_RenderClear(w->renderer);
  if (w->texture && !w->blank)
    sdl->SDL_RenderCopy(w->renderer, w->texture, NULL, NULL);
  sdl->SDL_RenderPresent(w->renderer);
}

void sdl_window_present(struct sdl_window *w, const uint8_t *pixels,
                        uint32_t pitch, uint32_t xres, uint32_t yres,
                        uint32_t bpp, bool blank) {
  if (!w->texture || w->width != xres || w->height != yres || w->bpp != bpp) {
    if (w->texture)
      sdl->SDL_DestroyTexture(w->texture);
    w->texture = sdl->SDL_CreateTexture(
        w->renderer,
        bpp == 16 ? SDL_PIXELFORMAT_RGB565 : SDL_PIXELFORMAT_RGB888,
        SDL_TEXTUREACCESS_STREAMING, (int)xres, (int)yres);
    w->width = xres;
    w->height = yres;
    w->bpp = bpp;
    sdl->SDL_RenderSetLogicalSize(w->renderer, (int)xres, (int)yres);
  }
  if (w->texture && !blank)
    sdl->SDL_UpdateTexture(w->texture, NULL, pixels, (int)pitch);
  w->blank = blank;
  redraw(w);
}

static void report(int kind, uint16_t type, uint16_t code, int32_t value) {
  evdev_event(NULL, kind, type, code, value);
  evdev_event(NULL, kind, EV_SYN, SYN_REPORT, 0);
}

static int button_code(uint8_t button) {
  switch (button) {
  case SDL_BUTTON_LEFT: return BTN_LEFT;
  case SDL_BUTTON_MIDDLE: return BTN_MIDDLE;
  case SDL_BUTTON_RIGHT: return BTN_RIGHT;
  default: return 0;
  }
}

bool sdl_window_pump(struct sdl_window *w) {
  SDL_Event e;
  bool open = true;
  while (sdl->SDL_PollEvent(&e)) {
    switch (e.type) {
    case SDL_QUIT: open = false; break;
    case SDL_WINDOWEVENT:
      if (e.window.event == SDL_WINDOWEVENT_EXPOSED ||
          e.window.event == SDL_WINDOWEVENT_SIZE_CHANGED)
        redraw(w);
      break;
    case SDL_KEYDOWN:
    case SDL_KEYUP: {
      int code = keymap_linux_key(e.key.keysym.scancode);
      if (code)
        report(DEV_KEYBOARD, EV_KEY, (uint16_t)code,
               e.type == SDL_KEYUP ? 0
               : e.key.repeat      ? 2
                                   : 1);
      break;
    }
    case SDL_MOUSEMOTION:
      /* In screen pixels: SDL scales motion to the logical size. */
      evdev_event(NULL, DEV_MOUSE, EV_REL, REL_X, e.motion.xrel);
      evdev_event(NULL, DEV_MOUSE, EV_REL, REL_Y, e.motion.yrel);
      evdev_event(NULL, DEV_MOUSE, EV_SYN, SYN_REPORT, 0);
      break;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP: {
      int code = button_code(e.button.button);
      if (code)
        report(DEV_MOUSE, EV_KEY, (uint16_t)code,
               e.type == SDL_MOUSEBUTTONDOWN);
      break;
    }
    case SDL_MOUSEWHEEL: report(DEV_MOUSE, EV_REL, REL_WHEEL, e.wheel.y); break;
    }
  }
  return open;
}

/* SDL itself stays initialised until the process ends: SDL_Quit would
 * unload Xlib, whose own leftovers LeakSanitizer could then not name
 * (nor suppress). */
void sdl_window_close(struct sdl_window *w) {
  if (w->texture)
    sdl->SDL_DestroyTexture(w->texture);
  sdl->SDL_DestroyRenderer(w->renderer);
  sdl->SDL_DestroyWindow(w->window);
  free(w);
}
