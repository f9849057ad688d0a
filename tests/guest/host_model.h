/* Test items where the host cannot be the truth. emu models one machine
 * (README, "The machine emu models"): an AMD family 19h CPU under Linux
 * 6.x x86-64 with IA32 emulation. A guest test compares its native run
 * with its emulated run, so an item whose native answer depends on the
 * host's CPU model or kernel configuration needs one of two treatments:
 *
 *  - Checked against the model: the native run sees that the host differs
 *    (host_differs()) and prints the model's documented answer instead of
 *    running the item; emu runs it for real, so the comparison checks emu
 *    against the model. Used where the answer is simple to state (a
 *    selector that loads, the error code of a #GP).
 *  - Skipped in both runs: a difference neither run can see by itself
 *    (the host's vendor, when emu reports the model's) is passed in by
 *    the test runner (EMU_TEST_HOST_VENDOR, tests/scripts/common.sh) and
 *    both runs print the same placeholder.
 *
 * Either way the native run names the item and the reason on stderr in a
 * line "skip: ITEM: REASON"; the runners list these and .ci/run counts
 * them (tests/scripts/skips.sh). */
#ifndef HOST_MODEL_H
#define HOST_MODEL_H

#include <cpuid.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* emu's CPUID brand string starts with "emu " (cpu/cpuid.c). */
static inline int on_emu(void) {
  unsigned r[4];
  __cpuid(0x80000000u, r[0], r[1], r[2], r[3]);
  if (r[0] < 0x80000002u)
    return 0;
  __cpuid(0x80000002u, r[0], r[1], r[2], r[3]);
  return !memcmp(r, "emu ", 4);
}

/* True in the native run when `differs` says the host is not the model
 * there: the caller then prints the model's answer instead of running
 * the item. Never true under emu, which always runs the item. */
static inline int host_differs(const char *item, const char *reason,
                               int differs) {
  if (!differs || on_emu())
    return 0;
  fprintf(stderr, "skip: %s: %s\n", item, reason);
  return 1;
}

/* The host CPU's vendor as the runner saw it ("AuthenticAMD" when it is
 * not set: a run outside the runners is taken to be on the model's). */
static inline int host_vendor_is_amd(void) {
  const char *v = getenv("EMU_TEST_HOST_VENDOR");
  return !v || !*v || !strcmp(v, "AuthenticAMD");
}

/* An item skipped in both runs; the native run names it on stderr. */
static inline void skip_both(const char *item, const char *reason) {
  printf("%s: skipped on this host\n", item);
  if (!on_emu())
    fprintf(stderr, "skip: %s: %s\n", item, reason);
}

/* Linux built without IA32 emulation leaves GDT entry 4 (USER32_CS,
 * 0x23) empty, so loading it faults there; the model has it (a DPL-3
 * readable code segment, which DS/ES/FS/GS accept: SDM vol. 3, 5.5).
 * lar tells without a fault (asked natively only). */
#define HOST_NO_USER32_CS                                                      \
  "the host kernel's GDT has no USER32_CS (built without IA32 emulation)"

static inline int host_lacks_user32_cs(void) {
  if (on_emu())
    return 0;
  unsigned long ar;
  unsigned char valid;
  __asm__("lar %2,%0; setz %1" : "=r"(ar), "=q"(valid) : "r"(0x23ul));
  return !valid;
}

#endif
