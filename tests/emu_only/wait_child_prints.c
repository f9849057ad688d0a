/* A parent blocked in wait4 while its child prints, for
 * scripts/strace_unfinished.sh: under `emu --strace -f` with the trace
 * in the file named by argv[1], the child waits until the trace shows
 * its parent's wait4 entry, then writes and exits. The parent's wait4
 * line must then be cut " <unfinished ...>" and go on "<... wait4
 * resumed>". The order comes from the trace itself, not from timing
 * (natively nothing writes that trace: an emu-only guest). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Does the file hold `needle`? (A trace of a few hundred lines.) */
static int file_has(const char *path, const char *needle) {
  static char text[1 << 20];
  int fd = open(path, O_RDONLY);
  if (fd < 0)
    return 0;
  ssize_t n = read(fd, text, sizeof text - 1);
  close(fd);
  if (n <= 0)
    return 0;
  text[n] = 0;
  return strstr(text, needle) != NULL;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: wait_child_prints TRACE\n");
    return 2;
  }
  pid_t child = fork();
  if (child < 0)
    return 1;
  if (child == 0) {
    char needle[64];
    snprintf(needle, sizeof needle, "wait4(%d, ", (int)getpid());
    /* At most 20 s: a parent that never waits fails the test. */
    for (int tries = 0; !file_has(argv[1], needle); tries++) {
      if (tries == 2000)
        _exit(3);
      struct timespec pause = {0, 10 * 1000 * 1000};
      nanosleep(&pause, NULL);
    }
    write(STDOUT_FILENO, "child\n", 6);
    _exit(0);
  }
  int status;
  if (wait4(child, &status, 0, NULL) != child)
    return 1;
  printf("child status %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  return 0;
}
