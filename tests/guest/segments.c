/* Segment registers in 64-bit user mode, compared with the host: the
 * selectors Linux starts a process with, what mov r/m,Sreg writes, which
 * selectors load into ES/SS/DS/FS/GS and which fault (signal, si_code,
 * si_addr, and the trap number and error code of the signal frame),
 * the FS/GS base after a load, push/pop fs/gs with every operand size,
 * the #UD forms, and the selector fields of a signal frame. */
#define _GNU_SOURCE
#include <asm/prctl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "host_model.h"

static sigjmp_buf jump;
static volatile int got_sig, got_code;
static volatile uint64_t got_addr, got_err, got_trapno;
static uint64_t fs_base;

static void on_signal(int sig, siginfo_t *si, void *ctx) {
  ucontext_t *uc = ctx;
  got_sig = sig;
  got_code = si->si_code;
  got_addr = (uint64_t)si->si_addr;
  got_err = (uint64_t)uc->uc_mcontext.gregs[REG_ERR];
  got_trapno = (uint64_t)uc->uc_mcontext.gregs[REG_TRAPNO];
  siglongjmp(jump, 1);
}

/* arch_prctl by hand: glibc's syscall() would touch errno through FS. */
static long arch_prctl_raw(int code, uint64_t arg) {
  long r;
  __asm__ volatile("syscall"
                   : "=a"(r)
                   : "a"(SYS_arch_prctl), "D"(code), "S"(arg)
                   : "rcx", "r11", "memory");
  return r;
}

/* Which GS base a load left: with the base at 8, %gs:&pair[0] reads
 * pair[1]; with base 0 it reads pair[0] (ARCH_GET_GS is not used: emu's
 * --strace shows its result differently from strace). */
static uint64_t pair[2] = {0xaaaa, 0xbbbb};

static const char *gs_base_now(void) {
  uint64_t v;
  __asm__ volatile("mov %%gs:(%1),%0" : "=r"(v) : "r"(&pair[0]));
  return v == pair[0] ? "0" : v == pair[1] ? "kept" : "?";
}

static void report(const char *what) {
  if (got_sig)
    printf("%-22s sig %d code %d addr %#lx trapno %lu err %#lx\n", what,
           got_sig, got_code, (unsigned long)got_addr,
           (unsigned long)got_trapno, (unsigned long)got_err);
  else
    printf("%-22s ok\n", what);
}

/* Run `code` with signals caught; FS is put back afterwards for libc. */
#define TRY(what, code)                                                        \
  do {                                                                         \
    got_sig = 0;                                                               \
    if (!sigsetjmp(jump, 1)) {                                                 \
      code;                                                                    \
    }                                                                          \
    arch_prctl_raw(ARCH_SET_FS, fs_base);                                      \
    report(what);                                                              \
  } while (0)

/* True natively when selector s is USER32_CS and the host lacks it. */
static int user32_item(const char *what, uint16_t s) {
  return host_differs(what, HOST_NO_USER32_CS,
                      (s & 0xfff8) == 0x20 && host_lacks_user32_cs());
}

static void selectors_at_start(void) {
  uint16_t cs, ss, ds, es, fs, gs;
  __asm__ volatile("mov %%cs,%0; mov %%ss,%1; mov %%ds,%2; mov %%es,%3;"
                   "mov %%fs,%4; mov %%gs,%5"
                   : "=r"(cs), "=r"(ss), "=r"(ds), "=r"(es), "=r"(fs),
                     "=r"(gs));
  printf("cs %#x ss %#x ds %#x es %#x fs %#x gs %#x\n", cs, ss, ds, es, fs, gs);
}

static void mov_from_sreg(void) {
  uint64_t r = 0xdeadbeefcafebabeull;
  __asm__ volatile("mov %%cs,%%ax" : "+a"(r));
  printf("mov ax,cs   %#lx\n", (unsigned long)r);
  r = 0xdeadbeefcafebabeull;
  __asm__ volatile("mov %%ss,%%eax" : "+a"(r));
  printf("mov eax,ss  %#lx\n", (unsigned long)r);
  r = 0xdeadbeefcafebabeull;
  __asm__ volatile("mov %%cs,%%rax" : "+a"(r));
  printf("mov rax,cs  %#lx\n", (unsigned long)r);
  r = 0xdeadbeefcafebabeull;
  __asm__ volatile(".byte 0x66,0x48,0x8c,0xd0" : "+a"(r)); /* 66 REX.W ss */
  printf("66 48 8c d0 %#lx\n", (unsigned long)r);
  r = 0xdeadbeefcafebabeull;
  __asm__ volatile(".byte 0x4c,0x8c,0xc8" : "+a"(r)); /* REX.R: still cs */
  printf("4c 8c c8    %#lx\n", (unsigned long)r);
  uint64_t m = 0x1122334455667788ull;
  __asm__ volatile(".byte 0x48,0x8c,0x10" : : "a"(&m) : "memory");
  printf("mov [m],ss (REX.W) %#lx\n", (unsigned long)m);
}

