/* Relative branches from code near the top of the lower half to targets
 * past it (non-canonical): the branch itself is #GP, SIGSEGV with
 * SI_KERNEL, RIP at the branch, nothing pushed, RCX unchanged for loop.
 * The code page is mapped at 0x7fffc0000000; a rel32 of 0x7fffff00 from
 * there lands beyond 0x800000000000. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#define PAGE_AT 0x7fffc0000000ull

static sigjmp_buf back;
static uint64_t rsp_in_handler, rcx_in_handler;
static volatile uint64_t rsp_before; /* written by the asm before it jumps */

static void on_segv(int sig, siginfo_t *si, void *ctx) {
  ucontext_t *uc = ctx;
  uint64_t rip = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
  rsp_in_handler = (uint64_t)uc->uc_mcontext.gregs[REG_RSP];
  rcx_in_handler = (uint64_t)uc->uc_mcontext.gregs[REG_RCX];
  printf("  sig %d code %d addr %p rip page+%#llx trapno %lld\n", sig,
         si->si_code, si->si_addr, (unsigned long long)(rip - PAGE_AT),
         (long long)uc->uc_mcontext.gregs[REG_TRAPNO]);
  siglongjmp(back, 1);
}

/* Runs `code` at PAGE_AT + 0x100 with rsp and rcx known. */
static void run(const char *name, const uint8_t *code, size_t n) {
  uint8_t *page = (uint8_t *)PAGE_AT;
  memset(page, 0xcc, 4096);
  memcpy(page + 0x100, code, n);
  printf("%s\n", name);
  if (!sigsetjmp(back, 1)) {
    __asm__ volatile("mov %%rsp, %0\n\t"
                     "mov $5, %%ecx\n\t"
                     "cmp %%ecx, %%ecx\n\t" /* ZF = 1 */
                     "call *%1"
                     : "=m"(rsp_before)
                     : "r"(page + 0x100)
                     : "rcx", "memory", "cc");
    printf("  no fault\n");
    return;
  }
  /* Inside the called code: the call pushed 8 bytes. */
  printf("  pushed by the branch: %lld bytes, rcx %llu\n",
         (long long)(rsp_before - 8 - rsp_in_handler),
         (unsigned long long)rcx_in_handler);
}

int main(void) {
  if (mmap((void *)PAGE_AT, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1,
           0) != (void *)PAGE_AT) {
    printf("no page\n");
    return 0;
  }
  struct sigaction sa = {.sa_sigaction = on_segv, .sa_flags = SA_SIGINFO};
  sigaction(SIGSEGV, &sa, NULL);
  static const uint8_t jmp[] = {0xe9, 0x00, 0xff, 0xff, 0x7f};
  static const uint8_t je[] = {0x0f, 0x84, 0x00, 0xff, 0xff, 0x7f};
  static const uint8_t jne[] = {0x0f, 0x85, 0x00, 0xff, 0xff, 0x7f, 0xc3};
  static const uint8_t call[] = {0xe8, 0x00, 0xff, 0xff, 0x7f};
  static const uint8_t cmp_je[] = {0x48, 0x39, 0xc0, 0x0f, 0x84,
                                   0x00, 0xff, 0xff, 0x7f};
  run("jmp rel32", jmp, sizeof jmp);
  run("je rel32, taken", je, sizeof je);
  run("jne rel32, not taken", jne, sizeof jne);
  run("call rel32", call, sizeof call);
  run("cmp; je rel32", cmp_je, sizeof cmp_je);
  return 0;
}
