/* Self-modifying code, for emu's decoded-block cache: code written into
 * an RWX page and run, rewritten and run again; a store that rewrites
 * the very next instruction of its own block; a function in .text
 * patched after mprotect; a page unmapped and mapped again with other
 * code at the same address. Run natively and under emu (the outputs
 * must be equal): x86 makes every such store visible to the following
 * instructions (SDM vol. 3, 11.6), so must emu. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

typedef uint32_t (*fn)(void);

/* mov eax, imm32; ret */
static void emit_return(uint8_t *p, uint32_t value) {
  p[0] = 0xb8;
  memcpy(p + 1, &value, 4);
  p[5] = 0xc3;
}

/* A loop that calls a generated function and rewrites its constant each
 * round: every call must see the latest bytes. */
static void rewrite_between_calls(uint8_t *page) {
  uint32_t sum = 0;
  for (uint32_t k = 0; k < 1000; k++) {
    emit_return(page, k * 7 + 1);
    sum += ((fn)page)();
  }
  printf("rewrite between calls: sum %u\n", sum);
}

/* mov byte [rip + 1], 0x2a   (c6 05 01 00 00 00 2a): writes the imm8 of
 * the instruction that follows it in the same block;
 * mov al, 0x11               (b0 11)
 * ret. Native x86 returns 0x2a. */
static void rewrite_next_instruction(uint8_t *page) {
  static const uint8_t code[] = {0x31, 0xc0, /* xor eax, eax */
                                 0xc6, 0x05, 0x01, 0x00, 0x00,
                                 0x00, 0x2a, 0xb0, 0x11, 0xc3};
  uint32_t results[3];
  for (int round = 0; round < 3; round++) {
    memcpy(page + 64, code, sizeof code);
    results[round] = ((fn)(page + 64))();
  }
  printf("rewrite next instruction: %#x %#x %#x\n", results[0], results[1],
         results[2]);
}

/* A loop whose body increments a counter in its own code: the
 * immediate of `add eax, imm32` is bumped by the loop itself.
 *   xor eax, eax          31 c0
 *   mov ecx, 10           b9 0a 00 00 00
 * top:
 *   add eax, 1            05 01 00 00 00        (at offset 7)
 *   inc dword [rip - 10]  ff 05 f6 ff ff ff     (the imm32 above)
 *   dec ecx               ff c9
 *   jnz top               75 f1
 *   ret                   c3
 * Each round adds one more than the last: 1 + 2 + ... + 10 = 55, and the
 * next call goes on from 11. */
static void loop_patching_itself(uint8_t *page) {
  static const uint8_t code[] = {0x31, 0xc0, 0xb9, 0x0a, 0x00, 0x00, 0x00, 0x05,
                                 0x01, 0x00, 0x00, 0x00, 0xff, 0x05, 0xf6, 0xff,
                                 0xff, 0xff, 0xff, 0xc9, 0x75, 0xf1, 0xc3};
  memcpy(page + 128, code, sizeof code);
  uint32_t first = ((fn)(page + 128))();
  uint32_t second = ((fn)(page + 128))(); /* starts from the patched 11 */
  printf("loop patching itself: %u %u\n", first, second);
}

/* A function in .text, patched in place after mprotect. */
__asm__(".text\n"
        ".p2align 12\n"
        ".globl smc_patchme\n"
        ".type smc_patchme, @function\n"
        "smc_patchme:\n"
        "  mov $0x11111111, %eax\n"
        "  ret\n"
        ".size smc_patchme, .-smc_patchme\n");
uint32_t smc_patchme(void);

static void patch_text(void) {
  uint8_t *code = (uint8_t *)(uintptr_t)smc_patchme;
  uintptr_t page = (uintptr_t)code & ~(uintptr_t)4095;
  uint32_t before = smc_patchme();
  if (mprotect((void *)page, 4096, PROT_READ | PROT_WRITE | PROT_EXEC) != 0) {
    perror("mprotect");
    return;
  }
  uint32_t value = 0x22222222;
  memcpy(code + 1, &value, 4);
  uint32_t after = smc_patchme();
  mprotect((void *)page, 4096, PROT_READ | PROT_EXEC);
  printf("patched .text: %#x -> %#x\n", before, after);
}

/* Unmap a code page and map a new one at the same address. */
static void remap(void) {
  uint8_t *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    return;
  emit_return(p, 0x33);
  uint32_t a = ((fn)p)();
  munmap(p, 4096);
  uint8_t *q = mmap(p, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  if (q != p)
    return;
  emit_return(q, 0x44);
  uint32_t b = ((fn)q)();
  /* Read-only then writable again: the write must still invalidate. */
  mprotect(q, 4096, PROT_READ | PROT_EXEC);
  uint32_t c = ((fn)q)();
  mprotect(q, 4096, PROT_READ | PROT_WRITE | PROT_EXEC);
  emit_return(q, 0x55);
  uint32_t d = ((fn)q)();
  printf("remapped page: %#x %#x %#x %#x\n", a, b, c, d);
  munmap(q, 4096);
}

int main(void) {
  uint8_t *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (page == MAP_FAILED) {
    perror("mmap");
    return 1;
  }
  rewrite_between_calls(page);
  rewrite_next_instruction(page);
  loop_patching_itself(page);
  patch_text();
  remap();
  munmap(page, 4096);
  return 0;
}
