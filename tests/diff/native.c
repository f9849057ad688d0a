/* The native side: a forked child maps the code page and the scratch
 * area at emu's addresses, loads a case's full register state
 * (native_entry.S) and runs it on the host CPU. Every run ends in a
 * signal: SIGTRAP from the final int3, or the fault the snippet raised;
 * the handler copies the registers, RFLAGS and the FXSAVE image out of
 * the signal frame. Cases travel in shared memory in batches; if the
 * child dies or hangs, the case it was running is reported as END_OTHER
 * and a new child carries on with the next one. */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include "diff.h"

#define BATCH 64
#define HANG_MS 5000

_Static_assert(offsetof(struct diff_state, gpr) == 512, "native_entry.S");
_Static_assert(offsetof(struct diff_state, rip) == 640, "native_entry.S");
_Static_assert(offsetof(struct diff_state, rflags) == 648, "native_entry.S");

struct shared {
  volatile int current; /* the case the child is running */
  struct diff_case cases[BATCH];
  struct diff_result results[BATCH];
};

void diff_native_enter(const struct diff_state *s);
extern uint64_t diff_native_target;

static struct shared *sh;
static pid_t child = -1;
static int to_child = -1, from_child = -1;

/* --- in the child --- */

/* The child's FS base (its libc's TLS). A snippet may load FS, which
 * zeroes the base on this CPU: the handler puts it back before it runs
 * any libc code (siglongjmp reads its pointer guard through FS). */
static uint64_t child_fs_base;

static long arch_prctl_raw(int code, uint64_t arg) {
  long r;
  __asm__ volatile("syscall"
                   : "=a"(r)
                   : "a"(158 /* SYS_arch_prctl */), "D"(code), "S"(arg)
                   : "rcx", "r11", "memory");
  return r;
}

/* Every run starts with DS, ES, FS and GS null, as in a fresh process
 * and in emu (ARCH_SET_FS also loads a null FS selector). */
static void reset_segments(void) {
  __asm__ volatile("mov %0, %%ds; mov %0, %%es; mov %0, %%gs" ::"r"(0));
  arch_prctl_raw(0x1002 /* ARCH_SET_FS */, child_fs_base);
}

static sigjmp_buf run_jmp;
static struct diff_result *run_result;
static const struct diff_case *run_case;

static int end_of(int sig, long trapno, uint64_t rip) {
  switch (trapno) {
  case 0: return END_DE;
  case 3:
    return rip == DIFF_CODE_ADDR + (uint64_t)run_case->code_len ? END_OK
                                                                : END_BP;
  case 6: return END_UD;
  case 12: return END_SS; /* a non-canonical stack address */
  case 13: return END_GP;
  case 14: return END_PF;
  case 16: return END_MF;
  case 19: return END_XM;
  default: return sig == SIGSEGV ? END_GP : END_OTHER;
  }
}

static void on_signal(int sig, siginfo_t *si, void *ctx) {
  reset_segments();
  (void)si;
  ucontext_t *uc = ctx;
  greg_t *g = uc->uc_mcontext.gregs;
  static const int map[16] = {
      REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI, REG_RDI,
      REG_R8,  REG_R9,  REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15};
  struct diff_result *r = run_result;
  for (int k = 0; k < 16; k++)
    r->s.gpr[k] = (uint64_t)g[map[k]];
  r->s.rip = (uint64_t)g[REG_RIP];
  r->s.rflags = (uint64_t)g[REG_EFL];
  memcpy(r->s.fx, uc->uc_mcontext.fpregs, 512);
  r->detail = sig;
  r->end = end_of(sig, (long)g[REG_TRAPNO], r->s.rip);
  r->addr = (uint64_t)g[REG_CR2];
  r->error = (uint32_t)g[REG_ERR];
  siglongjmp(run_jmp, 1);
}

