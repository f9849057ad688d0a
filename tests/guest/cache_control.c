/* Cache control and hints on every kind of address: clflush, clflushopt
 * and clwb check the line's byte as a load (a fault on an unmapped or
 * PROT_NONE page, none on a read-only or execute-only one, #GP for a
 * non-canonical address); the prefetches (0F 18 /0../3, AMD's 0F 0D /0
 * and /1 and its aliases /2../7) never fault; clzero stores 64 zero
 * bytes at the line holding DS:rAX. Also the fences, pause and the hint
 * NOPs, and ud0/ud1/ud2, which raise #UD before fetching any ModRM (at
 * the end of a page followed by an inaccessible one). */
#define _GNU_SOURCE
#include <asm/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "code_slots.h"

static uint8_t *rw, *ro, *none, *xo;
/* Below a static program's text: never mapped. */
static uint8_t *gone = (uint8_t *)0x200000;

/* The instructions that take (%rax) (or rAX). */
static const struct {
  const char *name, *code;
  int len;
} ops[] = {
    {"clflush", B("\x0f\xae\x38")},     {"clflushopt", B("\x66\x0f\xae\x38")},
    {"clwb", B("\x66\x0f\xae\x30")},    {"prefetchnta", B("\x0f\x18\x00")},
    {"prefetcht0", B("\x0f\x18\x08")},  {"prefetcht1", B("\x0f\x18\x10")},
    {"prefetcht2", B("\x0f\x18\x18")},  {"prefetch", B("\x0f\x0d\x00")},
    {"prefetchw", B("\x0f\x0d\x08")},   {"prefetch /2", B("\x0f\x0d\x10")},
    {"prefetch /7", B("\x0f\x0d\x38")}, {"clzero", B("\x0f\x01\xfc")},
};

static const struct {
  const char *name;
  uint8_t **base;
  uint64_t offset;
} where[] = {
    {"rw+0x64", &rw, 0x64},
    {"rw+0xfff", &rw, 0xfff},
    {"ro+0x64 (untouched)", &ro, 0x64},
    {"none+0x64", &none, 0x64},
    {"xo+0x64", &xo, 0x64},
    {"unmapped+0x64", &gone, 0x64},
    {"null+0x64", NULL, 0x64},
    {"non-canonical", NULL, 0x8000000000000000ull},
    {"kernel", NULL, 0xffffffff80000064ull},
};

/* Other forms, run as they are. */
static const struct test more[] = {
    /* 67: the address is EAX (0x1064 here). */
    {"67 clflush (eax)",
     NULL,
     0,
     B("\x67\x0f\xae\x38"),
     NULL,
     0,
     {.rax = 0x100001064ull}},
    {"67 clzero",
     NULL,
     0,
     B("\x67\x0f\x01\xfc"),
     NULL,
     0,
     {.rax = 0x100001064ull}},
    /* GS base set to `none` / `rw` below. */
    {"clflush gs:(rax), gs = none",
     NULL,
     0,
     B("\x65\x0f\xae\x38"),
     NULL,
     0,
     {.rax = 0x10}},
    {"prefetch, register form: #UD", NULL, 0, B("\x0f\x0d\xc0"), NULL, 0, {0}},
    {"prefetchw, register form: #UD", NULL, 0, B("\x0f\x0d\xc8"), NULL, 0, {0}},
    {"0f 18 /0, register form: nop", NULL, 0, B("\x0f\x18\xc0"), NULL, 0, {0}},
    {"lfence", NULL, 0, B("\x0f\xae\xe8"), NULL, 0, {0}},
    {"lfence (rm 7)", NULL, 0, B("\x0f\xae\xef"), NULL, 0, {0}},
    {"mfence", NULL, 0, B("\x0f\xae\xf0"), NULL, 0, {0}},
    {"sfence", NULL, 0, B("\x0f\xae\xf8"), NULL, 0, {0}},
    {"pause", NULL, 0, B("\xf3\x90"), NULL, 0, {0}},
    {"endbr64", NULL, 0, B("\xf3\x0f\x1e\xfa"), NULL, 0, {0}},
    {"endbr32", NULL, 0, B("\xf3\x0f\x1e\xfb"), NULL, 0, {0}},
    {"nopw 0(rax,rax,1)", NULL, 0, B("\x66\x0f\x1f\x44\x00\x00"), NULL, 0, {0}},
    {"cldemote-space 0f 1c /0", NULL, 0, B("\x0f\x1c\x00"), NULL, 0, {0}},
    {"ud0", NULL, 0, B("\x0f\xff"), NULL, 0, {0}},
    {"ud1 eax,eax", NULL, 0, B("\x0f\xb9\xc0"), NULL, 0, {0}},
    {"ud2", NULL, 0, B("\x0f\x0b"), NULL, 0, {0}},
    {"clflush with f3: #UD", NULL, 0, B("\xf3\x0f\xae\x38"), NULL, 0, {0}},
};

