/* <math.h> and <fenv.h>: rounding modes, lrint/nearbyint under each,
 * fma, and the exception flags raised by invalid, divide-by-zero,
 * overflow, underflow and inexact operations. */
#include <fenv.h>
#include <math.h>
#include <stdio.h>

static void flags(const char *what) {
  int f = fetestexcept(FE_ALL_EXCEPT);
  printf(
      "%-12s%s%s%s%s%s\n", what, f & FE_INVALID ? " invalid" : "",
      f & FE_DIVBYZERO ? " divbyzero" : "", f & FE_OVERFLOW ? " overflow" : "",
      f & FE_UNDERFLOW ? " underflow" : "", f & FE_INEXACT ? " inexact" : "");
  feclearexcept(FE_ALL_EXCEPT);
}

int main(void) {
  static const int modes[] = {FE_TONEAREST, FE_DOWNWARD, FE_UPWARD,
                              FE_TOWARDZERO};
  static const char *names[] = {"nearest", "down", "up", "zero"};
  volatile double v[] = {2.5, -2.5, 3.7, -0.5, 1e300};
  for (int m = 0; m < 4; m++) {
    fesetround(modes[m]);
    printf("%-8s", names[m]);
    for (int k = 0; k < 4; k++)
      printf(" %ld/%g/%a", lrint(v[k]), nearbyint(v[k]), v[k] / 3.0);
    printf(" %a %a\n", 1.0 / 3.0f, (double)(float)(1.0 / 3.0));
  }
  fesetround(FE_TONEAREST);
  printf("sin %a exp %a pow %a log1p %a cbrt %a\n", sin(1.0), exp(0.7),
         pow(2.5, 3.3), log1p(1e-10), cbrt(27.5));
  printf("fma %a %a\n", fma(0.1, 10.0, -1.0), fma(1e308, 10.0, -1e308));
  feclearexcept(FE_ALL_EXCEPT);
  volatile double zero = 0.0, one = 1.0, huge = 1e308, small = 1e-308;
  volatile double r;
  r = zero / zero;
  flags("0/0");
  r = one / zero;
  flags("1/0");
  r = huge * 10;
  flags("overflow");
  r = small / 1e10;
  flags("underflow");
  r = one / 3;
  flags("1/3");
  r = sqrt(-one);
  flags("sqrt(-1)");
  (void)r;
  return 0;
}
