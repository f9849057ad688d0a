/* Regression: strace prints a resource limit as N*1024 only above 1024
 * (print_rlim64_t); a limit of exactly 1024 is "1024", where emu printed
 * "1*1024" (found by strace.follow.gcc: as asks for RLIMIT_NOFILE).
 * Its strace.guest test compares the prlimit64 lines; the output here
 * is what getrlimit reads back. */
#include <stdio.h>
#include <sys/resource.h>

static void set_and_show(rlim_t cur, rlim_t max) {
  struct rlimit r = {cur, max};
  int ret = setrlimit(RLIMIT_FSIZE, &r);
  getrlimit(RLIMIT_FSIZE, &r);
  printf("setrlimit(%llu) = %d, soft %llu\n", (unsigned long long)cur, ret,
         (unsigned long long)r.rlim_cur);
}

int main(void) {
  struct rlimit r;
  getrlimit(RLIMIT_FSIZE, &r);
  set_and_show(1024, r.rlim_max);
  set_and_show(2048, r.rlim_max);
  set_and_show(1023, r.rlim_max);
  set_and_show(1000, 1024);
  return 0;
}
