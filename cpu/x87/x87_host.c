/* The host-FPU bridge. Every x87 result that involves rounding, NaN
 * propagation, denormal handling or a transcendental function is computed
 * by the host's own x87 (this emulator runs on x86-64), so results are
 * bit-identical to the CPU the guest would run on: the same instruction
 * encoding runs on the host with the guest's control word and condition
 * codes, on operands copied from the guest's 80-bit register images.
 *
 * Unmasked exceptions are safe on the host: x87 exceptions are delivered
 * only at the next waiting x87 instruction (SDM vol. 1, 8.6), and the
 * fnsave that captures the result is non-waiting and re-initializes the
 * host FPU. The host's own control word is saved and restored around. */
#include <stdlib.h>
#include <string.h>

#include "x87.h"

/* Every (opcode, ModRM) the semantics ask the host to run. Register forms
 * use ST(1) (ModRM rm = 1), memory forms [rcx]. */
// clang-format off
#define X87_HOST_FORMS(X) \
  X(0xd8, 0xc1)           \
  X(0xd8, 0xc9)           \
  X(0xd8, 0xd1)           \
  X(0xd8, 0xd9)           \
  X(0xd8, 0xe1)           \
  X(0xd8, 0xe9)           \
  X( 0xd8, 0xf1)          \
  X(0xd8, 0xf9)           \
  X(0xd8, 0x01)           \
  X(0xd8, 0x09)           \
  X(0xd8, 0x11)           \
  X(0xd8, 0x19)           \
  X(0xd8, 0x21)           \
  X(0xd8, 0x29)           \
  X(0xd8, 0x31)           \
  X(0xd8, 0x39)           \
  X( 0xdc, 0xc1)          \
  X(0xdc, 0xc9)           \
  X(0xdc, 0xe1)           \
  X(0xdc, 0xe9)           \
  X(0xdc, 0xf1)           \
  X(0xdc, 0xf9)           \
  X(0xdc, 0x01)           \
  X(0xdc, 0x09)           \
  X(0xdc, 0x11)           \
  X(0xdc, 0x19)           \
  X(0xdc, 0x21)           \
  X(0xdc, 0x29)           \
  X(0xdc, 0x31)           \
  X(0xdc, 0x39)           \
  X(0xde, 0xc1)           \
  X(0xde, 0xc9)           \
  X(0xde, 0xe1)           \
  X(0xde, 0xe9)           \
  X(0xde, 0xf1)           \
  X(0xde, 0xf9)           \
  X(0xde, 0x01)           \
  X(0xde, 0x09)           \
  X(0xde, 0x11)           \
  X(0xde, 0x19)           \
  X(0xde, 0x21)           \
  X(0xde, 0x29)           \
  X(0xde, 0x31)           \
  X( 0xde, 0x39)          \
  X(0xda, 0x01)           \
  X(0xda, 0x09)           \
  X(0xda, 0x11)           \
  X(0xda, 0x19)           \
  X(0xda, 0x21)           \
  X( 0xda, 0x29)          \
  X(0xda, 0x31)           \
  X(0xda, 0x39)           \
  X(0xd9, 0x01)           \
  X(0xd9, 0x11)           \
  X( 0xd9, 0xe0)          \
  X(0xd9, 0xe1)           \
  X(0xd9, 0xe4)           \
  X(0xd9, 0xe5)           \
  X( 0xd9, 0xe8)          \
  X(0xd9, 0xe9)           \
  X(0xd9, 0xea)           \
  X(0xd9, 0xeb)           \
  X( 0xd9, 0xec)          \
  X(0xd9, 0xed)           \
  X(0xd9, 0xee)           \
  X(0xd9, 0xf0)           \
  X( 0xd9, 0xf1)          \
  X(0xd9, 0xf2)           \
  X(0xd9, 0xf3)           \
  X(0xd9, 0xf4)           \
  X( 0xd9, 0xf5)          \
  X(0xd9, 0xf8)           \
  X(0xd9, 0xf9)           \
  X(0xd9, 0xfa)           \
  X( 0xd9, 0xfb)          \
  X(0xd9, 0xfc)           \
  X(0xd9, 0xfd)           \
  X(0xd9, 0xfe)           \
  X( 0xd9, 0xff)          \
  X(0xdd, 0x01)           \
  X(0xdd, 0x09)           \
  X(0xdd, 0x11)           \
  X( 0xdd, 0xe1)          \
  X(0xdd, 0xe9)           \
  X(0xdb, 0x09)           \
  X(0xdb, 0x11)           \
  X( 0xdb, 0xe9)          \
  X(0xdb, 0xf1)           \
  X(0xdf, 0xe9)           \
  X( 0xdf, 0xf1)          \
  X(0xdf, 0x09)           \
  X(0xdf, 0x11)           \
  X( 0xdf, 0x31)          \
  X(0xdf, 0x39)           \
  X(0xde, 0xd9)           \
  X( 0xda, 0xe9)          \
  X(0xd9, 0x19)           \
  X(0xdd, 0x19)           \
  X( 0xdf, 0x19)          \
  X(0xdb, 0x19)
