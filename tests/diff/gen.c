/* The sequence generator: random valid instances of the forms in emu's
 * opcode table (cpu/opcodes.def), whatever it holds at build time. Every
 * memory operand is aimed into the scratch area through a base register
 * preloaded with a scratch address (or RIP-relative, or absolute), so the
 * same sequence touches the same bytes natively and in emu. */
#include <cpuid.h>
#include <string.h>

#include "cpu/decode/optable.h"
#include "diff.h"
#include "tests/host_vendor.h"

static bool usable[OP_COUNT];
static bool selected[OP_COUNT];
static int pool[OP_COUNT];
static int pool_n;

enum role { ROLE_FREE, ROLE_PTR, ROLE_SMALL };

struct gen {
  uint64_t rng;
  uint8_t role[16];
  uint64_t val[16];
  uint64_t undef; /* flags possibly undefined at this point */
};

/* One encoded instruction and what must be patched once the sequence is
 * laid out. */
struct enc {
  uint8_t b[16];
  int n;
  int rip_disp_at; /* offset of a RIP-relative disp32, or -1 */
  uint64_t rip_target;
  int rel_at, rel_size; /* branch displacement, rel_size 0 if none */
};

static uint64_t rnd(struct gen *g) { return diff_rng(&g->rng); }
static unsigned below(struct gen *g, unsigned n) {
  return (unsigned)(rnd(g) % n);
}

static bool is_x87(const struct op_desc *d) {
  return d->map == MAP_1 &&
         (d->opcode == 0x9b || (d->opcode >= 0xd8 && d->opcode <= 0xdf));
}

static bool is_branch(const struct op_desc *d) {
  return d->decode & (D_REL8 | D_REL32);
}

/* Forms that cannot run sandboxed or differ from the host by design
 * (nondeterministic, trapping to the kernel, serializing hints), far
 * transfers, whose selectors come from memory the generator does not aim
 * (a 0x23 would switch the host to compatibility mode; they are checked
 * by tests/guest/far_branches.c), the descriptor queries, whose
 * answers depend on the host's GDT (USER32_CS) and on the CPU the host
 * runs them on (CPUNODE; tests/guest/descriptor_query.c), the FS/GS base
 * accesses, which would move the sandbox's own TLS (tests/guest/
 * fsgsbase.c), and clzero, whose rAX is not aimed at the scratch area
 * (tests/guest/cache_control.c). */
static bool excluded(const struct op_desc *d) {
  static const char *const names[] = {
      "syscall",    "cpuid",     "rdtsc",       "rdtscp",     "int3",
      "hlt",        "ud0",       "ud1",         "ud2",        "lfence",
      "mfence",     "sfence",    "rdrand",      "rdseed",     "retf",
      "pause",      "int",       "into",        "iret",       "sysenter",
      "prefetch",   "prefetchw", "prefetchnta", "prefetcht0", "prefetcht1",
      "prefetcht2", "xgetbv",    "rdpid",       "ljmp",       "lcall",
      "lar",        "lsl",       "verr",        "verw",       "rdfsbase",
      "rdgsbase",   "wrfsbase",  "wrgsbase",    "clzero",
  };
  for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
    if (!strcmp(d->name, names[k]))
      return true;
  return false;
}

/* On a host that is not AMD, the forms that differ between vendors by
 * design (tests/host_vendor.h) are not generated, and regression cases
 * holding them are skipped (gen_vendor_specific). */
bool gen_host_is_amd(void) {
  static int amd = -1;
  if (amd < 0)
    amd = host_cpu_is_amd();
  return amd;
}

const char *gen_vendor_specific(const struct diff_case *k) {
  if (gen_host_is_amd())
    return NULL;
  for (int j = 0; j < k->n; j++) {
    struct insn in;
    int at = k->insns[j].off;
    if (cpu_decode(k->code + at, k->code_len - at, &in) == 0 &&
        vendor_specific_insn(&in))
      return cpu_ops[in.op].name;
  }
  return NULL;
}

