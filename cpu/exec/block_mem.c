/* A block cache's own memory (block_mem.h): chunks handed out by a bump
 * pointer in 64-byte units, with a free list per size so that a block
 * retired by self-modifying code or an execve leaves room for the next
 * one of its size. A block has at most BLOCK_MAX_INSNS + 1 slots, well
 * inside the lists' range; anything larger would go to malloc. */
#include "block_mem.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define LARGE_CHUNK (2u << 20)
#define SMALL_CHUNK (256u << 10)

struct chunk_head {
  struct chunk_head *next;
  size_t bytes;
};

static size_t units_of(size_t bytes) {
  return (bytes + BLOCK_MEM_UNIT - 1) / BLOCK_MEM_UNIT;
}

void block_pool_init(struct block_pool *pool, bool large) {
  memset(pool, 0, sizeof *pool);
  pool->large = large;
}

void block_pool_release(struct block_pool *pool) {
  for (struct chunk_head *c = pool->chunks, *next; c; c = next) {
    next = c->next;
    munmap(c, c->bytes);
  }
  block_pool_init(pool, pool->large);
}

/* A fresh chunk, aligned to its size (so that the host can back a large
 * one with one large page) and linked into the pool, or NULL. */
static uint8_t *new_chunk(struct block_pool *pool, size_t size) {
  uint8_t *got = mmap(NULL, 2 * size, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (got == MAP_FAILED)
    return NULL;
  uint8_t *start =
      (uint8_t *)(((uintptr_t)got + size - 1) & ~(uintptr_t)(size - 1));
  if (start > got)
    munmap(got, (size_t)(start - got));
  if (start + size < got + 2 * size)
    munmap(start + size, (size_t)(got + 2 * size - (start + size)));
  if (pool->large)
    madvise(start, size, MADV_HUGEPAGE); /* advice: failure changes nothing */
  struct chunk_head *c = (struct chunk_head *)start;
  c->next = pool->chunks;
  c->bytes = size;
  pool->chunks = c;
  return start;
}

void *block_mem_alloc(struct block_pool *pool, size_t bytes) {
  size_t units = units_of(bytes);
  if (units >= BLOCK_MEM_LISTS) {
    void *p = malloc(units * BLOCK_MEM_UNIT);
    if (!p)
      abort();
    return p;
  }
  void *p = pool->lists[units];
  if (p) {
    pool->lists[units] = *(void **)p;
    return p;
  }
  size_t need = units * BLOCK_MEM_UNIT;
  if ((size_t)(pool->bump_end - pool->bump) < need) {
    /* The old chunk's rest (less than one block) stays unused. */
    size_t size = pool->large ? LARGE_CHUNK : SMALL_CHUNK;
    uint8_t *c = new_chunk(pool, size);
    if (!c)
      abort();
    pool->bump = c + BLOCK_MEM_UNIT; /* after the chunk's head */
    pool->bump_end = c + size;
  }
  p = pool->bump;
  pool->bump += need;
  return p;
}

void block_mem_free(struct block_pool *pool, void *p, size_t bytes) {
  if (!p)
    return;
  size_t units = units_of(bytes);
  if (units >= BLOCK_MEM_LISTS) {
    free(p);
    return;
  }
  *(void **)p = pool->lists[units];
  pool->lists[units] = p;
}
