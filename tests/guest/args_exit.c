/* argc/argv as the kernel laid them on the stack, atexit handlers run in
 * reverse order by exit(), and exit's status (argc + 10) reaching the
 * parent. Run with arguments by the test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void first(void) { puts("atexit: registered first, runs last"); }
static void second(void) { puts("atexit: registered second, runs first"); }

int main(int argc, char **argv) {
  printf("argc = %d\n", argc);
  for (int i = 1; i < argc; i++)
    printf("argv[%d] = [%s] (%zu bytes)\n", i, argv[i], strlen(argv[i]));
  printf("argv[argc] is %s\n", argv[argc] ? "not NULL" : "NULL");
  atexit(first);
  atexit(second);
  /* Unflushed buffered output must be flushed by exit. */
  printf("exiting with %d", argc + 10);
  exit(argc + 10);
}
