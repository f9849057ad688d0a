/* The framebuffer's modes, as Linux's fbdev core (drivers/video/fbdev/
 * core/fbmem.c: fb_set_var, fb_pan_display) and a driver's check_var
 * decide them. Pure functions of the device's registers, so that they
 * can be tested without a process (tests/unit/test_fb_mode.c). */
#ifndef EMU_FB_MODE_H
#define EMU_FB_MODE_H

#include <linux/fb.h>
#include <stdint.h>

#define FB_ID "emufb"
/* The refresh rate the mode's timings give and the display runs at. */
#define FB_REFRESH_HZ 60

/* The mode emu starts with: width x height at bpp (16 or 32), a virtual
 * height of twice the height (double buffering by FBIOPAN_DISPLAY), the
 * channel layout the depth has and timings for 60 Hz. */
void fb_mode_default(struct fb_var_screeninfo *var, uint32_t width,
                     uint32_t height, uint32_t bpp);
/* The driver's check_var: adjusts *var to what the device does (channel
 * layout, virtual size at least the visible one) or refuses it with
 * -EINVAL: a depth other than 16 or 32 bits, grayscale or a FOURCC,
 * y-wrap or rotation, offsets past the virtual size, more memory than
 * smem_len. */
int fb_check_var(struct fb_var_screeninfo *var, uint64_t smem_len);
/* FBIOPUT_VSCREENINFO (fb_set_var): validates *var, writes back what was
 * chosen, and unless only testing (activate) makes it the mode *cur,
 * panned to its offsets. 0 or -EINVAL. */
int fb_set_var(struct fb_var_screeninfo *cur, struct fb_var_screeninfo *var,
               uint64_t smem_len);
/* FBIOPAN_DISPLAY (fb_pan_display): the offsets of *req into *cur, or
 * -EINVAL. */
int fb_pan_display(struct fb_var_screeninfo *cur,
                   const struct fb_var_screeninfo *req);
/* Bytes per line of the virtual screen. */
uint32_t fb_line_length(const struct fb_var_screeninfo *var);
/* FBIOGET_FSCREENINFO for this mode. */
void fb_fix_info(const struct fb_var_screeninfo *var, uint64_t smem_start,
                 uint64_t smem_len, struct fb_fix_screeninfo *fix);

#endif
