/* The crash report: what a debugger would show first when a signal kills
 * the guest — the signal and its cause, the faulting instruction
 * disassembled, the registers, and the memory map. It goes to emu's
 * stderr, once, just before emu exits as the shell would report. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "../process.h"
#include "../thread/thread_internal.h"
#include "disasm.h"

static const char *code_name(int sig, int code) {
  if (code == SI_KERNEL)
    return "SI_KERNEL";
  switch (sig) {
  case SIGSEGV:
    return code == SEGV_MAPERR   ? "SEGV_MAPERR"
           : code == SEGV_ACCERR ? "SEGV_ACCERR"
                                 : "";
  case SIGBUS: return code == BUS_ADRERR ? "BUS_ADRERR" : "";
  case SIGILL: return code == ILL_ILLOPN ? "ILL_ILLOPN" : "";
  case SIGFPE:
    switch (code) {
    case FPE_INTDIV: return "FPE_INTDIV";
    case FPE_FLTDIV: return "FPE_FLTDIV";
    case FPE_FLTINV: return "FPE_FLTINV";
    case FPE_FLTOVF: return "FPE_FLTOVF";
    case FPE_FLTUND: return "FPE_FLTUND";
    case FPE_FLTRES: return "FPE_FLTRES";
    default: return "";
    }
  default: return "";
  }
}

static void print_instruction(struct process *p, FILE *out, uint64_t rip) {
  uint8_t bytes[15];
  size_t n = 0;
  while (n < sizeof bytes &&
         copy_from_guest(&p->mmu, &bytes[n], rip + n, 1) == 0)
    n++;
  char sym[256];
  symbolize(p, rip, sym, sizeof sym);
  fprintf(out, "emu:   at 0x%llx%s%s%s: ", (unsigned long long)rip,
          sym[0] ? " <" : "", sym, sym[0] ? ">" : "");
  if (n == 0) {
    fprintf(out, "(instruction bytes not readable)\n");
    return;
  }
  char text[160];
  size_t len = (size_t)disasm_one(bytes, n, rip, text, sizeof text);
  for (size_t k = 0; k < (len ? len : n); k++)
    fprintf(out, "%02x ", bytes[k]);
  fprintf(out, " %s\n", len ? text : "(not a valid instruction)");
}

/* Everything after the report's first line. */
static void print_registers(struct cpu *c, FILE *out);
static void print_other_threads(struct process *p, FILE *out);

static void print_state(struct process *p, FILE *out) {
  struct cpu *c = &p->cpu;
  print_instruction(p, out, c->trap.rip ? c->trap.rip : c->rip);
  print_registers(c, out);
  print_other_threads(p, out);
  fprintf(out, "emu: memory map:\n");
  vma_format_maps(p, out, "emu:   ");
}

static void print_registers(struct cpu *c, FILE *out) {
  static const char *const names[16] = {
      "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
      "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15"};
  for (int k = 0; k < 16; k++)
    fprintf(out, "%s%-3s %016llx%s", k % 4 ? "  " : "emu:   ", names[k],
            (unsigned long long)c->gpr[k], k % 4 == 3 ? "\n" : "");
  fprintf(
      out,
      "emu:   rip %016llx  rflags %016llx  fs_base %016llx  gs_base %016llx\n",
      (unsigned long long)c->rip, (unsigned long long)cpu_get_flags(c),
      (unsigned long long)c->fs_base, (unsigned long long)c->gs_base);
  fprintf(out, "emu:   instructions %llu  cycles %llu\n",
          (unsigned long long)c->instret, (unsigned long long)c->cycles);
}

/* The process's other threads, stopped at their next boundary first (a
 * debugger's view of a core dump: every thread's registers). */
static void print_other_threads(struct process *p, FILE *out) {
  if (thread_count() <= 1)
    return;
  thread_stop_others(p);
  for (int k = 0; k < thread_count(); k++) {
    struct process *t = thread_find_index(k);
    if (t == p)
      continue;
    fprintf(out, "emu: thread %d (%.16s):\n", t->tid, t->exec_name);
    print_registers(&t->cpu, out);
  }
}

void crash_report(struct process *p, int sig, int si_code, uint64_t addr) {
  /* The pid: with processes, several guests may share one stderr. */
  char thread[32] = "";
  if (thread_count() > 1)
    snprintf(thread, sizeof thread, " thread %d", p->tid);
  fprintf(stderr,
          "emu: %s: pid %d%s killed by SIG%s (%s), fault address 0x%llx\n",
          p->mm->exe_path, p->pid, thread,
          sigabbrev_np(sig) ? sigabbrev_np(sig) : "?", code_name(sig, si_code),
          (unsigned long long)addr);
  print_state(p, stderr);
}

/* TRAP_COMPAT: a far jmp/call/retf/iret to the 32-bit user code segment
 * (0x23) would go on natively in compatibility mode, running the target
 * as 32-bit code; emu models 64-bit mode only. The guest stops at the
 * instruction, with this report, as if killed by SIGILL (it cannot be
 * caught: there is no instruction the guest did wrong). */
void crash_compat_mode(struct process *p) {
  fprintf(stderr,
          "emu: %s: far transfer to compatibility mode (CS 0x23, target "
          "0x%llx) is not supported: emu runs 64-bit code only\n",
          p->mm->exe_path, (unsigned long long)p->cpu.trap.addr);
  print_state(p, stderr);
  p->exited = true;
  p->fatal_signal = SIGILL;
}
