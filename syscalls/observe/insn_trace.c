/* --trace: one line per instruction as it starts — the cycle counter,
 * the address, symbol+offset, the bytes, and capstone's disassembly. It
 * hooks the CPU loop only when asked for, so it costs nothing when off.
 * Lines are written as instructions retire. */
#include <stdio.h>

#include "../trace.h"
#include "disasm.h"

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
  char text[160];
  if (!disasm_one(bytes, in->len, rip, text, sizeof text))
    snprintf(text, sizeof text, "(bad)");
  fprintf(out, "%12llu  %012llx %-28s %-30s %s\n", (unsigned long long)start,
          (unsigned long long)rip, sym, hex, text);
}

void trace_instructions_start(struct process *p) {
  p->cpu.trace_hook = trace_one;
  p->cpu.trace_ctx = p;
}

void trace_instructions_stop(struct process *p) { p->cpu.trace_hook = NULL; }
