/* glibc's string functions on large buffers: memset, memcpy, memmove,
 * memchr, strlen, memcmp, strchr. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  size_t n = argc > 1 ? (size_t)atol(argv[1]) : 8u << 20;
  int rounds = argc > 2 ? atoi(argv[2]) : 8;
  char *a = malloc(n + 64), *b = malloc(n + 64);
  unsigned long sum = 0;
  for (int r = 0; r < rounds; r++) {
    memset(a, 'a' + r % 26, n);
    a[n] = 0;
    memcpy(b, a, n + 1);
    memmove(b + 17, b, n / 2);
    sum += strlen(a);
    sum += (unsigned long)(memchr(a, 0, n + 1) != NULL);
    sum += (unsigned long)(memcmp(a, b, n) != 0);
    sum += (unsigned long)(strchr(b, 'z' + 1) == NULL);
  }
  printf("checksum %lu\n", sum);
  free(a);
  free(b);
  return 0;
}