/* Near branches whose 64-bit target cannot be aimed (ret, jmp/call
 * through a register or memory) are made with a 66 prefix only: this AMD
 * CPU then takes a 16-bit target, always below 64 KiB, where the run ends
 * in a #PF on both sides (cpu/branch.c). */
static bool needs_osize(const struct op_desc *d) {
  if (!(d->decode & D_F64) || d->prefix != PX)
    return false;
  return !strcmp(d->name, "ret") ||
         ((d->decode & D_MODRM) &&
          (!strcmp(d->name, "call") || !strcmp(d->name, "jmp")));
}

/* Whether this host has the CPUID feature a form needs: a form the host
 * lacks would only compare SIGILL with emu's result. */
static bool host_has(int feature) {
  unsigned a = 0, b = 0, c = 0, d = 0, b7 = 0, c7 = 0, d7 = 0, ea = 0, eb = 0,
           ec = 0, ed = 0;
  __get_cpuid(1, &a, &b, &c, &d);
  __get_cpuid_count(7, 0, &a, &b7, &c7, &d7);
  __get_cpuid(0x80000001, &ea, &eb, &ec, &ed);
  switch (feature) {
  case F_BASE: return true;
  case F_X87: return d & 1;
  case F_CMOV: return d & (1u << 15);
  case F_CX8: return d & (1u << 8);
  case F_FXSR: return d & (1u << 24);
  case F_MMX: return d & (1u << 23);
  case F_SSE: return d & (1u << 25);
  case F_SSE2: return d & (1u << 26);
  case F_SSE3: return c & 1;
  case F_SSSE3: return c & (1u << 9);
  case F_SSE41: return c & (1u << 19);
  case F_SSE42: return c & (1u << 20);
  case F_POPCNT: return c & (1u << 23);
  case F_LZCNT: return ec & (1u << 5);
  case F_BMI1: return b7 & (1u << 3);
  case F_BMI2: return b7 & (1u << 8);
  case F_MOVBE: return c & (1u << 22);
  case F_ADX: return b7 & (1u << 19);
  case F_RDRAND: return c & (1u << 30);
  case F_RDSEED: return b7 & (1u << 18);
  case F_PCLMUL: return c & (1u << 1);
  case F_AES: return c & (1u << 25);
  case F_CX16: return c & (1u << 13);
  case F_LAHF: return ec & 1;
  case F_RDTSCP: return ed & (1u << 27);
  case F_CLFSH: return d & (1u << 19);
  case F_CLFLUSHOPT: return b7 & (1u << 23);
  case F_CLWB: return b7 & (1u << 24);
  case F_SHA: return b7 & (1u << 29);
  case F_PREFETCHW: return ec & (1u << 8);
  /* F_UMIP: never. emu's CPU alone faults; the kernel's emulation (or a
   * host without UMIP) answers natively. */
  default: return false;
  }
}

/* --- registers and memory operands --- */

/* A register operand; pointer registers are avoided most of the time so
 * that later memory operands still land in the scratch area. */
static int pick_reg(struct gen *g) {
  int r = (int)below(g, 16);
  for (int tries = 0; tries < 3 && g->role[r] == ROLE_PTR; tries++)
    r = (int)below(g, 16);
  return r;
}

static uint64_t scratch_offset(struct gen *g, uint64_t lo, uint64_t hi) {
  uint64_t off = lo + rnd(g) % (hi - lo);
  if (below(g, 8))
    off &= ~15ull;
  return off;
}

static int pick_ptr(struct gen *g, int avoid) {
  for (;;) {
    int r = (int)below(g, 16);
    if (r == avoid || g->role[r] == ROLE_SMALL)
      continue;
    if (g->role[r] == ROLE_FREE) {
      if (below(g, 2))
        continue; /* prefer the pointers there already are */
      g->role[r] = ROLE_PTR;
      g->val[r] = DIFF_DATA_ADDR + scratch_offset(g, 0x400, 0x2c00);
    }
    return r;
  }
}

