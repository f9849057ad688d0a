/* Modes of the framebuffer: the fbdev core's rules (fbmem.c) around a
 * driver that scans out 16-bit RGB565 or 32-bit XRGB8888 from its video
 * memory, with a pannable virtual screen (xpanstep = ypanstep = 1, no
 * y-wrap), as simple fbdev and DRM fbdev-emulation drivers do. */
#include "fb_mode.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

/* The blanking of VESA's 640x480@60 mode (DMT), kept for every size: the
 * pixel clock is chosen so that the frame rate is FB_REFRESH_HZ. */
enum {
  LEFT_MARGIN = 48,
  RIGHT_MARGIN = 16,
  HSYNC_LEN = 96,
  UPPER_MARGIN = 33,
  LOWER_MARGIN = 10,
  VSYNC_LEN = 2
};

static void set_layout(struct fb_var_screeninfo *var) {
  static const struct fb_bitfield none = {0, 0, 0};
  if (var->bits_per_pixel == 16) { /* RGB565 */
    var->red = (struct fb_bitfield){11, 5, 0};
    var->green = (struct fb_bitfield){5, 6, 0};
    var->blue = (struct fb_bitfield){0, 5, 0};
  } else { /* XRGB8888 */
    var->red = (struct fb_bitfield){16, 8, 0};
    var->green = (struct fb_bitfield){8, 8, 0};
    var->blue = (struct fb_bitfield){0, 8, 0};
  }
  var->transp = none;
}

void fb_mode_default(struct fb_var_screeninfo *var, uint32_t width,
                     uint32_t height, uint32_t bpp) {
  memset(var, 0, sizeof *var);
  var->xres = var->xres_virtual = width;
  var->yres = height;
  var->yres_virtual = 2 * height;
  var->bits_per_pixel = bpp;
  set_layout(var);
  var->height = var->width = UINT32_MAX; /* size in mm unknown: -1 */
  var->left_margin = LEFT_MARGIN;
  var->right_margin = RIGHT_MARGIN;
  var->hsync_len = HSYNC_LEN;
  var->upper_margin = UPPER_MARGIN;
  var->lower_margin = LOWER_MARGIN;
  var->vsync_len = VSYNC_LEN;
  uint64_t htotal = width + LEFT_MARGIN + RIGHT_MARGIN + HSYNC_LEN;
  uint64_t vtotal = height + UPPER_MARGIN + LOWER_MARGIN + VSYNC_LEN;
  /* picoseconds per pixel */
  var->pixclock =
      (uint32_t)(1000000000000ull / (htotal * vtotal * FB_REFRESH_HZ));
  var->vmode = FB_VMODE_NONINTERLACED;
}

uint32_t fb_line_length(const struct fb_var_screeninfo *var) {
  return var->xres_virtual * (var->bits_per_pixel / 8);
}

int fb_check_var(struct fb_var_screeninfo *var, uint64_t smem_len) {
  if (var->bits_per_pixel != 16 && var->bits_per_pixel != 32)
    return -EINVAL;
  if (var->grayscale || var->nonstd || var->rotate)
    return -EINVAL;
  if (var->vmode & FB_VMODE_YWRAP) /* ywrapstep is 0 */
    return -EINVAL;
  if (var->xres_virtual < var->xres)
    var->xres_virtual = var->xres;
  if (var->yres_virtual < var->yres)
    var->yres_virtual = var->yres;
  if (var->xoffset > var->xres_virtual - var->xres ||
      var->yoffset > var->yres_virtual - var->yres)
    return -EINVAL;
  uint64_t bytes = (uint64_t)var->xres_virtual * (var->bits_per_pixel / 8) *
                   var->yres_virtual;
  if (bytes > smem_len)
    return -EINVAL;
  set_layout(var);
  return 0;
}

static bool mul_overflows(uint32_t a, uint32_t b) {
  return b && a > UINT32_MAX / b;
}

int fb_set_var(struct fb_var_screeninfo *cur, struct fb_var_screeninfo *var,
               uint64_t smem_len) {
  if (!(var->activate & FB_ACTIVATE_FORCE) &&
      memcmp(cur, var, sizeof *var) == 0)
    return 0;
  /* bitfill_aligned() assumes at least 8x8; the products must fit. */
  if (var->xres < 8 || var->yres < 8)
    return -EINVAL;
  if (mul_overflows(var->xres, var->yres) ||
      mul_overflows(var->xres_virtual, var->yres_virtual))
    return -EINVAL;
  int r = fb_check_var(var, smem_len);
  if (r)
    return r;
  if ((var->activate & FB_ACTIVATE_MASK) != FB_ACTIVATE_NOW)
    return 0; /* FB_ACTIVATE_TEST and friends: validated only */
  *cur = *var;
  fb_pan_display(cur, cur);
  return 0;
}

int fb_pan_display(struct fb_var_screeninfo *cur,
                   const struct fb_var_screeninfo *req) {
  /* ypanstep = xpanstep = 1, ywrapstep = 0 */
  if (req->yoffset > 0 && (req->vmode & FB_VMODE_YWRAP))
    return -EINVAL;
  if (req->yoffset > cur->yres_virtual - cur->yres ||
      req->xoffset > cur->xres_virtual - cur->xres)
    return -EINVAL;
  cur->xoffset = req->xoffset;
  cur->yoffset = req->yoffset;
  if (req->vmode & FB_VMODE_YWRAP)
    cur->vmode |= FB_VMODE_YWRAP;
  else
    cur->vmode &= ~FB_VMODE_YWRAP;
  return 0;
}

void fb_fix_info(const struct fb_var_screeninfo *var, uint64_t smem_start,
                 uint64_t smem_len, struct fb_fix_screeninfo *fix) {
  memset(fix, 0, sizeof *fix);
  strncpy(fix->id, FB_ID, sizeof fix->id);
  fix->smem_start = smem_start;
  fix->smem_len = (uint32_t)smem_len;
  fix->type = FB_TYPE_PACKED_PIXELS;
  fix->visual = FB_VISUAL_TRUECOLOR;
  fix->xpanstep = 1;
  fix->ypanstep = 1;
  fix->ywrapstep = 0;
  fix->line_length = fb_line_length(var);
  fix->accel = FB_ACCEL_NONE;
}
