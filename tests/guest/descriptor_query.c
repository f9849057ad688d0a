/* lar, lsl, verr and verw on every selector of Linux's GDT and a few
 * beyond it, with each operand size and a memory source: ZF, and the
 * access rights or limit when ZF is set (the destination keeps its value
 * otherwise). At CPL 3 only the DPL-3 descriptors answer: USER32_CS
 * (0x23), USER_DS (0x2b), USER_CS (0x33) and CPUNODE (0x7b), whose
 * limit is the CPU number (and node << 12).
 *
 * Where the host differs from the model (host_model.h) the native run
 * prints the model's answer: a kernel without IA32 emulation has no
 * USER32_CS (the model's is a DPL-3 32-bit code segment, GDT_ENTRY_INIT
 * in arch/x86/kernel/cpu/common.c), and the model has one CPU, 0, where
 * the host may run this on another. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>

#include "host_model.h"

#define FILL 0x5555555555555555ull

struct answer {
  uint64_t value;
  int zf;
};

static struct answer lar64(uint64_t sel) {
  uint64_t v = FILL;
  uint8_t zf;
  __asm__ volatile("lar %2,%0; setz %1" : "+r"(v), "=q"(zf) : "r"(sel));
  return (struct answer){v, zf};
}
static struct answer lar32(uint64_t sel) {
  uint64_t v = FILL;
  uint8_t zf;
  __asm__ volatile("lar %k2,%k0; setz %1" : "+r"(v), "=q"(zf) : "r"(sel));
  return (struct answer){v, zf};
}
static struct answer lar16(uint64_t sel) {
  uint64_t v = FILL;
  uint8_t zf;
  __asm__ volatile("lar %w2,%w0; setz %1" : "+r"(v), "=q"(zf) : "r"(sel));
  return (struct answer){v, zf};
}
static struct answer lar_mem(uint64_t sel) {
  uint64_t v = FILL;
  uint16_t m = (uint16_t)sel;
  uint8_t zf;
  __asm__ volatile("lar %2,%k0; setz %1" : "+r"(v), "=q"(zf) : "m"(m));
  return (struct answer){v, zf};
}
static struct answer lsl64(uint64_t sel) {
  uint64_t v = FILL;
  uint8_t zf;
  __asm__ volatile("lsl %2,%0; setz %1" : "+r"(v), "=q"(zf) : "r"(sel));
  return (struct answer){v, zf};
}
static struct answer lsl32(uint64_t sel) {
  uint64_t v = FILL;
  uint8_t zf;
  __asm__ volatile("lsl %k2,%k0; setz %1" : "+r"(v), "=q"(zf) : "r"(sel));
  return (struct answer){v, zf};
}
static struct answer lsl16(uint64_t sel) {
  uint64_t v = FILL;
  uint8_t zf;
  __asm__ volatile("lsl %w2,%w0; setz %1" : "+r"(v), "=q"(zf) : "r"(sel));
  return (struct answer){v, zf};
}
static struct answer verr(uint64_t sel) {
  uint8_t zf;
  __asm__ volatile("verr %w1; setz %0" : "=q"(zf) : "r"(sel));
  return (struct answer){0, zf};
}
static struct answer verw(uint64_t sel) {
  uint8_t zf;
  uint16_t m = (uint16_t)sel;
  __asm__ volatile("verw %1; setz %0" : "=q"(zf) : "m"(m));
  return (struct answer){0, zf};
}

static const struct {
  const char *name;
  struct answer (*run)(uint64_t);
} insns[] = {
    {"lar r64", lar64},       {"lar r32", lar32}, {"lar r16", lar16},
    {"lar r32,m16", lar_mem}, {"lsl r64", lsl64}, {"lsl r32", lsl32},
    {"lsl r16", lsl16},       {"verr", verr},     {"verw m16", verw},
};

/* The model's answers for USER32_CS and for CPUNODE on CPU 0. */
static struct answer model(int k, uint64_t sel) {
  const char *n = insns[k].name;
  int code32 = (sel & 0xfffc) == 0x20;
  uint32_t high = code32 ? 0x00cffb00 : 0x0040f500;
  uint32_t limit = code32 ? 0xffffffff : 0;
  if (n[1] == 'a') /* lar */
    return (struct answer){
        k == 2 ? (FILL & ~0xffffull) | (high & 0xff00) : high & 0x00ffff00, 1};
  if (n[1] == 's') /* lsl */
    return (struct answer){
        k == 6 ? (FILL & ~0xffffull) | (limit & 0xffff) : limit, 1};
  return (struct answer){0, n[3] == 'r'}; /* both readable, neither writable */
}

int main(void) {
  static const uint64_t sels[] = {0, 3, 0x8, 0x10, 0x13, 0x18, 0x1b, 0x20, 0x23,
                                  0x28, 0x2b, 0x30, 0x33, 0x38, 0x40, 0x43,
                                  0x48, 0x50, 0x58, 0x60, 0x63, 0x6b, 0x73,
                                  0x78, 0x7b, 0x7f, 0x80, 0x83, 0x2f, 0xffff,
                                  /* upper bits are not part of the selector */
                                  0xdead00000000002bull};
  for (unsigned s = 0; s < sizeof sels / sizeof sels[0]; s++) {
    uint64_t sel = sels[s];
    int user32 = (sel & 0xfffc) == 0x20, cpunode = (sel & 0xfffc) == 0x78;
    int by_model =
        user32 && host_differs("lar/lsl/verr/verw USER32_CS", HOST_NO_USER32_CS,
                               host_lacks_user32_cs());
    printf("selector %#lx\n", (unsigned long)sel);
    for (unsigned k = 0; k < sizeof insns / sizeof insns[0]; k++) {
      struct answer a = by_model ? model((int)k, sel) : insns[k].run(sel);
      /* CPUNODE's limit is the CPU the instruction ran on. */
      if (cpunode && insns[k].name[1] == 's' && a.zf && (a.value & 0xffff) &&
          host_differs("lsl CPUNODE", "the host ran this on a CPU other than 0",
                       1))
        a = model((int)k, sel);
      printf("  %-12s zf %d", insns[k].name, a.zf);
      if (a.zf && (insns[k].name[0] == 'l'))
        printf(" %#lx", (unsigned long)a.value);
      else if (insns[k].name[0] == 'l' && a.value != FILL)
        printf(" destination changed: %#lx", (unsigned long)a.value);
      printf("\n");
    }
  }
  return 0;
}