static int pick_small(struct gen *g, int avoid) {
  for (;;) {
    int r = (int)below(g, 16);
    if (r == avoid || r == RSP || g->role[r] == ROLE_PTR)
      continue;
    if (g->role[r] == ROLE_FREE) {
      g->role[r] = ROLE_SMALL;
      g->val[r] = below(g, 4) ? below(g, 16) * 2 : below(g, 32);
    }
    return r;
  }
}

struct modrm_out {
  uint8_t modrm, sib;
  bool has_sib;
  int disp_size; /* 0, 1, 4 */
  int32_t disp;
  bool rip_relative;
  uint64_t rip_target;
  uint8_t rex_x, rex_b;
};

static int32_t small_disp(struct gen *g, bool disp8) {
  int32_t d =
      disp8 ? (int32_t)(int8_t)rnd(g) : (int32_t)(rnd(g) % 0x800) - 0x400;
  if (below(g, 4))
    d &= ~15;
  return d;
}

/* aligned: the operand is 16 bytes wide and legacy SSE wants it aligned
 * (SDM vol. 1, 4.1.1): aim at aligned addresses most of the time. */
static void gen_mem(struct gen *g, struct modrm_out *m, int reg, bool aligned) {
  m->modrm = (uint8_t)((reg & 7) << 3);
  unsigned kind = below(g, 10);
  if (aligned && kind >= 6 && below(g, 8))
    kind = 2 + below(g, 4); /* an index would rarely keep it aligned */
  if (kind == 0) {          /* RIP-relative, patched once the layout is known */
    m->rip_relative = true;
    m->rip_target = DIFF_DATA_ADDR + scratch_offset(g, 0x100, 0x3e00);
    m->modrm |= 5;
    m->disp_size = 4;
    return;
  }
  if (kind == 1) { /* absolute disp32: SIB with no base and no index */
    m->modrm |= 4;
    m->has_sib = true;
    m->sib = (uint8_t)(below(g, 4) << 6 | 4 << 3 | 5);
    m->disp_size = 4;
    m->disp = (int32_t)(DIFF_DATA_ADDR + scratch_offset(g, 0x100, 0x3e00));
    return;
  }
  int base = pick_ptr(g, -1);
  int mod = (int)below(g, 3);
  if (mod == 0 && (base & 7) == 5)
    mod = 1; /* mod 0 with rm/base 5 means RIP-relative or no base */
  m->modrm |= (uint8_t)(mod << 6);
  m->disp_size = mod == 1 ? 1 : mod == 2 ? 4 : 0;
  if (m->disp_size) {
    m->disp = small_disp(g, mod == 1);
    if (aligned && below(g, 8))
      m->disp &= ~15;
  }
  m->rex_b = (uint8_t)(base >> 3);
  bool want_index = kind >= 6;
  if (want_index || (base & 7) == 4) {
    int index = 4; /* none */
    if (want_index)
      index = pick_small(g, base);
    m->modrm |= 4;
    m->has_sib = true;
    m->sib = (uint8_t)(below(g, 4) << 6 | (index & 7) << 3 | (base & 7));
    m->rex_x = (uint8_t)(index >> 3);
  } else {
    m->modrm |= (uint8_t)(base & 7);
  }
}

/* Operand size the decoder will use (cpu/decode.c's rules). */
static int operand_size(uint32_t dec, bool rex_w, bool osize) {
  if (dec & D_BYTE)
    return 1;
  if (dec & D_SSE)
    return 16;
  if (dec & D_F64) /* near branches: 16-bit with 66 on this AMD CPU */
    return osize ? 2 : 8;
  if (rex_w && !(dec & D_NOREXW))
    return 8;
  if (dec & D_W32)
    return 4;
  if (osize)
    return 2;
  return (dec & D_D64) ? 8 : 4;
}

static void put(struct enc *e, uint64_t v, int bytes) {
  for (int k = 0; k < bytes; k++)
    e->b[e->n++] = (uint8_t)(v >> (8 * k));
}

static uint64_t imm_value(struct gen *g) {
  return below(g, 2) ? diff_edge_value(&g->rng) : rnd(g);
}

/* Encode one random instance of form `op`; returns false when this try
 * produced nothing (the caller tries again). */
