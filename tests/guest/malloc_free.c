/* malloc/calloc/realloc/free: small chunks (tcache and fastbins), large
 * ones (mmap'd above the threshold), frees in scrambled order, and a
 * checksum of contents so lost or corrupted data shows. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT 2000

static uint32_t rng_state = 12345;
static uint32_t rng(void) {
  rng_state = rng_state * 1103515245u + 12345u;
  return rng_state >> 8;
}

int main(void) {
  static unsigned char *blocks[COUNT];
  static size_t sizes[COUNT];
  uint64_t sum = 0;

  for (int i = 0; i < COUNT; i++) {
    sizes[i] = 1 + rng() % (i % 50 == 0 ? 200000 : 512);
    blocks[i] = malloc(sizes[i]);
    if (!blocks[i]) {
      printf("malloc failed at %d\n", i);
      return 1;
    }
    if ((uintptr_t)blocks[i] % 16 != 0) {
      printf("misaligned block %d\n", i);
      return 1;
    }
    memset(blocks[i], i & 0xff, sizes[i]);
  }
  /* Free every third block, then reallocate them with other sizes. */
  for (int i = 0; i < COUNT; i += 3) {
    free(blocks[i]);
    sizes[i] = 1 + rng() % 1024;
    blocks[i] = calloc(1, sizes[i]);
    for (size_t j = 0; j < sizes[i]; j++)
      if (blocks[i][j] != 0) {
        printf("calloc block %d not zero\n", i);
        return 1;
      }
    memset(blocks[i], i & 0xff, sizes[i]);
  }
  /* Grow and shrink with realloc; contents must survive. */
  for (int i = 1; i < COUNT; i += 7) {
    size_t old = sizes[i];
    size_t now = old * 3 + rng() % 4096;
    blocks[i] = realloc(blocks[i], now);
    memset(blocks[i] + old, i & 0xff, now - old);
    sizes[i] = now;
    if (i % 2) {
      sizes[i] = now / 2 + 1;
      blocks[i] = realloc(blocks[i], sizes[i]);
    }
  }
  for (int i = 0; i < COUNT; i++)
    for (size_t j = 0; j < sizes[i]; j++) {
      if (blocks[i][j] != (i & 0xff)) {
        printf("block %d byte %zu corrupted\n", i, j);
        return 1;
      }
      sum += blocks[i][j];
    }
  printf("checksum %llu\n", (unsigned long long)sum);
  /* Free in a scrambled order. */
  for (int k = 0; k < COUNT; k++) {
    int i = (int)((k * 7919u) % COUNT);
    free(blocks[i]);
  }
  void *big = malloc(32 << 20);
  memset(big, 1, 32 << 20);
  free(big);
  printf("free(NULL) ok\n");
  free(NULL);
  printf("done\n");
  return 0;
}
