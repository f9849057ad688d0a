/* The x87 through long double: printf %Lf/%La/%Le, arithmetic at 64-bit
 * precision, the conversions, and transcendental functions from libm
 * that glibc implements with x87 instructions (fsin, fpatan, fyl2x...). */
#include <math.h>
#include <stdio.h>

int main(void) {
  volatile long double third = 1.0L / 3.0L, big = 1e4000L, tiny = 1e-4000L;
  printf("%.21Lf\n%La\n%Le\n", third, third, big * tiny);
  long double acc = 0;
  for (int i = 1; i <= 1000; i++)
    acc += 1.0L / ((long double)i * i);
  printf("zeta2 %.20Lf %La\n", acc, acc);
  printf("sinl %La cosl %La tanl %La\n", sinl(0.5L), cosl(0.5L), tanl(0.5L));
  printf("atan2l %La expl %La logl %La\n", atan2l(1.0L, 3.0L), expl(1.5L),
         logl(10.0L));
  printf("sqrtl %La powl %La fmodl %La\n", sqrtl(2.0L), powl(3.0L, 0.25L),
         fmodl(10.5L, 3.25L));
  printf("rintl %.0Lf lrintl %ld %Lg %Lg\n", rintl(2.5L), lrintl(-3.5L),
         (long double)(unsigned long long)-1, (long double)(long long)-7);
  long double x = 123456789.123456789L;
  printf("%lld %llu %Lg %.3Lf\n", (long long)x, (unsigned long long)(x * 1e6L),
         x / 7, -x);
  return 0;
}
