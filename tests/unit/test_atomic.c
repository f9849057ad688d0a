/* LOCK-prefixed instructions and XCHG with memory (cpu/exec/atomic.c)
 * against other host threads: each thread is a virtual CPU, its own
 * struct cpu and its own struct mmu attached to one shared, populated
 * MMU (mmu_attach: the same physical memory and page tables, a fresh
 * TLB), as guest threads are. Every thread runs the same guest loop N
 * times; the final memory must be exact. Each case runs several times:
 * a lost update is a bug, however rarely it shows, so no retries. */
#include <check.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>

#include "cpu/cpu.h"
#include "mmu/mmu.h"

#define CODE_ADDR 0x10000000ull
#define DATA_ADDR 0x20000000ull
#define DATA_PAGES 2
#define THREADS 4
#define ITERATIONS 100000
#define ROUNDS 5

/* GUEST(name, "asm"): guest code bytes between name_start and name_end.
 * Every loop runs RCX times (R8 for cmpxchg16b, which needs RCX) with
 * RDI = DATA_ADDR and RSI = the thread's number, and ends in int3. */
#define GUEST(name, text)                                                      \
  __asm__(".pushsection .rodata.atomic_guest,\"a\"\n" #name "_start:\n" text   \
          "\nint3\n" #name "_end:\n.popsection\n");                            \
  extern const uint8_t name##_start[], name##_end[];

GUEST(lock_add, "1: lock addq $1, (%rdi); lock addl $2, 8(%rdi);"
                "lock addb $1, 12(%rdi); mov $3, %eax;"
                "lock add %rax, 16(%rdi); lock subq $1, 24(%rdi);"
                "dec %ecx; jnz 1b")
GUEST(lock_xadd, "1: mov $1, %eax; lock xadd %rax, (%rdi);"
                 "mov $-1, %eax; lock xadd %eax, 8(%rdi);"
                 "mov $1, %ax; lock xadd %ax, 12(%rdi);"
                 "dec %ecx; jnz 1b")
GUEST(lock_inc, "1: lock incq (%rdi); lock decl 8(%rdi);"
                "lock incw 12(%rdi); lock negq 16(%rdi); lock negq 16(%rdi);"
                "lock notl 24(%rdi); lock notl 24(%rdi);"
                "lock adcq $0, 32(%rdi); stc; lock sbbl $0, 40(%rdi);"
                "lock orl $0, 44(%rdi); lock xorq $0, 48(%rdi);"
                "lock andl $-1, 56(%rdi); dec %ecx; jnz 1b")
/* A spinlock taken with xchg, released with a plain store, guarding a
 * counter updated with plain loads and stores. */
GUEST(xchg_lock, "1: mov $1, %eax;"
                 "2: xchg %eax, (%rdi); test %eax, %eax; jnz 2b;"
                 "mov 8(%rdi), %rax; add $1, %rax; mov %rax, 8(%rdi);"
                 "movl $0, (%rdi); dec %ecx; jnz 1b")
/* The same taken with lock cmpxchg: a failing compare must not write a
 * stale value over the owner's release. */
GUEST(cmpxchg_lock, "mov $1, %edx;"
                    "1: xor %eax, %eax; lock cmpxchg %edx, (%rdi); jnz 1b;"
                    "mov 8(%rdi), %rax; add $1, %rax; mov %rax, 8(%rdi);"
                    "movl $0, (%rdi); dec %ecx; jnz 1b")
/* A 128-bit counter that carries into its high half, and a 64-bit one
 * through cmpxchg8b (EDX:EAX). */
GUEST(cmpxchg16b, "1: mov (%rdi), %rax; mov 8(%rdi), %rdx;"
                  "2: mov %rax, %rbx; mov %rdx, %rcx; add $1, %rbx;"
                  "adc $0, %rcx; lock cmpxchg16b (%rdi); jnz 2b;"
                  "mov 16(%rdi), %eax; mov 20(%rdi), %edx;"
                  "3: mov %eax, %ebx; mov %edx, %ecx; add $1, %ebx;"
                  "adc $0, %ecx; lock cmpxchg8b 16(%rdi); jnz 3b;"
                  "dec %r8d; jnz 1b")
/* Each thread sets and clears its own bit of one shared word (a lost
 * update shows as a wrong CF, counted in R9), and a bts spinlock with a
 * plain-store release guards a counter. */
GUEST(bts_btr, "1: lock bts %rsi, (%rdi); adc $0, %r9;"
               "lock btr %rsi, (%rdi); cmc; adc $0, %r9;"
               "lea 8(%rsi), %rax; lock btc %rax, (%rdi); adc $0, %r9;"
               "lock btc %rax, (%rdi); cmc; adc $0, %r9;"
               "2: lock btsl $0, 16(%rdi); jc 2b;"
               "mov 24(%rdi), %rax; add $1, %rax; mov %rax, 24(%rdi);"
               "movb $0, 16(%rdi); dec %ecx; jnz 1b")
/* Operands split across the two data pages: the bus lock. */
GUEST(split, "1: lock addq $1, 4092(%rdi); mov $1, %eax;"
             "lock xadd %eax, 4094(%rdi); dec %ecx; jnz 1b")

static struct mmu shared;

struct vcpu {
  pthread_t thread;
  struct mmu mmu;
  struct cpu cpu;
  enum trap_kind trap;
};

static void setup(void) {
  ck_assert_int_eq(mmu_init(&shared, 16ull << 20), 0);
  uint64_t f = mmu_frame_alloc(&shared);
  ck_assert_int_eq(mmu_map(&shared, CODE_ADDR, f, PTE_U | PTE_W, NULL), 0);
  for (uint64_t k = 0; k < DATA_PAGES; k++) {
    f = mmu_frame_alloc(&shared);
    ck_assert_int_eq(mmu_map(&shared, DATA_ADDR + k * PAGE_SIZE, f,
                             PTE_U | PTE_W | PTE_NX, NULL),
                     0);
  }
}

static void teardown(void) { mmu_destroy(&shared); }

/* Runs until int3; gives the host CPU away between slices, so that a
 * spinning thread lets a preempted lock owner run (2 host cores). */
static void *vcpu_main(void *arg) {
  struct vcpu *v = arg;
  while ((v->trap = cpu_run(&v->cpu, 4096)) == TRAP_BUDGET)
    sched_yield();
  return NULL;
}

/* Run `code` on THREADS virtual CPUs over zeroed data (then `init`);
 * the data and the threads' R9 come back. */
static void run(const uint8_t *start, const uint8_t *end, const void *init,
                size_t init_len, uint8_t data[DATA_PAGES * PAGE_SIZE],
                uint64_t r9[THREADS]) {
  ck_assert_int_eq(
      copy_to_guest(&shared, CODE_ADDR, start, (size_t)(end - start)), 0);
  memset(data, 0, DATA_PAGES * PAGE_SIZE);
  memcpy(data, init, init_len);
  ck_assert_int_eq(
      copy_to_guest(&shared, DATA_ADDR, data, DATA_PAGES * PAGE_SIZE), 0);
  static struct vcpu v[THREADS];
  for (int t = 0; t < THREADS; t++) {
    /* The thread's MMU: the shared one's page tables and memory, its own
     * TLB (mmu_attach, as clone does). cpu_init runs here, not in the
     * threads: it initialises the decoder's tables once. The CPUs share
     * one code space, as a process's threads do. */
    ck_assert_int_eq(mmu_attach(&v[t].mmu, &shared), 0);
    cpu_init(&v[t].cpu, &v[t].mmu);
    if (t > 0)
      cpu_share_code_space(&v[t].cpu, &v[0].cpu);
    v[t].cpu.rip = CODE_ADDR;
    v[t].cpu.gpr[RDI] = DATA_ADDR;
    v[t].cpu.gpr[RSI] = (uint64_t)t;
    v[t].cpu.gpr[RCX] = ITERATIONS;
    v[t].cpu.gpr[R8] = ITERATIONS;
  }
  for (int t = 0; t < THREADS; t++)
    ck_assert_int_eq(pthread_create(&v[t].thread, NULL, vcpu_main, &v[t]), 0);
  for (int t = 0; t < THREADS; t++) {
    pthread_join(v[t].thread, NULL);
    ck_assert_int_eq(v[t].trap, TRAP_BP);
    r9[t] = v[t].cpu.gpr[R9];
  }
  for (int t = 0; t < THREADS; t++) {
    cpu_destroy(&v[t].cpu);
    mmu_detach(&v[t].mmu);
  }
  ck_assert_int_eq(
      copy_from_guest(&shared, data, DATA_ADDR, DATA_PAGES * PAGE_SIZE), 0);
}

#define RUN(name, init)                                                        \
  run(name##_start, name##_end, init, sizeof init, data, r9)

static uint64_t q(const uint8_t *data, size_t at, int size) {
  uint64_t v = 0;
  memcpy(&v, data + at, (size_t)size);
  return v;
}

static uint8_t data[DATA_PAGES * PAGE_SIZE];
static uint64_t r9[THREADS];
static const uint64_t total = (uint64_t)THREADS * ITERATIONS;

START_TEST(test_lock_add) {
  static const uint64_t init[1];
  for (int round = 0; round < ROUNDS; round++) {
    RUN(lock_add, init);
    ck_assert_uint_eq(q(data, 0, 8), total);
    ck_assert_uint_eq(q(data, 8, 4), 2 * total);
    ck_assert_uint_eq(q(data, 12, 1), total & 0xff);
    ck_assert_uint_eq(q(data, 16, 8), 3 * total);
    ck_assert_uint_eq(q(data, 24, 8), 0 - total);
  }
}
END_TEST

START_TEST(test_lock_xadd) {
  static const uint64_t init[1];
  for (int round = 0; round < ROUNDS; round++) {
    RUN(lock_xadd, init);
    ck_assert_uint_eq(q(data, 0, 8), total);
    ck_assert_uint_eq(q(data, 8, 4), (uint32_t)(0 - total));
    ck_assert_uint_eq(q(data, 12, 2), total & 0xffff);
  }
}
END_TEST

START_TEST(test_lock_inc_dec_neg_not) {
  /* Paired neg and not, and or/and/xor with their identity, leave their
   * operands as they were whatever interleaves. The neg of a non-zero
   * value sets CF, which not keeps: adc $0 adds 1 (and clears CF), and
   * sbb $0 after stc subtracts 1. */
  static const uint64_t init[8] = {0, 0, 0x123456789, 0, 0, 0, 77, 0x55};
  for (int round = 0; round < ROUNDS; round++) {
    RUN(lock_inc, init);
    ck_assert_uint_eq(q(data, 0, 8), total);
    ck_assert_uint_eq(q(data, 8, 4), (uint32_t)(0 - total));
    ck_assert_uint_eq(q(data, 12, 2), total & 0xffff);
    ck_assert_uint_eq(q(data, 16, 8), 0x123456789);
    ck_assert_uint_eq(q(data, 24, 4), 0);
    ck_assert_uint_eq(q(data, 32, 8), total);
    ck_assert_uint_eq(q(data, 40, 4), (uint32_t)(0 - total));
    ck_assert_uint_eq(q(data, 44, 4), 0);
    ck_assert_uint_eq(q(data, 48, 8), 77);
    ck_assert_uint_eq(q(data, 56, 4), 0x55);
  }
}
END_TEST

START_TEST(test_xchg_spinlock) {
  static const uint64_t init[1];
  for (int round = 0; round < ROUNDS; round++) {
    RUN(xchg_lock, init);
    ck_assert_uint_eq(q(data, 0, 4), 0);
    ck_assert_uint_eq(q(data, 8, 8), total);
  }
}
END_TEST

START_TEST(test_cmpxchg_spinlock) {
  static const uint64_t init[1];
  for (int round = 0; round < ROUNDS; round++) {
    RUN(cmpxchg_lock, init);
    ck_assert_uint_eq(q(data, 0, 4), 0);
    ck_assert_uint_eq(q(data, 8, 8), total);
  }
}
END_TEST

START_TEST(test_cmpxchg16b_counter) {
  /* The low half wraps halfway through: the carry must reach the high
   * half exactly once. */
  static const uint64_t init[3] = {0 - (uint64_t)THREADS * ITERATIONS / 2, 7,
                                   0xfffffffful - total / 2};
  for (int round = 0; round < ROUNDS; round++) {
    RUN(cmpxchg16b, init);
    ck_assert_uint_eq(q(data, 0, 8), total / 2);
    ck_assert_uint_eq(q(data, 8, 8), 8);
    ck_assert_uint_eq(q(data, 16, 8), 0xfffffffful + total / 2);
  }
}
END_TEST

START_TEST(test_bts_btr) {
  static const uint64_t init[1];
  for (int round = 0; round < ROUNDS; round++) {
    RUN(bts_btr, init);
    for (int t = 0; t < THREADS; t++)
      ck_assert_uint_eq(r9[t], 0);
    ck_assert_uint_eq(q(data, 0, 8), 0);
    ck_assert_uint_eq(q(data, 16, 1), 0);
    ck_assert_uint_eq(q(data, 24, 8), total);
  }
}
END_TEST

START_TEST(test_split_page) {
  static const uint64_t init[1];
  for (int round = 0; round < ROUNDS; round++) {
    RUN(split, init);
    /* [4092, 4100): the add's 8 bytes and the xadd's 4 at 4094 overlap;
     * both under the bus lock, so the sum of both is exact. */
    uint64_t expect = total + (total << 16);
    ck_assert_uint_eq(q(data, 4092, 8), expect);
  }
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("atomic");
  TCase *tc = tcase_create("threads");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 240);
  tcase_add_test(tc, test_lock_add);
  tcase_add_test(tc, test_lock_xadd);
  tcase_add_test(tc, test_lock_inc_dec_neg_not);
  tcase_add_test(tc, test_xchg_spinlock);
  tcase_add_test(tc, test_cmpxchg_spinlock);
  tcase_add_test(tc, test_cmpxchg16b_counter);
  tcase_add_test(tc, test_bts_btr);
  tcase_add_test(tc, test_split_page);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *r = srunner_create(suite());
  srunner_run_all(r, CK_NORMAL);
  int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? 1 : 0;
}
