/* Far transfers and 16-bit near branches, compared with the host: jmp
 * far, call far, retf and iret in every operand size to __USER_CS (0x33)
 * and to selectors that fault; near branches with a 66 prefix, which
 * this AMD CPU runs with a 16-bit operand size (the target truncated to
 * 16 bits faults, and the run shows where); and accesses across the top
 * of the canonical lower half. Each case runs from a code page at a
 * fixed address on a private stack, and prints how it ended (signal,
 * si_code, si_addr, trap number and error code, RIP, RSP) and the stack
 * slots it wrote. Built static and not PIE, so the target label sits
 * below 4 GiB as 32-bit far pointers need. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#include "host_model.h"

#define CODE_ADDR 0x12340000ul
#define FILL 0xa5a5a5a5a5a5a5a5ull

static sigjmp_buf jump;
static volatile int got_sig, got_code;
static volatile uint64_t got_addr, got_err, got_trapno, got_rip, got_rsp;

static void on_signal(int sig, siginfo_t *si, void *ctx) {
  ucontext_t *uc = ctx;
  got_sig = sig;
  got_code = si->si_code;
  got_addr = (uint64_t)si->si_addr;
  got_err = (uint64_t)uc->uc_mcontext.gregs[REG_ERR];
  got_trapno = (uint64_t)uc->uc_mcontext.gregs[REG_TRAPNO];
  got_rip = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
  got_rsp = (uint64_t)uc->uc_mcontext.gregs[REG_RSP];
  siglongjmp(jump, 1);
}

uint64_t stack_mem[64] __attribute__((aligned(16)));
#define STK0 (&stack_mem[32])
uint64_t target_out[2];
uint64_t saved_rsp;
extern char target[];
void run_code(uint64_t rax, uint64_t code, uint64_t rcx);

/* run_code switches to the private stack and jumps to the code; the far
 * transfers aim at `target`, which records RSP and RFLAGS and returns. */
__asm__(".text\n"
        "run_code: mov %rsp, saved_rsp(%rip)\n"
        "  mov %rdi, %rax\n"
        "  mov %rdx, %rcx\n"
        "  lea stack_mem+256(%rip), %rsp\n"
        "  jmp *%rsi\n"
        "target: mov %rsp, target_out(%rip)\n"
        "  pushf\n"
        "  popq target_out+8(%rip)\n"
        "  push $0x202\n"
        "  popf\n"
        "  mov saved_rsp(%rip), %rsp\n"
        "  ret\n");

static void run(const char *what, const uint8_t *code, int n, uint64_t rax,
                uint64_t rcx, const uint64_t *stack, int slots) {
  uint8_t *page = (uint8_t *)CODE_ADDR;
  memset(page, 0xcc, 4096);
  memcpy(page + 0x100, code, (size_t)n);
  for (int k = 0; k < 64; k++)
    stack_mem[k] = k >= 32 && k - 32 < slots ? stack[k - 32] : FILL;
  got_sig = 0;
  if (!sigsetjmp(jump, 1))
    run_code(rax, CODE_ADDR + 0x100, rcx);
  if (got_sig)
    printf("%-28s sig %d code %d addr %#lx trapno %lu err %#lx rip %#lx "
           "rsp %+ld\n",
           what, got_sig, got_code, (unsigned long)got_addr,
           (unsigned long)got_trapno, (unsigned long)got_err,
           (unsigned long)got_rip, (long)(got_rsp - (uint64_t)STK0));
  else
    printf("%-28s at target, rsp %+ld rflags %#lx\n", what,
           (long)(target_out[0] - (uint64_t)STK0),
           (unsigned long)target_out[1]);
  for (int k = 24; k < 40; k++)
    if (stack_mem[k] != FILL &&
        (k - 32 >= slots || k < 32 || stack_mem[k] != stack[k - 32]))
      printf("    slot %+d: %#lx\n", k - 32, (unsigned long)stack_mem[k]);
}

#define CODE(...)                                                              \
  (const uint8_t[]){__VA_ARGS__}, sizeof((uint8_t[]){__VA_ARGS__})
#define STACK(...)                                                             \
  (const uint64_t[]){__VA_ARGS__}, (int)(sizeof((uint64_t[]){__VA_ARGS__}) / 8)

static uint8_t far32[6], far16[4];

