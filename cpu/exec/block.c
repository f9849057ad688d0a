/* The decoded-block cache and the fast run loop (see block.h). A block is
 * decoded up to a page end, the first instruction that may change RIP or
 * trap (block_bound), or BLOCK_MAX_INSNS, and ends with a chain_stop slot
 * so that it runs as one threaded chain (cpu/chain.h). */
#include <stdlib.h>
#include <string.h>

#include "../../mmu/mmu.h"
#include "../decode/specialize.h"
#include "../handlers.h"
#include "block.h"
#include "chain.h"
#include "code_space.h"

/* --- the set of pages holding decoded code --- */

static uint64_t page_hash(uint64_t page, uint64_t cap) {
  return ((page >> PAGE_SHIFT) * 0x9e3779b97f4a7c15ull >> 20) & (cap - 1);
}

static bool code_page_has(const struct code_pages *s, uint64_t page) {
  if (!s->used)
    return false;
  for (uint64_t h = page_hash(page, s->cap);; h = (h + 1) & (s->cap - 1)) {
    if (s->slots[h] == page)
      return true;
    if (!s->slots[h])
      return false;
  }
}

static bool code_page_add(struct code_pages *s, uint64_t page);

static void code_page_rehash(struct code_pages *s, uint64_t cap) {
  struct code_pages old = *s;
  s->slots = calloc(cap, sizeof *s->slots);
  if (!s->slots)
    abort(); /* host out of memory: emulator invariant */
  s->cap = cap;
  s->used = 0;
  for (uint64_t k = 0; k < old.cap; k++)
    if (old.slots[k])
      code_page_add(s, old.slots[k]);
  free(old.slots);
}

/* True when the page was not in the set. */
static bool code_page_add(struct code_pages *s, uint64_t page) {
  if ((s->used + 1) * 2 > s->cap)
    code_page_rehash(s, s->cap ? s->cap * 2 : 1024);
  uint64_t h = page_hash(page, s->cap);
  while (s->slots[h] && s->slots[h] != page)
    h = (h + 1) & (s->cap - 1);
  if (s->slots[h])
    return false;
  s->slots[h] = page;
  s->used++;
  return true;
}

/* Linear-probing deletion (Knuth's algorithm R): later entries of the
 * run move back into the hole when their home slot allows, so lookups
 * never stop early at it. */
static void code_page_remove(struct code_pages *s, uint64_t page) {
  if (!s->used)
    return;
  uint64_t mask = s->cap - 1, h = page_hash(page, s->cap);
  while (s->slots[h] != page) {
    if (!s->slots[h])
      return;
    h = (h + 1) & mask;
  }
  uint64_t hole = h;
  for (uint64_t k = (hole + 1) & mask; s->slots[k]; k = (k + 1) & mask) {
    uint64_t home = page_hash(s->slots[k], s->cap);
    /* Move k back unless its home lies cyclically in (hole, k]. */
    bool stays =
        hole <= k ? (hole < home && home <= k) : (hole < home || home <= k);
    if (!stays) {
      s->slots[hole] = s->slots[k];
      hole = k;
    }
  }
  s->slots[hole] = 0;
  s->used--;
}

/* --- the cache --- */

static void bound_table_init(void);

/* The cycles of a block's first k instructions. */
static uint32_t cycles_before(const struct block *b, unsigned k) {
  uint32_t sum = 0;
  for (unsigned j = 0; j < k; j++)
    sum += b->insns[j].cycles;
  return sum;
}

/* At most this many instructions run between two returns to the block
 * loop's outer level (see chain_loop). */
#define RUN_CHUNK 16384

static unsigned bucket_of(uint64_t rip) {
  return (unsigned)(rip & (BLOCK_BUCKETS - 1));
}

struct block_cache *block_cache_new(void) {
  bound_table_init();
  return calloc(1, sizeof(struct block_cache));
}

static void free_chain(struct block *b) {
  while (b) {
    struct block *next = b->next;
    free(b);
    b = next;
  }
}

void block_cache_flush(struct block_cache *bc) {
  bc->generation++;
  /* Every live block is on one page chain: walking those (4096 heads)
   * instead of the 65536 address buckets keeps an execve cheap. */
  for (unsigned k = 0; k < BLOCK_PAGE_BUCKETS; k++) {
    for (struct block *b = bc->by_page[k], *next; b; b = next) {
      next = b->page_next;
      bc->buckets[bucket_of(b->rip)] = NULL;
      b->next = bc->retired;
      bc->retired = b;
    }
    bc->by_page[k] = NULL;
  }
  for (uint64_t k = 0; bc->space && k < bc->pages.cap; k++)
    if (bc->pages.slots[k])
      code_space_remove(bc->space, bc->pages.slots[k]);
  free(bc->pages.slots);
  memset(&bc->pages, 0, sizeof bc->pages);
}

