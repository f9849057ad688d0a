/* The decoded-block cache: runs of sequentially decoded instructions
 * keyed by their guest virtual start address, so that each instruction is
 * decoded once and run many times. A block stays valid while the pages
 * it was decoded from are neither written nor remapped: the MMU's
 * code-write hook and the CPU's store slow path invalidate it. */
#ifndef EMU_BLOCK_H
#define EMU_BLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "../cpu.h"

#define BLOCK_MAX_INSNS 64
#define BLOCK_BUCKETS 16384     /* hashed by the low bits of the address */
#define BLOCK_PAGE_BUCKETS 4096 /* hashed by the page of the first byte */

struct block {
  uint64_t rip;            /* guest address of the first instruction */
  uint64_t page_first;     /* the page of the first byte */
  uint64_t page_last;      /* the page of the last byte (may be the next) */
  struct block *next;      /* bucket chain */
  struct block *page_next; /* chain of blocks hashed by page_first */
  /* Chaining: the blocks that last followed this one (fall-through and
   * taken), valid while `link_gen` equals the cache's generation. */
  struct block *link[2];
  uint64_t link_rip[2];
  uint64_t link_gen;
  uint32_t cycles;  /* of the instructions that run */
  uint64_t rip_end; /* the address after the last instruction */
  uint16_t count;   /* decoded instructions; insns[count] is chain_stop */
  uint16_t slots;   /* of them dispatched (a fused Jcc's slot is not) */
  struct insn insns[];
};

struct code_pages {
  uint64_t *slots; /* open addressing; 0 = empty, pages are never 0 here */
  uint64_t used, cap;
  /* Other CPUs' kernel work asks whether this CPU holds code in a page
   * (cpu_holds_code) while this CPU may be adding one: a spinlock. */
  int lock;
};

struct block_cache {
  struct block *buckets[BLOCK_BUCKETS];
  /* The same blocks by page, so that a write to a code page finds its
   * blocks without scanning addresses. */
  struct block *by_page[BLOCK_PAGE_BUCKETS];
  struct block *retired; /* invalidated while possibly running: freed later */
  struct code_pages pages;
  /* The process's count of CPUs holding code per page (code_space.h),
   * kept in step with `pages`. */
  struct code_space *space;
  uint64_t generation; /* bumped by every invalidation: unlinks all */
  uint64_t blocks_built, blocks_invalidated;
  struct block *running; /* the block being executed, for a fault's count */
  struct insn scratch[BLOCK_MAX_INSNS]; /* where a block is decoded */
};

struct block_cache *block_cache_new(void);
void block_cache_free(struct block_cache *bc);
/* Drop every block (execve, CR3 load). */
void block_cache_flush(struct block_cache *bc);
/* Called when guest memory in `page` was written or remapped. */
void block_cache_page_changed(struct cpu *c, uint64_t page);
/* Run blocks until a trap, or until c->instret reaches `until` (checked
 * between blocks). Instructions and cycles are counted once per block. */
void cpu_run_blocks(struct cpu *c, uint64_t until);
/* After a fault unwound out of a running block: count the instructions
 * of that block that retired before the faulting one (c->insn_rip). */
void block_cache_fault_fixup(struct cpu *c);

#endif