static bool encode(struct gen *g, int op, struct enc *e) {
  const struct op_desc *d = &cpu_ops[op];
  uint32_t dec = d->decode;
  bool vex = dec & D_VEX, modrm = dec & D_MODRM;
  bool mem = false;
  memset(e, 0, sizeof *e);
  e->rip_disp_at = -1;
  if (modrm) {
    if (d->modrm == M_MEM)
      mem = true;
    else if (d->modrm == M_ANY)
      mem = below(g, 2);
  }

  /* Legacy prefixes. */
  bool addr32 = false, osize = false, rex_w = false;
  if (!vex) {
    if ((mem || (d->cost == C_STRING) || (dec & D_MOFFS)) && !below(g, 16)) {
      e->b[e->n++] = 0x67;
      addr32 = true;
    }
    if (!below(g, 24))
      e->b[e->n++] = (uint8_t)(0x26 + 8 * below(g, 4)); /* es/cs/ss/ds */
    if ((dec & D_LOCK) && mem && below(g, 3))
      e->b[e->n++] = 0xf0;
    if (d->prefix == P66) {
      e->b[e->n++] = 0x66;
    } else if (d->prefix == PX && !(dec & (D_BYTE | D_F64 | D_SSE | D_W32)) &&
               !is_x87(d) && strcmp(d->name, "bswap") &&
               (gen_host_is_amd() ||
                (strcmp(d->name, "shld") && strcmp(d->name, "shrd"))) &&
               !below(g, 4)) {
      /* (bswap of a 16-bit register is undefined: SDM vol. 2, BSWAP) */
      e->b[e->n++] = 0x66;
      osize = true;
    } else if ((dec & D_F64) && gen_host_is_amd() &&
               (needs_osize(d) || !below(g, 8))) {
      /* A 16-bit near branch: rel16, a 16-bit RIP (cpu/branch.c). */
      e->b[e->n++] = 0x66;
      osize = true;
    }
    if (d->prefix == PF3)
      e->b[e->n++] = 0xf3;
    else if (d->prefix == PF2)
      e->b[e->n++] = 0xf2;
    else if (d->prefix == PX && d->cost == C_STRING && below(g, 2))
      e->b[e->n++] = below(g, 4) ? 0xf3 : 0xf2;
  }
  if (!(dec & (D_BYTE | D_F64)) && below(g, 2))
    rex_w = true;

  /* ModRM, SIB and displacement. */
  struct modrm_out m;
  memset(&m, 0, sizeof m);
  int reg = 0, rm = 0;
  if (modrm) {
    reg = d->group != NG ? d->group : pick_reg(g);
    if (mem) {
      bool aligned = (dec & D_SSE) || !strncmp(d->name, "fx", 2);
      gen_mem(g, &m, reg, aligned);
    } else {
      rm = d->modrm >= 0 ? d->modrm : pick_reg(g);
      if (d->modrm >= 0 && below(g, 2))
        rm |= 8; /* REX.B does not change a fixed-rm form */
      m.modrm = (uint8_t)(0xc0 | (reg & 7) << 3 | (rm & 7));
      m.rex_b = (uint8_t)(rm >> 3);
    }
    if (d->group != NG && below(g, 2))
      reg |= 8; /* REX.R is ignored by /digit forms */
  } else if (dec & D_OPREG) {
    rm = (int)(d->opcode & 7) | (below(g, 2) ? 8 : 0);
    m.rex_b = (uint8_t)(rm >> 3);
  }
  uint8_t rex = (uint8_t)(0x40 | (rex_w ? 8 : 0) | ((reg >> 3) & 1) << 2 |
                          m.rex_x << 1 | m.rex_b);

  if (vex) {
    int mmmmm = d->map == MAP_0F ? 1 : d->map == MAP_0F38 ? 2 : 3;
    int pp = d->prefix == P66   ? 1
             : d->prefix == PF3 ? 2
             : d->prefix == PF2 ? 3
                                : 0;
    /* vvvv must be 1111b (register 0) where a form has no such operand
     * (rorx): other values test the #UD path now and then. */
    int vvvv = below(g, 2) ? 0 : pick_reg(g);
    e->b[e->n++] = 0xc4;
    e->b[e->n++] =
        (uint8_t)((((~rex >> 2) & 1) << 7) | (((~rex >> 1) & 1) << 6) |
                  ((~rex & 1) << 5) | mmmmm);
    e->b[e->n++] = (uint8_t)((rex_w ? 0x80 : 0) | ((~vvvv & 15) << 3) | pp);
  } else {
    if (rex != 0x40 || below(g, 6))
      e->b[e->n++] = rex;
    if (d->map != MAP_1)
      e->b[e->n++] = 0x0f;
    if (d->map == MAP_0F38)
      e->b[e->n++] = 0x38;
    else if (d->map == MAP_0F3A)
      e->b[e->n++] = 0x3a;
  }
  e->b[e->n++] = d->opcode;
  if (modrm) {
    e->b[e->n++] = m.modrm;
    if (m.has_sib)
      e->b[e->n++] = m.sib;
    if (m.rip_relative) {
      e->rip_disp_at = e->n;
      e->rip_target = m.rip_target;
    }
    put(e, (uint64_t)(int64_t)m.disp, m.disp_size);
  }

  /* Immediates. */
  int opsize = operand_size(dec, rex_w, osize);
  int z = opsize == 2 ? 2 : 4;
  if (dec & (D_IMM8 | D_SIMM8))
    put(e, imm_value(g), 1);
  else if (dec & D_IMM16)
    put(e, imm_value(g), 2);
  else if (dec & D_IMMZ)
    put(e, imm_value(g), z);
  else if (dec & D_IMMV)
    put(e, imm_value(g), opsize == 8 ? 8 : z);
  else if (dec & (D_REL8 | D_REL32)) {
    e->rel_at = e->n;
    e->rel_size = (dec & D_REL8) ? 1 : osize ? 2 : 4;
    put(e, 0, e->rel_size);
  } else if (dec & D_MOFFS) {
    uint64_t target = DIFF_DATA_ADDR + scratch_offset(g, 0x100, 0x3e00);
    put(e, target, addr32 ? 4 : 8);
  } else if (dec & D_IMM16_8) {
    put(e, below(g, 0x80) & ~7u, 2); /* enter: a small frame */
    put(e, below(g, 4), 1);          /* nesting level 0..3 */
  }
  return e->n <= 15;
}

