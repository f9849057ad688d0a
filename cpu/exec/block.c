/* The decoded-block cache and the fast run loop (see block.h). A block
 * runs as one threaded chain of its slots (cpu/exec/chain.h), ended by
 * an exit slot (exits.c) that passes control to the next block. */
#include <stdlib.h>
#include <string.h>

#include "../../mmu/mmu.h"
#include "../decode/specialize.h"
#include "../handlers.h"
#include "../int/alu.h"
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
 * loop: c->run_until, which every exit checks, bounds the depth of a
 * chain of blocks where the compiler does not turn the handlers' calls
 * into jumps. */
#define RUN_CHUNK 16384

struct block_cache *block_cache_new(bool large_pages) {
  bound_table_init();
  struct block_cache *bc = calloc(1, sizeof(struct block_cache));
  if (bc)
    block_pool_init(&bc->pool, large_pages);
  return bc;
}

static size_t block_bytes(unsigned count) {
  return sizeof(struct block) + (count + 1u) * sizeof(struct insn);
}

static void free_chain(struct block_cache *bc, struct block *b) {
  while (b) {
    struct block *next = b->next;
    block_mem_free(&bc->pool, b, block_bytes(b->count));
    b = next;
  }
}

static unsigned page_bucket_of(uint64_t page) {
  return (unsigned)(page >> PAGE_SHIFT) & (BLOCK_PAGE_BUCKETS - 1);
}

void block_cache_flush(struct block_cache *bc) {
  /* Every live block is on the page chains, once per page: walking those
   * (4096 heads) instead of the address buckets keeps an execve cheap. A
   * block is retired at its first page's entry. */
  for (unsigned k = 0; k < BLOCK_PAGE_BUCKETS; k++) {
    for (struct block_page *e = bc->by_page[k], *next; e; e = next) {
      next = e->next;
      struct block *b = e->block;
      if (e != &b->pages[0])
        continue;
      bc->buckets[block_bucket(b->rip)] = NULL;
      b->next = bc->retired;
      bc->retired = b;
    }
    bc->by_page[k] = NULL;
  }
  bc->hot = NULL;
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
  free_chain(bc, bc->retired);
  block_pool_release(&bc->pool);
  free(bc);
}

/* Take b out of its address bucket and its page chains and retire it
 * (freed by find_block, once no handler of it can be running). */
static void retire(struct block_cache *bc, struct block *b) {
  struct block **link = &bc->buckets[block_bucket(b->rip)];
  while (*link != b)
    link = &(*link)->next;
  *link = b->next;
  for (unsigned k = 0; k < b->npages; k++) {
    struct block_page **e = &bc->by_page[page_bucket_of(b->pages[k].page)];
    while (*e != &b->pages[k])
      e = &(*e)->next;
    *e = b->pages[k].next;
  }
  b->next = bc->retired;
  bc->retired = b;
  bc->blocks_invalidated++;
  if (bc->hot == b)
    bc->hot = NULL;
}

static bool block_has_page(const struct block *b, uint64_t page) {
  for (unsigned k = 0; k < b->npages; k++)
    if (b->pages[k].page == page)
      return true;
  return false;
}

