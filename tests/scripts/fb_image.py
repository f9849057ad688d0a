#!/usr/bin/env python3
"""Pictures of the display tests: emu's --screenshot BMPs and xwd's
captures of an X screen, read with the standard library only.

  fb_image.py draw BMP            the picture tests/emu_only/fb_draw.c
                                  draws, checked pixel by pixel
  fb_image.py pixel BMP X Y       print the pixel's "R G B"
  fb_image.py colours BMP         print how many distinct colours
  fb_image.py window XWD BMP      find the BMP's picture in the X screen
                                  capture; print where and how many
                                  pixels differ
  fb_image.py png IN OUT          a BMP or XWD file as a PNG
"""
import struct
import sys
import zlib


def read_bmp(path):
    """Width, height and rows of (r, g, b) tuples, top row first."""
    d = open(path, 'rb').read()
    if d[:2] != b'BM':
        raise SystemExit(f'{path}: not a BMP')
    off, = struct.unpack_from('<I', d, 10)
    w, h = struct.unpack_from('<ii', d, 18)
    bpp, = struct.unpack_from('<H', d, 28)
    if bpp != 24 or h <= 0:
        raise SystemExit(f'{path}: not a bottom-up 24-bit BMP')
    stride = (w * 3 + 3) & ~3
    rows = []
    for y in range(h):
        base = off + (h - 1 - y) * stride
        r = d[base:base + 3 * w]
        rows.append([(r[3 * i + 2], r[3 * i + 1], r[3 * i]) for i in range(w)])
    return w, h, rows


def read_xwd(path):
    """An xwd -root capture (ZPixmap, LSB first, 24 or 32 bits a pixel)."""
    d = open(path, 'rb').read()
    h = struct.unpack_from('>25I', d, 0)
    header, w, hgt, order, bpp, bpl, ncolors = h[0], h[4], h[5], h[7], h[11], \
        h[12], h[19]
    if order != 0:
        raise SystemExit(f'{path}: not LSB first')
    off = header + ncolors * 12
    step = (bpp + 7) // 8
    rows = []
    for y in range(hgt):
        r = d[off + y * bpl:off + y * bpl + w * step]
        rows.append([(r[step * i + 2], r[step * i + 1], r[step * i])
                     for i in range(w)])
    return w, hgt, rows


def read_any(path):
    with open(path, 'rb') as f:
        magic = f.read(2)
    return read_bmp(path) if magic == b'BM' else read_xwd(path)


def expand(v, bits):
    """An 8-bit channel kept to `bits` bits and widened again, as the
    RGB565 mode stores it and the screenshot expands it."""
    v >>= 8 - bits
    return (v << (8 - bits)) | (v >> (2 * bits - 8)) if bits < 8 else v


def draw_expected(x, y, w, h, depth):
    if y == 10:
        rgb = (0, 0, 255)
    elif 20 <= x < 30 and 20 <= y < 30:
        rgb = (255, 0, 0)
    else:
        rgb = (x * 255 // (w - 1), y * 255 // (h - 1), (x ^ y) & 255)
    if depth == 16:
        return (expand(rgb[0], 5), expand(rgb[1], 6), expand(rgb[2], 5))
    return rgb


def cmd_draw(path, depth):
    w, h, rows = read_bmp(path)
    bad = 0
    for y in range(h):
        for x in range(w):
            want = draw_expected(x, y, w, h, int(depth))
            if rows[y][x] != want:
                if bad < 5:
                    print(f'pixel {x},{y}: {rows[y][x]}, expected {want}')
                bad += 1
    print(f'{w}x{h}: {bad} pixels differ')
    return 1 if bad else 0


def cmd_window(xwd_path, bmp_path):
    sw, sh, screen = read_xwd(xwd_path)
    w, h, pic = read_bmp(bmp_path)
    # The window's place: where the picture's first row starts.
    first = pic[0]
    for top in range(sh - h + 1):
        row = screen[top]
        for left in range(sw - w + 1):
            if row[left:left + 8] == first[:8] and row[left:left + w] == first:
                bad = sum(1 for y in range(h) for x in range(w)
                          if screen[top + y][left + x] != pic[y][x])
                print(f'picture at {left},{top} of {sw}x{sh}: '
                      f'{bad} of {w * h} pixels differ')
                return 1 if bad else 0
    print(f'the picture is not on the {sw}x{sh} screen')
    return 1


def write_png(path, rows):
    raw = b''.join(b'\0' + bytes(c for px in r for c in px) for r in rows)

    def chunk(kind, data):
        return struct.pack('>I', len(data)) + kind + data + \
            struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff)
    with open(path, 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n')
        f.write(chunk(b'IHDR', struct.pack('>IIBBBBB', len(rows[0]),
                                           len(rows), 8, 2, 0, 0, 0)))
        f.write(chunk(b'IDAT', zlib.compress(raw, 9)))
        f.write(chunk(b'IEND', b''))


def main(argv):
    if len(argv) >= 3 and argv[1] == 'draw':
        return cmd_draw(argv[2], argv[3] if len(argv) > 3 else 32)
    if len(argv) == 5 and argv[1] == 'pixel':
        _, _, rows = read_bmp(argv[2])
        print(*rows[int(argv[4])][int(argv[3])])
        return 0
    if len(argv) == 3 and argv[1] == 'colours':
        _, _, rows = read_bmp(argv[2])
        print(len({px for r in rows for px in r}))
        return 0
    if len(argv) == 4 and argv[1] == 'window':
        return cmd_window(argv[2], argv[3])
    if len(argv) == 4 and argv[1] == 'png':
        write_png(argv[3], read_any(argv[2])[2])
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
