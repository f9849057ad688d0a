/* Double-precision arithmetic through SSE2 (addsd mulsd divsd subsd
 * sqrtsd ucomisd comisd cvtsi2sd cvttsd2si ...) and libm's baseline
 * routines. Results are printed exactly (%a and %.17g). */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>

static volatile const double inputs[] = {
    0.0,  -0.0,      1.0,   -1.0,    0.5, 3.25,      -7.75,
    1e-3, 12345.678, 1e300, -1e-300, 0.1, 2.0 / 3.0, 1e16};
#define N (sizeof inputs / sizeof inputs[0])

int main(void) {
  for (unsigned i = 0; i < N; i++) {
    double a = inputs[i], b = inputs[(i * 5 + 3) % N];
    printf("%a %a %a", a + b, a - b, a * b);
    if (b != 0)
      printf(" %a", a / b);
    printf(" %d%d%d%d\n", a < b, a <= b, a == b, a != b);
  }
  for (unsigned i = 0; i < N; i++) {
    double a = inputs[i];
    long long t = (fabs(a) < 9e18) ? (long long)a : 0;
    int ti = (fabs(a) < 2e9) ? (int)a : 0;
    float f = (float)a;
    printf("%.17g trunc %lld %d float %a back %a sqrt %a\n", a, t, ti,
           (double)f, (double)(float)(f * 3.0f), sqrt(fabs(a)));
  }
  for (long long v = -3; v <= 3; v++)
    printf("%lld -> %a %a\n", v * 1000000007LL, (double)(v * 1000000007LL),
           (double)(unsigned long long)(v * 1000000007LL));
  printf("rounding: %.0f %.0f %.0f %.0f\n", rint(0.5), rint(1.5), rint(2.5),
         rint(-0.5));
  printf("floor/ceil: %g %g %g %g\n", floor(-1.5), ceil(-1.5), floor(2.7),
         ceil(2.2));
  printf("fmod %a remainder %a\n", fmod(10.0, 3.3), remainder(10.0, 3.3));
  printf("exp %.17g log %.17g pow %.17g\n", exp(1.0), log(10.0), pow(2.0, 0.5));
  printf("sin %.17g cos %.17g atan2 %.17g\n", sin(1.0), cos(1.0),
         atan2(1.0, -1.0));
  printf("hypot %.17g cbrt %.17g\n", hypot(3.0, 4.0), cbrt(27.0));
  volatile double zero = 0.0;
  printf("1/0 %f -1/0 %f 0/0 nan? %d\n", 1.0 / zero, -1.0 / zero,
         isnan(zero / zero));
  printf("denormal %a min*0.5 %a\n", DBL_MIN / 4, DBL_MIN * 0.5);
  double sum = 0;
  for (int i = 1; i <= 100000; i++)
    sum += 1.0 / ((double)i * i);
  printf("basel %.17g\n", sum);
  float fs = 0;
  for (int i = 1; i <= 1000; i++)
    fs += 1.0f / (float)i;
  printf("harmonic float %a\n", (double)fs);
  return 0;
}
