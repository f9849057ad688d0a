/* Differential harness for the integer instruction tests: each case is a
 * snippet of real instructions (written in GNU assembler syntax with the
 * INT_CASE macro below), run both natively on the host CPU and in emu's
 * CPU from the same registers, flags and memory, then compared: all 16
 * GPRs, the defined arithmetic flags (the table's flags_undefined are
 * masked) and two pages of data memory. Header-only so that each
 * tests/unit/test_*.c stays a self-contained check executable.
 *
 * Layout shared by both runs: the snippet at CODE_ADDR, data pages at
 * DATA_ADDR (rbx, rsi, rdi, rbp and rsp point into them). Natively the
 * snippet ends in a jump back to the trampoline; in emu it ends in int3. */
#ifndef EMU_INT_HARNESS_H
#define EMU_INT_HARNESS_H

#include <check.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#include "cpu/cpu.h"
#include "cpu/decode/optable.h"
#include "mmu/mmu.h"
#include "tests/host_vendor.h"

#define CODE_ADDR 0x10000000ull
#define DATA_ADDR 0x20000000ull
#define DATA_SIZE 0x2000ull

/* One snippet: [start, end) of its bytes and its source text. */
struct int_case {
  const uint8_t *start, *end;
  const char *text;
};

/* INT_CASE("asm text"): a string for a top-level __asm__ that assembles
 * the text into section .rodata.int_case_code and records it in section
 * int_cases (iterated through the linker's __start_/__stop_ symbols).
 * Statements are separated with ';'. It can sit inside a gas .irp loop. */
#define INT_CASE(text)                                                         \
  ".pushsection int_cases,\"aw\"\n"                                            \
  ".quad 771f, 772f, 773f\n"                                                   \
  ".popsection\n"                                                              \
  ".pushsection .rodata.int_case_text,\"a\"\n"                                 \
  "773: .asciz \"" text "\"\n"                                                 \
  ".popsection\n"                                                              \
  ".pushsection .rodata.int_case_code,\"a\"\n"                                 \
  "771: " text "\n"                                                            \
  "772:\n"                                                                     \
  ".popsection\n"

extern const struct int_case __start_int_cases[], __stop_int_cases[];

/* Machine state compared between the two runs. */
struct int_state {
  uint64_t gpr[16];
  uint64_t flags;
  int fault; /* 0, or the signal number natively / trap kind in emu */
};

/* --- native side: trampoline in assembler --- */
struct int_state *hn_state;
uint64_t hn_saved_rsp, hn_target, hn_tmp;
void hn_run(void);
void hn_return(void);
__asm__(".text\n"
        ".globl hn_run\n"
        "hn_run:\n"
        "push %rbx; push %rbp; push %r12; push %r13; push %r14; push %r15\n"
        "mov %rsp, hn_saved_rsp(%rip)\n"
        "mov hn_state(%rip), %rdi\n"
        "pushq 128(%rdi)\n"
        "popfq\n"
        "mov 0(%rdi), %rax; mov 8(%rdi), %rcx; mov 16(%rdi), %rdx\n"
        "mov 24(%rdi), %rbx; mov 32(%rdi), %rsp; mov 40(%rdi), %rbp\n"
        "mov 48(%rdi), %rsi; mov 64(%rdi), %r8; mov 72(%rdi), %r9\n"
        "mov 80(%rdi), %r10; mov 88(%rdi), %r11; mov 96(%rdi), %r12\n"
        "mov 104(%rdi), %r13; mov 112(%rdi), %r14; mov 120(%rdi), %r15\n"
        "mov 56(%rdi), %rdi\n"
        "jmp *hn_target(%rip)\n"
        ".globl hn_return\n"
        "hn_return:\n"
        "mov %rdi, hn_tmp(%rip)\n"
        "mov hn_state(%rip), %rdi\n"
        "mov %rax, 0(%rdi); mov %rcx, 8(%rdi); mov %rdx, 16(%rdi)\n"
        "mov %rbx, 24(%rdi); mov %rsp, 32(%rdi); mov %rbp, 40(%rdi)\n"
        "mov %rsi, 48(%rdi); mov %r8, 64(%rdi); mov %r9, 72(%rdi)\n"
        "mov %r10, 80(%rdi); mov %r11, 88(%rdi); mov %r12, 96(%rdi)\n"
        "mov %r13, 104(%rdi); mov %r14, 112(%rdi); mov %r15, 120(%rdi)\n"
        "mov hn_tmp(%rip), %rax; mov %rax, 56(%rdi)\n"
        "mov hn_saved_rsp(%rip), %rsp\n"
        "pushfq; popq 128(%rdi)\n"
        "cld\n"
        "pop %r15; pop %r14; pop %r13; pop %r12; pop %rbp; pop %rbx\n"
        "ret\n");

