/* Non-canonical addresses through SS and through DS: a memory operand
 * based on RSP or RBP, or an implicit stack access (push, pop, ret), is
 * #SS, which Linux delivers as SIGBUS (SI_KERNEL, trapno 12); any other
 * base, or an FS override, is #GP: SIGSEGV (SI_KERNEL, trapno 13). The
 * handler runs on an alternate stack and jumps back. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <ucontext.h>

static sigjmp_buf back;

static void handler(int sig, siginfo_t *si, void *ctx) {
  ucontext_t *uc = ctx;
  printf("  sig %s code %d addr %p trapno %lld err %lld\n",
         sig == SIGBUS    ? "SIGBUS"
         : sig == SIGSEGV ? "SIGSEGV"
                          : "?",
         si->si_code, si->si_addr, (long long)uc->uc_mcontext.gregs[REG_TRAPNO],
         (long long)uc->uc_mcontext.gregs[REG_ERR]);
  siglongjmp(back, 1);
}

#define BAD 0x8000000000001000ull /* non-canonical */

/* Each case saves rbp/rsp where it can restore them: the fault unwinds
 * through siglongjmp, which restores both anyway. */
static void load_rbp(void) {
  __asm__ volatile("push %%rbp\n\tmov %0, %%rbp\n\tmov 8(%%rbp), %%rax\n\t"
                   "pop %%rbp"
                   :
                   : "r"(BAD)
                   : "rax", "memory");
}
static void load_rax(void) {
  __asm__ volatile("mov (%0), %%rax" : : "r"(BAD) : "rax", "memory");
}
static void load_fs_rbp(void) {
  __asm__ volatile("push %%rbp\n\tmov %0, %%rbp\n\tmov %%fs:8(%%rbp), %%rax\n\t"
                   "pop %%rbp"
                   :
                   : "r"(BAD - 0x1000)
                   : "rax", "memory");
}
static void push_bad_rsp(void) {
  __asm__ volatile("mov %%rsp, %%rbx\n\tmov %0, %%rsp\n\tpush %%rax\n\t"
                   "mov %%rbx, %%rsp"
                   :
                   : "r"(BAD)
                   : "rbx", "memory");
}
static void ret_bad_rsp(void) {
  __asm__ volatile("mov %%rsp, %%rbx\n\tmov %0, %%rsp\n\tret\n\t"
                   "mov %%rbx, %%rsp"
                   :
                   : "r"(BAD)
                   : "rbx", "memory");
}
static void store_rsp_index(void) {
  __asm__ volatile("movq $1, (%%rsp,%0,1)" : : "r"(BAD) : "memory");
}

int main(void) {
  stack_t ss = {.ss_sp = malloc(65536), .ss_size = 65536};
  sigaltstack(&ss, NULL);
  struct sigaction sa = {.sa_sigaction = handler,
                         .sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER};
  sigaction(SIGBUS, &sa, NULL);
  sigaction(SIGSEGV, &sa, NULL);
  static const struct {
    const char *name;
    void (*fn)(void);
  } cases[] = {
      {"mov 8(%rbp), non-canonical rbp", load_rbp},
      {"mov (%rax), non-canonical rax", load_rax},
      {"mov %fs:8(%rbp), non-canonical", load_fs_rbp},
      {"push, non-canonical rsp", push_bad_rsp},
      {"ret, non-canonical rsp", ret_bad_rsp},
      {"movq $1, (%rsp,%reg), non-canonical sum", store_rsp_index},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    printf("%s\n", cases[k].name);
    if (!sigsetjmp(back, 1)) {
      cases[k].fn();
      printf("  no fault\n");
    }
  }
  return 0;
}