/* Intel and AMD differ here by design; the model is AMD's. */
static int intel_host;
#define REX_W_FAR                                                              \
  "on an Intel host REX.W makes the far pointer m16:64 (SDM vol. 2, JMP); "    \
  "AMD ignores it (APM vol. 3, JMP), as the model does"

static void far_transfers(void) {
  static const uint16_t sels[] = {0x33, 0x30, 0x31, 0x2b, 0x10, 0x13,  0,
                                  3,    0x7b, 0x43, 0x38, 0x63, 0x1003};
  uint64_t t = (uint64_t)target;
  char what[64];
  for (unsigned k = 0; k < sizeof sels / sizeof *sels; k++) {
    uint16_t s = sels[k];
    uint32_t t32 = (uint32_t)t;
    uint16_t t16 = (uint16_t)t;
    memcpy(far32, &t32, 4);
    memcpy(far32 + 4, &s, 2);
    memcpy(far16, &t16, 2);
    memcpy(far16 + 2, &s, 2);
    snprintf(what, sizeof what, "ljmp m16:32 %#x", s);
    run(what, CODE(0xff, 0x28), (uint64_t)far32, 0, NULL, 0);
    snprintf(what, sizeof what, "ljmp m16:16 %#x", s);
    run(what, CODE(0x66, 0xff, 0x28), (uint64_t)far16, 0, NULL, 0);
    snprintf(what, sizeof what, "rex.w ljmp %#x", s);
    if (intel_host)
      skip_both(what, REX_W_FAR);
    else
      run(what, CODE(0x48, 0xff, 0x28), (uint64_t)far32, 0, NULL, 0);
    snprintf(what, sizeof what, "lcall m16:32 %#x", s);
    run(what, CODE(0xff, 0x18), (uint64_t)far32, 0, NULL, 0);
    snprintf(what, sizeof what, "lcall m16:16 %#x", s);
    run(what, CODE(0x66, 0xff, 0x18), (uint64_t)far16, 0, NULL, 0);
    snprintf(what, sizeof what, "rex.w lcall %#x", s);
    if (intel_host)
      skip_both(what, REX_W_FAR);
    else
      run(what, CODE(0x48, 0xff, 0x18), (uint64_t)far32, 0, NULL, 0);
    snprintf(what, sizeof what, "retfq %#x", s);
    run(what, CODE(0x48, 0xcb), 0, 0, STACK(t, s));
    snprintf(what, sizeof what, "retfl $16 %#x", s);
    run(what, CODE(0xca, 0x10, 0), 0, 0,
        STACK(t32 | (uint64_t)s << 32, 1, 2, 3));
    snprintf(what, sizeof what, "retfw %#x", s);
    run(what, CODE(0x66, 0xcb), 0, 0, STACK(t16 | (uint64_t)s << 16));
    snprintf(what, sizeof what, "iretq cs %#x", s);
    run(what, CODE(0x48, 0xcf), 0, 0,
        STACK(t, s, 0x202, (uint64_t)STK0 + 0x40, 0x2b));
    snprintf(what, sizeof what, "iretq ss %#x", s);
    run(what, CODE(0x48, 0xcf), 0, 0,
        STACK(t, 0x33, 0x202, (uint64_t)STK0 + 0x40, s));
  }
}

