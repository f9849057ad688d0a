/* The fetch–decode–execute loop. It runs until an instruction traps:
 * `syscall`, int3 and budget exhaustion return normally; faults unwind
 * here by longjmp from cpu/mem.c, with RIP put back on the faulting
 * instruction so that the kernel can resolve the fault and restart it. */
#include <stdlib.h>
#include <string.h>

#include "../mmu/mmu.h"
#include "cpu.h"
#include "decode/specialize.h"
#include "exec/block.h"
#include "exec/chain.h"
#include "exec/code_space.h"
#include "sse/sse.h"

static void code_changed(void *ctx, uint64_t page) {
  block_cache_page_changed(ctx, page);
}

/* Whether this host process already gave a block cache host large
 * pages (block_mem.h): its first CPU gets them, later threads' CPUs do
 * not, and neither does a forked child's copy, until an execve. */
static bool large_pages_given;

void cpu_set_block_cache(struct cpu *c, bool on) {
  if (on && !c->blocks) {
    c->blocks = block_cache_new(!large_pages_given);
    large_pages_given = true;
    if (c->blocks)
      c->blocks->space = c->code_space;
  } else if (!on && c->blocks) {
    block_cache_free(c->blocks);
    c->blocks = NULL;
  }
}

void cpu_destroy(struct cpu *c) {
  cpu_set_block_cache(c, false);
  for (unsigned k = 0; k < c->replaced_count; k++)
    block_cache_free(c->replaced_blocks[k]);
  free(c->replaced_blocks);
  c->replaced_blocks = NULL;
  c->replaced_count = 0;
  code_space_put(c->code_space);
  c->code_space = NULL;
}

void cpu_share_code_space(struct cpu *c, const struct cpu *with) {
  code_space_put(c->code_space);
  c->code_space = code_space_get(with->code_space);
  if (c->blocks)
    c->blocks->space = c->code_space;
}

void cpu_forget_code(struct cpu *c) {
  if (!c->blocks)
    return;
  if (!c->blocks_inherited) {
    block_cache_flush(c->blocks);
    return;
  }
  /* Flushing writes to every block, so the host would copy each page of
   * the parent's cache for the child only to drop it. An empty cache
   * replaces it; the old one stays, shared with the parent, costing
   * nothing, until cpu_destroy. */
  struct block_cache *fresh = block_cache_new(true); /* one thread left */
  struct block_cache **kept =
      realloc(c->replaced_blocks, (c->replaced_count + 1) * sizeof *kept);
  c->blocks_inherited = false;
  if (kept)
    c->replaced_blocks = kept;
  if (!fresh || !kept) {
    block_cache_free(fresh);
    block_cache_flush(c->blocks);
    return;
  }
  kept[c->replaced_count++] = c->blocks;
  /* The old cache's pages counted in the inherited space: a fresh space
   * for the new image (execve leaves one thread), the old one left to
   * the parent's copy. */
  c->blocks->space = NULL;
  code_space_put(c->code_space);
  c->code_space = code_space_new();
  fresh->space = c->code_space;
  c->blocks = fresh;
}

void cpu_forked(struct cpu *c) { c->blocks_inherited = true; }

void cpu_invalidate_code(struct cpu *c, uint64_t page) {
  block_cache_page_changed(c, page);
}

void cpu_init(struct cpu *c, struct mmu *mmu) {
  cpu_decode_init();
  memset(c, 0, sizeof *c);
  c->mmu = mmu;
  mmu->code_write_hook = code_changed;
  mmu->code_hook_ctx = c;
  c->code_space = code_space_new();
  cpu_set_block_cache(c, true);
  c->rflags = FLAGS_FIXED | FLAG_IF;
  c->flags.op = FLAGS_EAGER;
  c->mxcsr = 0x1f80;       /* all exceptions masked, round to nearest */
  c->fpu.control = 0x037f; /* FNINIT state (SDM vol. 1, 8.1.5) */
  c->fpu.tag = 0xffff;
}

/* Bytes of the instruction at rip: straight from the fetch TLB when all
 * 15 possible bytes sit in one mapped page, else copied page by page so
 * that an instruction ending before a page boundary never faults on the
 * next page. Returns the number of valid bytes. */