/* The decoder must see the form we meant, with the length we wrote. */
static bool decodes_as(const struct enc *e, int op) {
  struct insn in;
  return cpu_decode(e->b, e->n, &in) == 0 && in.op == op && in.len == e->n;
}

static void reset_gen(struct gen *g, uint64_t seed) {
  memset(g, 0, sizeof *g);
  g->rng = seed;
  static const int ptrs[] = {RSP, RBP, RSI, RDI, RBX};
  for (size_t k = 0; k < sizeof ptrs / sizeof ptrs[0]; k++)
    g->role[ptrs[k]] = ROLE_PTR;
  g->val[RSP] = DIFF_DATA_ADDR + 0x3000 + below(g, 0x40) * 16;
  g->val[RBP] = DIFF_DATA_ADDR + 0x3400 + below(g, 0x20) * 16;
  g->val[RSI] = DIFF_DATA_ADDR + scratch_offset(g, 0x400, 0x2c00);
  g->val[RDI] = DIFF_DATA_ADDR + scratch_offset(g, 0x400, 0x2c00);
  g->val[RBX] = DIFF_DATA_ADDR + scratch_offset(g, 0x400, 0x2c00);
  if (below(g, 2)) { /* a small count for rep, loop, shifts by cl */
    g->role[RCX] = ROLE_SMALL;
    g->val[RCX] = below(g, 24);
  }
}