void block_cache_free(struct block_cache *bc) {
  if (!bc)
    return;
  block_cache_flush(bc);
  free_chain(bc->retired);
  free(bc);
}

static unsigned page_bucket_of(uint64_t page) {
  return (unsigned)(page >> PAGE_SHIFT) & (BLOCK_PAGE_BUCKETS - 1);
}

/* Unlink b from its address bucket and retire it (freed by find_block,
 * once no handler of it can be running). */
static void retire(struct block_cache *bc, struct block *b) {
  struct block **link = &bc->buckets[bucket_of(b->rip)];
  while (*link != b)
    link = &(*link)->next;
  *link = b->next;
  b->next = bc->retired;
  bc->retired = b;
  bc->blocks_invalidated++;
}

/* Retire the blocks that start in `first` and reach into `page` (that
 * is, with page_last == page; first is page or the page before). */
static void invalidate_page(struct block_cache *bc, uint64_t first,
                            uint64_t page) {
  struct block **link = &bc->by_page[page_bucket_of(first)];
  while (*link) {
    struct block *b = *link;
    if (b->page_first == first && (first == page || b->page_last == page)) {
      *link = b->page_next;
      retire(bc, b);
    } else {
      link = &b->page_next;
    }
  }
}

static void pages_lock(struct code_pages *s) {
  while (__atomic_exchange_n(&s->lock, 1, __ATOMIC_ACQUIRE))
    continue;
}

static void pages_unlock(struct code_pages *s) {
  __atomic_store_n(&s->lock, 0, __ATOMIC_RELEASE);
}

bool cpu_holds_code(struct cpu *c, uint64_t page) {
  struct block_cache *bc = c->blocks;
  if (!bc)
    return false;
  pages_lock(&bc->pages);
  bool has = code_page_has(&bc->pages, page);
  pages_unlock(&bc->pages);
  return has;
}

void block_cache_page_changed(struct cpu *c, uint64_t page) {
  struct block_cache *bc = c->blocks;
  if (!bc || !code_page_has(&bc->pages, page))
    return;
  /* Blocks starting in this page, and those starting in the page before
   * whose first instruction reaches into it (build stops before any
   * other instruction would cross a page). */
  invalidate_page(bc, page, page);
  invalidate_page(bc, page - PAGE_SIZE, page);
  bc->generation++;
  c->run_until = 0; /* the block loop rereads the generation */
  pages_lock(&bc->pages);
  code_page_remove(&bc->pages, page);
  pages_unlock(&bc->pages);
  if (bc->space)
    code_space_remove(bc->space, page);
  /* A store from the running block into its own pages (self-modifying
   * code, SDM vol. 3, 11.6): the instructions after the storing one may
   * be stale, so the block (retired now: nothing else runs it) is cut
   * right after it. */
  struct block *b = bc->running;
  if (b && (b->page_first == page || b->page_last == page)) {
    uint64_t at = b->rip;
    unsigned k = 0;
    while (k < b->count && at != c->insn_rip)
      at += b->insns[k++].len;
    if (k + 1 < b->slots) {
      b->count = b->slots = (uint16_t)(k + 1);
      b->cycles = cycles_before(b, k + 1);
      /* The storing handler chains into this slot next. */
      ((struct insn *)b->insns)[k + 1].handler = chain_stop;
      c->rip = at + b->insns[k].len; /* where the loop will continue */
    }
  }
}

/* How an instruction bounds a block: it ends one (it may change RIP or
 * raise a trap without unwinding, or always faults), or it must start
 * one because it reads the cycle counter, which is exact only at a block
 * boundary. Only the handlers of cpu/branch.c write RIP, and only
 * syscall, int3, int n and int1 return with a trap set, so inside a
 * block RIP simply advances. */
enum { BOUND_NONE, BOUND_ENDS, BOUND_STARTS };

static int bound_of(cpu_handler h) {
  if (h == op_jcc || h == op_jmp_rel || h == op_jmp_rm || h == op_call_rel ||
      h == op_call_rm || h == op_ret || h == op_loop || h == op_jrcxz ||
      h == op_syscall || h == op_int3 || h == op_int || h == op_int1 ||
      h == op_privileged || h == op_umip || h == op_mov_cr || h == op_mov_dr ||
      h == op_ud || h == op_jmp_far || h == op_call_far || h == op_retf ||
      h == op_iret)
    return BOUND_ENDS;
  if (h == op_rdtsc || h == op_rdtscp)
    return BOUND_STARTS;
  return BOUND_NONE;
}

