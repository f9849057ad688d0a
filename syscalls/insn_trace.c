/* --trace: one line per instruction as it starts — the cycle counter,
 * the address, symbol+offset, the bytes, and capstone's disassembly. It
 * hooks the CPU loop only when asked for, so it costs nothing when off.
 * Lines are written as instructions retire. */
#include <capstone/capstone.h>
#include <stdio.h>

#include "trace.h"

static csh disasm;

static void trace_one(struct cpu *c, const struct insn *in, uint64_t start,
                      void *ctx) {
  uint64_t rip = c->insn_rip;
  struct process *p = ctx;
  FILE *out = p->opt->trace_out;
  uint8_t bytes[16];
  if (copy_from_guest(&p->mmu, bytes, rip, in->len) < 0)
    return;
  char sym[256];
  symbolize(p, rip, sym, sizeof sym);
  char hex[48];
  int n = 0;
  for (int k = 0; k < in->len; k++)
    n += snprintf(hex + n, sizeof hex - (size_t)n, "%02x", bytes[k]);
  cs_insn *insn = NULL;
  size_t count = cs_disasm(disasm, bytes, in->len, rip, 1, &insn);
  fprintf(out, "%12llu  %012llx %-28s %-30s %s%s%s\n",
          (unsigned long long)start, (unsigned long long)rip, sym, hex,
          count ? insn[0].mnemonic : "(bad)",
          count && insn[0].op_str[0] ? " " : "", count ? insn[0].op_str : "");
  if (count)
    cs_free(insn, count);
}

void trace_instructions_start(struct process *p) {
  if (cs_open(CS_ARCH_X86, CS_MODE_64, &disasm) != CS_ERR_OK)
    return;
  p->cpu.trace_hook = trace_one;
  p->cpu.trace_ctx = p;
}

void trace_instructions_stop(struct process *p) {
  p->cpu.trace_hook = NULL;
  cs_close(&disasm);
}