// clang-format on

/* The host starts from an frstor image (32-bit protected-mode format,
 * SDM vol. 1, figure 8-10): the guest's control word and condition
 * codes, no exception flags, TOP 6, ST(0) = in[0] and ST(1) = in[1], the
 * rest empty. (Pushing the operands with fld would clear C1, which many
 * instructions leave alone.) AH carries the guest's low RFLAGS byte
 * through sahf/lahf for fcomi. */
// clang-format off
#define HOST_STUB(OPC, MODRM)                                                  \
  static void host_##OPC##_##MODRM(struct x87_host *h, const uint8_t *env) {   \
    uint16_t saved;                                                            \
    uint64_t ax = (uint64_t)h->flags << 8;                                     \
    __asm__ volatile(                                                          \
        "fnstcw %[saved]\n\t"                                                  \
        "frstor %[env]\n\t"                                                    \
        "sahf\n\t"                                                             \
        ".byte " #OPC ", " #MODRM "\n\t"                                       \
        "lahf\n\t"                                                             \
        "fnsave %[img]\n\t"                                                    \
        "fldcw %[saved]"                                                       \
        : [img] "=m"(h->image), [saved] "=m"(saved), [mem] "+m"(h->mem),       \
          "+a"(ax)                                                             \
        : [env] "m"(*(const uint8_t(*)[108])env), "c"(h->mem)                  \
        : "memory", "cc", "st", "st(1)", "st(2)", "st(3)", "st(4)", "st(5)",   \
          "st(6)", "st(7)");                                                   \
    h->flags = (uint8_t)(ax >> 8);                                             \
  }
// clang-format on
X87_HOST_FORMS(HOST_STUB)
#undef HOST_STUB

static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

static struct x87_reg image_reg(const uint8_t *p) {
  struct x87_reg r;
  memcpy(&r.mantissa, p, 8);
  r.sign_exponent = get16(p + 8);
  return r;
}

static void put_reg(uint8_t *p, const struct x87_reg *r) {
  memcpy(p, &r->mantissa, 8);
  p[8] = (uint8_t)r->sign_exponent;
  p[9] = (uint8_t)(r->sign_exponent >> 8);
}

void x87_host_exec(struct x87_host *h, uint8_t opcode, uint8_t modrm) {
  uint8_t env[108];
  uint16_t sw = (uint16_t)((h->cc & FSW_CC) | 6 << 11);
  uint16_t tw = (uint16_t)(0x0fff | x87_classify(&h->in[0]) << 12 |
                           x87_classify(&h->in[1]) << 14);
  memset(env, 0, sizeof env);
  env[0] = (uint8_t)h->cw;
  env[1] = (uint8_t)(h->cw >> 8);
  env[4] = (uint8_t)sw;
  env[5] = (uint8_t)(sw >> 8);
  env[8] = (uint8_t)tw;
  env[9] = (uint8_t)(tw >> 8);
  put_reg(env + 28, &h->in[0]);
  put_reg(env + 38, &h->in[1]);
  switch (opcode << 8 | modrm) {
// clang-format off
#define HOST_CASE(OPC, MODRM)                                                  \
  case OPC << 8 | MODRM: host_##OPC##_##MODRM(h, env); break;
    // clang-format on
    X87_HOST_FORMS(HOST_CASE)
#undef HOST_CASE
  default: abort(); /* an emulator bug: a form missing from X87_HOST_FORMS */
  }
  h->sw = get16(h->image + 4);
  h->depth = (8 - ((h->sw >> 11) & 7)) & 7;
}

struct x87_reg x87_host_st(const struct x87_host *h, int k) {
  return image_reg(h->image + 28 + 10 * k);
}

struct x87_reg x87_host_in(const struct x87_host *h, int n) {
  int top = (h->sw >> 11) & 7;
  int phys = 6 + n;
  return x87_host_st(h, (phys - top) & 7);
}

void x87_host_prepare(struct x87_host *h, const struct x87 *x, int a, int b) {
  memset(h, 0, sizeof *h);
  h->in[0] = x87_get(x, a);
  h->in[1] = x87_get(x, b);
  h->cw = x->control;
  h->cc = x->status & FSW_CC;
}

void x87_host_merge(struct x87 *x, const struct x87_host *h) {
  x->status = (uint16_t)((x->status & ~FSW_CC) | (h->sw & FSW_CC));
  x87_raise(x, h->sw & (FSW_EXCEPTIONS | FSW_SF));
}
