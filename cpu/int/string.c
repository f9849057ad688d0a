/* String instructions movs/stos/lods/cmps/scas with REP, REPE/REPNE and
 * DF (SDM vol. 2, "REP/REPE/REPZ/REPNE/REPNZ"). Each iteration writes
 * memory before it advances rsi/rdi/rcx, so a fault in the middle
 * leaves a state from which the restarted instruction resumes, as on
 * hardware. With a 67 prefix the registers are esi, edi and ecx. */
#include <string.h>

#include "../../mmu/mmu.h"
#include "../exec/atomic.h"
#include "../handlers.h"
#include "alu.h"

static uint64_t str_reg(const struct cpu *c, const struct insn *i, int r) {
  return i->addrsize == 4 ? (uint32_t)c->gpr[r] : c->gpr[r];
}

static void str_set(struct cpu *c, const struct insn *i, int r, uint64_t v) {
  c->gpr[r] = i->addrsize == 4 ? (uint32_t)v : v;
}

/* The source (rsi) honours FS/GS overrides; the destination (rdi) is
 * always ES, whose base is 0 in long mode. */
static uint64_t src_addr(const struct cpu *c, const struct insn *i) {
  uint64_t a = str_reg(c, i, RSI);
  if (i->seg == SEG_FS)
    a += c->fs_base;
  else if (i->seg == SEG_GS)
    a += c->gs_base;
  return a;
}

static int64_t step(const struct cpu *c, int size) {
  return (c->rflags & FLAG_DF) ? -size : size;
}

/* How many whole elements from a to the end of its page. */
static uint64_t elems_in_page(uint64_t a, int size) {
  return (4096 - (a & 4095)) / (unsigned)size;
}

/* A run of forward rep movs/stos elements that stays inside one page of
 * each operand, done as one block copy. Returns the elements done (0
 * when the element-by-element path must be used). */
static uint64_t block_run(struct cpu *c, const struct insn *i, int is_movs,
                          uint64_t count) {
  int size = i->opsize;
  if (c->rflags & FLAG_DF)
    return 0;
  uint64_t dst = str_reg(c, i, RDI), src = is_movs ? src_addr(c, i) : 0;
  uint64_t n = elems_in_page(dst, size);
  if (is_movs && elems_in_page(src, size) < n)
    n = elems_in_page(src, size);
  if (n > count)
    n = count;
  uint64_t bytes = n * (unsigned)size;
  /* A forward copy onto an overlapping later address replicates the
   * pattern element by element; keep those exact. */
  if (n < 2 || (is_movs && dst > src && dst - src < bytes))
    return 0;
  /* Straight between the host pages: the same lookups (and faults, the
   * source first) as a load and a store of the whole run. */
  if (is_movs) {
    const uint8_t *from = tlb_lookup(c->mmu, MMU_READ, src, (unsigned)bytes);
    uint8_t buf[4096];
    if (!from) {
      cpu_load_bytes(c, src, buf, (int)bytes);
      from = buf;
    }
    memmove(cpu_store_ptr(c, dst, (int)bytes), from, bytes);
  } else {
    uint8_t *to = cpu_store_ptr(c, dst, (int)bytes);
    uint64_t v = c->gpr[RAX];
    if (size == 1)
      memset(to, (int)(uint8_t)v, bytes);
    else
      for (uint64_t k = 0; k < bytes; k += (unsigned)size)
        memcpy(to + k, &v, (size_t)size);
  }
  str_set(c, i, RDI, str_reg(c, i, RDI) + bytes);
  if (is_movs)
    str_set(c, i, RSI, str_reg(c, i, RSI) + bytes);
  return n;
}

static void movs_one(struct cpu *c, const struct insn *i) {
  int size = i->opsize;
  uint64_t v = cpu_load(c, src_addr(c, i), size);
  cpu_store(c, str_reg(c, i, RDI), size, v);
  str_set(c, i, RSI, str_reg(c, i, RSI) + step(c, size));
  str_set(c, i, RDI, str_reg(c, i, RDI) + step(c, size));
}

static void stos_one(struct cpu *c, const struct insn *i) {
  int size = i->opsize;
  cpu_store(c, str_reg(c, i, RDI), size, c->gpr[RAX]);
  str_set(c, i, RDI, str_reg(c, i, RDI) + step(c, size));
}

static void lods_one(struct cpu *c, const struct insn *i) {
  int size = i->opsize;
  uint64_t v = cpu_load(c, src_addr(c, i), size);
  cpu_reg_set(c, i, RAX, size, v);
  str_set(c, i, RSI, str_reg(c, i, RSI) + step(c, size));
}

static void cmps_one(struct cpu *c, const struct insn *i) {
  int size = i->opsize;
  /* When both operands fault, this CPU (AMD Zen) reports [rdi]: read it
   * first (the differential harness checks the fault address). */
  uint64_t b = cpu_load(c, str_reg(c, i, RDI), size);
  uint64_t a = cpu_load(c, src_addr(c, i), size);
  str_set(c, i, RSI, str_reg(c, i, RSI) + step(c, size));
  str_set(c, i, RDI, str_reg(c, i, RDI) + step(c, size));
  cpu_flags_lazy(c, FLAGS_SUB, size, a, b, a - b);
}

static void scas_one(struct cpu *c, const struct insn *i) {
  int size = i->opsize;
  uint64_t a = cpu_reg_get(c, i, RAX, size);
  uint64_t b = cpu_load(c, str_reg(c, i, RDI), size);
  str_set(c, i, RDI, str_reg(c, i, RDI) + step(c, size));
  cpu_flags_lazy(c, FLAGS_SUB, size, a, b, a - b);
}

/* rep movs/stos/lods: F2 and F3 both repeat (only cmps/scas look at ZF). */
static void rep_plain(struct cpu *c, const struct insn *i,
                      void (*one)(struct cpu *, const struct insn *),
                      int block) {
  if (i->rep == REP_NONE) {
    one(c, i);
    return;
  }
  uint64_t n;
  while ((n = str_reg(c, i, RCX)) != 0) {
    uint64_t done = block ? block_run(c, i, one == movs_one, n) : 0;
    if (done == 0) {
      one(c, i);
      done = 1;
    }
    str_set(c, i, RCX, n - done);
  }
}

/* repe/repne cmps/scas stop on count 0 or when ZF disagrees. */
static void rep_compare(struct cpu *c, const struct insn *i,
                        void (*one)(struct cpu *, const struct insn *)) {
  if (i->rep == REP_NONE) {
    one(c, i);
    return;
  }
  uint64_t n;
  while ((n = str_reg(c, i, RCX)) != 0) {
    one(c, i);
    str_set(c, i, RCX, n - 1);
    bool equal = cpu_cond(c, 4);
    if (equal != (i->rep == REP_F3))
      break;
  }
}

void op_movs(struct cpu *c, const struct insn *i) {
  rep_plain(c, i, movs_one, 1);
}

void op_stos(struct cpu *c, const struct insn *i) {
  rep_plain(c, i, stos_one, 1);
}

void op_lods(struct cpu *c, const struct insn *i) {
  rep_plain(c, i, lods_one, 0);
}

void op_cmps(struct cpu *c, const struct insn *i) {
  rep_compare(c, i, cmps_one);
}

void op_scas(struct cpu *c, const struct insn *i) {
  rep_compare(c, i, scas_one);
}
