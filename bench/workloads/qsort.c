/* qsort of N pseudo-random ints through glibc's comparison callbacks. */
#include <stdio.h>
#include <stdlib.h>

static int cmp(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  size_t n = argc > 1 ? (size_t)atol(argv[1]) : 1000000;
  int *v = malloc(n * sizeof *v);
  unsigned x = 1;
  for (size_t i = 0; i < n; i++) {
    x = x * 1664525u + 1013904223u;
    v[i] = (int)(x >> 1);
  }
  qsort(v, n, sizeof *v, cmp);
  unsigned long check = 0;
  for (size_t i = 0; i < n; i += n / 100 + 1)
    check = check * 31 + (unsigned)v[i];
  printf("sorted %zu, check %lu\n", n, check);
  free(v);
  return 0;
}