static int8_t bound_table[OP_COUNT];

static void bound_table_init(void) {
  for (int k = 0; k < OP_COUNT; k++)
    bound_table[k] = (int8_t)bound_of(cpu_ops[k].handler);
}

static int block_bound(const struct insn *in) { return bound_table[in->op]; }

/* The stop slot of a block that may branch back to its own start (a
 * tight loop): when it does, the next iteration starts right here,
 * counted as the block loop would count it, without going back to the
 * loop. The block is in the slot's imm. c->run_until bounds the number
 * of instructions run this way (cpu_run_blocks keeps it at most
 * RUN_CHUNK ahead), so that the host stack stays bounded even where the
 * compiler does not turn the calls into jumps. */
static void chain_loop(struct cpu *c, const struct insn *i) {
  const struct block *b = (const struct block *)(uintptr_t)i->imm;
  if (c->rip != b->rip)
    return;
  uint64_t n = c->instret + b->count;
  if (n >= c->run_until)
    return; /* the block loop counts this iteration and stops */
  c->instret = n;
  c->cycles += b->cycles;
  c->rip = b->rip_end;
  b->insns[0].handler(c, b->insns);
}

/* Whether the last instruction of `b` is a direct branch to b's start. */
static bool branches_to_start(const struct block *b) {
  const struct insn *last = &b->insns[b->count - 1];
  cpu_handler h = cpu_ops[last->op].handler;
  if (h != op_jcc && h != op_jmp_rel && h != op_loop && h != op_jrcxz)
    return false;
  return b->rip_end + last->imm == b->rip;
}

/* Decode a block at c->rip. The first instruction's fetch faults as usual;
 * later ones stop the block instead, to fault only if reached. */
static struct block *build(struct cpu *c) {
  struct block_cache *bc = c->blocks;
  /* Decoded into a scratch array first, then copied into a block of the
   * exact size: no realloc, and no per-block room for the longest. */
  struct insn *in = bc->scratch;
  cpu_fetch_decode(c, &in[0]);
  in[0].rip = c->rip;
  cpu_specialize_at(&in[0]);
  unsigned count = 1;
  uint64_t at = c->rip + in[0].len;
  uint64_t page = c->rip & PAGE_MASK;
  while (count < BLOCK_MAX_INSNS && block_bound(&in[count - 1]) != BOUND_ENDS &&
         (at & PAGE_MASK) == page) {
    /* Decode only from this page's bytes: an instruction that would cross
     * into the next page ends the block here. */
    const uint8_t *bytes = tlb_lookup(c->mmu, MMU_FETCH, at, 1);
    if (!bytes)
      break;
    int avail = (int)(PAGE_SIZE - (at & ~PAGE_MASK));
    int r = cpu_decode(bytes, avail < 15 ? avail : 15, &in[count]);
    if (r != 0 || block_bound(&in[count]) == BOUND_STARTS)
      break;
    in[count].rip = at;
    cpu_specialize_at(&in[count]);
    at += in[count++].len;
  }
  struct block *b = malloc(sizeof *b + (count + 1u) * sizeof(struct insn));
  if (!b)
    abort(); /* host out of memory: emulator invariant */
  memcpy(b->insns, in, count * sizeof(struct insn));
  b->rip = c->rip;
  b->page_first = page;
  b->page_last = (at - 1) & PAGE_MASK;
  b->count = b->slots = (uint16_t)count;
  b->link_gen = ~0ull;
  b->cycles = cycles_before(b, count);
  b->rip_end = at;
  memset(&b->insns[count], 0, sizeof(struct insn));
  b->insns[count].rip = at;
  b->insns[count].handler = branches_to_start(b) ? chain_loop : chain_stop;
  b->insns[count].imm = (uint64_t)(uintptr_t)b;
  /* A compare (or other flag setter) followed by the Jcc ending the block
   * runs as one fused handler; the Jcc's slot is then not dispatched but
   * still counted. */
  if (b->count >= 2 && cpu_ops[b->insns[b->count - 1].op].handler == op_jcc) {
    cpu_handler fused = cpu_specialize_fused(&b->insns[b->count - 2]);
    if (fused) {
      b->insns[b->count - 2].handler = fused;
      b->slots = (uint16_t)(b->count - 1);
    }
  }
  unsigned h = bucket_of(b->rip);
  b->next = bc->buckets[h];
  bc->buckets[h] = b;
  unsigned p = page_bucket_of(b->page_first);
  b->page_next = bc->by_page[p];
  bc->by_page[p] = b;
  bc->blocks_built++;
  /* Writes to these pages must now take the slow path that invalidates. */
  pages_lock(&bc->pages);
  bool new_first = code_page_add(&bc->pages, b->page_first);
  bool new_last = code_page_add(&bc->pages, b->page_last);
  pages_unlock(&bc->pages);
  tlb_flush_write(c->mmu, b->page_first);
  tlb_flush_write(c->mmu, b->page_last);
  /* The process's first code in a page: other CPUs' write entries for
   * it go too, so that their stores into it take the slow path that
   * tells this CPU (the shootdown is a no-op with one CPU). */
  bool first_holder = false;
  if (bc->space && new_first && code_space_add(bc->space, b->page_first) == 1)
    first_holder = true;
  if (bc->space && new_last && code_space_add(bc->space, b->page_last) == 1)
    first_holder = true;
  if (first_holder)
    mmu_shootdown(c->mmu);
  return b;
}

