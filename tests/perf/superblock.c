/* Superblocks (cpu/exec/block.h): code hot enough to be decoded again
 * through direct calls, jumps and forward branches, then changed or
 * faulting under it. Each part runs its loop well past BLOCK_HOT times:
 *   - a loop calling a function with forward branches (taken and not);
 *   - generated code whose hot loop calls a function it has gone
 *     through, on the same page and on the next one, and that rewrites
 *     that function's constant from inside the loop after a while, and
 *     is rewritten from C between runs;
 *   - a hot loop whose callee faults on its Nth call (SIGSEGV caught,
 *     the count of calls that returned printed).
 * Run natively and under emu (the outputs must be equal), and with the
 * block cache on and off (--stats instructions and cycles equal). */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static __attribute__((noinline)) uint32_t mix(uint32_t x, uint32_t k) {
  if (x & 1)
    x = x * 3 + 1;
  else
    x >>= 1;
  if ((k & 7) == 3)
    x ^= k;
  return x;
}

static void branches(void) {
  uint32_t x = 27, sum = 0;
  for (uint32_t k = 0; k < 100000; k++) {
    x = mix(x + k, k);
    sum += x;
  }
  printf("branches: %u\n", sum);
}

/* loop(n): sum of f() over n calls; at the call with 100 left it writes
 * 77 into f's mov eax, imm32 (rip-relative, 10 bytes), so the later
 * calls return 77.
 *   push rbx                   53
 *   xor ebx, ebx               31 db
 *   mov ecx, edi               89 f9
 * top (5):
 *   call f                     e8 rel32
 *   add ebx, eax               01 c3
 *   cmp ecx, 100               83 f9 64
 *   jne skip                   75 0a
 *   mov dword [rip+d], 77      c7 05 d32 4d 00 00 00
 * skip (27):
 *   dec ecx                    ff c9
 *   jnz top                    75 e6
 *   mov eax, ebx               89 d8
 *   pop rbx                    5b
 *   ret                        c3
 * f: mov eax, 1 ; ret          b8 01 00 00 00 c3 */
typedef uint32_t (*loop_fn)(uint32_t n);

static void emit_loop(uint8_t *loop, uint8_t *f) {
  static const uint8_t head[] = {
      0x53, 0x31, 0xdb, 0x89, 0xf9, 0xe8, 0,    0,    0,    0,    0x01, 0xc3,
      0x83, 0xf9, 0x64, 0x75, 0x0a, 0xc7, 0x05, 0,    0,    0,    0,    0x4d,
      0,    0,    0,    0xff, 0xc9, 0x75, 0xe6, 0x89, 0xd8, 0x5b, 0xc3};
  memcpy(loop, head, sizeof head);
  int32_t call = (int32_t)(f - (loop + 10));
  memcpy(loop + 6, &call, 4);
  int32_t store = (int32_t)((f + 1) - (loop + 27));
  memcpy(loop + 19, &store, 4);
  static const uint8_t fn_code[] = {0xb8, 0x01, 0, 0, 0, 0xc3};
  memcpy(f, fn_code, sizeof fn_code);
}

static void generated(uint8_t *pages) {
  /* f on the loop's page, then on the next page */
  for (int far = 0; far < 2; far++) {
    uint8_t *loop = pages + 512, *f = pages + (far ? 4096 + 256 : 1024);
    emit_loop(loop, f);
    uint32_t a = ((loop_fn)loop)(5000);
    uint32_t b = ((loop_fn)loop)(5000); /* f returns 77 from the start */
    f[1] = 5;                           /* from C, between runs */
    uint32_t c = ((loop_fn)loop)(50);
    printf("generated (f %s): %u %u %u\n", far ? "next page" : "same page", a,
           b, c);
  }
}

static sigjmp_buf recover;

static void on_segv(int sig) {
  (void)sig;
  siglongjmp(recover, 1);
}

static __attribute__((noinline)) uint32_t load(const volatile uint32_t *p,
                                               uint32_t k) {
  uint32_t v = *p;
  if (k & 64)
    v += k;
  return v;
}

static void fault(void) {
  uint8_t *good = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (good == MAP_FAILED)
    return;
  mprotect(good + 4096, 4096, PROT_NONE);
  volatile uint32_t *ok = (volatile uint32_t *)good;
  volatile uint32_t *bad = (volatile uint32_t *)(good + 4096);
  *ok = 5;
  signal(SIGSEGV, on_segv);
  volatile uint32_t sum = 0, calls = 0;
  if (!sigsetjmp(recover, 1)) {
    for (uint32_t k = 0; k < 100000; k++) {
      sum += load(k == 3000 ? bad : ok, k);
      calls++;
    }
  }
  signal(SIGSEGV, SIG_DFL);
  printf("fault: %u calls returned, sum %u\n", calls, sum);
  munmap(good, 8192);
}

int main(void) {
  uint8_t *pages = mmap(NULL, 8192, PROT_READ | PROT_WRITE | PROT_EXEC,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (pages == MAP_FAILED) {
    perror("mmap");
    return 1;
  }
  branches();
  generated(pages);
  fault();
  munmap(pages, 8192);
  return 0;
}
