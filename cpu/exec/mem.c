/* Guest virtual memory as the executing instruction sees it. The fast
 * path is the TLB (mmu.h: tlb_lookup); a miss walks the page tables; an
 * access the walk refuses becomes a #PF (or #GP, #SS for a non-canonical
 * address) that unwinds to cpu_run, which hands it to the kernel. */
#include <string.h>

#include "../../mmu/mmu.h"
#include "../cpu.h"
#include "atomic.h"
#include "block.h"
#include "code_space.h"

_Noreturn void cpu_raise(struct cpu *c, enum trap_kind kind, uint32_t error) {
  c->trap.kind = kind;
  c->trap.rip = c->insn_rip;
  c->trap.error = error;
  longjmp(*c->fault_jmp, 1);
}

/* A non-canonical address: #SS when the access goes through SS, else
 * #GP (SDM vol. 3, 6.15, interrupts 12 and 13). */
_Noreturn void cpu_raise_noncanonical(struct cpu *c) {
  c->trap.addr = 0;
  cpu_raise(c, c->ss_access ? TRAP_SS : TRAP_GP, 0);
}

static _Noreturn void page_fault(struct cpu *c, uint64_t addr, uint32_t err) {
  if (err & PFERR_NONCANONICAL)
    cpu_raise_noncanonical(c);
  c->trap.addr = addr;
  cpu_raise(c, TRAP_PF, err);
}

/* An access whose last byte lies beyond the canonical boundary is #GP
 * as a whole, before any of its pages can fault (this CPU: an 8-byte
 * load at 0x7ffffffffffc is #GP, not a #PF on its first page). One that
 * wraps past 2^64 starts in the kernel half, whose first page faults. */
static void check_end_canonical(struct cpu *c, uint64_t addr, int n) {
  if (!cpu_canonical(addr + (uint64_t)n - 1))
    cpu_raise_noncanonical(c);
}

/* Host address of guest byte `addr` for an access of `kind`. */
static uint8_t *host_byte(struct cpu *c, uint64_t addr, enum mmu_access kind) {
  uint8_t *p = tlb_lookup(c->mmu, kind, addr, 1);
  if (p)
    return p;
  uint64_t paddr;
  uint32_t err = mmu_translate(c->mmu, addr, kind, &paddr);
  if (err)
    page_fault(c, addr, err);
  /* A store to a page holding decoded code invalidates those blocks
   * (self-modifying code); such stores always come this way because
   * building a block drops the page's write-TLB entry. */
  if (kind == MMU_WRITE && c->blocks) {
    block_cache_page_changed(c, addr & PAGE_MASK);
    /* Another CPU runs code from this page: it must drop it, and this
     * CPU keeps no write entry while the page is code there. */
    if (c->mmu->space->ncpus > 1 &&
        code_space_count(c->code_space, addr & PAGE_MASK)) {
      tlb_flush_write(c->mmu, addr);
      if (c->remote_code_write)
        c->remote_code_write(c->remote_ctx, addr & PAGE_MASK);
    }
  }
  return mmu_phys(c->mmu, paddr);
}

/* Copies of the sizes SSE and x87 operands have, as plain moves rather
 * than a call to memcpy. */
static inline void copy_operand(void *dst, const void *src, int n) {
  switch (n) {
  case 16: memcpy(dst, src, 16); break;
  case 8: memcpy(dst, src, 8); break;
  case 4: memcpy(dst, src, 4); break;
  default: memcpy(dst, src, (size_t)n); break;
  }
}

/* Page by page, walking on a TLB miss (out of line: the hit path of
 * cpu_load_bytes then needs no stack frame). */
static __attribute__((noinline)) void load_pages(struct cpu *c, uint64_t addr,
                                                 uint8_t *out, int n) {
  check_end_canonical(c, addr, n);
  while (n > 0) {
    int room = (int)(PAGE_SIZE - (addr & ~PAGE_MASK));
    int k = n < room ? n : room;
    memcpy(out, host_byte(c, addr, MMU_READ), (size_t)k);
    out += k, addr += (uint64_t)k, n -= k;
  }
}

void cpu_load_bytes(struct cpu *c, uint64_t addr, void *dst, int n) {
  if (n <= 0)
    return;
  const uint8_t *p = tlb_lookup(c->mmu, MMU_READ, addr, (unsigned)n);
  if (p) /* the common case: one page, in the TLB */
    copy_operand(dst, p, n);
  else
    load_pages(c, addr, dst, n);
}

