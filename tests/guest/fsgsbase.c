/* User-mode access to the FS and GS bases (rdfsbase, rdgsbase, wrfsbase,
 * wrgsbase, which Linux enables since 5.9), and the CPU number as user
 * code reads it: rdtscp's ECX and rdpid give IA32_TSC_AUX, which Linux
 * sets to (node << 12) | CPU, the same value as the CPUNODE segment's
 * limit (lsl of 0x7b). Where the host's CPUID has no RDPID or RDTSCP,
 * Linux leaves TSC_AUX alone, and where its kernel does not announce
 * FSGSBASE it does not keep a GS base written by wrgsbase: the native run
 * then prints the model's answer (host_model.h). */
#define _GNU_SOURCE
#include <cpuid.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/auxv.h>
#include <ucontext.h>

#include "host_model.h"

static sigjmp_buf back;
static void on_segv(int sig, siginfo_t *si, void *ctx) {
  ucontext_t *uc = ctx;
  printf("  signal %d code %#x addr %p trapno %lld err %lld\n", sig,
         si->si_code, si->si_addr, (long long)uc->uc_mcontext.gregs[REG_TRAPNO],
         (long long)uc->uc_mcontext.gregs[REG_ERR]);
  siglongjmp(back, 1);
}

static uint64_t rdfsbase64(void) {
  uint64_t v;
  __asm__ volatile("rdfsbase %0" : "=r"(v));
  return v;
}
static uint64_t rdgsbase64(void) {
  uint64_t v;
  __asm__ volatile("rdgsbase %0" : "=r"(v));
  return v;
}

#define NO_FSGSBASE                                                            \
  "the host kernel does not announce FSGSBASE (AT_HWCAP2), so it loses a "     \
  "GS base written by wrgsbase"

static uint64_t pair[2] = {0x1111, 0x2222};
static volatile uint64_t gs_in_handler;
static void on_usr1(int sig) {
  (void)sig;
  gs_in_handler = rdgsbase64();
}

