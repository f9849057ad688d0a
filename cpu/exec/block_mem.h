/* Memory for decoded blocks (block.c), carved from chunks the block
 * cache owns instead of from malloc's heap. A short program decodes
 * about a megabyte of blocks (/bin/true: ~270 pages); from the heap each
 * new 4 KiB page was a host page fault, and on a virtualised host a
 * fault costs 10-70 us where one 2 MiB page costs one fault and ~200 us.
 * The first CPU of a run gets 2 MiB chunks advised for host large pages;
 * the CPUs of later threads get 256 KiB ones (a thread's blocks are
 * few, and a large page per thread would cost 2 MiB of RSS each). A
 * pool belongs to one CPU's cache and is used only by its thread: no
 * lock. */
#ifndef EMU_BLOCK_MEM_H
#define EMU_BLOCK_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BLOCK_MEM_UNIT 64u
#define BLOCK_MEM_LISTS 128u /* a free list per size, up to 8 KiB */

struct block_pool {
  void *lists[BLOCK_MEM_LISTS]; /* freed pieces by size in units */
  uint8_t *bump, *bump_end;
  void *chunks; /* each chunk's first unit links the next, for freeing */
  bool large;   /* 2 MiB chunks advised for large pages */
};

/* A pool whose chunks are large pages when `large`. */
void block_pool_init(struct block_pool *pool, bool large);
/* Unmap every chunk. */
void block_pool_release(struct block_pool *pool);
/* `bytes` aligned to 64; aborts when the host has no memory left (an
 * emulator invariant, as malloc's failure was). */
void *block_mem_alloc(struct block_pool *pool, size_t bytes);
/* Give back what block_mem_alloc(pool, bytes) returned. */
void block_mem_free(struct block_pool *pool, void *p, size_t bytes);

#endif
