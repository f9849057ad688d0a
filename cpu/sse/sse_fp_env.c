/* The host-FP bridge. Floating-point results must be bit-identical to
 * this CPU's, including MXCSR rounding, DAZ, FTZ and the exception
 * flags, so each operation runs the same instruction on the host with
 * the guest's MXCSR loaded and every exception masked. Per operation
 * (when the guest has an exception unmasked and needs each operation's
 * flags), the MXCSR switch and the operation sit in one asm statement so
 * the compiler cannot move or fold floating-point work across it, and
 * the host MXCSR is put back before the statement ends. Otherwise the
 * guest's MXCSR stays live on the host between operations (below). */
#include <string.h>
#include <xmmintrin.h>

#include "sse_host.h"

/* The MXCSR the host runs with: the guest's modes, no flags, all
 * exceptions masked. */
static uint32_t host_mxcsr_for(uint32_t guest) {
  return (guest | MXCSR_MASKS) & ~MXCSR_FLAGS;
}

#define ENTER "stmxcsr %[host]\n\tldmxcsr %[mx]\n\t"
#define LEAVE "\n\tstmxcsr %[mx]\n\tldmxcsr %[host]"

/* The host's own MXCSR while the guest's is live (per host thread, as
 * MXCSR is). */
static _Thread_local uint32_t host_own_mxcsr;

/* Live mode: switching MXCSR around every operation costs two ldmxcsr,
 * so while every exception is masked the host keeps the guest's modes
 * between operations and collects their sticky flags itself. emu's own
 * C code does no floating point (only cpu/sse_*.c and cpu/x87_*.c do,
 * the x87 on its own unit), so nothing else is affected. Not with an
 * unmasked exception: then each operation must report its own flags
 * for #XM, through the per-operation path. */
bool sse_host_enter(struct cpu *c) {
  if ((c->mxcsr & MXCSR_MASKS) != MXCSR_MASKS)
    return false;
  uint32_t mx = host_mxcsr_for(c->mxcsr), own;
  __asm__ volatile("stmxcsr %[own]\n\tldmxcsr %[mx]"
                   : [own] "=m"(own)
                   : [mx] "m"(mx)
                   : "memory");
  host_own_mxcsr = own;
  c->host_mxcsr_live = true;
  return true;
}

void sse_host_sync(struct cpu *c) {
  if (!c->host_mxcsr_live)
    return;
  uint32_t mx, own = host_own_mxcsr;
  __asm__ volatile("stmxcsr %[mx]\n\tldmxcsr %[own]"
                   : [mx] "=m"(mx)
                   : [own] "m"(own)
                   : "memory");
  c->mxcsr |= mx & MXCSR_FLAGS;
  c->host_mxcsr_live = false;
}

/* With underflow unmasked, hardware reports underflow for every tiny
 * result, exact or not (SDM vol. 1, 4.9.1.5), while the masked run we
 * can afford flags only inexact ones. A second masked run with FTZ set
 * flushes, and so flags, every tiny result: it supplies the UE bit. */
typedef uint32_t (*host_once_fn)(union xmm *d, const union xmm *s, uint32_t mx);

static uint32_t host_run(host_once_fn once, union xmm *d, const union xmm *s,
                         uint32_t guest) {
  if (guest & SSE_HOST_LIVE)
    return once(d, s, SSE_HOST_LIVE);
  uint32_t mx = host_mxcsr_for(guest);
  if (guest & (MXCSR_UE << MXCSR_MASK_SHIFT))
    return once(d, s, mx);
  /* FTZ applies only to masked underflow (SDM vol. 1, 10.2.3.3). */
  union xmm probe = *d;
  uint32_t tiny = once(&probe, s, mx | MXCSR_FTZ) & MXCSR_UE;
  return once(d, s, mx & ~MXCSR_FTZ) | tiny;
}

#define SSE_HOST_DEFINE(NAME, INSN)                                            \
  static uint32_t once_##NAME(union xmm *d, const union xmm *s, uint32_t mx) { \
    __m128 a, b;                                                               \
    uint32_t host;                                                             \
    memcpy(&a, d, 16);                                                         \
    memcpy(&b, s, 16);                                                         \
    if (mx & SSE_HOST_LIVE) {                                                  \
      __asm__ volatile(INSN " %[b], %[a]" : [a] "+x"(a) : [b] "x"(b));         \
      memcpy(d, &a, 16);                                                       \
      return 0;                                                                \
    }                                                                          \
    __asm__ volatile(ENTER INSN " %[b], %[a]" LEAVE                            \
                     : [a] "+x"(a), [mx] "+m"(mx), [host] "=m"(host)           \
                     : [b] "x"(b));                                            \
    memcpy(d, &a, 16);                                                         \
    return mx & MXCSR_FLAGS;                                                   \
  }                                                                            \
  uint32_t sse_host_##NAME(union xmm *d, const union xmm *s, uint32_t mxcsr) { \
    return host_run(once_##NAME, d, s, mxcsr);                                 \
  }
SSE_HOST_OPS(SSE_HOST_DEFINE)

