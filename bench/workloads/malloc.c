/* malloc/free churn of mixed sizes, with a working set that moves. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 2000000;
  enum { SLOTS = 4096 };
  static void *slot[SLOTS];
  unsigned x = 7;
  unsigned long touched = 0;
  for (long i = 0; i < n; i++) {
    x = x * 1103515245u + 12345u;
    unsigned k = (x >> 8) % SLOTS;
    free(slot[k]);
    size_t size = 8 + (x >> 20) % 1024;
    slot[k] = malloc(size);
    memset(slot[k], (int)i, size < 64 ? size : 64);
    touched += size;
  }
  for (int k = 0; k < SLOTS; k++)
    free(slot[k]);
  printf("allocated %lu bytes\n", touched);
  return 0;
}
