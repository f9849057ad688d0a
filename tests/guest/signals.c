/* Signal delivery: handlers for synchronous faults (SIGSEGV, SIGFPE from
 * integer, SSE and x87 arithmetic, SIGILL) and for raise(), the siginfo
 * they receive, recovery with siglongjmp, sigaltstack, and the mask
 * during a handler. Everything printed is compared with a native run. */
#define _GNU_SOURCE
#include <fenv.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sigjmp_buf back;
static volatile int seen_code;
static volatile uintptr_t seen_addr;
static char altstack[1 << 16];
static volatile int on_alt;

static void handler(int sig, siginfo_t *info, void *uc) {
  (void)uc;
  seen_code = info->si_code;
  seen_addr = (uintptr_t)info->si_addr;
  char here;
  on_alt = &here >= altstack && &here < altstack + sizeof altstack;
  sigset_t now;
  sigprocmask(SIG_BLOCK, NULL, &now);
  printf("  handler: %s code %d blocked-self %d\n", sigabbrev_np(sig),
         info->si_code, sigismember(&now, sig));
  siglongjmp(back, sig);
}

static void install(int sig, int flags) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = handler;
  sa.sa_flags = SA_SIGINFO | flags;
  sigemptyset(&sa.sa_mask);
  sigaction(sig, &sa, NULL);
}

static volatile int zero = 0;
static volatile double dzero = 0.0;

int main(void) {
  install(SIGSEGV, 0);
  install(SIGFPE, 0);
  install(SIGILL, 0);
  install(SIGUSR1, 0);
  setvbuf(stdout, NULL, _IONBF, 0);

  if (!sigsetjmp(back, 1))
    *(volatile int *)16 = 1;
  printf("segv: addr %#lx code %d\n", (unsigned long)seen_addr, seen_code);

  if (!sigsetjmp(back, 1))
    printf("%d\n", 7 / zero);
  printf("int divide: code %d\n", seen_code);

  feenableexcept(FE_DIVBYZERO);
  if (!sigsetjmp(back, 1))
    printf("%g\n", 1.0 / dzero);
  printf("sse divide: code %d\n", seen_code);
  fedisableexcept(FE_ALL_EXCEPT);
  feclearexcept(FE_ALL_EXCEPT);

  if (!sigsetjmp(back, 1)) {
    /* Unmask x87 zero-divide; the next waiting instruction traps. */
    unsigned short cw = 0x037f & ~0x4;
    __asm__ volatile("fninit; fldcw %0; fld1; fldz; fdivrp; fwait" ::"m"(cw));
  }
  printf("x87 divide: code %d\n", seen_code);
  __asm__ volatile("fninit");

  if (!sigsetjmp(back, 1))
    __asm__ volatile("ud2");
  printf("ud2: code %d\n", seen_code);

  if (!sigsetjmp(back, 1))
    raise(SIGUSR1);
  printf("raise: code %d\n", seen_code);

  stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack};
  sigaltstack(&ss, NULL);
  install(SIGSEGV, SA_ONSTACK);
  if (!sigsetjmp(back, 1))
    *(volatile int *)24 = 1;
  printf("altstack: on alternate stack %d\n", on_alt);
  return 0;
}
