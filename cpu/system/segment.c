/* Segment registers in 64-bit user mode: mov r/m,Sreg (8C), mov Sreg,r/m
 * (8E), push/pop fs/gs (0F A0/A1/A8/A9), and the selector checks the far
 * transfers share (cpu/far_branch.c).
 *
 * A selector is checked against the descriptor table Linux gives every
 * 64-bit process (arch/x86/include/asm/segment.h, cpu/common.c): there
 * is no LDT (modify_ldt is not implemented) and the three TLS entries
 * are empty (set_thread_area is not either), so the only descriptors a
 * user selector can name are the four DPL-3 ones below. Every other
 * non-null selector is #GP(selector), which Linux turns into SIGSEGV
 * with si_code SI_KERNEL; a #NP cannot arise. All four have base 0, and
 * on this CPU loading a null selector clears the FS/GS base too
 * (measured: arch_prctl(ARCH_SET_GS) then `mov %ax,%gs` with ax = 0
 * reads back 0), so every load into FS or GS zeroes its base. */
#include "segment.h"
#include "../handlers.h"

enum desc_kind {
  DESC_NONE,    /* DPL 0, system, empty, or beyond the table's limit */
  DESC_CODE32,  /* GDT_ENTRY_DEFAULT_USER32_CS (0x23), readable */
  DESC_CODE64,  /* GDT_ENTRY_DEFAULT_USER_CS (0x33), readable */
  DESC_DATA,    /* GDT_ENTRY_DEFAULT_USER_DS (0x2b), writable */
  DESC_DATA_RO, /* GDT_ENTRY_CPUNODE (0x7b), read-only */
};

static enum desc_kind descriptor(uint16_t sel) {
  if (sel & 4) /* TI: an LDT selector, and there is no LDT */
    return DESC_NONE;
  switch (sel >> 3) {
  case 4: return DESC_CODE32;
  case 5: return DESC_DATA;
  case 6: return DESC_CODE64;
  case 15: return DESC_DATA_RO;
  default: return DESC_NONE;
  }
}

static bool is_null(uint16_t sel) { return (sel & ~3u) == 0; }

/* The four as lar/lsl/verr/verw read them (SDM vol. 3, 3.4.5): the
 * descriptor's second doubleword and its limit in bytes. Linux builds
 * them with GDT_ENTRY_INIT (base 0, limit 0xfffff pages, accessed bit
 * set, as the GDT is mapped read-only) and setup_getcpu (CPUNODE: read-
 * only expand-down data, 32-bit, byte limit = node << 12 | CPU:
 * CPU_TSC_AUX). */
bool seg_user_descriptor(uint16_t sel, uint32_t *high, uint32_t *limit) {
  switch (descriptor(sel)) {
  case DESC_CODE32: *high = 0x00cffb00, *limit = 0xffffffff; return true;
  case DESC_CODE64: *high = 0x00affb00, *limit = 0xffffffff; return true;
  case DESC_DATA: *high = 0x00cff300, *limit = 0xffffffff; return true;
  case DESC_DATA_RO: *high = 0x0040f500, *limit = CPU_TSC_AUX; return true;
  default: return false;
  }
}

uint16_t seg_get(const struct cpu *c, enum sreg r) {
  switch (r) {
  case SREG_ES: return c->es_sel;
  case SREG_CS: return CPU_USER_CS;
  case SREG_SS: return CPU_USER_SS;
  case SREG_DS: return c->ds_sel;
  case SREG_FS: return c->fs_sel;
  default: return c->gs_sel;
  }
}

/* SDM vol. 2, MOV (segment register), 64-bit mode: a null selector loads
 * into DS/ES/FS/GS, never into SS at CPL 3; a data segment or readable
 * code segment with DPL >= max(CPL, RPL) loads into DS/ES/FS/GS; SS needs
 * a writable data segment with RPL = DPL = CPL. */
