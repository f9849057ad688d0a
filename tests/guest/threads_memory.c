/* One address space, several CPUs: what one thread does to the mappings
 * another thread sees at once (TLB shootdown) — a page unmapped and
 * mapped again with new contents, a page made read-only (the other
 * thread's write faults), memory unmapped under a thread that then
 * touches it — and code one thread rewrites that another runs
 * (cross-modifying code, with the serializing step the SDM asks for). */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static pthread_barrier_t step;
static volatile int *page;
static __thread sigjmp_buf fault_jmp;
static __thread volatile int faults;

static void on_segv(int sig) {
  (void)sig;
  faults++;
  siglongjmp(fault_jmp, 1);
}

/* The reader keeps the page in its TLB between steps. */
static void *reader(void *arg) {
  int *seen = arg;
  pthread_barrier_wait(&step); /* 1: page holds 1 */
  seen[0] = page[0];
  pthread_barrier_wait(&step); /* read: now it may change */
  pthread_barrier_wait(&step); /* 2: remapped, holds 2 */
  seen[1] = page[0];
  pthread_barrier_wait(&step); /* 3: read-only now */
  if (sigsetjmp(fault_jmp, 1) == 0)
    page[0] = 5;
  seen[2] = faults;
  pthread_barrier_wait(&step); /* 4: unmapped */
  if (sigsetjmp(fault_jmp, 1) == 0)
    seen[3] = page[0];
  seen[4] = faults;
  return NULL;
}

typedef int (*fn_t)(void);
static uint8_t *code;

static void write_return(int value) {
  /* mov eax, imm32; ret */
  code[0] = 0xb8;
  memcpy(code + 1, &value, 4);
  code[5] = 0xc3;
}

static void serialize(void) {
  unsigned a = 0, b, c = 0, d;
  __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
}

static void *runner(void *arg) {
  int *got = arg;
  for (int k = 0; k < 3; k++) {
    pthread_barrier_wait(&step); /* the writer wrote version k */
    serialize();
    got[k] = ((fn_t)code)();
    pthread_barrier_wait(&step);
  }
  return NULL;
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_segv;
  sigaction(SIGSEGV, &sa, NULL);
  pthread_barrier_init(&step, NULL, 2);

  int seen[5] = {0};
  page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
              -1, 0);
  pthread_t t;
  page[0] = 1;
  pthread_create(&t, NULL, reader, seen);
  pthread_barrier_wait(&step); /* 1 */
  /* Only once the reader has read (and cached) the page: before, a slow
   * reader would fault on the unmapped page with no jump buffer set. */
  pthread_barrier_wait(&step);
  munmap((void *)page, 4096);
  void *again = mmap((void *)page, 4096, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  ((volatile int *)again)[0] = 2;
  pthread_barrier_wait(&step); /* 2 */
  mprotect((void *)page, 4096, PROT_READ);
  pthread_barrier_wait(&step); /* 3 */
  munmap((void *)page, 4096);
  pthread_barrier_wait(&step); /* 4 */
  pthread_join(t, NULL);
  printf("first read %d, after remap %d, write to read-only faults %d, "
         "read of unmapped faults %d\n",
         seen[0], seen[1], seen[2], seen[4] - seen[2]);

  code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  int got[3] = {0};
  pthread_create(&t, NULL, runner, got);
  for (int k = 0; k < 3; k++) {
    write_return(10 + k);
    pthread_barrier_wait(&step);
    pthread_barrier_wait(&step); /* the runner ran it */
  }
  pthread_join(t, NULL);
  printf("cross-modified code returned %d %d %d\n", got[0], got[1], got[2]);
  return 0;
}
