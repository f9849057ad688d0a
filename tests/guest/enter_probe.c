/* ENTER next to an unmapped page: this CPU writes the frame (pushes,
 * copied frame pointers), then checks that the new stack top below the
 * locals is writable, faulting there with nothing changed. Printed as
 * offsets from the first mapped page, so natively and under emu alike. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <ucontext.h>

static sigjmp_buf back;
static uint64_t page;
static volatile uint64_t newsp;

static void on_segv(int sig, siginfo_t *si, void *ctx) {
  ucontext_t *uc = ctx;
  printf("  sig %d addr page%+lld err %lld rsp page%+lld rbp page%+lld\n", sig,
         (long long)((uint64_t)si->si_addr - page),
         (long long)uc->uc_mcontext.gregs[REG_ERR],
         (long long)(uc->uc_mcontext.gregs[REG_RSP] - (int64_t)page),
         (long long)(uc->uc_mcontext.gregs[REG_RBP] - (int64_t)page));
  siglongjmp(back, 1);
}

/* enter $ALLOC, $LEVEL with rsp = rbp = page + START. */
#define TRY(START, ALLOC, LEVEL)                                               \
  do {                                                                         \
    printf("enter $%#x, $%d at page%+d\n", ALLOC, LEVEL, START);               \
    newsp = page + (START);                                                    \
    if (!sigsetjmp(back, 1)) {                                                 \
      __asm__ volatile("push %%rbp\n\tmov %%rsp, %%rbx\n\tmov %0, %%rsp\n\t"   \
                       "mov %%rsp, %%rbp\n\tenter $" #ALLOC ", $" #LEVEL       \
                       "\n\tmov %%rsp, newsp(%%rip)\n\tmov %%rbx, %%rsp\n\t"   \
                       "pop %%rbp"                                             \
                       :                                                       \
                       : "r"(newsp)                                            \
                       : "rbx", "memory");                                     \
      printf("  ok rsp page%+lld\n", (long long)(newsp - page));               \
    }                                                                          \
  } while (0)

int main(void) {
  static char alt[65536];
  stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt};
  sigaltstack(&ss, 0);
  struct sigaction sa = {.sa_sigaction = on_segv,
                         .sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER};
  sigaction(SIGSEGV, &sa, 0);
  char *p =
      mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED || mprotect(p, 4096, PROT_NONE))
    return 1;
  page = (uint64_t)p + 4096;
  TRY(0x40, 0x70, 0);
  TRY(0x40, 0x70, 1);
  TRY(0x40, 0x70, 2);
  TRY(0x40, 0x20, 2);
  TRY(0x40, 0x30, 2);
  TRY(0x40, 0x38, 0);
  TRY(0x40, 0x39, 0);
  TRY(4, 0x70, 0);
  TRY(4, 0x0, 0);
  TRY(0x10, 0x70, 2);
  return 0;
}