void gen_init(void) {
  cpu_decode_init();
  struct gen g;
  reset_gen(&g, 1);
  for (int op = 0; op < OP_COUNT; op++) {
    const struct op_desc *d = &cpu_ops[op];
    if (excluded(d) || !host_has(d->feature))
      continue;
    if (!gen_host_is_amd() && (vendor_specific_form(d) || needs_osize(d)))
      continue;
    /* Forms the decoder never selects (shadowed, or listed for CPUID
     * only) are not generated. */
    for (int tries = 0; tries < 64 && !usable[op]; tries++) {
      struct enc e;
      usable[op] = encode(&g, op, &e) && decodes_as(&e, op);
    }
  }
  gen_select(NULL);
}

int gen_select(const char *mnemonics) {
  pool_n = 0;
  for (int op = 0; op < OP_COUNT; op++) {
    selected[op] = usable[op];
    if (mnemonics && usable[op]) {
      size_t n = strlen(cpu_ops[op].name);
      const char *p = strstr(mnemonics, cpu_ops[op].name);
      while (p &&
             !((p == mnemonics || p[-1] == ',') && (p[n] == 0 || p[n] == ',')))
        p = strstr(p + 1, cpu_ops[op].name);
      selected[op] = p != NULL;
    }
    if (selected[op])
      pool[pool_n++] = op;
  }
  return pool_n;
}

int gen_form_count(void) { return pool_n; }
bool gen_form_usable(int op) { return op >= 0 && op < OP_COUNT && usable[op]; }

int gen_encode_one(int op, uint64_t *rng, uint8_t *buf) {
  struct gen g;
  reset_gen(&g, diff_rng(rng));
  for (int tries = 0; tries < 64; tries++) {
    struct enc e;
    if (encode(&g, op, &e) && decodes_as(&e, op)) {
      for (int b = 0; b < e.rel_size; b++) /* any displacement will do */
        e.b[e.rel_at + b] = (uint8_t)rnd(&g);
      memcpy(buf, e.b, (size_t)e.n);
      return e.n;
    }
  }
  return 0;
}

/* --- initial floating-point state --- */

static uint64_t fp64_value(struct gen *g) {
  static const uint64_t specials[] = {0,
                                      0x8000000000000000ull,
                                      0x3ff0000000000000ull,
                                      0xbff0000000000000ull,
                                      0x7ff0000000000000ull,
                                      0xfff0000000000000ull,
                                      0x7ff8000000000000ull,
                                      0x7ff4000000000000ull,
                                      0x0000000000000001ull,
                                      0x000fffffffffffffull,
                                      0x0010000000000000ull,
                                      0x7fefffffffffffffull,
                                      0x3fe0000000000000ull,
                                      0x4330000000000000ull,
                                      0x43e0000000000000ull,
                                      0xc3e0000000000000ull};
  switch (below(g, 6)) {
  case 0: return specials[below(g, 16)];
  case 1: return rnd(g);
  default: { /* a finite value in a range where arithmetic stays exact-ish */
    uint64_t exp = 1023 - 40 + below(g, 80);
    return (rnd(g) & 0x800fffffffffffffull) | exp << 52;
  }
  }
}

static uint32_t fp32_value(struct gen *g) {
  static const uint32_t specials[] = {
      0,           0x80000000u, 0x3f800000u, 0xbf800000u,
      0x7f800000u, 0xff800000u, 0x7fc00000u, 0x7fa00000u,
      0x00000001u, 0x007fffffu, 0x00800000u, 0x7f7fffffu,
      0x3f000000u, 0x4b000000u, 0x4f000000u, 0xcf000000u};
  switch (below(g, 6)) {
  case 0: return specials[below(g, 16)];
  case 1: return (uint32_t)rnd(g);
  default: {
    uint32_t exp = 127 - 20 + below(g, 40);
    return ((uint32_t)rnd(g) & 0x807fffffu) | exp << 23;
  }
  }
}

static void random_xmm(struct gen *g, uint8_t *x) {
  for (int half = 0; half < 2; half++) {
    uint64_t v;
    switch (below(g, 3)) {
    case 0: v = fp64_value(g); break;
    case 1: v = fp32_value(g) | (uint64_t)fp32_value(g) << 32; break;
    default: v = diff_edge_value(&g->rng); break;
    }
    memcpy(x + 8 * half, &v, 8);
  }
}