void cpu_probe_write(struct cpu *c, uint64_t addr, int n) {
  if (n > 0 && tlb_lookup(c->mmu, MMU_WRITE, addr, (unsigned)n))
    return;
  check_end_canonical(c, addr, n);
  uint64_t last = addr + (uint64_t)n - 1;
  host_byte(c, addr, MMU_WRITE);
  /* A fault on the second page reports its first byte, as CR2 does. */
  if ((last & PAGE_MASK) != (addr & PAGE_MASK))
    host_byte(c, last & PAGE_MASK, MMU_WRITE);
}

static __attribute__((noinline)) void store_pages(struct cpu *c, uint64_t addr,
                                                  const uint8_t *in, int n) {
  check_end_canonical(c, addr, n);
  /* Both pages must be writable before either is changed. */
  if (n <= (int)PAGE_SIZE)
    cpu_probe_write(c, addr, n);
  while (n > 0) {
    int room = (int)(PAGE_SIZE - (addr & ~PAGE_MASK));
    int k = n < room ? n : room;
    memcpy(host_byte(c, addr, MMU_WRITE), in, (size_t)k);
    in += k, addr += (uint64_t)k, n -= k;
  }
}

void cpu_store_bytes(struct cpu *c, uint64_t addr, const void *src, int n) {
  if (n <= 0)
    return;
  uint8_t *p = tlb_lookup(c->mmu, MMU_WRITE, addr, (unsigned)n);
  if (p) /* one page, in the TLB, holding no decoded code */
    copy_operand(p, src, n);
  else
    store_pages(c, addr, src, n);
}

void *cpu_store_ptr(struct cpu *c, uint64_t addr, int size) {
  void *p = tlb_lookup(c->mmu, MMU_WRITE, addr, (unsigned)size);
  if (p)
    return p;
  /* store_pages for an access in one page, without the copy. */
  check_end_canonical(c, addr, size);
  cpu_probe_write(c, addr, size);
  return host_byte(c, addr, MMU_WRITE);
}

uint64_t cpu_load(struct cpu *c, uint64_t addr, int size) {
  uint64_t v = 0;
  void *p = tlb_lookup(c->mmu, MMU_READ, addr, (unsigned)size);
  if (p) {
    memcpy(&v, p, (size_t)size);
    return v;
  }
  /* Straight to the page walk (the TLB just missed): going through
   * cpu_load_bytes would inline copy_operand's 16-byte case on this
   * 8-byte value, which gcc -O3 rejects (-Warray-bounds). */
  load_pages(c, addr, (uint8_t *)&v, size);
  return v;
}

void cpu_store(struct cpu *c, uint64_t addr, int size, uint64_t v) {
  void *p = tlb_lookup(c->mmu, MMU_WRITE, addr, (unsigned)size);
  if (p) {
    memcpy(p, &v, (size_t)size);
    return;
  }
  store_pages(c, addr, (const uint8_t *)&v, size); /* as in cpu_load */
}

uint64_t cpu_stack_load(struct cpu *c, uint64_t addr, int size) {
  uint8_t was = c->ss_access;
  c->ss_access = 1;
  uint64_t v = cpu_load(c, addr, size);
  c->ss_access = was;
  return v;
}

void cpu_stack_store(struct cpu *c, uint64_t addr, int size, uint64_t v) {
  uint8_t was = c->ss_access;
  c->ss_access = 1;
  cpu_store(c, addr, size, v);
  c->ss_access = was;
}

void cpu_stack_probe_write(struct cpu *c, uint64_t addr, int n) {
  uint8_t was = c->ss_access;
  c->ss_access = 1;
  cpu_probe_write(c, addr, n);
  c->ss_access = was;
}

void cpu_push(struct cpu *c, int size, uint64_t v) {
  uint64_t rsp = c->gpr[RSP] - (uint64_t)size;
  cpu_stack_store(c, rsp, size, v);
  c->gpr[RSP] = rsp;
}

uint64_t cpu_pop(struct cpu *c, int size) {
  uint64_t v = cpu_stack_load(c, c->gpr[RSP], size);
  c->gpr[RSP] += (uint64_t)size;
  return v;
}
