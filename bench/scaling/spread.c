/* A CPU-bound job split across THREADS threads (argv[1]): each thread
 * mixes its share of 2^26 integers into its own sum, nothing shared
 * while it runs, so the job's time with 2 threads against 1 shows
 * whether emu really runs guest threads on two host cores. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define TOTAL (1u << 26)
#define MAX_THREADS 16

struct share {
  uint32_t from, to;
  uint64_t hash;
  char pad[64]; /* no false sharing between the threads' results */
};

static void *work(void *arg) {
  struct share *s = arg;
  uint64_t h = 0;
  for (uint32_t i = s->from; i < s->to; i++) {
    uint64_t x = i * 0x9e3779b97f4a7c15ull;
    h += x ^ (x >> 29) ^ (x << 7); /* a sum: the split does not matter */
  }
  s->hash = h;
  return NULL;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 1;
  if (n < 1 || n > MAX_THREADS)
    return 2;
  struct share s[MAX_THREADS];
  pthread_t t[MAX_THREADS];
  for (int k = 0; k < n; k++) {
    s[k].from = (uint32_t)((uint64_t)TOTAL * k / n);
    s[k].to = (uint32_t)((uint64_t)TOTAL * (k + 1) / n);
    pthread_create(&t[k], NULL, work, &s[k]);
  }
  uint64_t all = 0;
  for (int k = 0; k < n; k++) {
    pthread_join(t[k], NULL);
    all += s[k].hash;
  }
  printf("%d threads: %016llx\n", n, (unsigned long long)all);
  return 0;
}
