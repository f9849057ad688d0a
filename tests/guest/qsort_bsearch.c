/* qsort (glibc's merge sort with an indirect fallback) on ints, strings
 * and structs, with a comparison callback through a function pointer;
 * bsearch on the result. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 5000

struct rec {
  int key;
  int seq;
};

static unsigned rng_state = 1;
static unsigned rng(void) {
  rng_state = rng_state * 1664525u + 1013904223u;
  return rng_state >> 4;
}

static int cmp_int(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_rec(const void *a, const void *b) {
  const struct rec *x = a, *y = b;
  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  return (x->seq > y->seq) - (x->seq < y->seq);
}

int main(void) {
  static int v[N];
  for (int i = 0; i < N; i++)
    v[i] = (int)(rng() % 100000) - 50000;
  qsort(v, N, sizeof v[0], cmp_int);
  long long weighted = 0;
  for (int i = 0; i < N; i++) {
    if (i && v[i - 1] > v[i]) {
      printf("not sorted at %d\n", i);
      return 1;
    }
    weighted += (long long)v[i] * (i + 1);
  }
  printf("ints: min %d max %d median %d weighted %lld\n", v[0], v[N - 1],
         v[N / 2], weighted);
  int key = v[1234];
  int *hit = bsearch(&key, v, N, sizeof v[0], cmp_int);
  printf("bsearch %d: %s\n", key, hit && *hit == key ? "found" : "missing");
  key = 60000;
  printf("bsearch %d: %s\n", key,
         bsearch(&key, v, N, sizeof v[0], cmp_int) ? "found" : "missing");

  const char *words[] = {"pear",  "apple", "fig",    "banana", "cherry",
                         "date",  "kiwi",  "lemon",  "mango",  "apple",
                         "grape", "lime",  "orange", "papaya", "quince"};
  size_t nw = sizeof words / sizeof words[0];
  qsort(words, nw, sizeof words[0], cmp_str);
  for (size_t i = 0; i < nw; i++)
    printf("%s%c", words[i], i + 1 == nw ? '\n' : ' ');

  static struct rec r[N];
  for (int i = 0; i < N; i++) {
    r[i].key = (int)(rng() % 50);
    r[i].seq = i;
  }
  qsort(r, N, sizeof r[0], cmp_rec);
  unsigned long long h = 0;
  for (int i = 0; i < N; i++)
    h = h * 1000003u + (unsigned)(r[i].key * 10007 + r[i].seq);
  printf("records hash %llx first (%d,%d) last (%d,%d)\n", h, r[0].key,
         r[0].seq, r[N - 1].key, r[N - 1].seq);

  /* Already sorted, reversed and constant inputs. */
  for (int i = 0; i < N; i++)
    v[i] = N - i;
  qsort(v, N, sizeof v[0], cmp_int);
  printf("reversed: %d %d\n", v[0], v[N - 1]);
  for (int i = 0; i < N; i++)
    v[i] = 7;
  qsort(v, N, sizeof v[0], cmp_int);
  printf("constant: %d %d\n", v[0], v[N - 1]);
  return 0;
}
