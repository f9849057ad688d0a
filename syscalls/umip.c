/* The kernel's answer to a #GP from an instruction CR4.UMIP forbids
 * (arch/x86/kernel/umip.c, fixup_umip_exception, as in Linux 6.x):
 * sgdt, sidt and smsw are emulated with dummy results and the program
 * goes on; sldt and str are not, so they end in SIGSEGV like any #GP.
 * The CPU hands over which instruction it was and its operand
 * (struct trap_umip), which Linux finds by decoding it. */
#include <signal.h>
#include <string.h>

#include "process.h"

/* Kernel addresses near the top of memory, limit 0 (umip.c), so that
 * programs that look for the tables in kernel space find them there. */
#define UMIP_DUMMY_GDT_BASE 0xfffffffffffe0000ull
#define UMIP_DUMMY_IDT_BASE 0xffffffffffff0000ull
/* CR0 as Linux sets it at boot (CR0_STATE, arch/x86/include/asm/
 * processor-flags.h): PE MP ET NE WP AM PG. */
#define UMIP_CR0_STATE 0x80050033ull

bool umip_fixup(struct process *p) {
  struct cpu *c = &p->cpu;
  struct trap_umip u = c->trap.umip;
  c->trap.umip.insn = UMIP_NONE;
  uint8_t data[10] = {0};
  size_t size;
  switch (u.insn) {
  case UMIP_SGDT:
  case UMIP_SIDT: {
    /* Memory only (the decoder has no register form): limit, base. */
    uint64_t base =
        u.insn == UMIP_SGDT ? UMIP_DUMMY_GDT_BASE : UMIP_DUMMY_IDT_BASE;
    memcpy(data + 2, &base, 8);
    size = 10;
    break;
  }
  case UMIP_SMSW: {
    /* A register gets operand-size bytes, memory two (a 32-bit register
     * keeps its upper half: Linux copies bytes into the saved register
     * rather than writing it as the instruction would). */
    uint64_t cr0 = UMIP_CR0_STATE;
    memcpy(data, &cr0, 8);
    size = u.memory ? 2 : u.opsize;
    break;
  }
  default: return false; /* sldt, str: "Do not emulate (spoof)" */
  }
  if (!u.memory) {
    memcpy(&c->gpr[u.reg], data, size); /* little-endian, as the guest */
  } else if (copy_to_guest(&p->mmu, u.addr, data, size)) {
    /* force_sig_info_umip_fault: SEGV_MAPERR at the operand, reported
     * as a user write #PF; RIP stays on the instruction. */
    c->trap.kind = TRAP_PF;
    c->trap.addr = u.addr;
    c->trap.error = PFERR_U | PFERR_W;
    signal_raise_trap(p, SIGSEGV, SEGV_MAPERR, u.addr);
    return true;
  }
  c->rip += u.len;
  return true;
}