static struct block *lookup(struct cpu *c) {
  struct block *b = c->blocks->buckets[bucket_of(c->rip)];
  for (; b; b = b->next)
    if (b->rip == c->rip)
      return b;
  return build(c);
}

/* The block at c->rip when `prev` does not link to it: looked up (or
 * built) and linked from prev. Blocks retired by an invalidation are
 * freed here, where none of them runs any more (an invalidation bumps
 * the generation, so the loop always comes here after one). */
__attribute__((noinline)) static struct block *find_block(struct cpu *c,
                                                          struct block *prev) {
  struct block_cache *bc = c->blocks;
  bc->running = NULL;
  if (bc->retired) {
    free_chain(bc->retired);
    bc->retired = NULL;
    prev = NULL;
  }
  c->insn_rip = c->rip; /* a fetch fault while building restarts here */
  uint64_t rip = c->rip;
  struct block *b = lookup(c);
  if (prev) {
    if (prev->link_gen != bc->generation) {
      prev->link_gen = bc->generation;
      prev->link_rip[0] = prev->link_rip[1] = 0;
    }
    int slot = prev->link_rip[0] != 0;
    prev->link[slot] = b;
    prev->link_rip[slot] = rip;
  }
  return b;
}

/* The fast loop. Returns when a trap is pending or, between blocks, when
 * `until` instructions have retired. A block is one threaded run: the
 * handlers chain from one to the next (cpu/chain.h) and the loop sees
 * only the block. A block ends at the first instruction that may change
 * RIP (block_bound), so every block runs to its end and its instructions
 * and cycles are counted once. Self-modifying code cuts the running
 * block short (the slot after the storing instruction becomes
 * chain_stop); a fault longjmps out of the handler and
 * block_cache_fault_fixup counts the part that retired. A block hands
 * over to the next through its links while nothing was invalidated. */
void cpu_run_blocks(struct cpu *c, uint64_t until) {
  struct block_cache *bc = c->blocks;
  if (c->instret >= until)
    return;
  struct block *b = find_block(c, NULL);
  for (;;) {
    uint64_t gen = bc->generation;
    c->run_until =
        until - c->instret > RUN_CHUNK ? c->instret + RUN_CHUNK : until;
    /* After run_until is set: a handler that ran before it zeroed an
     * older value, so the flag is the only trace of it. */
    if (c->interrupt)
      break;
    for (;;) {
      bc->running = b;
      /* Inside a block RIP only advances, and only the last instruction
       * can read RIP as such (branches, syscall); the others know where
       * they start (insn->rip, kept in c->insn_rip when it matters). So
       * RIP is set once, to the block's end. */
      c->rip = b->rip_end;
      b->insns[0].handler(c, b->insns); /* runs the chain (cpu/chain.h) */
      uint64_t n = c->instret + b->count;
      c->instret = n;
      c->cycles += b->cycles;
      /* Also true after a trap or an invalidation (run_until zeroed), so
       * that `gen` is never stale here. */
      if (__builtin_expect(n >= c->run_until, 0))
        break;
      uint64_t rip = c->rip;
      if (b->link_rip[0] == rip && b->link_gen == gen)
        b = b->link[0];
      else if (b->link_rip[1] == rip && b->link_gen == gen)
        b = b->link[1];
      else
        b = find_block(c, b);
    }
    if (c->trap.kind != TRAP_NONE || c->instret >= until || c->interrupt)
      break;
    b = find_block(c, b); /* after a chunk or an invalidation */
  }
  bc->running = NULL;
}

void block_cache_fault_fixup(struct cpu *c) {
  struct block *b = c->blocks ? c->blocks->running : NULL;
  if (!b)
    return;
  c->blocks->running = NULL;
  uint64_t at = b->rip;
  unsigned k = 0;
  while (k < b->count && at != c->insn_rip)
    at += b->insns[k++].len;
  if (k > 0) {
    c->instret += k;
    c->cycles += cycles_before(b, k);
  }
}
