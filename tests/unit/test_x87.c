/* Differential tests of the x87 FPU: every D8..DF encoding (register
 * forms, and memory forms at an absolute address) runs natively on the
 * host and in emu's CPU from the same frstor image, random operands of
 * every class (denormals, pseudo-denormals, unnormals, NaNs, infinities,
 * zeros, pseudo-NaNs) and every precision and rounding control. The
 * fnsave image after the instruction, the memory operand, RAX (fnstsw ax)
 * and the arithmetic flags (fcomi) must match bit for bit, as must the
 * trap (#MF for a pending exception, #UD for a reserved encoding). */
#include <check.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "cpu/cpu.h"
#include "mmu/mmu.h"

#define CODE_ADDR 0x10000000ull
#define DATA_ADDR 0x20000000ull
#define IN_OFF 0x000  /* frstor image */
#define OUT_OFF 0x080 /* fnsave image after the instruction */
#define RAX_OFF 0x100 /* rax after */
#define FL_OFF 0x108  /* rflags after */
#define MEM_OFF 0x200 /* the memory operand (up to 108 bytes) */
#define MEM_SIZE 128
#define INSN_OFF 0x40 /* where the instruction under test sits */
#define FRSTOR_OFF (INSN_OFF - 7)

/* One case: instruction bytes and inputs. */
struct x87_case {
  uint8_t insn[8];
  int len;
  uint8_t state[108];
  uint8_t mem[MEM_SIZE];
  uint64_t rax, flags;
};

/* What is compared. */
struct x87_result {
  uint8_t state[108];
  uint8_t mem[MEM_SIZE];
  uint64_t rax, flags;
  int trap; /* 0, TRAP_MF, TRAP_UD, TRAP_PF (other) */
};