static void fs_gs(void) {
  uint64_t self, fs = rdfsbase64();
  /* glibc's TCB starts with a pointer to itself. */
  __asm__ volatile("mov %%fs:0, %0" : "=r"(self));
  printf("rdfsbase is the TCB (%%fs:0): %s\n", fs == self ? "yes" : "no");
  uint64_t fs32 = 0xdeadbeefdeadbeefull;
  __asm__ volatile("rdfsbase %k0" : "+r"(fs32));
  printf("rdfsbase r32 zero-extends the low half: %s\n",
         fs32 == (uint32_t)fs ? "yes" : "no");
  __asm__ volatile("wrfsbase %0" : : "r"(fs) : "memory");
  printf("wrfsbase of the same base: %%fs:0 still the TCB: %s\n",
         *(volatile uint64_t *)fs == self ? "yes" : "no");
  /* A kernel that does not know FSGSBASE is in use (no HWCAP2_FSGSBASE)
   * keeps the GS base of the last arch_prctl and puts it back at the next
   * context switch, losing a wrgsbase; the model is Linux 5.9 or later,
   * which saves the live base (arch/x86/kernel/process_64.c). The native
   * run then shows the model's values, still running every instruction
   * so that the same signals arrive. */
  int model = host_differs("GS base", NO_FSGSBASE, !(getauxval(AT_HWCAP2) & 2));
#define GS(expr, model_value) (model ? (uint64_t)(model_value) : (expr))
  printf("rdgsbase at start: %#lx\n", (unsigned long)GS(rdgsbase64(), 0));

  uint64_t base = (uint64_t)&pair[1] - (uint64_t)&pair[0], v;
  __asm__ volatile("wrgsbase %0" : : "r"(base) : "memory");
  __asm__ volatile("mov %%gs:(%1), %0" : "=r"(v) : "r"(&pair[0]));
  printf("wrgsbase 8: gs:&pair[0] reads pair[1]: %s, rdgsbase %#lx\n",
         GS(v == pair[1], 1) ? "yes" : "no",
         (unsigned long)GS(rdgsbase64(), 8));
  uint64_t r32 = 0xffffffff00001234ull;
  __asm__ volatile("wrgsbase %k0" : : "r"(r32) : "memory");
  printf("wrgsbase r32 0x1234 (upper half set): rdgsbase %#lx\n",
         (unsigned long)GS(rdgsbase64(), 0x1234));
  uint64_t g32 = 0xdeadbeefdeadbeefull;
  __asm__ volatile("rdgsbase %k0" : "+r"(g32));
  printf("rdgsbase r32: %#lx\n", (unsigned long)GS(g32, 0x1234));
  /* 66 changes nothing (measured). */
  uint64_t g66 = 0xdeadbeefdeadbeefull;
  __asm__ volatile(".byte 0x66, 0xf3, 0x0f, 0xae, 0xc8" : "+a"(g66));
  printf("66 rdgsbase eax: %#lx\n", (unsigned long)GS(g66, 0x1234));

  struct sigaction sa = {.sa_sigaction = on_segv, .sa_flags = SA_SIGINFO};
  sigaction(SIGSEGV, &sa, NULL);
  printf("wrgsbase 0x8000000000000000 (non-canonical):\n");
  if (!sigsetjmp(back, 1)) {
    __asm__ volatile("wrgsbase %0" : : "r"(0x8000000000000000ull) : "memory");
    printf("  no fault\n");
  }
  printf("  rdgsbase after: %#lx\n", (unsigned long)GS(rdgsbase64(), 0x1234));
  printf("wrgsbase 0x7fffffffffff, then a signal handler runs\n");
  signal(SIGUSR1, on_usr1);
  __asm__ volatile("wrgsbase %0" : : "r"(0x7fffffffffffull) : "memory");
  raise(SIGUSR1);
  printf("  rdgsbase in the handler %#lx, after it %#lx\n",
         (unsigned long)GS(gs_in_handler, 0x7fffffffffff),
         (unsigned long)GS(rdgsbase64(), 0x7fffffffffff));
  /* Loading a selector replaces the base (this AMD CPU zeroes it). */
  __asm__ volatile("mov %0, %%gs" : : "r"(0) : "memory");
  printf("mov gs, 0: rdgsbase %#lx\n", (unsigned long)GS(rdgsbase64(), 0));
#undef GS
}

static void cpu_number(void) {
  unsigned a, b, c, d, ea, eb, ec, ed;
  __cpuid_count(7, 0, a, b, c, d);
  __cpuid(0x80000001, ea, eb, ec, ed);
  uint64_t pid = 0x5555, aux = 0x5555, limit = 0x5555;
  if (host_differs("TSC_AUX", "the host's CPUID has no RDPID or RDTSCP",
                   !(c & (1u << 22)) || !(ed & (1u << 27)))) {
    pid = aux = limit = 0; /* CPU 0 on node 0 */
  } else {
    uint64_t lo, hi;
    /* Back to back, so that a migration between them is unlikely. */
    __asm__ volatile("rdpid %0; rdtscp; lsl %5, %3"
                     : "=&r"(pid), "=&a"(lo), "=&d"(hi), "+r"(limit), "=&c"(aux)
                     : "r"(0x7bul));
    (void)lo, (void)hi;
    /* The model has one CPU; the host may run this on another. */
    if ((pid || aux || limit) &&
        host_differs("TSC_AUX", "the host ran this on a CPU other than 0", 1))
      pid = aux = limit = 0;
  }
  printf("rdpid %#lx, rdtscp ecx %#lx, lsl 0x7b %#lx\n", (unsigned long)pid,
         (unsigned long)aux, (unsigned long)limit);
}

int main(void) {
  fs_gs();
  cpu_number();
  return 0;
}