static void loads(void) {
  static const uint16_t sels[] = {
      0,    1,    3,    0x8,  0x10, 0x13, 0x18, 0x20,   0x23,   0x28,  0x29,
      0x2b, 0x30, 0x33, 0x38, 0x40, 0x4b, 0x50, 0x58,   0x63,   0x6b,  0x73,
      0x78, 0x7b, 0x80, 0x83, 0x7,  0xf,  0x2f, 0x1003, 0xfffb, 0xffff};
  char what[64];
  for (unsigned k = 0; k < sizeof sels / sizeof *sels; k++) {
    uint16_t s = sels[k];
    /* Where the host lacks the model's USER32_CS, the native run leaves
     * the load out (the model's answer: it loads, no signal) and prints
     * the selector the model would show. */
    int model = user32_item("mov es/ds/fs/gs,USER32_CS", s);
    snprintf(what, sizeof what, "mov es,%#x", s);
    TRY(what, if (!model) __asm__ volatile("mov %0,%%es" ::"r"(s)));
    /* SS takes no code segment: #GP(selector) on every kernel. */
    snprintf(what, sizeof what, "mov ss,%#x", s);
    TRY(what, __asm__ volatile("mov %0,%%ss" ::"r"(s)));
    snprintf(what, sizeof what, "mov ds,%#x", s);
    TRY(what, if (!model) __asm__ volatile("mov %0,%%ds" ::"r"(s)));
    snprintf(what, sizeof what, "mov fs,%#x", s);
    TRY(what, if (!model) __asm__ volatile("mov %0,%%fs" ::"r"(s)));
    snprintf(what, sizeof what, "mov gs,%#x", s);
    TRY(what, if (!model) __asm__ volatile("mov %0,%%gs" ::"r"(s)));
    if (model) {
      printf("  now es %#x ds %#x gs %#x\n", s, s, s);
      continue;
    }
    /* A null selector with RPL 1..3 becomes 0 at the next IRET to user
     * mode, which a timer interrupt may bring at any time: not shown. */
    if ((s & ~3) == 0 && s != 0)
      continue;
    uint16_t es, ds, gs;
    __asm__ volatile("mov %%es,%0; mov %%ds,%1; mov %%gs,%2"
                     : "=r"(es), "=r"(ds), "=r"(gs));
    printf("  now es %#x ds %#x gs %#x\n", es, ds, gs);
  }
  uint16_t zero = 0;
  __asm__ volatile("mov %0,%%es; mov %0,%%ds" ::"r"(zero));
}

static void bases(void) {
  static const uint16_t sels[] = {0, 3, 0x2b, 0x23, 0x33, 0x7b};
  uint64_t delta = sizeof pair[0];
  arch_prctl_raw(ARCH_SET_GS, delta);
  printf("gs base set: %s\n", gs_base_now());
  for (unsigned k = 0; k < sizeof sels / sizeof *sels; k++) {
    uint16_t s = sels[k], back;
    int model = user32_item("mov gs,USER32_CS (base)", s);
    arch_prctl_raw(ARCH_SET_GS, delta);
    if (model) { /* the model: the load zeroes the base */
      printf("mov gs,%#x: base 0, sel %#x\n", s, s);
      continue;
    }
    __asm__ volatile("mov %1,%%gs; mov %%gs,%0" : "=r"(back) : "r"(s));
    printf("mov gs,%#x: base %s, sel %#x\n", s, gs_base_now(), back);
  }
}