#define CVTSI2(NAME, INSN32, INSN64)                                           \
  uint32_t sse_host_##NAME(union xmm *d, uint64_t v, int wide,                 \
                           uint32_t mxcsr) {                                   \
    __m128 a;                                                                  \
    uint32_t mx = host_mxcsr_for(mxcsr), host;                                 \
    uint32_t v32 = (uint32_t)v;                                                \
    memcpy(&a, d, 16);                                                         \
    if (wide)                                                                  \
      __asm__ volatile(ENTER INSN64 " %[v], %[a]" LEAVE                        \
                       : [a] "+x"(a), [mx] "+m"(mx), [host] "=m"(host)         \
                       : [v] "r"(v));                                          \
    else                                                                       \
      __asm__ volatile(ENTER INSN32 " %[v], %[a]" LEAVE                        \
                       : [a] "+x"(a), [mx] "+m"(mx), [host] "=m"(host)         \
                       : [v] "r"(v32));                                        \
    memcpy(d, &a, 16);                                                         \
    return mx & MXCSR_FLAGS;                                                   \
  }
CVTSI2(cvtsi2ss, "cvtsi2ssl", "cvtsi2ssq")
CVTSI2(cvtsi2sd, "cvtsi2sdl", "cvtsi2sdq")

#define CVT2SI_CASE(INSN, T)                                                   \
  {                                                                            \
    T r;                                                                       \
    __asm__ volatile(ENTER INSN " %[s], %[r]" LEAVE                            \
                     : [r] "=r"(r), [mx] "+m"(mx), [host] "=m"(host)           \
                     : [s] "x"(a));                                            \
    *out = (uint64_t)r;                                                        \
  }

uint32_t sse_host_cvt2si(const union xmm *s, int dbl, int trunc, int wide,
                         uint64_t *out, uint32_t mxcsr) {
  __m128 a;
  uint32_t mx = host_mxcsr_for(mxcsr), host;
  memcpy(&a, s, 16);
  switch ((dbl << 2) | (trunc << 1) | wide) {
  case 0: CVT2SI_CASE("cvtss2si", uint32_t) break;
  case 1: CVT2SI_CASE("cvtss2si", uint64_t) break;
  case 2: CVT2SI_CASE("cvttss2si", uint32_t) break;
  case 3: CVT2SI_CASE("cvttss2si", uint64_t) break;
  case 4: CVT2SI_CASE("cvtsd2si", uint32_t) break;
  case 5: CVT2SI_CASE("cvtsd2si", uint64_t) break;
  case 6: CVT2SI_CASE("cvttsd2si", uint32_t) break;
  default: CVT2SI_CASE("cvttsd2si", uint64_t) break;
  }
  return mx & MXCSR_FLAGS;
}

#define COMI_CASE(INSN)                                                        \
  __asm__ volatile(ENTER INSN " %[b], %[a]" LEAVE                              \
                   : [mx] "+m"(mx), [host] "=m"(host), "=@ccz"(zf),            \
                     "=@ccp"(pf), "=@ccc"(cf)                                  \
                   : [a] "x"(va), [b] "x"(vb))

uint32_t sse_host_comi(const union xmm *a, const union xmm *b, int dbl,
                       int ordered, uint64_t *flags, uint32_t mxcsr) {
  __m128 va, vb;
  uint32_t mx = host_mxcsr_for(mxcsr), host;
  int zf, pf, cf;
  memcpy(&va, a, 16);
  memcpy(&vb, b, 16);
  switch ((dbl << 1) | ordered) {
  case 0: COMI_CASE("ucomiss"); break;
  case 1: COMI_CASE("comiss"); break;
  case 2: COMI_CASE("ucomisd"); break;
  default: COMI_CASE("comisd"); break;
  }
  *flags = (zf ? FLAG_ZF : 0) | (pf ? FLAG_PF : 0) | (cf ? FLAG_CF : 0);
  return mx & MXCSR_FLAGS;
}

/* SDM vol. 1, 11.5.2: invalid, denormal and divide-by-zero are found
 * before the operation; when one of them is unmasked (in any element)
 * the operation is abandoned, so only those flags are set. Otherwise
 * overflow, underflow and precision come from the result; with
 * overflow or underflow unmasked, the precision flag is the one of the
 * unbounded-exponent result (cpu/sse_fp_precision.c). On an unmasked
 * exception the destination is left unchanged (11.5.1). */
#define MXCSR_PRE (MXCSR_IE | MXCSR_DE | MXCSR_ZE)

void sse_fp_flags(struct cpu *c, uint32_t raised) {
  uint32_t unmasked = ~(c->mxcsr >> MXCSR_MASK_SHIFT) & MXCSR_FLAGS;
  uint32_t pre = raised & MXCSR_PRE;
  if (pre & unmasked)
    raised = pre;
  c->mxcsr |= raised;
  if (raised & unmasked) {
    c->trap.code = raised & unmasked;
    cpu_raise(c, TRAP_XM, 0);
  }
}

void sse_fp_run(struct cpu *c, const struct insn *i, sse_host_fn fn,
                const union xmm *src) {
  if (sse_host_ready(c)) { /* no exception can fire: no flags to merge */
    fn(sse_dst(c, i), src, SSE_HOST_LIVE);
    return;
  }
  union xmm d = *sse_dst(c, i);
  uint32_t raised = fn(&d, src, c->mxcsr);
  sse_fp_flags(c, sse_fp_precision(fn, sse_dst(c, i), src, c->mxcsr, raised));
  *sse_dst(c, i) = d;
}