/* An 80-bit value: mostly normal finite numbers, some zeros, integers
 * and the odd special. */
static void random_ext80(struct gen *g, uint8_t *out) {
  uint64_t mant;
  uint16_t se;
  switch (below(g, 10)) {
  case 0:
    mant = 0;
    se = 0;
    break;
  case 1: /* a small integer */
  {
    uint64_t v = 1 + below(g, 1000);
    int lz = __builtin_clzll(v);
    mant = v << lz;
    se = (uint16_t)(16383 + 63 - lz);
    break;
  }
  case 2:
    mant = 0x8000000000000000ull;
    se = 0x7fff;
    break; /* infinity */
  case 3:
    mant = rnd(g) | 0x8000000000000000ull; /* any exponent */
    se = (uint16_t)(1 + below(g, 0x7ffe));
    break;
  default:
    mant = rnd(g) | 0x8000000000000000ull;
    se = (uint16_t)(16383 - 64 + below(g, 128));
    break;
  }
  if (below(g, 2))
    se |= 0x8000;
  memcpy(out, &mant, 8);
  memcpy(out + 8, &se, 2);
}

static void random_fp_state(struct gen *g, uint8_t *fx) {
  memset(fx, 0, 512);
  uint16_t fcw = (uint16_t)(0x007f | below(g, 4) << 10 |
                            (below(g, 3) == 0 ? 2u : 3u) << 8);
  if (!below(g, 8))
    fcw &= (uint16_t)~0x0300; /* single precision now and then */
  int top = (int)below(g, 8), valid = (int)below(g, 9);
  uint16_t fsw = (uint16_t)(top << 11 | (rnd(g) & 0x4700));
  if (!below(g, 4))
    fsw |= (uint16_t)(rnd(g) & 0x3f);
  uint8_t ftw = 0;
  for (int st = 0; st < 8; st++) {
    if (st < valid) {
      ftw |= (uint8_t)(1u << ((top + st) & 7));
      random_ext80(g, fx + FX_ST + 16 * st);
    }
  }
  uint32_t mxcsr = 0x1f80 | (uint32_t)below(g, 4) << 13;
  if (!below(g, 4))
    mxcsr |= 1u << 6; /* DAZ */
  if (!below(g, 4))
    mxcsr |= 1u << 15; /* FTZ */
  if (!below(g, 4))
    mxcsr |= (uint32_t)(rnd(g) & 0x3f);
  /* Now and then unmasked exceptions, overflow and underflow included
   * (#XM, the destination kept, the precision flag of the
   * unbounded-exponent result: cpu/sse_fp_precision.c). */
  if (!below(g, 8))
    mxcsr &= ~((uint32_t)(rnd(g) & 0x3f) << 7);
  memcpy(fx + FX_FCW, &fcw, 2);
  memcpy(fx + FX_FSW, &fsw, 2);
  fx[FX_FTW] = ftw;
  memcpy(fx + FX_MXCSR, &mxcsr, 4);
  uint32_t mask = 0xffff;
  memcpy(fx + FX_MXCSR + 4, &mask, 4);
  for (int r = 0; r < 16; r++)
    random_xmm(g, fx + FX_XMM + 16 * r);
}

/* --- whole sequences --- */

/* Flags a form defines whatever its operands (shift-like forms leave the
 * flags alone for a zero count, so they define nothing for sure). */
static uint64_t surely_written(const struct op_desc *d) {
  if (d->cost == C_SHIFT)
    return 0;
  return d->flags_written & ~d->flags_undefined;
}

