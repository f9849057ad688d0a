/* --screenshot's file: a Windows BMP (BITMAPINFOHEADER, 24 bits per
 * pixel, rows bottom-up and padded to 4 bytes), which every image tool
 * reads and a test can check byte by byte. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devices.h"

static void put16(uint8_t *b, uint16_t v) {
  b[0] = (uint8_t)v;
  b[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *b, uint32_t v) {
  put16(b, (uint16_t)v);
  put16(b + 2, (uint16_t)(v >> 16));
}

/* One pixel of the framebuffer as 8-bit blue, green, red. */
static void to_bgr(const uint8_t *px, uint32_t bpp, uint8_t out[3]) {
  if (bpp == 16) { /* RGB565: expand each channel to 8 bits */
    uint16_t v = (uint16_t)(px[0] | px[1] << 8);
    uint8_t r = v >> 11, g = (v >> 5) & 63, b = v & 31;
    out[0] = (uint8_t)(b << 3 | b >> 2);
    out[1] = (uint8_t)(g << 2 | g >> 4);
    out[2] = (uint8_t)(r << 3 | r >> 2);
  } else { /* XRGB8888, little-endian: B, G, R, X */
    memcpy(out, px, 3);
  }
}

int bmp_write(const char *path, const uint8_t *pixels, uint32_t pitch,
              uint32_t xres, uint32_t yres, uint32_t bpp) {
  uint32_t row = (xres * 3 + 3) & ~3u;
  uint32_t size = 54 + row * yres;
  uint8_t head[54] = {'B', 'M'};
  put32(head + 2, size);
  put32(head + 10, 54); /* pixel data offset */
  put32(head + 14, 40); /* BITMAPINFOHEADER */
  put32(head + 18, xres);
  put32(head + 22, yres); /* positive: bottom-up */
  put16(head + 26, 1);    /* planes */
  put16(head + 28, 24);
  put32(head + 34, row * yres);
  put32(head + 38, 2835); /* 72 dpi */
  put32(head + 42, 2835);
  FILE *f = fopen(path, "wb");
  if (!f)
    return -errno;
  uint8_t *line = calloc(1, row);
  bool ok = line && fwrite(head, sizeof head, 1, f) == 1;
  for (uint32_t y = yres; ok && y-- > 0;) {
    const uint8_t *src = pixels + (uint64_t)y * pitch;
    for (uint32_t x = 0; x < xres; x++)
      to_bgr(src + (uint64_t)x * (bpp / 8), bpp, line + 3 * x);
    ok = fwrite(line, row, 1, f) == 1;
  }
  free(line);
  if (fclose(f) != 0)
    ok = false;
  return ok ? 0 : -EIO;
}
