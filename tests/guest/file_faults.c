/* Demand paging of file mappings: what each page holds (the file's
 * bytes, zeros after the end of the file within the last page, SIGBUS
 * for a page wholly past it), copy-on-write isolation of MAP_PRIVATE
 * writes, and MAP_SHARED writes reaching the file. Compared with the
 * native run.
 *
 * With the argument "faults" it also prints the minor faults
 * (ru_minflt) each step costs, which scripts/file_faults.sh checks
 * against the model Linux documents rather than the host (whose counts
 * depend on its fault_around_bytes and its file system's folio sizes):
 * a read fault maps the 16-page-aligned block around it (fault-around,
 * clamped to the mapping and the end of the file) read-only, and only
 * it counts; the first write to such a page is one more fault (the
 * copy-on-write); a write fault maps its page alone. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#define PAGE 4096
#define FILE_PAGES 20
#define TAIL 100 /* bytes of page FILE_PAGES in the file */

static int show_faults;
static long last;
static sigjmp_buf bus_env;

static long faults(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_minflt;
}

/* Faults since the previous step, printed only when asked. */
static void step(const char *what) {
  long now = faults();
  if (show_faults)
    printf("faults %-34s %ld\n", what, now - last);
  last = faults();
}

static void on_bus(int sig) {
  (void)sig;
  siglongjmp(bus_env, 1);
}

/* A range of address space aligned to 64 KiB (the fault-around block),
 * so the blocks fall the same way wherever mmap puts it. */
static uint8_t *aligned_place(size_t len) {
  size_t align = 16 * PAGE;
  uint8_t *p =
      mmap(NULL, len + align, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    return NULL;
  uint8_t *a = (uint8_t *)(((uintptr_t)p + align - 1) & ~(align - 1));
  return a;
}

static uint8_t *map_at(uint8_t *where, size_t len, int prot, int flags,
                       int fd) {
  uint8_t *m = mmap(where, len, prot, flags | MAP_FIXED, fd, 0);
  return m == MAP_FAILED ? NULL : m;
}

static volatile uint8_t sink;

int main(int argc, char **argv) {
  show_faults = argc > 1 && strcmp(argv[1], "faults") == 0;
  /* An unnamed file in /tmp, a disk or a memory file system as the host
   * has it. Where /tmp cannot make one (overlayfs before Linux 6.6), a
   * name the native and emulated runs share, so that their traces
   * compare: the program's own (-O0 and -O2 run at the same time). */
  int fd = open("/tmp", O_RDWR | O_TMPFILE, 0600);
  if (fd < 0) {
    const char *self = strrchr(argv[0], '/');
    char path[256];
    snprintf(path, sizeof path, "/tmp/emu_%s.tmp", self ? self + 1 : argv[0]);
    fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
      return 1;
    unlink(path);
  }
  static uint8_t page[PAGE];
  for (int k = 0; k < FILE_PAGES; k++) {
    memset(page, 'a' + k, PAGE);
    if (write(fd, page, PAGE) != PAGE)
      return 1;
  }
  memset(page, 'z', TAIL);
  if (write(fd, page, TAIL) != TAIL)
    return 1;
  size_t len = (FILE_PAGES + 4) * PAGE;
  uint8_t *place = aligned_place(3 * len);
  if (!place)
    return 1;

  /* Read-only private mapping, longer than the file. */
  uint8_t *ro = map_at(place, len, PROT_READ, MAP_PRIVATE, fd);
  if (!ro)
    return 1;
  last = faults();
  sink = ro[0];
  step("read page 0");
  for (int k = 1; k < 16; k++)
    sink = ro[k * PAGE];
  step("read pages 1-15");
  sink = ro[16 * PAGE + 5];
  step("read page 16");
  int ok = 1;
  for (int k = 0; k < FILE_PAGES; k++)
    ok &= ro[k * PAGE] == 'a' + k && ro[k * PAGE + PAGE - 1] == 'a' + k;
  step("read pages 0-19 again");
  printf("pages hold the file: %s\n", ok ? "yes" : "no");
  printf("last page: %c %c, then %d %d\n", ro[FILE_PAGES * PAGE],
         ro[FILE_PAGES * PAGE + TAIL - 1], ro[FILE_PAGES * PAGE + TAIL],
         ro[FILE_PAGES * PAGE + PAGE - 1]);
  step("read the last page");
  struct sigaction sa = {.sa_handler = on_bus};
  sigaction(SIGBUS, &sa, NULL);
  if (sigsetjmp(bus_env, 1) == 0) {
    sink = ro[(FILE_PAGES + 1) * PAGE];
    printf("page past the end: read\n");
  } else {
    printf("page past the end: SIGBUS\n");
  }
  step("page past the end");

  /* Private writable: reads then writes, and the file never changes. */
  uint8_t *pw =
      map_at(place + len, len, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd);
  if (!pw)
    return 1;
  last = faults();
  sink = pw[0];
  step("private: read page 0");
  pw[0] = 'A';
  step("private: write page 0");
  pw[PAGE] = 'B';
  step("private: write page 1 (around)");
  pw[PAGE + 1] = 'C';
  step("private: write page 1 again");
  pw[17 * PAGE] = 'D';
  step("private: write page 17 (unmapped)");
  sink = pw[18 * PAGE];
  step("private: read page 18");
  uint8_t b[2];
  printf("private sees: %c%c %c %c, page 18 %c\n", pw[0], pw[1], pw[PAGE],
         pw[17 * PAGE], pw[18 * PAGE]);
  if (pread(fd, b, 1, 0) != 1 || pread(fd, b + 1, 1, 17 * PAGE) != 1)
    return 1;
  printf("file still: %c %c\n", b[0], b[1]);
  printf("read-only mapping still: %c\n", ro[0]);
  step("private: checks");

  /* Shared writable: a write after a read reaches the file. */
  uint8_t *sh =
      map_at(place + 2 * len, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd);
  if (!sh)
    return 1;
  last = faults();
  sink = sh[2 * PAGE];
  step("shared: read page 2");
  sh[2 * PAGE] = 'S';
  step("shared: write page 2");
  sh[3 * PAGE] = 'T';
  step("shared: write page 3 (around)");
  munmap(sh, len);
  if (pread(fd, b, 1, 2 * PAGE) != 1 || pread(fd, b + 1, 1, 3 * PAGE) != 1)
    return 1;
  printf("file after shared writes: %c %c\n", b[0], b[1]);
  close(fd);
  return 0;
}
