/* A chained hash of page → number of CPUs holding code there
 * (code_space.h). Changes are rare (a CPU's first block in a page, a
 * page's invalidation), lookups come from the store slow path only when
 * the process has several CPUs. */
#include "code_space.h"

#include <stdlib.h>

#define BUCKETS 4096

struct node {
  uint64_t page;
  unsigned count;
  struct node *next;
};

struct code_space {
  int lock;
  int refs;
  struct node *buckets[BUCKETS];
};

static void lock(struct code_space *s) {
  while (__atomic_exchange_n(&s->lock, 1, __ATOMIC_ACQUIRE))
    continue;
}

static void unlock(struct code_space *s) {
  __atomic_store_n(&s->lock, 0, __ATOMIC_RELEASE);
}

static struct node **bucket(struct code_space *s, uint64_t page) {
  return &s->buckets[(page >> 12) & (BUCKETS - 1)];
}

struct code_space *code_space_new(void) {
  struct code_space *s = calloc(1, sizeof *s);
  if (!s)
    abort(); /* host out of memory: emulator invariant */
  s->refs = 1;
  return s;
}

struct code_space *code_space_get(struct code_space *s) {
  __atomic_add_fetch(&s->refs, 1, __ATOMIC_RELAXED);
  return s;
}

void code_space_put(struct code_space *s) {
  if (!s || __atomic_sub_fetch(&s->refs, 1, __ATOMIC_ACQ_REL))
    return;
  for (unsigned k = 0; k < BUCKETS; k++)
    for (struct node *n = s->buckets[k], *next; n; n = next) {
      next = n->next;
      free(n);
    }
  free(s);
}

unsigned code_space_add(struct code_space *s, uint64_t page) {
  lock(s);
  struct node **b = bucket(s, page), *n = *b;
  while (n && n->page != page)
    n = n->next;
  if (!n) {
    n = calloc(1, sizeof *n);
    if (!n)
      abort();
    n->page = page;
    n->next = *b;
    *b = n;
  }
  unsigned count = ++n->count;
  unlock(s);
  return count;
}

void code_space_remove(struct code_space *s, uint64_t page) {
  lock(s);
  for (struct node **link = bucket(s, page); *link; link = &(*link)->next) {
    struct node *n = *link;
    if (n->page == page) {
      if (--n->count == 0) {
        *link = n->next;
        free(n);
      }
      break;
    }
  }
  unlock(s);
}

unsigned code_space_count(struct code_space *s, uint64_t page) {
  lock(s);
  struct node *n = *bucket(s, page);
  while (n && n->page != page)
    n = n->next;
  unsigned count = n ? n->count : 0;
  unlock(s);
  return count;
}
