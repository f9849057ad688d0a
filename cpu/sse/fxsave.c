/* The 512-byte FXSAVE image of the x87, MXCSR and XMM state (SDM vol. 1,
 * 10.5.1, table 10-2; vol. 2 FXSAVE/FXRSTOR), the one encoding used by
 * fxsave/fxrstor (cpu/sse_state.c) and by the signal frame
 * (syscalls/signal/sigframe.c). What this CPU (AMD Zen) does, measured against
 * fnstenv and fxsave/fxsave64 on the host:
 *  - FOP, FIP, FCS, FDP, FDS are stored only while FSW.ES is set, zeros
 *    otherwise (AMD APM vol. 5, FXSAVE; CPUID 8000_0008 EBX[2] is clear);
 *  - the 32-bit layout stores FIP/FDP bits 0..31 and the FCS/FDS
 *    selectors (bytes 14-15 and 22-23 zero); the 64-bit one the pointers;
 *  - fxrstor takes FIP/FDP zero-extended with their selectors from the
 *    32-bit layout, sign-extended from bit 47 with null selectors from
 *    the 64-bit one;
 *  - FCW bit 6 reads 1 and FSW.ES/B are recomputed from the flags and
 *    masks (x87_set_control, x87_update_es);
 *  - bytes 416..511 are not written. */
#include <string.h>

#include "../x87/x87.h"
#include "sse.h"

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
};

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

static uint64_t sign_extend48(uint64_t v) {
  return (uint64_t)((int64_t)(v << 16) >> 16);
}

static void save_pointers(const struct x87 *x, uint8_t *img, bool rex_w) {
  if (!(x->status & FSW_ES))
    return; /* FOP..FDS stay zero */
  put16(img + FX_FOP, x->last_opcode & 0x7ff);
  if (rex_w) {
    put64(img + FX_FIP, x->last_ip);
    put64(img + FX_FDP, x->last_dp);
  } else {
    put32(img + FX_FIP, (uint32_t)x->last_ip);
    put16(img + FX_FCS, x->last_cs);
    put32(img + FX_FDP, (uint32_t)x->last_dp);
    put16(img + FX_FDS, x->last_ds);
  }
}

void cpu_fxsave_image(const struct cpu *c, uint8_t img[CPU_FXSAVE_SIZE],
                      bool rex_w) {
  const struct x87 *x = &c->fpu;
  memset(img, 0, CPU_FXSAVE_WRITTEN);
  put16(img + FX_FCW, x->control);
  put16(img + FX_FSW, x87_status_word(x));
  /* Abridged tag: one bit per physical register, 1 = not empty. */
  for (int r = 0; r < 8; r++)
    if (((x->tag >> (2 * r)) & 3) != TAG_EMPTY)
      img[FX_FTW] |= (uint8_t)(1u << r);
  save_pointers(x, img, rex_w);
  put32(img + FX_MXCSR, c->mxcsr);
  put32(img + FX_MXCSR_MASK, MXCSR_WRITABLE);
  /* ST(0)..ST(7) in stack order, 10 bytes in each 16-byte slot. */
  for (int k = 0; k < 8; k++) {
    struct x87_reg r = x87_get(x, k);
    put64(img + FX_ST + 16 * k, r.mantissa);
    put16(img + FX_ST + 16 * k + 8, r.sign_exponent);
  }
  memcpy(img + FX_XMM, c->xmm, sizeof c->xmm);
}

int cpu_fxrstor_image(struct cpu *c, const uint8_t img[CPU_FXSAVE_SIZE],
                      bool rex_w) {
  uint32_t mxcsr = get32(img + FX_MXCSR);
  if (mxcsr & ~MXCSR_WRITABLE)
    return -1; /* #GP(0) before anything changes */
  struct x87 *x = &c->fpu;
  /* TOP first: the registers are stored in stack order. */
  x87_set_status_word(x, get16(img + FX_FSW));
  for (int k = 0; k < 8; k++) {
    struct x87_reg *r = &x->st[x87_phys(x, k)];
    r->mantissa = get64(img + FX_ST + 16 * k);
    r->sign_exponent = get16(img + FX_ST + 16 * k + 8);
  }
  /* The full tag follows the contents of each non-empty register. */
  uint16_t tw = 0;
  for (int r = 0; r < 8; r++)
    if (!(img[FX_FTW] >> r & 1))
      tw |= (uint16_t)(TAG_EMPTY << (2 * r));
  x87_load_tag_word(x, tw);
  x87_set_control(x, get16(img + FX_FCW)); /* recomputes ES and B */
  x->last_opcode = get16(img + FX_FOP) & 0x7ff;
  if (rex_w) {
    x->last_ip = sign_extend48(get64(img + FX_FIP));
    x->last_dp = sign_extend48(get64(img + FX_FDP));
    x->last_cs = 0;
    x->last_ds = 0;
  } else {
    x->last_ip = get32(img + FX_FIP);
    x->last_cs = get16(img + FX_FCS);
    x->last_dp = get32(img + FX_FDP);
    x->last_ds = get16(img + FX_FDS);
  }
  sse_host_sync(c); /* the flags collected so far are overwritten */
  c->mxcsr = mxcsr;
  memcpy(c->xmm, img + FX_XMM, sizeof c->xmm);
  return 0;
}