static void far_edges(void) {
  uint64_t t = (uint64_t)target, sp = (uint64_t)STK0 + 0x40;
  uint32_t t32 = (uint32_t)t;
  memcpy(far32, &t32, 4);
  memcpy(far32 + 4, &(uint16_t){0x33}, 2);
  if (intel_host) {
    skip_both("66 rex.w ljmp", REX_W_FAR);
    skip_both("rex.w 66 ljmp", REX_W_FAR);
  } else {
    run("66 rex.w ljmp", CODE(0x66, 0x48, 0xff, 0x28), (uint64_t)far32, 0, NULL,
        0);
    run("rex.w 66 ljmp", CODE(0x48, 0x66, 0xff, 0x28), (uint64_t)far32, 0, NULL,
        0);
  }
  run("retfl cs slot 0xffff0033", CODE(0xcb), 0, 0,
      STACK(t32 | 0xffff0033ull << 32));
  run("retfq noncanonical", CODE(0x48, 0xcb), 0, 0,
      STACK(0x800000000000ull, 0x33));
  run("retfq unmapped", CODE(0x48, 0xcb), 0, 0, STACK(0x700000000000ull, 0x33));
  run("retfq bad cs noncanonical", CODE(0x48, 0xcb), 0, 0,
      STACK(0x800000000000ull, 0x2b));
  run("iretq flags", CODE(0x48, 0xcf), 0, 0,
      STACK(t, 0x33, 0x3b7ed7, sp, 0x2b));
  run("iretq flags 0", CODE(0x48, 0xcf), 0, 0, STACK(t, 0x33, 0, sp, 0x2b));
  run("iretq AC", CODE(0x48, 0xcf), 0, 0, STACK(t, 0x33, 0x40202, sp, 0x2b));
  run("iretq odd rsp", CODE(0x48, 0xcf), 0, 0,
      STACK(t, 0x33, 0x202, sp + 1, 0x2b));
  run("iretq noncanonical rip", CODE(0x48, 0xcf), 0, 0,
      STACK(0x800000000000ull, 0x33, 0x202, sp, 0x2b));
  run("iretq bad ss noncanonical", CODE(0x48, 0xcf), 0, 0,
      STACK(0x800000000000ull, 0x33, 0x202, sp, 0x7b));
  run("iretq bad cs bad ss", CODE(0x48, 0xcf), 0, 0,
      STACK(t, 0x2b, 0x202, sp, 0x7b));
  /* CS is checked before SS (SDM vol. 2, IRET): with USER32_CS in the
   * GDT the fault names the bad SS. A kernel built without IA32
   * emulation has no 0x23 and names CS; natively there the model's
   * answer, #GP(0x78) at the same RIP, comes from mov ss,0x78 (RPL 0 is
   * not CPL 3). */
  if (host_differs("iretq cs 0x23 bad ss", HOST_NO_USER32_CS,
                   host_lacks_user32_cs()))
    run("iretq cs 0x23 bad ss", CODE(0x8e, 0xd0), 0x78, 0,
        STACK(t, 0x23, 0x202, sp, 0x7b));
  else
    run("iretq cs 0x23 bad ss", CODE(0x48, 0xcf), 0, 0,
        STACK(t, 0x23, 0x202, sp, 0x7b));
  run("iretl", CODE(0xcf), 0, 0,
      STACK(t32 | 0x33ull << 32, 0x202 | sp << 32, 0x2b));
  run("iretw", CODE(0x66, 0xcf), 0, 0,
      STACK((t & 0xffff) | 0x33ull << 16 | 0x202ull << 32 | 0x40ull << 48,
            0x2b));
  run("popf NT; iretq", CODE(0x68, 0x02, 0x42, 0, 0, 0x9d, 0x48, 0xcf), 0, 0,
      STACK(t, 0x33, 0x202, sp, 0x2b));
  run("popf NT; retfq", CODE(0x68, 0x02, 0x42, 0, 0, 0x9d, 0x48, 0xcb), 0, 0,
      STACK(t, 0x33));
}

