/* Integer work: sieve of Eratosthenes over N numbers, repeated. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 2000000;
  int rounds = argc > 2 ? atoi(argv[2]) : 5;
  char *composite = malloc((size_t)n + 1);
  long count = 0;
  for (int r = 0; r < rounds; r++) {
    memset(composite, 0, (size_t)n + 1);
    count = 0;
    for (long i = 2; i <= n; i++) {
      if (composite[i])
        continue;
      count++;
      for (long j = i * i; j <= n; j += i)
        composite[j] = 1;
    }
  }
  printf("primes below %ld: %ld\n", n, count);
  free(composite);
  return 0;
}
