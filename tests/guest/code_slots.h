/* Running instructions from bytes, for the guest tests that execute
 * single instructions and report what they did: each case is placed in
 * its own slot of an executable page, run with registers loaded from a
 * table, and a fault is reported (signal, si_code, si_addr, the trap
 * number and error code of the signal frame, where RIP stood) before the
 * handler moves RIP past the instruction, so the case returns. */
#ifndef CODE_SLOTS_H
#define CODE_SLOTS_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

struct regs {
  uint64_t rax, rbx, rcx, rdx, rsi, rdi, r8, r9, r10, r11;
};

/* run_slot(regs, code): load the registers, call code, store them. */
void run_slot(struct regs *r, const void *code);
__asm__(".text\n"
        ".globl run_slot\n"
        "run_slot:\n"
        "  push %rbx; push %rbp; push %r12; push %r13; push %r14; push %r15\n"
        "  mov %rdi, %r15; mov %rsi, %r14\n"
        "  mov 0(%r15), %rax; mov 8(%r15), %rbx; mov 16(%r15), %rcx\n"
        "  mov 24(%r15), %rdx; mov 32(%r15), %rsi; mov 40(%r15), %rdi\n"
        "  mov 48(%r15), %r8; mov 56(%r15), %r9; mov 64(%r15), %r10\n"
        "  mov 72(%r15), %r11\n"
        "  call *%r14\n"
        "  mov %rax, 0(%r15); mov %rbx, 8(%r15); mov %rcx, 16(%r15)\n"
        "  mov %rdx, 24(%r15); mov %rsi, 32(%r15); mov %rdi, 40(%r15)\n"
        "  mov %r8, 48(%r15); mov %r9, 56(%r15); mov %r10, 64(%r15)\n"
        "  mov %r11, 72(%r15)\n"
        "  pop %r15; pop %r14; pop %r13; pop %r12; pop %rbp; pop %rbx\n"
        "  ret\n");

#define SLOT 64
static uint8_t *page; /* the slots, one case each */
static size_t page_bytes;
/* Memory operands: (%rdi), (%rsi); 64-byte aligned (a cache line). */
static uint8_t scratch[256] __attribute__((aligned(64)));
static uint8_t *insn; /* the instruction under test */
static int insn_len;
/* Where a faulting case resumes: a ret, or NULL for past the instruction
 * (for an instruction that ends its page). */
static uint8_t *resume_at;

/* Named areas, so that a fault address prints the same in every run. */
static struct {
  const char *name;
  uint64_t base, len;
} regions[8];

static inline void slot_region(const char *name, const void *base,
                               uint64_t len) {
  for (int k = 0; k < 8; k++)
    if (!regions[k].name) {
      regions[k].name = name;
      regions[k].base = (uint64_t)base;
      regions[k].len = len;
      return;
    }
}

static inline void show_addr(uint64_t a) {
  if (a >= (uint64_t)insn && a < (uint64_t)insn + SLOT) {
    printf("insn%+ld", (long)(a - (uint64_t)insn));
    return;
  }
  if (a >= (uint64_t)scratch && a < (uint64_t)scratch + sizeof scratch) {
    printf("scratch+%ld", (long)(a - (uint64_t)scratch));
    return;
  }
  for (int k = 0; k < 8 && regions[k].name; k++)
    if (a - regions[k].base < regions[k].len) {
      printf("%s+%ld", regions[k].name, (long)(a - regions[k].base));
      return;
    }
  printf("%#lx", (unsigned long)a);
}

static inline void on_signal(int sig, siginfo_t *si, void *ctx) {
  ucontext_t *uc = ctx;
  greg_t *g = uc->uc_mcontext.gregs;
  printf("  %s code %#x addr ",
         sig == SIGSEGV   ? "SIGSEGV"
         : sig == SIGILL  ? "SIGILL"
         : sig == SIGTRAP ? "SIGTRAP"
         : sig == SIGBUS  ? "SIGBUS"
                          : "?",
         si->si_code);
  show_addr((uint64_t)si->si_addr);
  printf(" trapno %lld err %#llx rip insn%+lld\n", (long long)g[REG_TRAPNO],
         (long long)g[REG_ERR], (long long)(g[REG_RIP] - (greg_t)insn));
  g[REG_RIP] = (greg_t)(resume_at ? resume_at : insn + insn_len);
}

/* A case: the instruction, bytes to run before it (pre) and after it
 * (post, e.g. to undo pushes), and the registers it starts with (rsi and
 * rdi point at scratch unless set). */
struct test {
  const char *name;
  const char *pre;
  int pre_len;
  const char *code;
  int len;
  const char *post;
  int post_len;
  struct regs in;
};

#define B(s) s, (int)sizeof(s) - 1

static inline const uint8_t *place(int k, const struct test *t) {
  uint8_t *slot = page + k * SLOT;
  memcpy(slot, t->pre ? t->pre : "", (size_t)t->pre_len);
  memcpy(slot + t->pre_len, t->code, (size_t)t->len);
  memcpy(slot + t->pre_len + t->len, t->post ? t->post : "",
         (size_t)t->post_len);
  slot[t->pre_len + t->len + t->post_len] = 0xc3; /* ret */
  return slot;
}

/* Run case k (placed in slot k) from registers `in` (rsi and rdi default
 * to scratch); `in` gets the defaults, *r the registers after. */
static inline void run(int k, const struct test *t, struct regs *in,
                       struct regs *r) {
  insn = page + k * SLOT + t->pre_len;
  insn_len = t->len;
  if (!in->rsi)
    in->rsi = (uint64_t)scratch;
  if (!in->rdi)
    in->rdi = (uint64_t)scratch;
  *r = *in;
  printf("%s\n", t->name);
  fflush(stdout);
  run_slot(r, page + k * SLOT);
}

static inline void print_regs(const struct regs *before, const struct regs *r) {
  const uint64_t *b = &before->rax, *a = &r->rax;
  static const char *const names[] = {"rax", "rbx", "rcx", "rdx", "rsi",
                                      "rdi", "r8",  "r9",  "r10", "r11"};
  for (int k = 0; k < 10; k++)
    if (a[k] != b[k])
      printf("  %s %#lx\n", names[k], (unsigned long)a[k]);
}

/* Map `n` slots (writable until slots_seal) and catch the signals. */
static inline void slots_init(size_t n) {
  page_bytes = n * SLOT;
  page = mmap(NULL, page_bytes, PROT_READ | PROT_WRITE,
              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (page == MAP_FAILED) {
    perror("mmap");
    _exit(1);
  }
  struct sigaction sa = {.sa_sigaction = on_signal,
                         .sa_flags = SA_SIGINFO | SA_NODEFER};
  sigaction(SIGSEGV, &sa, NULL);
  sigaction(SIGILL, &sa, NULL);
  sigaction(SIGTRAP, &sa, NULL);
  sigaction(SIGBUS, &sa, NULL);
}

static inline void slots_seal(void) {
  mprotect(page, page_bytes, PROT_READ | PROT_EXEC);
}

#endif
