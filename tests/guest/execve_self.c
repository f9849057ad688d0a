/* execve of a static program from a static program: the kernel tears
 * down the address space and loads the new image in the same process
 * (emu emulates this; it never asks the host to exec). The program execs
 * itself twice with a stage argument, so each image checks that argv,
 * envp and a fresh heap reached it, and the last status is what the
 * parent sees. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int stage = argc > 1 ? atoi(argv[1]) : 0;
  char *heap = malloc(100);
  snprintf(heap, 100, "stage %d heap ok", stage);
  printf("%s, argc %d, EMU_TEST_STAGE=%s\n", heap, argc,
         getenv("EMU_TEST_STAGE") ? getenv("EMU_TEST_STAGE") : "(unset)");
  if (stage == 2)
    return 42;
  /* Unflushed stdio output is lost by execve: flush it first. */
  fflush(stdout);
  char next[16];
  snprintf(next, sizeof next, "%d", stage + 1);
  char *const new_argv[] = {argv[0], next, "extra argument", NULL};
  char envbuf[64];
  snprintf(envbuf, sizeof envbuf, "EMU_TEST_STAGE=%s", next);
  char *const new_envp[] = {envbuf, "OTHER=1", NULL};
  execve(argv[0], new_argv, new_envp);
  perror("execve");
  return 1;
}