/* --- random inputs --- */
static uint64_t rng_state = 0x2545f4914f6cdd1dull;
static uint64_t rng(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

static void put_reg(uint8_t *p, uint64_t mant, uint16_t se) {
  memcpy(p, &mant, 8);
  p[8] = (uint8_t)se;
  p[9] = (uint8_t)(se >> 8);
}

/* An 80-bit value of a random class. */
static void gen_reg(uint8_t *p) {
  uint64_t m = rng();
  uint16_t sign = (rng() & 1) ? 0x8000 : 0;
  unsigned e;
  switch (rng() % 18) {
  case 0: put_reg(p, 0, sign); return;                       /* zero */
  case 1: put_reg(p, 1ull << 63, sign | 0x7fff); return;     /* inf */
  case 2: put_reg(p, m | 3ull << 62, sign | 0x7fff); return; /* QNaN */
  case 3:                                                    /* SNaN */
    m = (m & ~(3ull << 62)) | 1ull << 63;
    put_reg(p, m | 1, sign | 0x7fff);
    return;
  case 4: put_reg(p, m >> (1 + rng() % 63), sign); return; /* denormal */
  case 5: put_reg(p, m | 1ull << 63, sign); return;        /* pseudo-den */
  case 6: put_reg(p, m >> 1, sign | (uint16_t)(1 + rng() % 0x7ffe)); return;
  case 7: put_reg(p, m >> 1, sign | 0x7fff); return; /* pseudo-NaN */
  case 8: put_reg(p, 3ull << 62, 0xffff); return;    /* indefinite */
  case 9: e = 1 + rng() % 80; break;                 /* tiny */
  case 10: e = 0x7ffe - rng() % 80; break;           /* huge */
  case 11: {                                         /* small integers */
    uint64_t v = rng() % 2000 + 1;
    int lz = __builtin_clzll(v);
    put_reg(p, v << lz, sign | (uint16_t)(16383 + 63 - lz));
    return;
  }
  case 12: e = 16383 - 2 + rng() % 4; break;
  case 13: e = 16383 - 70 + rng() % 140; break;
  case 14: e = 16383 - 1100 + rng() % 2200; break; /* double range edges */
  case 15: e = 16383 - 16500 + rng() % 1000; break;
  default: e = 16383 - 200 + rng() % 400; break;
  }
  if (rng() % 4 == 0)
    m &= ~0ull << (rng() % 64); /* short significands round less often */
  put_reg(p, m | 1ull << 63, (uint16_t)(sign | (e & 0x7fff)));
}

static uint32_t gen_f32(void) {
  uint32_t s = (rng() & 1) << 31, m = (uint32_t)rng() & 0x7fffff;
  switch (rng() % 8) {
  case 0: return s;
  case 1: return s | 0x7f800000;
  case 2: return s | 0x7fc00000 | m;
  case 3: return s | 0x7f800000 | (m & 0x3fffff) | 1;
  case 4: return s | m;
  default: return s | (uint32_t)((127 - 40 + rng() % 80) << 23) | m;
  }
}

static uint64_t gen_f64(void) {
  uint64_t s = (rng() & 1) << 63, m = rng() & ((1ull << 52) - 1);
  switch (rng() % 8) {
  case 0: return s;
  case 1: return s | 0x7ffull << 52;
  case 2: return s | 0xfff8ull << 48 | m;
  case 3: return s | 0x7ffull << 52 | (m >> 1) | 1;
  case 4: return s | m;
  default: return s | (1023 - 100 + rng() % 200) << 52 | m;
  }
}

static uint64_t gen_int(void) {
  switch (rng() % 4) {
  case 0: return rng() % 100;
  case 1: return (uint64_t) - (int64_t)(rng() % 100);
  case 2: return 1ull << (rng() % 64);
  default: return rng() >> (rng() % 64);
  }
}

/* A frstor image (32-bit layout): random control word and status,
 * tags, pointers and registers. `pending` allows unmasked flags set. */
static void gen_state(uint8_t *s, bool pending) {
  static const unsigned pcs[4] = {0, 2, 3, 3};
  uint16_t masks = rng() % 4 ? 0x3f : (uint16_t)(rng() & 0x3f);
  uint16_t cw =
      (uint16_t)(masks | 0x40 | pcs[rng() % 4] << 8 | (rng() % 4) << 10);
  if (rng() % 16 == 0)
    cw = (uint16_t)rng(); /* reserved bits too */
  uint16_t flags = (uint16_t)(rng() & 0x7f);
  if (!pending)
    flags &= (uint16_t)(cw & 0x3f);
  uint16_t sw = (uint16_t)(flags | (rng() & 0x4700) | (rng() % 8) << 11);
  uint16_t tw = 0;
  for (int r = 0; r < 8; r++)
    tw |= (uint16_t)((rng() % 5 == 0 ? 3 : rng() % 3) << (2 * r));
  memset(s, 0, 108);
  memcpy(s + 0, &cw, 2);
  memcpy(s + 4, &sw, 2);
  memcpy(s + 8, &tw, 2);
  uint64_t r = rng();
  memcpy(s + 12, &r, 8);
  s[18] = (uint8_t)rng();
  s[19] = (uint8_t)(rng() & 7);
  r = rng();
  memcpy(s + 20, &r, 6);
  for (int k = 0; k < 8; k++)
    gen_reg(s + 28 + 10 * k);
}

/* The memory operand, shaped by what the form reads. */
static void gen_mem(uint8_t *mem, const uint8_t *insn, int len) {
  for (int k = 0; k < MEM_SIZE; k++)
    mem[k] = (uint8_t)rng();
  int op = insn[len > 7 ? 1 : 0]; /* skip a 66 prefix */
  if (op == 0x66)
    op = insn[1];
  int modrm = insn[op == insn[0] ? 1 : 2], g = (modrm >> 3) & 7;
  uint32_t f32 = gen_f32();
  uint64_t f64 = gen_f64(), v = gen_int();
  switch (op) {
  case 0xd8: memcpy(mem, &f32, 4); break;
  case 0xdc: memcpy(mem, &f64, 8); break;
  case 0xd9:
    if (g == 0)
      memcpy(mem, &f32, 4);
    if (g == 4 || g == 5)
      gen_state(mem, rng() % 8 == 0);
    break;
  case 0xdd:
    if (g == 0)
      memcpy(mem, &f64, 8);
    if (g == 4)
      gen_state(mem, rng() % 8 == 0);
    break;
  case 0xdb:
    if (g == 5)
      gen_reg(mem);
    else
      memcpy(mem, &v, 8);
    break;
  case 0xdf:
    if (g == 4) { /* BCD, now and then with bad digits */
      for (int k = 0; k < 9; k++)
        mem[k] = rng() % 8 ? (uint8_t)(rng() % 10 * 16 + rng() % 10)
                           : (uint8_t)rng();
      mem[9] &= 0x80;
    } else {
      memcpy(mem, &v, 8);
    }
    break;
  default: memcpy(mem, &v, 8); break;
  }
}

/* --- native side --- */
static uint8_t *hn_code, *hn_data;
static sigjmp_buf hn_jmp;
static volatile int hn_sig;

static void hn_signal(int sig) {
  hn_sig = sig;
  siglongjmp(hn_jmp, 1);
}

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

/* Absolute [disp32] addressing: ModRM rm=100, SIB base=101 index=100. */
static int abs_operand(uint8_t *p, int group, uint32_t addr) {
  p[0] = (uint8_t)(group << 3 | 4);
  p[1] = 0x25;
  put32(p + 2, addr);
  return 6;
}

static void native_setup(void) {
  hn_code = mmap((void *)CODE_ADDR, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  hn_data = mmap((void *)DATA_ADDR, 4096, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  ck_assert_ptr_eq(hn_code, (void *)CODE_ADDR);
  ck_assert_ptr_eq(hn_data, (void *)DATA_ADDR);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = hn_signal;
  sa.sa_flags = SA_NODEFER;
  sigaction(SIGFPE, &sa, NULL);
  sigaction(SIGILL, &sa, NULL);
  sigaction(SIGSEGV, &sa, NULL);
}

/* Code shared by both runs from FRSTOR_OFF: frstor [IN]; insn;
 * fnsave [OUT]. Returns the offset after fnsave. */
static int common_code(uint8_t *code, const struct x87_case *k) {
  uint8_t *p = code + FRSTOR_OFF;
  p[0] = 0xdd;
  abs_operand(p + 1, 4, (uint32_t)(DATA_ADDR + IN_OFF));
  memcpy(code + INSN_OFF, k->insn, (size_t)k->len);
  p = code + INSN_OFF + k->len;
  p[0] = 0xdd;
  abs_operand(p + 1, 6, (uint32_t)(DATA_ADDR + OUT_OFF));
  return INSN_OFF + k->len + 7;
}

static void native_run(const struct x87_case *k, struct x87_result *r) {
  uint8_t *c = hn_code;
  memset(c, 0x90, 4096);
  c[0] = 0x68; /* push imm32; popfq */
  put32(c + 1, (uint32_t)k->flags);
  c[5] = 0x9d;
  c[6] = 0x48; /* mov rax, imm64 */
  c[7] = 0xb8;
  memcpy(c + 8, &k->rax, 8);
  int at = common_code(c, k);
  static const uint8_t tail[] = {
      0x48, 0x89, 0x04, 0x25, 0, 0, 0, 0, /* mov [RAX_OUT], rax */
      0x9c, 0x58,                         /* pushfq; pop rax */
      0x48, 0x89, 0x04, 0x25, 0, 0, 0, 0, /* mov [FL_OUT], rax */
      0xc3};
  memcpy(c + at, tail, sizeof tail);
  put32(c + at + 4, (uint32_t)(DATA_ADDR + RAX_OFF));
  put32(c + at + 14, (uint32_t)(DATA_ADDR + FL_OFF));
  memcpy(hn_data + IN_OFF, k->state, 108);
  memset(hn_data + OUT_OFF, 0, 108);
  memcpy(hn_data + MEM_OFF, k->mem, MEM_SIZE);
  hn_sig = 0;
  if (sigsetjmp(hn_jmp, 1) == 0)
    ((void (*)(void))(uintptr_t)CODE_ADDR)();
  memset(r, 0, sizeof *r);
  r->trap = hn_sig == SIGFPE   ? TRAP_MF
            : hn_sig == SIGILL ? TRAP_UD
            : hn_sig           ? TRAP_PF
                               : 0;
  if (r->trap)
    return;
  memcpy(r->state, hn_data + OUT_OFF, 108);
  memcpy(r->mem, hn_data + MEM_OFF, MEM_SIZE);
  memcpy(&r->rax, hn_data + RAX_OFF, 8);
  memcpy(&r->flags, hn_data + FL_OFF, 8);
  r->flags &= FLAGS_ARITH;
}

/* --- emu side --- */
static struct mmu em_mmu;
static struct cpu em_cpu;

static void emu_setup(void) {
  ck_assert_int_eq(mmu_init(&em_mmu, 16ull << 20), 0);
  uint64_t f = mmu_frame_alloc(&em_mmu);
  ck_assert_int_eq(mmu_map(&em_mmu, CODE_ADDR, f, PTE_U | PTE_W, NULL), 0);
  f = mmu_frame_alloc(&em_mmu);
  ck_assert_int_eq(mmu_map(&em_mmu, DATA_ADDR, f, PTE_U | PTE_W, NULL), 0);
}

static void emu_run(const struct x87_case *k, struct x87_result *r) {
  static uint8_t code[4096];
  memset(code, 0x90, sizeof code);
  int at = common_code(code, k);
  code[at] = 0xcc;
  ck_assert_int_eq(copy_to_guest(&em_mmu, CODE_ADDR, code, sizeof code), 0);
  uint8_t data[4096] = {0};
  memcpy(data + IN_OFF, k->state, 108);
  memcpy(data + MEM_OFF, k->mem, MEM_SIZE);
  ck_assert_int_eq(copy_to_guest(&em_mmu, DATA_ADDR, data, sizeof data), 0);
  struct cpu *c = &em_cpu;
  cpu_destroy(c); /* the previous case's block cache (none the first time) */
  cpu_init(c, &em_mmu);
  c->gpr[RAX] = k->rax;
  cpu_set_flags(c, k->flags);
  c->rip = CODE_ADDR + FRSTOR_OFF;
  enum trap_kind t = cpu_run(c, 10);
  memset(r, 0, sizeof *r);
  r->trap = t == TRAP_BP ? 0 : t == TRAP_MF || t == TRAP_UD ? (int)t : TRAP_PF;
  if (r->trap)
    return;
  ck_assert_int_eq(copy_from_guest(&em_mmu, data, DATA_ADDR, sizeof data), 0);
  memcpy(r->state, data + OUT_OFF, 108);
  memcpy(r->mem, data + MEM_OFF, MEM_SIZE);
  r->rax = c->gpr[RAX];
  r->flags = cpu_get_flags(c) & FLAGS_ARITH;
}

/* --- comparison --- */
static void dump(const char *what, const uint8_t *p, int n) {
  fprintf(stderr, "  %s:", what);
  for (int k = 0; k < n; k++)
    fprintf(stderr, "%s%02x", k % 10 == 8 && k > 20 ? " " : "", p[k]);
  fprintf(stderr, "\n");
}

static int mismatches;
static int shown_for[0x10000]; /* mismatches by first two opcode bytes */

static void check_case(const struct x87_case *k) {
  struct x87_result want, got;
  native_run(k, &want);
  emu_run(k, &got);
  /* A context switch between the state load and the fnsave rewrites the
   * FPU pointers natively: Linux saves and restores with xsave64/xrstor64,
   * which null FCS and FDS and, on this CPU, drop FIP, FDP and FOP unless
   * FSW.ES is set (cpu/fxsave.c). That is not the instruction's doing:
   * run natively again before calling it a mismatch. */
  for (int retry = 0; retry < 4 && memcmp(&want, &got, sizeof want); retry++)
    native_run(k, &want);
  if (memcmp(&want, &got, sizeof want) == 0)
    return;
  mismatches++;
  int key = k->insn[0] << 8 | k->insn[1];
  if (k->insn[0] == 0x66)
    key = k->insn[1] << 8 | k->insn[2];
  if (shown_for[key]++ >= 1)
    return;
  fprintf(stderr, "mismatch:");
  for (int b = 0; b < k->len; b++)
    fprintf(stderr, " %02x", k->insn[b]);
  fprintf(stderr, "  trap native %d emu %d\n", want.trap, got.trap);
  dump("in      ", k->state, 108);
  dump("mem in  ", k->mem, 16);
  dump("native  ", want.state, 108);
  dump("emu     ", got.state, 108);
  if (memcmp(want.mem, got.mem, MEM_SIZE)) {
    dump("mem nat ", want.mem, 16);
    dump("mem emu ", got.mem, 16);
  }
  if (want.rax != got.rax || want.flags != got.flags)
    fprintf(stderr, "  rax %llx/%llx flags %llx/%llx (in %llx)\n",
            (unsigned long long)want.rax, (unsigned long long)got.rax,
            (unsigned long long)want.flags, (unsigned long long)got.flags,
            (unsigned long long)k->flags);
}

static void run_random(struct x87_case *k, int rounds, bool pending) {
  for (int n = 0; n < rounds; n++) {
    gen_state(k->state, pending);
    gen_mem(k->mem, k->insn, k->len);
    k->rax = rng();
    k->flags = (rng() & FLAGS_ARITH) | 2;
    check_case(k);
  }
}

static void setup(void) {
  native_setup();
  emu_setup();
  mismatches = 0;
  memset(shown_for, 0, sizeof shown_for);
}

/* Which encodings failed, and how often (first two opcode bytes). */
static void summary(void) {
  int listed = 0;
  for (int key = 0; key < 0x10000 && listed < 60; key++)
    if (shown_for[key]) {
      fprintf(stderr, "%s%02x %02x:%d", listed % 8 ? "  " : "\nfailing ",
              key >> 8, key & 0xff, shown_for[key]);
      listed++;
    }
  if (listed)
    fprintf(stderr, "\n");
}

/* Every register form D8 C0 .. DF FF. */
START_TEST(test_register_forms) {
  setup();
  struct x87_case k;
  for (int op = 0xd8; op <= 0xdf; op++)
    for (int modrm = 0xc0; modrm <= 0xff; modrm++) {
      memset(&k, 0, sizeof k);
      k.insn[0] = (uint8_t)op;
      k.insn[1] = (uint8_t)modrm;
      k.len = 2;
      run_random(&k, 150, false);
    }
  summary();
  ck_assert_int_eq(mismatches, 0);
}
END_TEST

/* Every memory form D8 /0 .. DF /7 at an absolute address, and the 16-bit
 * environment layouts (66 prefix). */
START_TEST(test_memory_forms) {
  setup();
  struct x87_case k;
  for (int pfx = 0; pfx < 2; pfx++)
    for (int op = 0xd8; op <= 0xdf; op++)
      for (int g = 0; g < 8; g++) {
        if (pfx && !((op == 0xd9 || op == 0xdd) && (g == 4 || g == 6)))
          continue;
        memset(&k, 0, sizeof k);
        int n = 0;
        if (pfx)
          k.insn[n++] = 0x66;
        k.insn[n++] = (uint8_t)op;
        n += abs_operand(k.insn + n, g, (uint32_t)(DATA_ADDR + MEM_OFF));
        k.len = n;
        run_random(&k, 1500, false);
      }
  summary();
  ck_assert_int_eq(mismatches, 0);
}
END_TEST

/* Pending unmasked exceptions: waiting forms raise #MF, the others run. */
START_TEST(test_pending_exceptions) {
  setup();
  struct x87_case k;
  static const uint8_t forms[][2] = {{0x9b, 0x90}, {0xd9, 0xd0}, {0xd8, 0xc1},
                                     {0xdb, 0xe2}, {0xdb, 0xe3}, {0xdf, 0xe0},
                                     {0xd9, 0xe8}, {0xde, 0xc9}, {0xdd, 0xc1}};
  for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++) {
    memset(&k, 0, sizeof k);
    memcpy(k.insn, forms[f], 2);
    k.len = 2;
    run_random(&k, 300, true);
  }
  summary();
  ck_assert_int_eq(mismatches, 0);
}
END_TEST

int main(void) {
  Suite *s = suite_create("x87");
  TCase *tc = tcase_create("differential");
  tcase_set_timeout(tc, 600);
  tcase_add_test(tc, test_register_forms);
  tcase_add_test(tc, test_memory_forms);
  tcase_add_test(tc, test_pending_exceptions);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