/* Opcodes at the very end of an executable page whose next page cannot
 * be fetched: #UD if the CPU decides without the next byte, #PF on the
 * fetch otherwise. */
static const struct {
  const char *name, *code;
  int len;
} at_end[] = {
    {"ud0", B("\x0f\xff")},      {"ud1", B("\x0f\xb9")},
    {"ud2", B("\x0f\x0b")},      {"clflush", B("\x0f\xae")},
    {"prefetch", B("\x0f\x0d")}, {"prefetchnta", B("\x0f\x18")},
    {"clzero", B("\x0f\x01")},
};

/* Which bytes of rw's first 256 are zero (clzero filled them with 0x77
 * otherwise). */
static void show_zeroes(void) {
  int from = -1;
  printf("  zero bytes of rw:");
  for (int k = 0; k <= 256; k++) {
    int z = k < 256 && rw[k] == 0;
    if (z && from < 0)
      from = k;
    if (!z && from >= 0) {
      printf(" %#x..%#x", from, k - 1);
      from = -1;
    }
  }
  printf(rw[0x1000 - 1] == 0 ? " (and the last line)\n" : "\n");
}

static void set_gs(uint8_t *base) {
  syscall(SYS_arch_prctl, ARCH_SET_GS, (unsigned long)base);
}

int main(void) {
  size_t n_ops = sizeof ops / sizeof ops[0];
  size_t n_more = sizeof more / sizeof more[0];
  rw = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
            0);
  ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  none = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  xo = mmap(NULL, 4096, PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  /* The page-end cases: code ending at the last byte of an executable
   * page, then a PROT_NONE page. */
  uint8_t *end = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  slot_region("rw", rw, 4096);
  slot_region("ro", ro, 4096);
  slot_region("none", none, 4096);
  slot_region("xo", xo, 4096);
  slot_region("guard", end + 4096, 4096);

  slots_init(n_ops + n_more + 1);
  for (size_t k = 0; k < n_ops; k++) {
    struct test t = {ops[k].name, NULL, 0, ops[k].code,
                     ops[k].len,  NULL, 0, {0}};
    place((int)k, &t);
  }
  for (size_t k = 0; k < n_more; k++)
    place((int)(n_ops + k), &more[k]);
  uint8_t *ret = page + (n_ops + n_more) * SLOT;
  *ret = 0xc3;
  slots_seal();

  struct regs in, r;
  for (size_t k = 0; k < n_ops; k++)
    for (size_t w = 0; w < sizeof where / sizeof where[0]; w++) {
      char name[64];
      snprintf(name, sizeof name, "%s %s", ops[k].name, where[w].name);
      struct test t = {name, NULL, 0, ops[k].code, ops[k].len, NULL, 0, {0}};
      in = (struct regs){0};
      in.rax = (where[w].base ? (uint64_t)*where[w].base : 0) + where[w].offset;
      memset(rw, 0x77, 4096);
      run((int)k, &t, &in, &r);
      if (!strcmp(ops[k].name, "clzero"))
        show_zeroes();
    }

  for (size_t k = 0; k < n_more; k++) {
    const struct test *t = &more[k];
    in = t->in;
    if (strstr(t->name, "gs = none"))
      set_gs(none);
    memset(rw, 0x77, 4096);
    run((int)(n_ops + k), t, &in, &r);
    set_gs(NULL);
    print_regs(&in, &r);
  }
  /* clzero through GS, with the base at rw: rw+0x40..0x7f. */
  {
    struct test t = {"clzero gs:(rax), gs = rw",
                     NULL,
                     0,
                     B("\x65\x0f\x01\xfc"),
                     NULL,
                     0,
                     {.rax = 0x64}};
    memset(rw, 0x77, 4096);
    set_gs(rw);
    memcpy(end, t.code, (size_t)t.len);
    end[t.len] = 0xc3;
    mprotect(end, 4096, PROT_READ | PROT_EXEC);
    insn = end;
    insn_len = t.len;
    in = t.in;
    printf("%s\n", t.name);
    fflush(stdout);
    r = in;
    run_slot(&r, end);
    set_gs(NULL);
    show_zeroes();
  }

  mprotect(end, 8192, PROT_READ | PROT_WRITE);
  mprotect(end + 4096, 4096, PROT_NONE);
  resume_at = ret;
  for (size_t k = 0; k < sizeof at_end / sizeof at_end[0]; k++) {
    mprotect(end, 4096, PROT_READ | PROT_WRITE);
    insn = end + 4096 - at_end[k].len;
    insn_len = at_end[k].len;
    memcpy(insn, at_end[k].code, (size_t)at_end[k].len);
    mprotect(end, 4096, PROT_READ | PROT_EXEC);
    printf("%s at the end of a page\n", at_end[k].name);
    fflush(stdout);
    r = (struct regs){.rax = (uint64_t)rw};
    run_slot(&r, insn);
  }
  return 0;
}