static void push_pop(void) {
  uint64_t before, after, slot;
  __asm__ volatile("mov $0x2b,%%eax; mov %%eax,%%gs; pushq $-1; add $8,%%rsp;"
                   "mov %%rsp,%0; push %%gs; mov %%rsp,%1; mov (%%rsp),%2;"
                   "add $8,%%rsp"
                   : "=r"(before), "=r"(after), "=r"(slot)
                   :
                   : "rax", "memory");
  printf("push gs: %ld bytes, slot %#lx\n", (long)(before - after),
         (unsigned long)slot);
  __asm__ volatile("pushq $-1; add $8,%%rsp; mov %%rsp,%0;"
                   ".byte 0x66,0x0f,0xa8; mov %%rsp,%1; mov -6(%%rsp),%2;"
                   "add $2,%%rsp"
                   : "=r"(before), "=r"(after), "=r"(slot)
                   :
                   : "memory");
  printf("66 push gs: %ld bytes, slot %#lx\n", (long)(before - after),
         (unsigned long)slot);
  __asm__ volatile("pushq $-1; add $8,%%rsp; mov %%rsp,%0;"
                   ".byte 0x66,0x48,0x0f,0xa8; mov %%rsp,%1; mov (%%rsp),%2;"
                   "add $8,%%rsp"
                   : "=r"(before), "=r"(after), "=r"(slot)
                   :
                   : "memory");
  printf("66 48 push gs: %ld bytes, slot %#lx\n", (long)(before - after),
         (unsigned long)slot);
  uint16_t s;
  __asm__ volatile("mov %%rsp,%0; mov $0xffff00000000002b,%%rax; push %%rax;"
                   "pop %%gs; mov %%rsp,%1; mov %%gs,%2"
                   : "=r"(before), "=r"(after), "=r"(s)
                   :
                   : "rax", "memory");
  printf("pop gs: %ld bytes, gs %#x\n", (long)(after - before), s);
  __asm__ volatile("mov %%rsp,%0; pushq $0x7b; .byte 0x66,0x0f,0xa9;"
                   "mov %%rsp,%1; mov %%gs,%2; add $6,%%rsp"
                   : "=r"(before), "=r"(after), "=r"(s)
                   :
                   : "memory");
  printf("66 pop gs: net %ld bytes, gs %#x\n", (long)(after - before), s);
  TRY("pop gs 0x10", __asm__ volatile("mov %%rsp,%%rbx; pushq $0x10;"
                                      "pop %%gs; mov %%rbx,%%rsp" ::
                                          : "rbx", "memory"));
  TRY("pop fs 0x63", __asm__ volatile("mov %%rsp,%%rbx; pushq $0x63;"
                                      "pop %%fs; mov %%rbx,%%rsp" ::
                                          : "rbx", "memory"));
}

static void invalid_forms(void) {
  TRY("8c /6", __asm__ volatile(".byte 0x8c,0xf0" ::: "rax"));
  TRY("8c /7", __asm__ volatile(".byte 0x8c,0xf8" ::: "rax"));
  TRY("mov cs,ax", __asm__ volatile("xor %%eax,%%eax; .byte 0x8e,0xc8" ::
                                        : "rax"));
  TRY("8e /6", __asm__ volatile("xor %%eax,%%eax; .byte 0x8e,0xf0" ::: "rax"));
  TRY("push es", __asm__ volatile(".byte 0x06"));
  TRY("pop es", __asm__ volatile(".byte 0x07"));
  TRY("push cs", __asm__ volatile(".byte 0x0e"));
  TRY("push ss", __asm__ volatile(".byte 0x16"));
  TRY("pop ss", __asm__ volatile(".byte 0x17"));
  TRY("push ds", __asm__ volatile(".byte 0x1e"));
  TRY("pop ds", __asm__ volatile(".byte 0x1f"));
  TRY("ljmp *%rax", __asm__ volatile(".byte 0xff,0xe8"));
  TRY("lcall *%rax", __asm__ volatile(".byte 0xff,0xd8"));
}

static void on_usr1(int sig, siginfo_t *si, void *ctx) {
  (void)si;
  ucontext_t *uc = ctx;
  printf("signal %d: cs/gs/fs/ss %#lx trapno %lu err %lu\n", sig,
         (unsigned long)uc->uc_mcontext.gregs[REG_CSGSFS],
         (unsigned long)uc->uc_mcontext.gregs[REG_TRAPNO],
         (unsigned long)uc->uc_mcontext.gregs[REG_ERR]);
  /* Out by siglongjmp (rt_sigreturn is covered by poll_select.c). */
  siglongjmp(jump, 1);
}

static void signal_frame(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_usr1;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGUSR1, &sa, NULL);
  __asm__ volatile("mov %0,%%gs; mov %0,%%es" ::"r"(0x2b));
  if (!sigsetjmp(jump, 1))
    raise(SIGUSR1);
  uint16_t gs, es;
  __asm__ volatile("mov %%gs,%0; mov %%es,%1" : "=r"(gs), "=r"(es));
  printf("after the handler: gs %#x es %#x\n", gs, es);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  /* glibc's thread control block starts with a pointer to itself. */
  __asm__ volatile("mov %%fs:0,%0" : "=r"(fs_base));
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
  selectors_at_start();
  mov_from_sreg();
  loads();
  bases();
  push_pop();
  invalid_forms();
  signal_frame();
  return 0;
}