void seg_load(struct cpu *c, enum sreg r, uint16_t sel) {
  enum desc_kind k = descriptor(sel);
  if (r == SREG_SS) {
    if (is_null(sel))
      cpu_raise(c, TRAP_GP, 0);
    if (k != DESC_DATA || (sel & 3) != 3)
      cpu_raise(c, TRAP_GP, SEG_ERROR(sel));
    return; /* only __USER_DS loads, which SS already holds */
  }
  if (!is_null(sel) && k == DESC_NONE)
    cpu_raise(c, TRAP_GP, SEG_ERROR(sel));
  switch (r) {
  case SREG_ES: c->es_sel = sel; break;
  case SREG_DS: c->ds_sel = sel; break;
  case SREG_FS:
    c->fs_sel = sel;
    c->fs_base = 0;
    break;
  case SREG_GS:
    c->gs_sel = sel;
    c->gs_base = 0;
    break;
  default: break; /* CS: the decoder has no form for mov cs (#UD) */
  }
}

/* SDM vol. 2, JMP/CALL (far, protected mode) and RET/IRET (far): a call
 * or jump may name a non-conforming code segment with RPL <= CPL (the
 * new CS gets RPL = CPL); a return to RPL < CPL would be to an inner
 * level and is #GP(selector). */
enum far_target seg_check_code(struct cpu *c, uint16_t sel, bool is_return) {
  if (is_null(sel))
    cpu_raise(c, TRAP_GP, 0);
  if (is_return && (sel & 3) != 3)
    cpu_raise(c, TRAP_GP, SEG_ERROR(sel));
  switch (descriptor(sel)) {
  case DESC_CODE64: return FAR_CODE64;
  case DESC_CODE32: return FAR_CODE32;
  default: cpu_raise(c, TRAP_GP, SEG_ERROR(sel));
  }
}

/* IRET in 64-bit mode always pops SS; at CPL 3 it must be a writable
 * data segment with RPL = DPL = 3 (a null SS only goes to CPL < 3). */
void seg_check_stack(struct cpu *c, uint16_t sel) {
  if (is_null(sel))
    cpu_raise(c, TRAP_GP, 0);
  if ((sel & 3) != 3 || descriptor(sel) != DESC_DATA)
    cpu_raise(c, TRAP_GP, SEG_ERROR(sel));
}

/* 8C /0../5: mov r/m, Sreg. A memory destination gets 16 bits whatever
 * the operand size; a register gets the selector zero-extended to 32 or
 * 64 bits, or (66) its low 16 bits replaced, as this AMD CPU does (the
 * SDM leaves the upper bits of a 16-bit destination model-specific).
 * REX.R does not extend the segment register number. */
void op_mov_rm_sreg(struct cpu *c, const struct insn *i) {
  uint16_t sel = seg_get(c, (enum sreg)(i->reg & 7));
  cpu_rm_set(c, i, i->mod == 3 ? i->opsize : 2, sel);
}

/* 8E /0,/2../5: mov Sreg, r/m16 (mov cs is #UD: no form). */
void op_mov_sreg_rm(struct cpu *c, const struct insn *i) {
  seg_load(c, (enum sreg)(i->reg & 7), (uint16_t)cpu_rm_get(c, i, 2));
}

/* 0F A0/A8: push fs/gs (arg = the register). 64-bit operand size writes
 * the selector zero-extended to 8 bytes on this CPU, 66 writes 2. */
void op_push_sreg(struct cpu *c, const struct insn *i) {
  cpu_push(c, i->opsize, seg_get(c, (enum sreg)i->arg));
}

/* 0F A1/A9: pop fs/gs. RSP moves only once the selector has loaded. */
void op_pop_sreg(struct cpu *c, const struct insn *i) {
  uint64_t v = cpu_stack_load(c, c->gpr[RSP], i->opsize);
  seg_load(c, (enum sreg)i->arg, (uint16_t)v);
  c->gpr[RSP] += (uint64_t)i->opsize;
}

void cpu_segments_after_iret(struct cpu *c) {
  uint16_t *sels[] = {&c->es_sel, &c->ds_sel, &c->fs_sel, &c->gs_sel};
  for (unsigned k = 0; k < 4; k++)
    if (is_null(*sels[k]))
      *sels[k] = 0;
}
