/* setjmp/longjmp: values passed back, a jump out of deep recursion,
 * nested jump buffers, and locals that must survive (volatile).
 * glibc mangles the saved rsp/rbp/rip with a pointer guard from the TCB
 * (fs:0x30), so this also checks FS-relative addressing. */
#include <setjmp.h>
#include <stdio.h>

static jmp_buf outer, inner;
static int depth_reached;

static void dive(int depth) {
  depth_reached = depth;
  if (depth == 500)
    longjmp(outer, depth);
  if (depth < 1000)
    dive(depth + 1);
}

static int nested(int n) {
  volatile int tries = 0;
  if (setjmp(inner) != 0) {
    tries++;
    if (tries < n)
      longjmp(inner, 1);
    return tries;
  }
  longjmp(inner, 1);
}

int main(void) {
  volatile int counter = 0;
  int r = setjmp(outer);
  printf("setjmp returned %d (counter %d)\n", r, counter);
  if (r == 0) {
    counter++;
    dive(0);
  }
  printf("came back from depth %d\n", depth_reached);

  jmp_buf zero;
  if ((r = setjmp(zero)) == 0)
    longjmp(zero, 0); /* longjmp with 0 makes setjmp return 1 */
  printf("longjmp(0) gives %d\n", r);

  printf("nested: %d\n", nested(10));

  sigjmp_buf s;
  if ((r = sigsetjmp(s, 1)) == 0)
    siglongjmp(s, 77);
  printf("siglongjmp gives %d\n", r);
  return counter + 4;
}