/* Retire the blocks with bytes in `page`. */
static void invalidate_page(struct block_cache *bc, uint64_t page) {
  for (;;) {
    struct block_page *e = bc->by_page[page_bucket_of(page)];
    while (e && e->page != page)
      e = e->next;
    if (!e)
      return;
    retire(bc, e->block);
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

/* The slot of the instruction at `rip` in b (b->count if none). */
static unsigned slot_of(const struct block *b, uint64_t rip) {
  unsigned k = 0;
  while (k < b->count && b->insns[k].rip != rip)
    k++;
  return k;
}

void block_cache_page_changed(struct cpu *c, uint64_t page) {
  struct block_cache *bc = c->blocks;
  if (!bc || !code_page_has(&bc->pages, page))
    return;
  invalidate_page(bc, page);
  c->run_until = 0; /* the running chain stops at its next exit */
  pages_lock(&bc->pages);
  code_page_remove(&bc->pages, page);
  pages_unlock(&bc->pages);
  if (bc->space)
    code_space_remove(bc->space, page);
  /* A store from the running block into its own pages (self-modifying
   * code, SDM vol. 3, 11.6): the instructions after the storing one may
   * be stale, so the block (retired now: nothing else runs it) is cut
   * right after it (after the Jcc of a fused pair: a side exit taken
   * leaves the block anyway, counted by the Jcc's own counts). */
  struct block *b = bc->running;
  if (b && block_has_page(b, page)) {
    unsigned k = slot_of(b, c->insn_rip);
    /* A fused pair's handler goes on after its Jcc. */
    if (k + 1 < b->count && b->insns[k + 1].imm2 == BLOCK_FUSED_JCC)
      k++;
    if (k + 1 < b->count) {
      b->cut_counts = (uint32_t)BLOCK_COUNTS(k + 1u, cycles_before(b, k + 1));
      /* The storing handler chains into this slot next. */
      b->insns[k + 1].handler = chain_cut;
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

/* How a form stands to the flags' liveness (drop_dead_flags), by op. */
enum {
  FLAGS_SAFE = 1,     /* cannot fault on registers (a specialised copy) */
  FLAGS_SAFE_ANY = 2, /* cannot fault whatever its operands */
  FLAGS_ALL = 4,      /* writes all six arithmetic flags */
  FLAGS_SHIFT = 8,    /* all six unless its count may be 0 */
};
static uint8_t flags_class[OP_COUNT];

static uint8_t flags_class_of(const struct op_desc *d) {
  cpu_handler g = d->handler;
  if (g == op_jmp_rel || g == op_lea || g == op_nop)
    return FLAGS_SAFE_ANY;
  if (g == op_alu_rm_r || g == op_alu_r_rm || g == op_alu_rm_imm ||
      g == op_alu_a_imm)
    return FLAGS_SAFE |
           ((d->arg & 7) != ALU_ADC && (d->arg & 7) != ALU_SBB ? FLAGS_ALL : 0);
  if (g == op_test_rm_r || g == op_test_rm_imm || g == op_test_a_imm ||
      g == op_neg)
    return FLAGS_SAFE | FLAGS_ALL;
  if (g == op_shift)
    return FLAGS_SAFE | FLAGS_SHIFT;
  if (g == op_inc_dec || g == op_not || g == op_imul2 || g == op_imul3 ||
      g == op_bt || g == op_mov_rm_r || g == op_mov_r_rm ||
      g == op_mov_rm_imm || g == op_mov_r_imm || g == op_movzx ||
      g == op_movsx || g == op_cmovcc || g == op_setcc)
    return FLAGS_SAFE;
  return 0;
}

static void bound_table_init(void) {
  for (int k = 0; k < OP_COUNT; k++) {
    bound_table[k] = (int8_t)bound_of(cpu_ops[k].handler);
    flags_class[k] = flags_class_of(&cpu_ops[k]);
  }
}

static int block_bound(const struct insn *in) { return bound_table[in->op]; }

/* Whether the block's last instruction sets RIP itself (the stop slot
 * then leaves it). */
static bool ends_with_branch(const struct insn *last) {
  cpu_handler h = cpu_ops[last->op].handler;
  return h == op_jcc || h == op_jmp_rel || h == op_jmp_rm || h == op_call_rel ||
         h == op_call_rm || h == op_ret || h == op_loop || h == op_jrcxz ||
         h == op_jmp_far || h == op_call_far || h == op_retf || h == op_iret;
}

/* The target of a direct branch (jmp, call, Jcc rel), or 0 when it is
 * not one the builder goes through (16-bit, not canonical). */
static uint64_t direct_target(const struct insn *in) {
  cpu_handler h = cpu_ops[in->op].handler;
  if ((h != op_jmp_rel && h != op_call_rel && h != op_jcc) || in->opsize != 8)
    return 0;
  uint64_t target = in->rip + in->len + in->imm;
  return cpu_canonical(target) ? target : 0;
}

/* What the builder knows of the block so far. */
struct build_state {
  uint64_t pages[BLOCK_MAX_PAGES];
  unsigned npages;
  /* Address ranges decoded, so that a branch into one ends the block
   * rather than decode the same instruction twice. */
  struct {
    uint64_t start, end;
  } runs[8];
  unsigned nruns;
};

static bool build_has_page(const struct build_state *s, uint64_t page) {
  for (unsigned k = 0; k < s->npages; k++)
    if (s->pages[k] == page)
      return true;
  return false;
}

static bool build_add_page(struct build_state *s, uint64_t page) {
  if (build_has_page(s, page))
    return true;
  if (s->npages == BLOCK_MAX_PAGES)
    return false;
  s->pages[s->npages++] = page;
  return true;
}

/* Whether decoding may go on at `target`: a page the block may add, an
 * address not decoded yet, room for one more run when it starts one. */
static bool can_go_to(const struct build_state *s, uint64_t target,
                      bool new_run) {
  if (new_run && s->nruns == sizeof s->runs / sizeof s->runs[0])
    return false;
  if (!build_has_page(s, target & PAGE_MASK) && s->npages == BLOCK_MAX_PAGES)
    return false;
  for (unsigned k = 0; k < s->nruns; k++)
    if (target >= s->runs[k].start && target < s->runs[k].end)
      return false;
  return true;
}

/* Decode the instruction at `at` into *in from the fetch TLB's view of
 * its page only (no walk, no fault: the block simply ends before it). */
static bool decode_at(struct cpu *c, uint64_t at, struct insn *in) {
  const uint8_t *bytes = tlb_lookup(c->mmu, MMU_FETCH, at, 1);
  if (!bytes)
    return false;
  int avail = (int)(PAGE_SIZE - (at & ~PAGE_MASK));
  if (cpu_decode(bytes, avail < 15 ? avail : 15, in) != 0 ||
      block_bound(in) == BOUND_STARTS)
    return false;
  in->rip = at;
  cpu_specialize_at(in);
  return true;
}

/* Where decoding goes on after `in` in the middle of a block: at the
 * next address, or at a direct branch's target; 0 where the block ends
 * at `in`. *through is then the handler `in` gets if decoding does go
 * on (a side exit, a jump or call gone through), else NULL. */
static uint64_t continue_at(const struct build_state *s, const struct insn *in,
                            cpu_handler *through) {
  uint64_t next = in->rip + in->len, at = next;
  *through = NULL;
  if (block_bound(in) == BOUND_ENDS) {
    uint64_t target = direct_target(in);
    if (!target || in->handler == chain_generic)
      return 0;
    if (cpu_ops[in->op].handler == op_jcc) {
      /* Forward only: a backward branch is likely a loop's, taken. */
      if (target <= in->rip)
        return 0;
      *through = block_side_exit_handler(in);
    } else {
      *through = block_through_handler(in);
      at = target;
    }
    if (!*through)
      return 0;
  }
  return can_go_to(s, at, at != next) ? at : 0;
}

/* Put b on the page chains and in the set of code pages, whose stores
 * must now take the slow path that invalidates. */
static void add_pages(struct cpu *c, struct block *b,
                      const struct build_state *s) {
  struct block_cache *bc = c->blocks;
  bool first_holder = false;
  b->npages = (uint8_t)s->npages;
  for (unsigned k = 0; k < s->npages; k++) {
    uint64_t page = s->pages[k];
    struct block_page *e = &b->pages[k];
    unsigned h = page_bucket_of(page);
    e->page = page;
    e->block = b;
    e->next = bc->by_page[h];
    bc->by_page[h] = e;
    pages_lock(&bc->pages);
    bool new_page = code_page_add(&bc->pages, page);
    pages_unlock(&bc->pages);
    tlb_flush_write(c->mmu, page);
    /* The process's first code in a page: other CPUs' write entries for
     * it go too, so that their stores into it take the slow path that
     * tells this CPU (the shootdown is a no-op with one CPU). */
    if (bc->space && new_page && code_space_add(bc->space, page) == 1)
      first_holder = true;
  }
  if (first_holder)
    mmu_shootdown(c->mmu);
}

/* --- dead flags --- */

/* Whether a slot can neither fault nor trap: a specialised handler on
 * registers only (or a direct jump gone through). A fault makes the
 * flags visible as they are (to a signal handler, a crash report). */
static bool cannot_fault(const struct insn *in) {
  unsigned class = flags_class[in->op];
  if (in->handler == chain_generic || !class)
    return false;
  return (class & FLAGS_SAFE_ANY) || !(cpu_ops[in->op].decode & D_MODRM) ||
         in->mod == 3;
}

/* Whether a slot writes all six arithmetic flags whatever its operands
 * (a shift by CL may shift by 0 and write none). */
static bool writes_all_flags(const struct insn *in) {
  unsigned class = flags_class[in->op];
  if (class & FLAGS_ALL)
    return true;
  if (class & FLAGS_SHIFT) /* shl, shr, sal, sar by 1 or a non-zero imm */
    return (in->arg & 7) >= 4 && (in->arg >> 3) != 1 &&
           ((in->arg >> 3) == 0 || (in->imm & (in->opsize == 8 ? 63 : 31)));
  return false;
}

/* Give the copies that record no flags to the slots whose flags nothing
 * can see: written again, by a slot that cannot fault, before any slot
 * reads them, may fault or leaves the block (every exit leaves them
 * live). What the guest can observe stays exact; only the work of
 * recording flags no one reads goes. Scanned backwards: `live` says
 * whether the flags as they are after the slot can be seen. */
static void drop_dead_flags(struct insn *in, unsigned count) {
  bool live = true;
  for (unsigned k = count; k-- > 0;) {
    const struct op_desc *d = &cpu_ops[in[k].op];
    bool fused = k + 1 < count && in[k + 1].imm2 == BLOCK_FUSED_JCC;
    if (!live && (d->flags_written & FLAGS_ARITH) && !fused &&
        in[k].handler != chain_generic) {
      cpu_handler h = cpu_specialize_noflags(&in[k]);
      if (h)
        in[k].handler = h;
    }
    bool reads = d->flags_read || in[k].imm2 == BLOCK_FUSED_JCC;
    if (reads || !cannot_fault(&in[k]))
      live = true;
    else if (writes_all_flags(&in[k]))
      live = false;
  }
}

/* Decode a block at `rip`. A first build (`super` false) decodes a
 * basic block: on in its first page up to the first instruction that
 * may change RIP; its first instruction is fetched at c->rip and faults
 * as usual. A block found hot is built again as a superblock (`super`),
 * from the fetch TLB only, without a fault: NULL when it cannot. Later
 * instructions that cannot be decoded stop a block, to fault only if
 * reached. */
static struct block *build_at(struct cpu *c, uint64_t rip, bool super) {
  struct block_cache *bc = c->blocks;
  /* Decoded into a scratch array first, then copied into a block of the
   * exact size: no realloc, and no per-block room for the longest. */
  struct insn *in = bc->scratch;
  struct build_state s = {.npages = 0};
  if (super) {
    if (!decode_at(c, rip, &in[0]))
      return NULL;
  } else {
    cpu_fetch_decode(c, &in[0]);
    in[0].rip = rip;
    cpu_specialize_at(&in[0]);
  }
  build_add_page(&s, rip & PAGE_MASK);
  /* The first instruction may reach into the next page; the others are
   * decoded from their own page's bytes only. */
  build_add_page(&s, (rip + in[0].len - 1) & PAGE_MASK);
  s.runs[0].start = rip;
  s.nruns = 1;
  unsigned count = 1;
  bool further = false; /* a superblock would go on after the last */
  bool side[BLOCK_MAX_INSNS] = {false}; /* slots that are side exits */
  while (count < BLOCK_MAX_INSNS) {
    struct insn *last = &in[count - 1];
    uint64_t next = last->rip + last->len;
    s.runs[s.nruns - 1].end = next;
    cpu_handler through;
    uint64_t at = continue_at(&s, last, &through);
    if (!super && at &&
        (through || at != next || (at & PAGE_MASK) != s.pages[0])) {
      further = true;
      break;
    }
    if (!at || !decode_at(c, at, &in[count]))
      break;
    build_add_page(&s, at & PAGE_MASK); /* room: can_go_to */
    if (through) {
      last->handler = through;
      side[count - 1] = cpu_ops[last->op].handler == op_jcc;
    }
    if (at != next) { /* a run at a branch target */
      s.runs[s.nruns].start = at;
      s.nruns++;
    }
    count++;
  }
  struct insn *last = &in[count - 1];
  uint64_t end = last->rip + last->len;
  /* A compare (or other flag setter) followed by the Jcc ending the block
   * runs as one fused handler; the Jcc's slot is then not dispatched but
   * still counted. */
  for (unsigned k = 1; k < count; k++) {
    if (!side[k] && (k != count - 1 || cpu_ops[in[k].op].handler != op_jcc))
      continue;
    cpu_handler fused = cpu_specialize_fused(&in[k - 1], side[k]);
    if (fused && in[k - 1].handler != chain_generic && !side[k - 1]) {
      in[k - 1].handler = fused;
      in[k].imm2 = BLOCK_FUSED_JCC;
    }
  }
  drop_dead_flags(in, count);
  struct block *b = block_mem_alloc(&c->blocks->pool, block_bytes(count));
  memcpy(b->insns, in, count * sizeof(struct insn));
  b->rip = rip;
  b->count = (uint16_t)count;
  b->cut_counts = 0;
  b->heat = 0;
  /* The exits: the side exits' counts, then the stop slot. */
  uint32_t cycles = 0;
  for (unsigned k = 0; k < count; k++) {
    cycles += b->insns[k].cycles;
    if (side[k])
      b->insns[k].disp = BLOCK_COUNTS(k + 1, cycles);
  }
  struct insn *stop = &b->insns[count];
  memset(stop, 0, sizeof *stop);
  stop->rip = end;
  stop->imm = (uint64_t)(uintptr_t)b;
  stop->disp = BLOCK_COUNTS(count, cycles);
  bool branch = ends_with_branch(last);
  enum block_stop kind = branch ? STOP_BRANCH : STOP_FALLTHROUGH;
  if (branch && direct_target(last) == rip)
    kind = STOP_LOOP;
  else if (further)
    kind = branch ? STOP_BRANCH_COLD : STOP_FALLTHROUGH_COLD;
  stop->handler = block_stop_handler(kind);
  unsigned h = block_bucket(b->rip);
  b->next = bc->buckets[h];
  bc->buckets[h] = b;
  bc->blocks_built++;
  add_pages(c, b, &s);
  return b;
}

/* A basic block ran BLOCK_HOT times: built again as a superblock, which
 * takes its place. */
static void rebuild_hot(struct cpu *c, struct block *b) {
  if (build_at(c, b->rip, true))
    retire(c->blocks, b);
}

/* The block at c->rip, found (and put first in its bucket, where exits
 * look) or built. Blocks retired by an invalidation are freed here,
 * where none of them runs any more (an invalidation zeroes run_until,
 * so the chain always comes back to the loop after one). */
static struct block *find_block(struct cpu *c) {
  struct block_cache *bc = c->blocks;
  bc->running = NULL;
  if (bc->retired) {
    free_chain(bc, bc->retired);
    bc->retired = NULL;
  }
  c->insn_rip = c->rip; /* a fetch fault while building restarts here */
  struct block **head = &bc->buckets[block_bucket(c->rip)];
  for (struct block **link = head; *link; link = &(*link)->next) {
    struct block *b = *link;
    if (b->rip == c->rip) {
      if (link != head) {
        *link = b->next;
        b->next = *head;
        *head = b;
      }
      return b;
    }
  }
  return build_at(c, c->rip, false);
}

/* The block loop. Returns when a trap is pending or when `until`
 * instructions have retired. A block runs as one threaded chain of its
 * slots and hands over to the next block at its exit (exits.c) while it
 * can, counting as it goes; the chain comes back here for a block not
 * yet built or not first in its bucket, at the end of a chunk of
 * RUN_CHUNK instructions, or when a trap, an invalidation or a signal
 * zeroed c->run_until. Self-modifying code cuts the running block short
 * (chain_cut); a fault longjmps out of the handler and
 * block_cache_fault_fixup counts the part that retired. */
void cpu_run_blocks(struct cpu *c, uint64_t until) {
  struct block_cache *bc = c->blocks;
  while (c->instret < until) {
    c->run_until =
        until - c->instret > RUN_CHUNK ? c->instret + RUN_CHUNK : until;
    /* After run_until is set: a handler that ran before it zeroed an
     * older value, so the flag is the only trace of it. */
    if (c->interrupt)
      break;
    if (bc->hot) {
      rebuild_hot(c, bc->hot);
      bc->hot = NULL;
    }
    struct block *b = find_block(c);
    bc->running = b;
    b->insns[0].handler(c, b->insns); /* runs the chain (cpu/chain.h) */
    if (c->trap.kind != TRAP_NONE || c->interrupt)
      break;
  }
  bc->running = NULL;
}

void block_cache_fault_fixup(struct cpu *c) {
  struct block *b = c->blocks ? c->blocks->running : NULL;
  if (!b)
    return;
  c->blocks->running = NULL;
  unsigned k = slot_of(b, c->insn_rip);
  if (k > 0) {
    c->instret += k;
    c->cycles += cycles_before(b, k);
  }
}
