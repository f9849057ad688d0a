/* Touches N MiB (argv[1]) of private memory in 4 MiB mappings, one line
 * per mapping written with write(2), so the lines survive a SIGKILL.
 * Under `emu --mem-limit M` with N > M each mapping passes the
 * overcommit check, but the machine runs out of memory on the way and
 * the guest dies of SIGKILL, as Linux's OOM killer would kill it
 * (scripts/mem_limit.sh). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define CHUNK (4u << 20)

static void say(const char *text) {
  if (write(1, text, strlen(text)) < 0)
    exit(2);
}

int main(int argc, char **argv) {
  unsigned long mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 64;
  char line[64];
  for (unsigned long done = 0; done < mib; done += CHUNK >> 20) {
    char *p = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
      say("mmap failed\n");
      return 1;
    }
    memset(p, 0x5a, CHUNK);
    snprintf(line, sizeof line, "%lu MiB touched\n", done + (CHUNK >> 20));
    say(line);
  }
  say("all touched\n");
  return 0;
}
