/* A table-driven CRC-32 and an FNV-1a hash over a pseudo-random buffer. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  size_t n = argc > 1 ? (size_t)atol(argv[1]) : 4u << 20;
  int rounds = argc > 2 ? atoi(argv[2]) : 4;
  uint32_t table[256];
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++)
      c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  uint8_t *buf = malloc(n);
  uint32_t x = 12345;
  for (size_t i = 0; i < n; i++) {
    x = x * 1103515245u + 12345u;
    buf[i] = (uint8_t)(x >> 16);
  }
  uint32_t crc = 0;
  uint64_t fnv = 0;
  for (int r = 0; r < rounds; r++) {
    crc = 0xffffffffu;
    fnv = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) {
      crc = table[(crc ^ buf[i]) & 0xff] ^ (crc >> 8);
      fnv = (fnv ^ buf[i]) * 0x100000001b3ull;
    }
  }
  printf("crc32 %08x fnv1a %016llx\n", crc ^ 0xffffffffu,
         (unsigned long long)fnv);
  free(buf);
  return 0;
}
