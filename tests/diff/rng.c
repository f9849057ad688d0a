/* Deterministic randomness for the harness: a sequence is a pure function
 * of (seed, index), and scratch memory a pure function of its seed, so a
 * failure can be replayed from the numbers it prints. */
#include "diff.h"

#include <string.h>

/* splitmix64: each call advances the state by a constant (Steele et al.). */
uint64_t diff_rng(uint64_t *state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

uint64_t diff_mix(uint64_t seed, uint64_t n) {
  uint64_t s = seed ^ (n * 0xd1b54a32d192ed03ull);
  return diff_rng(&s);
}

/* Values on the edges where flags and saturation change. */
uint64_t diff_edge_value(uint64_t *rng) {
  static const uint64_t edges[] = {0,
                                   1,
                                   2,
                                   0x7f,
                                   0x80,
                                   0xff,
                                   0x100,
                                   0x7fff,
                                   0x8000,
                                   0xffff,
                                   0x7fffffff,
                                   0x80000000,
                                   0xffffffff,
                                   0x100000000ull,
                                   0x7fffffffffffffffull,
                                   0x8000000000000000ull,
                                   ~0ull,
                                   ~0ull - 1};
  uint64_t r = diff_rng(rng);
  switch (r % 7) {
  case 0:
  case 1: return diff_rng(rng);
  case 2: return (r >> 8) % 70;
  case 3: return edges[(r >> 8) % (sizeof edges / sizeof edges[0])];
  case 4: return (diff_rng(rng) & ~0xffull) | edges[(r >> 8) % 6];
  case 5: return diff_rng(rng) & 0xffffffff;
  default: return (uint64_t) - (int64_t)((r >> 8) % 70);
  }
}

void diff_fill_memory(uint8_t *mem, uint64_t seed) {
  uint64_t s = seed;
  for (uint64_t at = 0; at < DIFF_DATA_SIZE; at += 8) {
    uint64_t v = diff_edge_value(&s);
    memcpy(mem + at, &v, 8);
  }
}