static void run_one(const struct diff_case *k, struct diff_result *r) {
  uint8_t *code = (uint8_t *)(uintptr_t)DIFF_CODE_ADDR;
  uint8_t *data = (uint8_t *)(uintptr_t)DIFF_DATA_ADDR;
  memset(code, 0xcc, DIFF_CODE_SIZE);
  memcpy(code, k->code, (size_t)k->code_len);
  diff_fill_memory(data, k->mem_seed);
  run_result = r;
  run_case = k;
  r->end = END_OTHER;
  reset_segments();
  if (sigsetjmp(run_jmp, 1) == 0) {
    diff_native_target = k->in.rip;
    diff_native_enter(&k->in);
  }
  memcpy(r->mem, data, DIFF_DATA_SIZE);
}

static _Noreturn void child_main(void) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  arch_prctl_raw(0x1003 /* ARCH_GET_FS */, (uint64_t)&child_fs_base);
  struct rlimit no_core = {0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  void *code = mmap((void *)(uintptr_t)DIFF_CODE_ADDR, DIFF_CODE_SIZE,
                    PROT_READ | PROT_WRITE | PROT_EXEC,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  void *data = mmap((void *)(uintptr_t)DIFF_DATA_ADDR, DIFF_DATA_SIZE,
                    PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (code != (void *)(uintptr_t)DIFF_CODE_ADDR ||
      data != (void *)(uintptr_t)DIFF_DATA_ADDR)
    _exit(2);
  static uint8_t altstack[1 << 16];
  stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack};
  sigaltstack(&ss, NULL);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_signal;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
  static const int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP};
  for (size_t k = 0; k < sizeof sigs / sizeof sigs[0]; k++)
    sigaction(sigs[k], &sa, NULL);
  for (;;) {
    int msg[2]; /* first, count */
    if (read(to_child, msg, sizeof msg) != sizeof msg)
      _exit(0);
    for (int i = msg[0]; i < msg[1]; i++) {
      sh->current = i;
      run_one(&sh->cases[i], &sh->results[i]);
    }
    char done = 'd';
    if (write(from_child, &done, 1) != 1)
      _exit(0);
  }
}

/* --- in the parent --- */

int native_start(void) {
  if (!sh) {
    sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE,
              MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (sh == MAP_FAILED) {
      sh = NULL;
      return -1;
    }
  }
  int down[2], up[2];
  if (pipe(down) || pipe(up))
    return -1;
  pid_t pid = fork();
  if (pid < 0)
    return -1;
  if (pid == 0) {
    close(down[1]);
    close(up[0]);
    to_child = down[0];
    from_child = up[1];
    child_main();
  }
  close(down[0]);
  close(up[1]);
  child = pid;
  to_child = down[1];
  from_child = up[0];
  return 0;
}

void native_stop(void) {
  if (child < 0)
    return;
  close(to_child);
  close(from_child);
  kill(child, SIGKILL);
  waitpid(child, NULL, 0);
  child = -1;
}

/* Wait for the batch; false if the child died or hung on a case. */
static bool wait_done(void) {
  struct pollfd p = {.fd = from_child, .events = POLLIN};
  int r;
  do
    r = poll(&p, 1, HANG_MS);
  while (r < 0 && errno == EINTR);
  char done;
  return r == 1 && read(from_child, &done, 1) == 1;
}

static int run_batch(int count) {
  int first = 0;
  while (first < count) {
    int msg[2] = {first, count};
    sh->current = first;
    if (write(to_child, msg, sizeof msg) == sizeof msg && wait_done())
      return 0;
    /* The case the child was running killed or hung it. */
    int bad = sh->current;
    int status = 0;
    kill(child, SIGKILL);
    waitpid(child, &status, 0);
    close(to_child);
    close(from_child);
    child = -1;
    struct diff_result *r = &sh->results[bad];
    memset(&r->s, 0, sizeof r->s);
    r->end = END_OTHER;
    r->detail = WIFSIGNALED(status) ? -WTERMSIG(status) : -1;
    if (native_start())
      return -1;
    first = bad + 1;
  }
  return 0;
}

int native_run(const struct diff_case *k, struct diff_result *r, int n) {
  for (int at = 0; at < n; at += BATCH) {
    int count = n - at < BATCH ? n - at : BATCH;
    memcpy(sh->cases, k + at, sizeof *k * (size_t)count);
    if (run_batch(count))
      return -1;
    memcpy(r + at, sh->results, sizeof *r * (size_t)count);
  }
  return 0;
}
