/* personality(2): the persona is queried with 0xffffffff, set to any
 * value (the old one is returned), inherited by fork and kept across
 * execve but for READ_IMPLIES_EXEC, which a 64-bit image drops
 * (set_personality_64bit). The test runs as Linux runs it under
 * `setarch -R`, so the first answer has ADDR_NO_RANDOMIZE. */
#include <stdio.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/wait.h>
#include <unistd.h>

static unsigned query(void) { return (unsigned)personality(0xffffffff); }

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "exec") == 0) {
    printf("after execve: %#x\n", query());
    return 0;
  }
  printf("start: %#x\n", query());
  printf("set PER_LINUX, old %#x\n", (unsigned)personality(PER_LINUX));
  printf("now: %#x\n", query());
  unsigned flags = ADDR_NO_RANDOMIZE | READ_IMPLIES_EXEC | ADDR_COMPAT_LAYOUT;
  printf("set flags, old %#x\n", (unsigned)personality(PER_LINUX | flags));
  printf("set PER_BSD, old %#x\n", (unsigned)personality(PER_BSD | flags));
  printf("set 0x5, old %#x\n", (unsigned)personality(5 | ADDR_NO_RANDOMIZE));
  printf("back, old %#x\n", (unsigned)personality(PER_LINUX | flags));
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    printf("child: %#x\n", query());
    return 0;
  }
  int status;
  waitpid(pid, &status, 0);
  execl(argv[0], argv[0], "exec", (char *)NULL);
  perror("execl");
  return 1;
}
