/* The decoded-block cache: runs of decoded instructions keyed by the
 * guest virtual address of their first one, so that each instruction
 * is decoded once and run many times. A block stays valid while the
 * pages it was decoded from are neither written nor remapped: the MMU's
 * code-write hook and the CPU's store slow path invalidate it.
 *
 * A block is first decoded as a basic block: up to the first instruction
 * that may change RIP or trap, in one page. One that runs BLOCK_HOT
 * times is decoded again as a superblock: decoding goes on through
 * direct jumps and calls (at their targets) and through forward
 * conditional branches (at the fall-through; the branch taken leaves
 * the block there, a side exit). It ends at any other control transfer,
 * at an instruction that may trap, at a page the fetch TLB does not
 * hold, or after BLOCK_MAX_INSNS. Every exit counts the instructions and cycles
 * run from the block's start to it and hands over to the block at the new RIP
 * when the cache holds it (exits.c), so that a run of blocks goes back to the
 * loop only for a block not yet built, a trap, or the end of its budget. */
#ifndef EMU_BLOCK_H
#define EMU_BLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "../cpu.h"
#include "block_mem.h"

#define BLOCK_MAX_INSNS 64
#define BLOCK_MAX_PAGES 4       /* pages one block's bytes may come from */
#define BLOCK_BUCKETS 16384     /* hashed by the low bits of the address */
#define BLOCK_PAGE_BUCKETS 4096 /* hashed by the page */

struct block;

/* A page a block's bytes come from, chained with the other blocks'
 * entries for pages of the same hash (block_cache.by_page). */
struct block_page {
  uint64_t page;
  struct block *block;
  struct block_page *next;
};

struct block {
  uint64_t rip;       /* guest address of the first instruction */
  struct block *next; /* bucket chain */
  struct block_page pages[BLOCK_MAX_PAGES];
  uint8_t npages;
  uint16_t count; /* decoded instructions, one slot each; insns[count] is
                     the stop slot */
  /* A store from this block into one of its pages cut it short after
   * the storing instruction (block_cache_page_changed): the counts of
   * what then ran, for the cut slot (exits.c: chain_cut). */
  uint32_t cut_counts;
  /* Runs of a basic block whose end a superblock would go past (its
   * stop slot counts them up to BLOCK_HOT; exits.c). */
  uint16_t heat;
  struct insn insns[];
};

/* Runs after which a basic block is built again as a superblock. */
#define BLOCK_HOT 256

struct code_pages {
  uint64_t *slots; /* open addressing; 0 = empty, pages are never 0 here */
  uint64_t used, cap;
  /* Other CPUs' kernel work asks whether this CPU holds code in a page
   * (cpu_holds_code) while this CPU may be adding one: a spinlock. */
  int lock;
};

struct block_cache {
  /* The live blocks by address, the last one found first in its chain:
   * an exit looks only at the head (exits.c). */
  struct block *buckets[BLOCK_BUCKETS];
  /* The same blocks by page, so that a write to a code page finds its
   * blocks without scanning addresses. */
  struct block_page *by_page[BLOCK_PAGE_BUCKETS];
  struct block *retired; /* invalidated while possibly running: freed later */
  struct code_pages pages;
  struct block_pool pool; /* where its blocks live (block_mem.h) */
  /* The process's count of CPUs holding code per page (code_space.h),
   * kept in step with `pages`. */
  struct code_space *space;
  uint64_t blocks_built, blocks_invalidated;
  struct block *running; /* the block being executed, for a fault's count */
  struct block *hot;     /* to build again as a superblock (BLOCK_HOT) */
  struct insn scratch[BLOCK_MAX_INSNS]; /* where a block is decoded */
};

/* What an exit counts, packed into its slot's `disp`: instructions from
 * the block's start (at most BLOCK_MAX_INSNS) in the low 8 bits, their
 * cycles above. */
#define BLOCK_COUNTS(insns, cycles) ((int32_t)((insns) | (cycles) << 8))

/* The imm2 of a Jcc that a fused handler runs with the flag setter
 * before it: its slot is not dispatched. */
#define BLOCK_FUSED_JCC 1

static inline unsigned block_bucket(uint64_t rip) {
  return (unsigned)(rip & (BLOCK_BUCKETS - 1));
}

/* Leave the running block at RIP c->rip having run what `counts` says
 * (BLOCK_COUNTS). Unless something asked the CPU to stop (the budget,
 * a trap, an invalidation, a signal: c->run_until), the block at c->rip
 * runs next when the cache has it at the head of its bucket, called as
 * the last act so that the run stays one chain of tail calls (its depth
 * bounded by run_until where the compiler makes real calls). Else this
 * returns to the block loop, which finds or builds the block. */
static inline void block_leave(struct cpu *c, uint32_t counts) {
  uint64_t n = c->instret + (counts & 0xff);
  c->instret = n;
  c->cycles += counts >> 8;
  if (n >= c->run_until)
    return;
  struct block_cache *bc = c->blocks;
  struct block *next = bc->buckets[block_bucket(c->rip)];
  if (next && next->rip == c->rip) {
    bc->running = next;
    next->insns[0].handler(c, next->insns);
  }
}

/* large_pages: the cache's memory comes in host large pages
 * (block_mem.h: the first CPU of a program's run). */
struct block_cache *block_cache_new(bool large_pages);
void block_cache_free(struct block_cache *bc);
/* Drop every block (execve, CR3 load). */
void block_cache_flush(struct block_cache *bc);
/* Called when guest memory in `page` was written or remapped. */
void block_cache_page_changed(struct cpu *c, uint64_t page);
/* Run blocks until a trap, or until c->instret reaches `until` (checked
 * at block exits). */
void cpu_run_blocks(struct cpu *c, uint64_t until);
/* After a fault unwound out of a running block: count the instructions
 * of that block that retired before the faulting one (c->insn_rip). */
void block_cache_fault_fixup(struct cpu *c);

/* --- exits.c: the slots a block adds to its instructions --- */
/* The stop slot after the last instruction (its imm is the block). */
enum block_stop {
  STOP_FALLTHROUGH, /* RIP to the slot's address */
  STOP_BRANCH,      /* the last instruction set RIP (a control transfer) */
  STOP_LOOP,        /* the same, often back to the block's own start */
  /* As the first two, in a basic block that a superblock would extend:
   * counting its runs (block.heat). */
  STOP_FALLTHROUGH_COLD,
  STOP_BRANCH_COLD,
};
cpu_handler block_stop_handler(enum block_stop kind);
/* A Jcc in the middle of a block: on to the next slot when not taken,
 * else a side exit to its target. NULL for a 16-bit Jcc. */
cpu_handler block_side_exit_handler(const struct insn *jcc);
/* A direct jmp or call decoded through: the next slot is its target's
 * first instruction (the call pushes its return address). */
cpu_handler block_through_handler(const struct insn *branch);
/* Replaces the slot after an instruction whose store cut its own block
 * short: counts what ran and returns to the loop at the slot's address. */
void chain_cut(struct cpu *c, const struct insn *i);

#endif
