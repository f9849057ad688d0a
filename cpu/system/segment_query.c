/* lar, lsl, verr, verw: what a selector's descriptor allows, asked
 * without loading it (SDM vol. 2, LAR, LSL, VERR/VERW). At CPL 3 a
 * descriptor passes only with DPL 3, and the only such ones in Linux's
 * GDT are those cpu/segment.c knows; for any other selector (null,
 * kernel, TSS, LDT, beyond the table) ZF is cleared and the destination
 * left as it was. Only ZF changes. */
#include "../handlers.h"
#include "segment.h"

static bool lookup(struct cpu *c, const struct insn *i, uint32_t *high,
                   uint32_t *limit) {
  uint16_t sel = (uint16_t)cpu_rm_get(c, i, 2);
  bool ok = seg_user_descriptor(sel, high, limit);
  cpu_flags_merge(c, ok ? FLAG_ZF : 0, FLAG_ZF);
  return ok;
}

/* The second doubleword masked by 00FxFF00h (FF00h for a 16-bit
 * destination); this CPU leaves limit 19:16 in the x nibble. */
void op_lar(struct cpu *c, const struct insn *i) {
  uint32_t high, limit;
  if (lookup(c, i, &high, &limit))
    cpu_reg_set(c, i, i->reg, i->opsize,
                high & (i->opsize == 2 ? 0xff00u : 0x00ffff00u));
}

/* The limit in bytes (scaled by the granularity), low 16 bits for a
 * 16-bit destination. */
void op_lsl(struct cpu *c, const struct insn *i) {
  uint32_t high, limit;
  if (lookup(c, i, &high, &limit))
    cpu_reg_set(c, i, i->reg, i->opsize, limit);
}

/* verr: a data segment or a readable code segment; verw: a writable
 * data segment (the type field, bits 11:8: code when bit 3 is set, then
 * bit 1 is readable; for data bit 1 is writable). */
void op_verr_verw(struct cpu *c, const struct insn *i) {
  uint32_t high, limit;
  uint16_t sel = (uint16_t)cpu_rm_get(c, i, 2);
  bool ok = seg_user_descriptor(sel, &high, &limit);
  unsigned type = (high >> 8) & 15;
  bool code = type & 8, bit1 = type & 2;
  if (i->arg) /* verw */
    ok = ok && !code && bit1;
  else
    ok = ok && (!code || bit1);
  cpu_flags_merge(c, ok ? FLAG_ZF : 0, FLAG_ZF);
}