static uint8_t *hn_code, *hn_data;
static sigjmp_buf hn_jmp;

/* A fault in the snippet (#DE, #GP...): take the registers from the
 * signal frame and unwind to the C side. */
static void hn_signal(int sig, siginfo_t *si, void *ctx) {
  (void)si;
  ucontext_t *uc = ctx;
  static const int map[16] = {
      REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI, REG_RDI,
      REG_R8,  REG_R9,  REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15};
  for (int r = 0; r < 16; r++)
    hn_state->gpr[r] = (uint64_t)uc->uc_mcontext.gregs[map[r]];
  hn_state->flags = (uint64_t)uc->uc_mcontext.gregs[REG_EFL];
  hn_state->fault = sig;
  siglongjmp(hn_jmp, 1);
}

static void native_setup(void) {
  hn_code = mmap((void *)CODE_ADDR, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  hn_data = mmap((void *)DATA_ADDR, DATA_SIZE, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  ck_assert_ptr_eq(hn_code, (void *)CODE_ADDR);
  ck_assert_ptr_eq(hn_data, (void *)DATA_ADDR);
  static uint8_t altstack[65536];
  stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack};
  sigaltstack(&ss, NULL);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = hn_signal;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
  sigaction(SIGFPE, &sa, NULL);
  sigaction(SIGSEGV, &sa, NULL);
  sigaction(SIGBUS, &sa, NULL);
  sigaction(SIGILL, &sa, NULL);
}

static void native_run(const struct int_case *k, struct int_state *s,
                       const uint8_t *data) {
  size_t n = (size_t)(k->end - k->start);
  memcpy(hn_code, k->start, n);
  /* jmp *0(%rip); .quad hn_return */
  static const uint8_t jmp[6] = {0xff, 0x25, 0, 0, 0, 0};
  memcpy(hn_code + n, jmp, sizeof jmp);
  uint64_t back = (uint64_t)(uintptr_t)hn_return;
  memcpy(hn_code + n + 6, &back, 8);
  memcpy(hn_data, data, DATA_SIZE);
  hn_state = s;
  hn_target = CODE_ADDR;
  s->fault = 0;
  if (sigsetjmp(hn_jmp, 1) == 0)
    hn_run();
}

/* --- emu side --- */
static struct mmu em_mmu;
static struct cpu em_cpu;

static void emu_setup(void) {
  ck_assert_int_eq(mmu_init(&em_mmu, 64ull << 20), 0);
  cpu_decode_init();
  uint64_t f = mmu_frame_alloc(&em_mmu);
  ck_assert_int_eq(mmu_map(&em_mmu, CODE_ADDR, f, PTE_U | PTE_W, NULL), 0);
  for (uint64_t a = 0; a < DATA_SIZE; a += PAGE_SIZE) {
    f = mmu_frame_alloc(&em_mmu);
    ck_assert_int_eq(
        mmu_map(&em_mmu, DATA_ADDR + a, f, PTE_U | PTE_W | PTE_NX, NULL), 0);
  }
}

static void emu_run(const struct int_case *k, struct int_state *s,
                    const uint8_t *data, uint8_t *data_out) {
  size_t n = (size_t)(k->end - k->start);
  uint8_t code[256];
  memcpy(code, k->start, n);
  code[n] = 0xcc; /* int3 */
  ck_assert_int_eq(copy_to_guest(&em_mmu, CODE_ADDR, code, n + 1), 0);
  ck_assert_int_eq(copy_to_guest(&em_mmu, DATA_ADDR, data, DATA_SIZE), 0);
  struct cpu *c = &em_cpu;
  cpu_destroy(c); /* the previous case's block cache (none the first time) */
  cpu_init(c, &em_mmu);
  memcpy(c->gpr, s->gpr, sizeof c->gpr);
  cpu_set_flags(c, s->flags);
  c->rip = CODE_ADDR;
  enum trap_kind t = cpu_run(c, 100000);
  memcpy(s->gpr, c->gpr, sizeof c->gpr);
  s->flags = cpu_get_flags(c);
  s->fault = t == TRAP_BP ? 0 : (int)t;
  ck_assert_int_eq(copy_from_guest(&em_mmu, data_out, DATA_ADDR, DATA_SIZE), 0);
}

/* Run raw bytes in emu with the given registers (no native side): for
 * tests of faults and restarts. Returns the trap; state stays in em_cpu. */
__attribute__((unused)) static enum trap_kind
emu_run_bytes(const uint8_t *code, size_t n, const uint64_t gpr[16]) {
  ck_assert_int_eq(copy_to_guest(&em_mmu, CODE_ADDR, code, n), 0);
  cpu_destroy(&em_cpu);
  cpu_init(&em_cpu, &em_mmu);
  memcpy(em_cpu.gpr, gpr, sizeof em_cpu.gpr);
  em_cpu.rip = CODE_ADDR;
  return cpu_run(&em_cpu, 100000);
}

/* --- inputs --- */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rng(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

/* Values that sit on the edges where flags change. */
static uint64_t interesting_value(void) {
  static const uint64_t edges[] = {0,
                                   1,
                                   2,
                                   0x7f,
                                   0x80,
                                   0xff,
                                   0x100,
                                   0x7fff,
                                   0x8000,
                                   0xffff,
                                   0x7fffffff,
                                   0x80000000,
                                   0xffffffff,
                                   0x100000000ull,
                                   0x7fffffffffffffffull,
                                   0x8000000000000000ull,
                                   ~0ull,
                                   ~0ull - 1};
  switch (rng() % 6) {
  case 0: return rng();
  case 1: return rng() % 70;
  case 2: return edges[rng() % (sizeof edges / sizeof edges[0])];
  case 3: return (rng() & ~0xffull) | edges[rng() % 6];
  case 4: return rng() & 0xffffffff;
  default: return (uint64_t) - (int64_t)(rng() % 70);
  }
}

static void random_state(struct int_state *s) {
  for (int r = 0; r < 16; r++)
    s->gpr[r] = interesting_value();
  s->gpr[RBX] = DATA_ADDR + 0x400 + (rng() % 64);
  s->gpr[RSI] = DATA_ADDR + 0x800 + (rng() % 64);
  s->gpr[RDI] = DATA_ADDR + 0xa00 + (rng() % 64);
  s->gpr[RBP] = DATA_ADDR + 0x1000;
  s->gpr[RSP] = DATA_ADDR + 0x1c00;
  s->flags = 0x202 | (rng() & FLAGS_ARITH);
  s->fault = 0;
}

/* The flags the SDM leaves undefined for any instruction of the snippet. */
static uint64_t undefined_flags(const struct int_case *k) {
  uint64_t mask = 0;
  const uint8_t *p = k->start;
  while (p < k->end) {
    struct insn in;
    if (cpu_decode(p, (int)(k->end - p), &in) != 0)
      break;
    mask |= cpu_ops[in.op].flags_undefined;
    p += in.len;
  }
  return mask;
}

/* Whether the host can judge case k: on a CPU of another vendor than the
 * model's, not for the instructions that differ by design
 * (tests/host_vendor.h). */
static bool host_can_judge(const struct int_case *k) {
  static int amd = -1;
  if (amd < 0)
    amd = host_cpu_is_amd();
  const uint8_t *p = k->start;
  while (!amd && p < k->end) {
    struct insn in;
    if (cpu_decode(p, (int)(k->end - p), &in) != 0)
      break;
    if (vendor_specific_insn(&in))
      return false;
    p += in.len;
  }
  return true;
}

static const char *gpr_name[16] = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp",
                                   "rsi", "rdi", "r8",  "r9",  "r10", "r11",
                                   "r12", "r13", "r14", "r15"};

/* Run every case `iters` times with random inputs; returns the number of
 * mismatches in defined state (printed). Mismatches confined to undefined
 * flags are counted in *undef_diffs. */
static int run_int_cases(int iters, int *undef_diffs) {
  static uint8_t data[DATA_SIZE], native_data[DATA_SIZE], emu_data[DATA_SIZE];
  int failures = 0, total = 0;
  *undef_diffs = 0;
  setvbuf(stdout, NULL, _IONBF, 0); /* check's forked child may not flush */
  native_setup();
  emu_setup();
  for (const struct int_case *k = __start_int_cases; k < __stop_int_cases;
       k++) {
    uint64_t undef = undefined_flags(k);
    int case_failed = 0;
    if (!host_can_judge(k)) {
      printf("skip: [%s]: differs between CPU vendors by design; the host "
             "is not AMD, the model is\n",
             k->text);
      continue;
    }
    for (int it = 0; it < iters && !case_failed; it++) {
      struct int_state in, nat, emu;
      random_state(&in);
      for (size_t b = 0; b < DATA_SIZE; b += 8) {
        uint64_t v = interesting_value();
        memcpy(data + b, &v, 8);
      }
      nat = in;
      emu = in;
      if (getenv("INT_TRACE"))
        printf("case [%s]\n", k->text);
      native_run(k, &nat, data);
      memcpy(native_data, hn_data, DATA_SIZE);
      emu_run(k, &emu, data, emu_data);
      total++;
      uint64_t fm = FLAGS_ARITH | FLAG_DF;
      int bad = (nat.fault != 0) != (emu.fault != 0);
      for (int r = 0; r < 16; r++)
        bad |= nat.gpr[r] != emu.gpr[r];
      bad |= ((nat.flags ^ emu.flags) & fm & ~undef) != 0;
      bad |= memcmp(native_data, emu_data, DATA_SIZE) != 0;
      if (!bad && ((nat.flags ^ emu.flags) & fm)) {
        if (getenv("INT_VERBOSE"))
          printf("undef-only diff [%s]: flags in %#lx native %#lx emu %#lx\n",
                 k->text, (unsigned long)in.flags,
                 (unsigned long)(nat.flags & fm),
                 (unsigned long)(emu.flags & fm));
        (*undef_diffs)++;
      }
      if (!bad)
        continue;
      failures++;
      case_failed = 1;
      printf("MISMATCH [%s] fault native %d emu %d\n", k->text, nat.fault,
             emu.fault);
      for (int r = 0; r < 16; r++)
        printf("  %-3s in %016lx native %016lx emu %016lx%s\n", gpr_name[r],
               (unsigned long)in.gpr[r], (unsigned long)nat.gpr[r],
               (unsigned long)emu.gpr[r],
               nat.gpr[r] != emu.gpr[r] ? "  <--" : "");
      printf("  flags in %#lx native %#lx emu %#lx (undefined %#lx)\n",
             (unsigned long)in.flags, (unsigned long)(nat.flags & fm),
             (unsigned long)(emu.flags & fm), (unsigned long)undef);
      for (size_t b = 0; b < DATA_SIZE; b++)
        if (native_data[b] != emu_data[b]) {
          printf("  memory differs first at %#lx\n",
                 (unsigned long)(DATA_ADDR + b));
          break;
        }
    }
  }
  printf("%d cases x %d inputs: %d runs, %d failing cases, %d undefined-flag "
         "differences\n",
         (int)(__stop_int_cases - __start_int_cases), iters, total, failures,
         *undef_diffs);
  return failures;
}

/* A check test case running every INT_CASE of this executable. */
#define INT_DIFF_TEST(NAME, ITERS)                                             \
  START_TEST(NAME) {                                                           \
    int undef;                                                                 \
    ck_assert_int_eq(run_int_cases(ITERS, &undef), 0);                         \
  }                                                                            \
  END_TEST

#endif
