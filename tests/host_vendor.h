/* The model is an AMD CPU (cpu/cpuid.c). On another vendor's CPU some
 * instructions differ by design, not by emu's fault, so a test that
 * compares with the host leaves them out there:
 *  - Intel ignores 66 on near branches in 64-bit mode (SDM vol. 2,
 *    JMP/Jcc/CALL/RET); AMD shortens them to 16 bits (APM vol. 3);
 *  - Intel stores the x87 FIP/FDP/FOP whatever FSW.ES says and may zero
 *    FCS/FDS (SDM vol. 1, 8.1.8): fnstenv, fnsave, fxsave;
 *  - a 16-bit shld/shrd by 16..31 leaves an undefined result (SDM vol. 2,
 *    SHLD), which each vendor fills its own way;
 *  - AMD's SHA instructions take a misaligned m128, Intel's raise #GP
 *    (SDM vol. 2, SHA1RNDS4 ...: type 4 exceptions).
 * Shared by tests/diff and the unit tests' host comparisons. */
#ifndef HOST_VENDOR_H
#define HOST_VENDOR_H

#include <cpuid.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/decode/optable.h"

/* EMU_TEST_HOST_VENDOR, when set, names the vendor instead (to try a
 * non-AMD host's path on an AMD one; tests/scripts/common.sh sets it from
 * /proc/cpuinfo for the guest programs). */
static inline bool host_cpu_is_amd(void) {
  const char *v = getenv("EMU_TEST_HOST_VENDOR");
  if (v && *v)
    return !strcmp(v, "AuthenticAMD");
  unsigned a = 0, b = 0, c = 0, d = 0;
  __get_cpuid(0, &a, &b, &c, &d);
  return b == 0x68747541u && d == 0x69746e65u && c == 0x444d4163u;
}

static inline bool vendor_specific_form(const struct op_desc *d) {
  return !strcmp(d->name, "fnstenv") || !strcmp(d->name, "fnsave") ||
         !strcmp(d->name, "fxsave") || !strncmp(d->name, "sha", 3);
}

/* Whether decoded instruction `in` differs between vendors by design. */
static inline bool vendor_specific_insn(const struct insn *in) {
  const struct op_desc *d = &cpu_ops[in->op];
  if (vendor_specific_form(d))
    return true;
  if ((d->decode & D_F64) && in->opsize == 2)
    return true;
  return in->opsize == 2 &&
         (!strcmp(d->name, "shld") || !strcmp(d->name, "shrd"));
}

#endif
