/* Recursive functions: deep call chains, mutual recursion and many
 * arguments, so calls, returns, the stack and its growth are exercised. */
#include <stdio.h>

static long fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static unsigned long ackermann(unsigned long m, unsigned long n) {
  if (m == 0)
    return n + 1;
  if (n == 0)
    return ackermann(m - 1, 1);
  return ackermann(m - 1, ackermann(m, n - 1));
}

static long moves;
static void hanoi(int n, int from, int to, int via) {
  if (n == 0)
    return;
  hanoi(n - 1, from, via, to);
  moves++;
  hanoi(n - 1, via, to, from);
}

static int is_odd(unsigned n);
static int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
static int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }

/* Deep recursion with a frame that is not tiny: grows the stack by a few
 * MiB, below the initial stack VMA (Linux grows it on the fault). */
static long deep(int n, volatile char *prev) {
  volatile char frame[200];
  frame[0] = (char)n;
  frame[199] = prev ? prev[0] : 0;
  if (n == 0)
    return frame[0] + frame[199];
  return deep(n - 1, frame) + frame[0];
}

static long many_args(long a, long b, long c, long d, long e, long f, long g,
                      long h, long i, long j) {
  if (a <= 0)
    return b + c + d + e + f + g + h + i + j;
  return many_args(a - 1, b + 1, c * 2 % 1000, d - 3, e, f ^ a, g, h + a, i,
                   j - 1);
}

int main(void) {
  printf("fib(27) = %ld\n", fib(27));
  printf("ackermann(2, 3) = %lu, ackermann(3, 5) = %lu\n", ackermann(2, 3),
         ackermann(3, 5));
  hanoi(16, 1, 3, 2);
  printf("hanoi(16) moves = %ld\n", moves);
  printf("is_even(10001) = %d\n", is_even(10001));
  printf("deep(20000) = %ld\n", deep(20000, 0));
  printf("many_args = %ld\n", many_args(1000, 1, 2, 3, 4, 5, 6, 7, 8, 9));
  return 0;
}
