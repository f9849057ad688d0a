/* The emu side: emu's MMU with the code page and the scratch area mapped
 * at the native addresses, emu's CPU loaded with the same state, run
 * until the final int3 or a fault. The x87 state is carried in and out
 * of struct x87 (physical registers, full tag word) through the same
 * FXSAVE image the native side uses. */
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu.h"
#include "diff.h"
#include "mmu/mmu.h"

#define BUDGET 100000 /* far more than any sequence (rep counts are small) */

static struct mmu mmu;
static struct cpu cpu;

static void map_page(uint64_t vaddr, uint64_t flags) {
  uint64_t frame = mmu_frame_alloc(&mmu);
  if (!frame || mmu_map(&mmu, vaddr, frame, flags, NULL)) {
    fprintf(stderr, "difftest: cannot map %#llx in emu\n",
            (unsigned long long)vaddr);
    exit(2);
  }
}

void emu_side_init(bool block_cache) {
  if (mmu_init(&mmu, 16ull << 20)) {
    fprintf(stderr, "difftest: mmu_init failed\n");
    exit(2);
  }
  cpu_init(&cpu, &mmu);
  cpu_set_block_cache(&cpu, block_cache);
  map_page(DIFF_CODE_ADDR, PTE_U | PTE_W);
  for (uint64_t a = 0; a < DIFF_DATA_SIZE; a += PAGE_SIZE)
    map_page(DIFF_DATA_ADDR + a, PTE_U | PTE_W | PTE_NX);
}

/* The two-bit tag of a non-empty register (SDM vol. 1, 8.1.7). */
static unsigned tag_of(const uint8_t *st) {
  uint64_t mant;
  uint16_t se;
  memcpy(&mant, st, 8);
  memcpy(&se, st + 8, 2);
  unsigned exp = se & 0x7fff;
  if (exp == 0)
    return mant ? 2 : 1;
  if (exp == 0x7fff || !(mant >> 63))
    return 2;
  return 0;
}

static void load_fp(struct cpu *c, const uint8_t *fx) {
  uint16_t fcw, fsw;
  uint32_t mxcsr;
  memcpy(&fcw, fx + FX_FCW, 2);
  memcpy(&fsw, fx + FX_FSW, 2);
  memcpy(&mxcsr, fx + FX_MXCSR, 4);
  memset(&c->fpu, 0, sizeof c->fpu);
  c->fpu.control = fcw;
  c->fpu.top = (uint8_t)((fsw >> 11) & 7);
  c->fpu.status = fsw & (uint16_t)~0x3800;
  uint16_t tag = 0;
  for (int st = 0; st < 8; st++) {
    int phys = (c->fpu.top + st) & 7;
    const uint8_t *src = fx + FX_ST + 16 * st;
    memcpy(&c->fpu.st[phys].mantissa, src, 8);
    memcpy(&c->fpu.st[phys].sign_exponent, src + 8, 2);
    unsigned t = (fx[FX_FTW] >> phys) & 1 ? tag_of(src) : 3;
    tag |= (uint16_t)(t << (2 * phys));
  }
  c->fpu.tag = tag;
  c->mxcsr = mxcsr;
  for (int r = 0; r < 16; r++)
    memcpy(&c->xmm[r], fx + FX_XMM + 16 * r, 16);
}

static void save_fp(const struct cpu *c, uint8_t *fx) {
  memset(fx, 0, 512);
  uint16_t fsw = (uint16_t)((c->fpu.status & ~0x3800) | (c->fpu.top & 7) << 11);
  memcpy(fx + FX_FCW, &c->fpu.control, 2);
  memcpy(fx + FX_FSW, &fsw, 2);
  uint8_t ftw = 0;
  for (int phys = 0; phys < 8; phys++)
    if (((c->fpu.tag >> (2 * phys)) & 3) != 3)
      ftw |= (uint8_t)(1u << phys);
  fx[FX_FTW] = ftw;
  for (int st = 0; st < 8; st++) {
    int phys = (c->fpu.top + st) & 7;
    memcpy(fx + FX_ST + 16 * st, &c->fpu.st[phys].mantissa, 8);
    memcpy(fx + FX_ST + 16 * st + 8, &c->fpu.st[phys].sign_exponent, 2);
  }
  memcpy(fx + FX_MXCSR, &c->mxcsr, 4);
  for (int r = 0; r < 16; r++)
    memcpy(fx + FX_XMM + 16 * r, &c->xmm[r], 16);
}

static int end_of(const struct diff_case *k, enum trap_kind t, uint64_t rip) {
  switch (t) {
  case TRAP_BP:
    return rip == DIFF_CODE_ADDR + (uint64_t)k->code_len ? END_OK : END_BP;
  case TRAP_DE: return END_DE;
  case TRAP_UD: return END_UD;
  case TRAP_GP: return END_GP;
  case TRAP_SS: return END_SS;
  case TRAP_PF: return END_PF;
  case TRAP_MF: return END_MF;
  case TRAP_XM: return END_XM;
  default: return END_OTHER;
  }
}

void emu_side_run(const struct diff_case *k, struct diff_result *r) {
  static uint8_t page[DIFF_CODE_SIZE];
  memset(page, 0xcc, sizeof page);
  memcpy(page, k->code, (size_t)k->code_len);
  diff_fill_memory(r->mem, k->mem_seed);
  if (copy_to_guest(&mmu, DIFF_CODE_ADDR, page, sizeof page) ||
      copy_to_guest(&mmu, DIFF_DATA_ADDR, r->mem, DIFF_DATA_SIZE)) {
    fprintf(stderr, "difftest: copy_to_guest failed\n");
    exit(2);
  }
  struct cpu *c = &cpu;
  memcpy(c->gpr, k->in.gpr, sizeof c->gpr);
  c->rip = k->in.rip;
  c->fs_base = c->gs_base = 0;
  c->es_sel = c->ds_sel = c->fs_sel = c->gs_sel = 0; /* as native.c starts */
  cpu_set_flags(c, k->in.rflags);
  load_fp(c, k->in.fx);
  memset(&c->trap, 0, sizeof c->trap);
  uint64_t before = c->instret;
  enum trap_kind t = cpu_run(c, BUDGET);
  r->detail = (int)t;
  r->addr = c->trap.addr;
  r->error = c->trap.error;
  memcpy(r->s.gpr, c->gpr, sizeof c->gpr);
  r->s.rip = c->rip;
  r->s.rflags = cpu_get_flags(c);
  save_fp(c, r->s.fx);
  r->end = end_of(k, t, c->rip);
  r->retired = c->instret - before;
  if (copy_from_guest(&mmu, r->mem, DIFF_DATA_ADDR, DIFF_DATA_SIZE)) {
    fprintf(stderr, "difftest: copy_from_guest failed\n");
    exit(2);
  }
}
