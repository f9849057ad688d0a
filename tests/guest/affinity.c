/* The CPUs a guest sees are the host's: sched_getaffinity's mask and
 * count, sysconf's online count, and sched_setaffinity accepted for the
 * same mask (threads run on host threads, so the host's CPUs are the
 * ones they run on). */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <unistd.h>

int main(void) {
  cpu_set_t set;
  int r = sched_getaffinity(0, sizeof set, &set);
  printf("getaffinity %d, %d CPUs, %ld online\n", r, CPU_COUNT(&set),
         sysconf(_SC_NPROCESSORS_ONLN));
  printf("setaffinity %d\n", sched_setaffinity(0, sizeof set, &set));
  sched_yield();
  return 0;
}
