/* The seed program of ../shared/seeds/004: map 10 MiB anonymous memory,
 * touch its first and last page, then memset all of it, printing the
 * minor page faults (getrusage ru_minflt) each stage caused. Linux gives
 * 0, 2 and 2558: mmap alone faults nothing (pages come on first touch),
 * the two touches fault two pages, memset the remaining 2560 - 2.
 * An optional argument stops after stage 1 or 2, so a test can read the
 * emulator's --stats page-fault total at each stage. (The original waited
 * on getchar between stages.) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>

#define SIZE (10 << 20)

static long minor_faults(void) {
  struct rusage ru;
  if (getrusage(RUSAGE_SELF, &ru) != 0)
    return -1;
  return ru.ru_minflt;
}

int main(int argc, char **argv) {
  int stages = argc > 1 ? atoi(argv[1]) : 3;
  long f0 = minor_faults(), f1 = f0, f2 = f0, f3 = f0;

  unsigned char *ptr = mmap(NULL, SIZE, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (ptr == MAP_FAILED) {
    perror("mmap");
    exit(1);
  }
  f1 = f2 = f3 = minor_faults();
  if (stages >= 2) {
    ptr[0] = 'x';
    ptr[SIZE - 1] = 'y';
    f2 = f3 = minor_faults();
  }
  if (stages >= 3) {
    memset(ptr, 'x', SIZE);
    f3 = minor_faults();
  }
  /* The same output in every mode, so the faults after the stages (stdio's
   * buffer, exit) are the same whatever `stages` is. */
  printf("mmap        %ld\n", f1 - f0);
  printf("0, SIZE - 1 %ld\n", f2 - f1);
  printf("memset      %ld\n", f3 - f2);
  /* No access to ptr here: it would fault in stage 1 and not in 2. */
  return 0;
}