static void near16(void) {
  const uint64_t st = 0x1111222233334444ull;
  if (intel_host) {
    skip_both("66-prefixed near branches",
              "on an Intel host 66 does not shorten a near branch in 64-bit "
              "mode (SDM vol. 2, JMP); the model is AMD (APM vol. 3, JMP)");
    return;
  }
  run("66 e9 rel16", CODE(0x66, 0xe9, 0x10, 0x00), 0, 0, NULL, 0);
  run("66 e9 rel16 back", CODE(0x66, 0xe9, 0x00, 0xfe), 0, 0, NULL, 0);
  run("66 eb rel8", CODE(0x66, 0xeb, 0x10), 0, 0, NULL, 0);
  run("66 e8 rel16", CODE(0x66, 0xe8, 0x10, 0x00), 0, 0, NULL, 0);
  run("66 48 e8 rel32", CODE(0x66, 0x48, 0xe8, 0x10, 0, 0, 0), 0, 0, NULL, 0);
  run("48 66 e8 rel16", CODE(0x48, 0x66, 0xe8, 0x10, 0), 0, 0, NULL, 0);
  run("66 74 taken", CODE(0x6a, 0x46, 0x9d, 0x66, 0x74, 0x10), 0, 0, NULL, 0);
  run("66 74 not taken", CODE(0x6a, 0x02, 0x9d, 0x66, 0x74, 0x10), 0, 0, NULL,
      0);
  run("66 0f 84 taken", CODE(0x6a, 0x46, 0x9d, 0x66, 0x0f, 0x84, 0x10, 0), 0, 0,
      NULL, 0);
  run("66 0f 84 not taken", CODE(0x6a, 0x02, 0x9d, 0x66, 0x0f, 0x84, 0x10, 0),
      0, 0, NULL, 0);
  run("cmp; 66 0f 85 taken", CODE(0x48, 0x39, 0xc1, 0x66, 0x0f, 0x85, 0x10, 0),
      1, 2, NULL, 0);
  run("66 48 0f 84 taken",
      CODE(0x6a, 0x46, 0x9d, 0x66, 0x48, 0x0f, 0x84, 0x10, 0, 0, 0), 0, 0, NULL,
      0);
  run("66 c3", CODE(0x66, 0xc3), 0, 0, &st, 1);
  run("66 c2 8", CODE(0x66, 0xc2, 8, 0), 0, 0, &st, 1);
  run("66 ff e0 jmp ax", CODE(0x66, 0xff, 0xe0), 0x123456789abcdef0ull, 0, NULL,
      0);
  run("66 ff d0 call ax", CODE(0x66, 0xff, 0xd0), 0x123456789abcdef0ull, 0,
      NULL, 0);
  run("66 ff 20 jmp [rax]", CODE(0x66, 0xff, 0x20), (uint64_t)STK0, 0, &st, 1);
  run("66 ff 10 call [rax]", CODE(0x66, 0xff, 0x10), (uint64_t)STK0, 0, &st, 1);
  run("66 e2 loop taken", CODE(0x66, 0xe2, 0x10), 0, 5, NULL, 0);
  run("66 e2 loop not taken", CODE(0x66, 0xe2, 0x10), 0, 1, NULL, 0);
  run("66 e3 jrcxz", CODE(0x66, 0xe3, 0x10), 0, 0, NULL, 0);
  run("66 67 e2 loop", CODE(0x66, 0x67, 0xe2, 0x10), 0, 0x100000005ull, NULL,
      0);
}

/* Loads and stores across the top of the lower half and the top of the
 * address space; a page mapped with nothing after it for a split store. */
static void canonical_edges(void) {
  static const uint64_t at[] = {0x7ffffffffffcull,     0x7ffffffff000ull,
                                0x800000000000ull,     0xffff7ffffffffffcull,
                                0xffff800000000000ull, 0xfffffffffffffffcull,
                                0xffffffffffffffffull};
  char what[64];
  for (unsigned k = 0; k < sizeof at / sizeof *at; k++) {
    snprintf(what, sizeof what, "load8 %#lx", (unsigned long)at[k]);
    run(what, CODE(0x48, 0x8b, 0x00), at[k], 0, NULL, 0);
    snprintf(what, sizeof what, "store8 %#lx", (unsigned long)at[k]);
    run(what, CODE(0x48, 0x89, 0x08), at[k], 0, NULL, 0);
    snprintf(what, sizeof what, "movups %#lx", (unsigned long)at[k]);
    run(what, CODE(0x0f, 0x10, 0x00), at[k], 0, NULL, 0);
  }
  uint8_t *p = mmap((void *)0x23450000, 8192, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  munmap(p + 4096, 4096);
  run("store8 into unmapped page", CODE(0x48, 0x89, 0x08), (uint64_t)p + 4092,
      0, NULL, 0);
  run("load8 from unmapped page", CODE(0x48, 0x8b, 0x00), (uint64_t)p + 4092, 0,
      NULL, 0);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  static char altstack[65536];
  stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack};
  sigaltstack(&ss, NULL);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_signal;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
  sigaction(SIGSEGV, &sa, NULL);
  sigaction(SIGBUS, &sa, NULL);
  sigaction(SIGILL, &sa, NULL);
  sigaction(SIGTRAP, &sa, NULL);
  if (mmap((void *)CODE_ADDR, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
    return 1;
  intel_host = !host_vendor_is_amd();
  far_transfers();
  far_edges();
  near16();
  canonical_edges();
  return 0;
}