void gen_case(struct diff_case *k, uint64_t seed) {
  struct gen g;
  memset(k, 0, sizeof *k);
  reset_gen(&g, seed);
  k->mem_seed = rnd(&g);
  int n = pool_n ? 1 + (int)below(&g, DIFF_MAX_INSNS) : 0;
  struct enc encs[DIFF_MAX_INSNS];
  int target[DIFF_MAX_INSNS]; /* branch target index, n = the final int3 */
  int skip_until = 0;         /* instructions before this may be jumped over */
  bool popf_push[DIFF_MAX_INSNS] = {false}; /* the push that feeds a popf */
  for (int i = 0; i < n; i++) {
    const struct op_desc *d = NULL;
    int op = -1;
    for (int tries = 0; tries < 200; tries++) {
      op = pool[below(&g, (unsigned)pool_n)];
      d = &cpu_ops[op];
      if (d->flags_read & g.undef)
        continue; /* would read a flag the manuals leave undefined */
      if (!strcmp(d->name, "popf") || !strcmp(d->name, "popfq")) {
        /* popf needs a value without TF/AC: pushed right before it. */
        if (i + 1 >= n)
          continue;
      }
      if (encode(&g, op, &encs[i]) && decodes_as(&encs[i], op))
        break;
      op = -1;
    }
    if (op < 0) {
      n = i;
      break;
    }
    if (!strcmp(d->name, "popf") || !strcmp(d->name, "popfq")) {
      /* push imm32 with random arithmetic flags and DF, then popf. */
      struct enc *p = &encs[i];
      memset(p, 0, sizeof *p);
      p->rip_disp_at = -1;
      p->b[p->n++] = 0x68;
      put(p, (rnd(&g) & (FLAGS_ARITH | FLAG_DF)) | 0x202, 4);
      k->insns[i].op = 0xffff; /* resolved below */
      popf_push[i] = true;
      target[i] = -1;
      k->insns[i].always = i >= skip_until;
      i++;
      encode(&g, op, &encs[i]);
    }
    k->insns[i].op = (uint16_t)op;
    k->insns[i].always = i >= skip_until;
    target[i] = -1;
    if (is_branch(d)) {
      target[i] = i + 1 + (int)below(&g, (unsigned)(n - i));
      if (target[i] > skip_until)
        skip_until = target[i];
    }
    struct insn in;
    if ((d->decode & D_F64) && cpu_decode(encs[i].b, encs[i].n, &in) == 0 &&
        in.opsize == 2)
      skip_until = DIFF_MAX_INSNS; /* a 16-bit branch may end the run */
    if (k->insns[i].always)
      g.undef &= ~surely_written(d);
    g.undef |= d->flags_undefined;
  }
  k->n = n;
  /* Lay out, then patch branch displacements and RIP-relative operands. */
  int off = 0;
  for (int i = 0; i < n; i++) {
    k->insns[i].off = (uint8_t)off;
    k->insns[i].len = (uint8_t)encs[i].n;
    off += encs[i].n;
  }
  for (int i = 0; i < n; i++) {
    struct enc *e = &encs[i];
    uint64_t next = DIFF_CODE_ADDR + k->insns[i].off + (uint64_t)e->n;
    if (e->rip_disp_at >= 0) {
      int32_t disp = (int32_t)(e->rip_target - next);
      memcpy(e->b + e->rip_disp_at, &disp, 4);
    }
    if (e->rel_size) {
      int t = target[i];
      if (t < n && t > 0 && popf_push[t - 1] && t - 1 > i)
        t--; /* never jump between a popf and the push that feeds it */
      int64_t to = t < n ? k->insns[t].off : off;
      int32_t rel = (int32_t)(to - (k->insns[i].off + e->n));
      memcpy(e->b + e->rel_at, &rel, (size_t)e->rel_size);
    }
    memcpy(k->code + k->insns[i].off, e->b, (size_t)e->n);
    if (k->insns[i].op == 0xffff) {
      struct insn in;
      cpu_decode(e->b, e->n, &in);
      k->insns[i].op = in.op;
    }
  }
  k->code[off] = 0xcc;
  k->code_len = off + 1;

  /* Initial registers: pointers and counts as assigned, the rest random. */
  for (int r = 0; r < 16; r++)
    k->in.gpr[r] = g.role[r] != ROLE_FREE ? g.val[r] : diff_edge_value(&g.rng);
  k->in.rip = DIFF_CODE_ADDR;
  k->in.rflags = 0x202 | (rnd(&g) & FLAGS_ARITH);
  if (!below(&g, 4))
    k->in.rflags |= FLAG_DF;
  random_fp_state(&g, k->in.fx);
}
