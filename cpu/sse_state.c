/* MXCSR loads and stores, and the 512-byte FXSAVE image of the x87,
 * MXCSR and XMM state (SDM vol. 1, 10.5.1, table 10-2; vol. 2 FXSAVE,
 * FXRSTOR, LDMXCSR, STMXCSR). */
#include <string.h>

#include "sse.h"

void op_ldmxcsr(struct cpu *c, const struct insn *i) {
  uint32_t v = (uint32_t)cpu_load(c, cpu_ea(c, i), 4);
  if (v & ~MXCSR_WRITABLE)
    cpu_raise(c, TRAP_GP, 0);
  c->mxcsr = v;
}

void op_stmxcsr(struct cpu *c, const struct insn *i) {
  cpu_store(c, cpu_ea(c, i), 4, c->mxcsr);
}

/* Offsets in the FXSAVE image (64-bit mode layouts). */
enum {
  FX_FCW = 0,
  FX_FSW = 2,
  FX_FTW = 4,
  FX_FOP = 6,
  FX_FIP = 8,
  FX_FCS = 12,
  FX_FDP = 16,
  FX_FDS = 20,
  FX_MXCSR = 24,
  FX_MXCSR_MASK = 28,
  FX_ST = 32,
  FX_XMM = 160,
  FX_SIZE = 512
};

#define FSW_TOP_SHIFT 11
#define FSW_TOP (7u << FSW_TOP_SHIFT)

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }
static uint16_t get16(const uint8_t *p) {
  uint16_t v;
  memcpy(&v, p, 2);
  return v;
}
static uint32_t get32(const uint8_t *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}
static uint64_t get64(const uint8_t *p) {
  uint64_t v;
  memcpy(&v, p, 8);
  return v;
}

/* This CPU keeps 48 bits of the FPU IP and DP, sign-extended (measured
 * with fxrstor64/fxsave64 on AMD Zen). */
static uint64_t canonical48(uint64_t v) {
  return (uint64_t)((int64_t)(v << 16) >> 16);
}

/* FCW bits that exist: IM..PM, PC, RC, X; bit 6 always reads 1. */
#define FCW_BITS 0x1f3fu
#define FCW_ONE 0x0040u
/* FSW.ES (bit 7) and B (bit 15) are derived: set when an exception flag
 * is unmasked in FCW (SDM vol. 1, 8.1.3.1). */
#define FSW_ES_B 0x8080u

/* The image covers bytes 0..415; 416..511 are left untouched, as the
 * hardware leaves them (SDM vol. 1, table 10-2: reserved/available). */
#define FX_WRITTEN 416

void op_fxsave(struct cpu *c, const struct insn *i) {
  uint64_t addr = cpu_ea(c, i);
  sse_check_align(c, addr, SSE_ALIGNED_ALWAYS);
  uint8_t img[FX_WRITTEN];
  memset(img, 0, sizeof img);
  const struct x87 *f = &c->fpu;
  put16(img + FX_FCW, f->control);
  put16(img + FX_FSW,
        (uint16_t)((f->status & ~FSW_TOP) | (f->top & 7u) << FSW_TOP_SHIFT));
  /* Abridged tag: one bit per physical register, 1 = not empty. */
  uint8_t ftw = 0;
  for (int r = 0; r < 8; r++)
    if (((f->tag >> (2 * r)) & 3) != 3)
      ftw |= (uint8_t)(1u << r);
  img[FX_FTW] = ftw;
  /* AMD stores the last-instruction pointers only while an exception
   * is pending (FSW.ES), zeros otherwise (AMD APM vol. 5, FXSAVE). */
  int pointers = !!(f->status & FSW_ES_B & 0x80);
  put16(img + FX_FOP, pointers ? f->last_opcode : 0);
  if (!pointers) {
    /* FIP, FCS, FDP, FDS stay zero */
  } else if (i->rex & 8) { /* fxsave64: 64-bit FPU IP and DP */
    put64(img + FX_FIP, f->last_ip);
    put64(img + FX_FDP, f->last_dp);
  } else { /* 32-bit offsets; FCS/FDS slots show bits 32..47 */
    put32(img + FX_FIP, (uint32_t)f->last_ip);
    put16(img + FX_FCS, (uint16_t)(f->last_ip >> 32));
    put32(img + FX_FDP, (uint32_t)f->last_dp);
    put16(img + FX_FDS, (uint16_t)(f->last_dp >> 32));
  }
  put32(img + FX_MXCSR, c->mxcsr);
  put32(img + FX_MXCSR_MASK, MXCSR_WRITABLE);
  /* ST(k) in stack order, 10 bytes each in 16-byte slots. */
  for (int k = 0; k < 8; k++) {
    const struct x87_reg *r = &f->st[(f->top + k) & 7];
    put64(img + FX_ST + 16 * k, r->mantissa);
    put16(img + FX_ST + 16 * k + 8, r->sign_exponent);
  }
  memcpy(img + FX_XMM, c->xmm, 16 * 16);
  cpu_store_bytes(c, addr, img, FX_WRITTEN);
}

/* The full tag of a non-empty register from its contents (SDM vol. 1,
 * 8.1.7): 0 valid, 1 zero, 2 special (NaN, infinity, denormal,
 * unnormal). */
static unsigned x87_tag_of(const struct x87_reg *r) {
  unsigned exp = r->sign_exponent & 0x7fff;
  if (exp == 0x7fff)
    return 2;
  if (exp == 0)
    return r->mantissa ? 2 : 1;
  return (r->mantissa >> 63) ? 0 : 2;
}

void op_fxrstor(struct cpu *c, const struct insn *i) {
  uint64_t addr = cpu_ea(c, i);
  sse_check_align(c, addr, SSE_ALIGNED_ALWAYS);
  uint8_t img[FX_SIZE];
  cpu_load_bytes(c, addr, img, FX_SIZE);
  uint32_t mxcsr = get32(img + FX_MXCSR);
  if (mxcsr & ~MXCSR_WRITABLE)
    cpu_raise(c, TRAP_GP, 0);
  struct x87 *f = &c->fpu;
  f->control = (get16(img + FX_FCW) & FCW_BITS) | FCW_ONE;
  uint16_t fsw = get16(img + FX_FSW);
  f->status = fsw & ~FSW_TOP & ~FSW_ES_B;
  if (f->status & ~f->control & 0x3f)
    f->status |= FSW_ES_B;
  f->top = (fsw >> FSW_TOP_SHIFT) & 7;
  f->last_opcode = get16(img + FX_FOP) & 0x7ff;
  if (i->rex & 8) {
    f->last_ip = canonical48(get64(img + FX_FIP));
    f->last_dp = canonical48(get64(img + FX_FDP));
  } else {
    f->last_ip =
        canonical48(get32(img + FX_FIP) | (uint64_t)get16(img + FX_FCS) << 32);
    f->last_dp =
        canonical48(get32(img + FX_FDP) | (uint64_t)get16(img + FX_FDS) << 32);
  }
  for (int k = 0; k < 8; k++) {
    struct x87_reg *r = &f->st[(f->top + k) & 7];
    r->mantissa = get64(img + FX_ST + 16 * k);
    r->sign_exponent = get16(img + FX_ST + 16 * k + 8);
  }
  uint16_t tag = 0;
  for (int r = 0; r < 8; r++) {
    unsigned t = (img[FX_FTW] >> r) & 1 ? x87_tag_of(&f->st[r]) : 3;
    tag |= (uint16_t)(t << (2 * r));
  }
  f->tag = tag;
  c->mxcsr = mxcsr;
  memcpy(c->xmm, img + FX_XMM, 16 * 16);
}
