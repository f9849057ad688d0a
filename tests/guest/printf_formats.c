/* printf of integers, strings, characters and doubles through glibc's
 * formatter: the conversions, flags, widths and precisions programs use. */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>

static void integers(void) {
  static const long long values[] = {0,
                                     1,
                                     -1,
                                     42,
                                     -42,
                                     255,
                                     256,
                                     65535,
                                     INT_MAX,
                                     INT_MIN,
                                     LLONG_MAX,
                                     LLONG_MIN,
                                     1234567890123LL};
  for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
    long long v = values[i];
    printf("%d|%i|%u|%x|%X|%o|%#x|%#o\n", (int)v, (int)v, (unsigned)v,
           (unsigned)v, (unsigned)v, (unsigned)v, (unsigned)v, (unsigned)v);
    printf("%lld|%llu|%llx|%20lld|%-20lld|%020lld|%+lld|% lld\n", v,
           (unsigned long long)v, (unsigned long long)v, v, v, v, v, v);
    printf("%hhd|%hhu|%hd|%hu|%ld|%zu|%jd\n", (signed char)v, (unsigned char)v,
           (short)v, (unsigned short)v, (long)v, (size_t)v, (intmax_t)v);
    printf("%.0d|%.5d|%8.3d|%-8.3x|\n", (int)v, (int)v, (int)v, (unsigned)v);
  }
  printf("%p %p\n", (void *)0, (void *)0x1234);
  printf("[%*d] [%-*d] [%.*d]\n", 6, 42, 6, 42, 4, 7);
}

static void strings(void) {
  const char *s = "emulator";
  printf("[%s] [%10s] [%-10s] [%.3s] [%10.3s] [%-10.3s]\n", s, s, s, s, s, s);
  printf("[%c] [%3c] [%-3c] [%%]\n", 'x', 'y', 'z');
  printf("[%s]\n", "");
  char buf[64];
  int n = snprintf(buf, sizeof buf, "%s-%d-%s", "a", 12345, "tail");
  printf("snprintf: %d [%s]\n", n, buf);
  /* Through a volatile pointer: gcc would warn about the truncation that
   * is the point of this line. */
  const char *volatile long_text = "truncated string";
  n = snprintf(buf, 8, "%s", long_text);
  printf("snprintf truncated: %d [%s]\n", n, buf);
}

static void doubles(void) {
  static const double values[] = {
      0.0,           -0.0,      1.0,       -1.5,
      0.1,           1.0 / 3.0, 2.0 / 3.0, 3.141592653589793,
      123456789.125, 1e-10,     1e22,      1e300,
      -2.5e-300,     DBL_MAX,   DBL_MIN,   4.9406564584124654e-324,
      0.5,           1.5,       2.5,       1e15 + 0.3};
  for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
    double v = values[i];
    printf("%f|%.2f|%.0f|%e|%.3E|%g|%G|%.17g|%a\n", v, v, v, v, v, v, v, v, v);
    printf("[%12.4f] [%-12.4f] [%+.3e] [%012.3f] [%#.0f] [%#g]\n", v, v, v, v,
           v, v);
  }
  printf("%f %f %f %e %g\n", INFINITY, -INFINITY, NAN, INFINITY, -NAN);
  printf("%5.1f%%\n", 99.95);
  float f = 0.1f;
  printf("%f %.10f %g\n", f, f, (double)f * 3);
}

int main(void) {
  integers();
  strings();
  doubles();
  return 0;
}