static int fetch_first(struct cpu *c, uint64_t rip, uint8_t *buf,
                       const uint8_t **bytes) {
  const uint8_t *p = tlb_lookup(c->mmu, MMU_FETCH, rip, 15);
  if (p) {
    *bytes = p;
    return 15;
  }
  int room = (int)(PAGE_SIZE - (rip & ~PAGE_MASK));
  int n = room < 15 ? room : 15;
  uint64_t paddr;
  p = tlb_lookup(c->mmu, MMU_FETCH, rip, (unsigned)n);
  if (!p) {
    uint32_t err = mmu_translate(c->mmu, rip, MMU_FETCH, &paddr);
    if (err) {
      c->trap.addr = rip;
      cpu_raise(c, err & PFERR_NONCANONICAL ? TRAP_GP : TRAP_PF,
                err & PFERR_NONCANONICAL ? 0 : err);
    }
    p = mmu_phys(c->mmu, paddr);
  }
  memcpy(buf, p, (size_t)n);
  *bytes = buf;
  return n;
}

static void fetch_rest(struct cpu *c, uint64_t rip, uint8_t *buf, int have) {
  uint64_t next = rip + (uint64_t)have;
  uint64_t paddr;
  const uint8_t *p = tlb_lookup(c->mmu, MMU_FETCH, next, (unsigned)(15 - have));
  if (!p) {
    uint32_t err = mmu_translate(c->mmu, next, MMU_FETCH, &paddr);
    if (err) {
      c->trap.addr = next;
      cpu_raise(c, err & PFERR_NONCANONICAL ? TRAP_GP : TRAP_PF,
                err & PFERR_NONCANONICAL ? 0 : err);
    }
    p = mmu_phys(c->mmu, paddr);
  }
  memcpy(buf + have, p, (size_t)(15 - have));
}

/* Decode the instruction at c->rip, raising #PF/#UD as hardware would. */
void cpu_fetch_decode(struct cpu *c, struct insn *in) {
  uint8_t buf[16];
  const uint8_t *bytes;
  uint64_t rip = c->rip;
  int avail = fetch_first(c, rip, buf, &bytes);
  int r = cpu_decode(bytes, avail, in);
  if (r == -2) {
    fetch_rest(c, rip, buf, avail);
    r = cpu_decode(buf, 15, in);
  }
  if (r != 0)
    cpu_raise(c, TRAP_UD, 0);
}

static enum trap_kind run_loop(struct cpu *c, uint64_t max_insns) {
  jmp_buf env;
  volatile uint64_t left = max_insns;
  c->fault_jmp = &env;
  c->trap.kind = TRAP_NONE;
  if (setjmp(env)) {
    /* A fault: the instruction did not retire; restart it later. Those
     * before it in its block did, and are counted now. */
    block_cache_fault_fixup(c);
    if (c->trap.kind != TRAP_BP)
      c->rip = c->insn_rip;
    return c->trap.kind;
  }
  /* The block loop is the fast path; tracing runs the plain loop so that
   * the hook costs nothing when it is off. */
  if (c->blocks && !c->trace_hook) {
    uint64_t until = max_insns > UINT64_MAX - c->instret
                         ? UINT64_MAX
                         : c->instret + max_insns;
    cpu_run_blocks(c, until);
    if (c->trap.kind != TRAP_NONE)
      return c->trap.kind;
    c->trap.kind = TRAP_BUDGET;
    return TRAP_BUDGET;
  }
  /* A run of one instruction: the handlers chain (cpu/chain.h). */
  struct insn run[2];
  memset(&run[1], 0, sizeof run[1]);
  run[1].handler = chain_stop;
  while (left) {
    left--;
    c->insn_rip = c->rip;
    cpu_fetch_decode(c, &run[0]);
    run[0].rip = c->insn_rip;
    cpu_specialize_at(&run[0]);
    uint64_t start = c->cycles;
    c->rip += run[0].len;
    run[0].handler(c, run);
    c->cycles += run[0].cycles;
    c->instret++;
    /* Traced when it retires, so a faulting (restarted) instruction
     * appears once, with the cycle count at its start. */
    if (c->trace_hook)
      c->trace_hook(c, &run[0], start, c->trace_ctx);
    if (c->trap.kind != TRAP_NONE)
      return c->trap.kind;
    if (c->interrupt)
      break;
  }
  c->trap.kind = TRAP_BUDGET;
  return TRAP_BUDGET;
}

/* The kernel sees the guest's MXCSR flags and the host its own MXCSR. */
enum trap_kind cpu_run(struct cpu *c, uint64_t max_insns) {
  enum trap_kind k = run_loop(c, max_insns);
  sse_host_sync(c);
  return k;
}
