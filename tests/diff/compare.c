/* Comparing a native run with an emu run, and the mismatch report: the
 * bytes, capstone's disassembly, the initial state and both final
 * states side by side, and the fields that differ. */
#include <capstone/capstone.h>
#include <inttypes.h>
#include <string.h>

#include "cpu/decode/optable.h"
#include "diff.h"

static const char *const gpr_names[16] = {
    "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
    "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15"};

static const char *const end_names[END_COUNT] = {
    "ok", "int3", "#DE", "#UD", "#GP", "#SS", "#PF", "#MF", "#XM", "other"};

/* Flags the manuals leave undefined after the instructions retired before
 * end_rip: an instruction that surely runs and surely writes a flag
 * defines it again. Shift-like forms write nothing for a zero count. */
uint64_t diff_undefined_flags(const struct diff_case *k, uint64_t end_rip) {
  uint64_t mask = 0;
  /* A 16-bit near branch leaves the code page for a target below 64 KiB:
   * then every instruction counts (those after the branch are not
   * `always`, so they only add undefined bits). */
  bool left_code =
      end_rip < DIFF_CODE_ADDR || end_rip >= DIFF_CODE_ADDR + DIFF_CODE_SIZE;
  for (int i = 0; i < k->n; i++) {
    if (!left_code && DIFF_CODE_ADDR + k->insns[i].off >= end_rip)
      break;
    const struct op_desc *d = &cpu_ops[k->insns[i].op];
    if (k->insns[i].always && d->cost != C_SHIFT)
      mask &= ~(uint64_t)(d->flags_written & ~d->flags_undefined);
    mask |= d->flags_undefined;
  }
  return mask;
}

static void print_code(const struct diff_case *k) {
  static csh cs;
  static bool cs_ready;
  if (!cs_ready) {
    cs_ready = cs_open(CS_ARCH_X86, CS_MODE_64, &cs) == CS_ERR_OK;
  }
  printf("  code:");
  for (int b = 0; b < k->code_len; b++)
    printf(" %02x", k->code[b]);
  printf("\n");
  for (int i = 0; i < k->n; i++) {
    const struct diff_insn *in = &k->insns[i];
    char hex[48] = "";
    for (int b = 0; b < in->len && b < 15; b++)
      snprintf(hex + 3 * b, 4, "%02x ", k->code[in->off + b]);
    char text[200] = "(capstone: invalid)";
    cs_insn *ci = NULL;
    if (cs_ready && cs_disasm(cs, k->code + in->off, in->len,
                              DIFF_CODE_ADDR + in->off, 1, &ci) == 1) {
      snprintf(text, sizeof text, "%s %s", ci->mnemonic, ci->op_str);
      cs_free(ci, 1);
    }
    printf("    +%-3d %-45s %-40s [%s #%u%s]\n", in->off, hex, text,
           cpu_ops[in->op].name, in->op, in->always ? "" : ", may be skipped");
  }
}

void diff_print_case(const struct diff_case *k) {
  if (k->name[0])
    printf("  regression case %s\n", k->name);
  else
    printf("  replay: difftest --case %#" PRIx64 "\n", k->seed);
  print_code(k);
}

static void print_ext80(const uint8_t *p) {
  uint64_t mant;
  uint16_t se;
  memcpy(&mant, p, 8);
  memcpy(&se, p + 8, 2);
  printf("%04x:%016" PRIx64, se, mant);
}

static uint16_t u16_at(const uint8_t *p) {
  uint16_t v;
  memcpy(&v, p, 2);
  return v;
}

static uint32_t u32_at(const uint8_t *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

struct report {
  char what[512];
  size_t len;
};

static void note(struct report *r, const char *what) {
  int n = snprintf(r->what + r->len, sizeof r->what - r->len, " %s", what);
  if (n > 0 && r->len + (size_t)n < sizeof r->what)
    r->len += (size_t)n;
}

static void print_states(const struct diff_case *k,
                         const struct diff_result *nat,
                         const struct diff_result *emu, uint64_t flag_mask) {
  const struct diff_state *in = &k->in, *a = &nat->s, *b = &emu->s;
  printf("  %-6s %-18s %-18s %-18s\n", "", "initial", "native", "emu");
  for (int r = 0; r < 16; r++)
    printf("  %-6s %016" PRIx64 "   %016" PRIx64 "   %016" PRIx64 "%s\n",
           gpr_names[r], in->gpr[r], a->gpr[r], b->gpr[r],
           a->gpr[r] != b->gpr[r] ? "  <--" : "");
  printf("  %-6s %016" PRIx64 "   %016" PRIx64 "   %016" PRIx64 "%s\n", "rip",
         in->rip, a->rip, b->rip, a->rip != b->rip ? "  <--" : "");
  printf("  %-6s %016" PRIx64 "   %016" PRIx64 "   %016" PRIx64
         "%s (compared %#" PRIx64 ")\n",
         "rflags", in->rflags, a->rflags, b->rflags,
         (a->rflags ^ b->rflags) & flag_mask ? "  <--" : "", flag_mask);
  printf("  %-6s %08x           %08x           %08x%s\n", "mxcsr",
         u32_at(in->fx + FX_MXCSR), u32_at(a->fx + FX_MXCSR),
         u32_at(b->fx + FX_MXCSR),
         u32_at(a->fx + FX_MXCSR) != u32_at(b->fx + FX_MXCSR) ? "  <--" : "");
  for (int r = 0; r < 16; r++) {
    const uint8_t *x0 = in->fx + FX_XMM + 16 * r, *x1 = a->fx + FX_XMM + 16 * r,
                  *x2 = b->fx + FX_XMM + 16 * r;
    if (!memcmp(x1, x2, 16) && memcmp(x0, x1, 16) == 0)
      continue;
    printf("  xmm%-3d", r);
    const uint8_t *xs[3] = {x0, x1, x2};
    for (int s = 0; s < 3; s++) {
      uint64_t lo, hi;
      memcpy(&lo, xs[s], 8);
      memcpy(&hi, xs[s] + 8, 8);
      printf(" %016" PRIx64 "%016" PRIx64, hi, lo);
    }
    printf("%s\n", memcmp(x1, x2, 16) ? "  <--" : "");
  }
  printf("  %-6s %04x               %04x               %04x%s\n", "fcw",
         u16_at(in->fx + FX_FCW), u16_at(a->fx + FX_FCW),
         u16_at(b->fx + FX_FCW),
         u16_at(a->fx + FX_FCW) != u16_at(b->fx + FX_FCW) ? "  <--" : "");
  printf("  %-6s %04x               %04x               %04x%s\n", "fsw",
         u16_at(in->fx + FX_FSW), u16_at(a->fx + FX_FSW),
         u16_at(b->fx + FX_FSW),
         u16_at(a->fx + FX_FSW) != u16_at(b->fx + FX_FSW) ? "  <--" : "");
  printf("  %-6s %02x                 %02x                 %02x%s\n", "ftw",
         in->fx[FX_FTW], a->fx[FX_FTW], b->fx[FX_FTW],
         a->fx[FX_FTW] != b->fx[FX_FTW] ? "  <--" : "");
  for (int st = 0; st < 8; st++) {
    const uint8_t *s1 = a->fx + FX_ST + 16 * st, *s2 = b->fx + FX_ST + 16 * st;
    printf("  st%d    ", st);
    print_ext80(in->fx + FX_ST + 16 * st);
    printf(" ");
    print_ext80(s1);
    printf(" ");
    print_ext80(s2);
    printf("%s\n", memcmp(s1, s2, 10) ? "  <-- (if valid)" : "");
  }
}

static void print_memory(const struct diff_case *k,
                         const struct diff_result *nat,
                         const struct diff_result *emu) {
  static uint8_t init[DIFF_DATA_SIZE];
  diff_fill_memory(init, k->mem_seed);
  int rows = 0;
  for (uint64_t at = 0; at < DIFF_DATA_SIZE && rows < 6; at += 16) {
    if (!memcmp(nat->mem + at, emu->mem + at, 16))
      continue;
    rows++;
    const uint8_t *views[3] = {init + at, nat->mem + at, emu->mem + at};
    static const char *const labels[3] = {"initial", "native", "emu"};
    for (int v = 0; v < 3; v++) {
      printf("  mem %#" PRIx64 " %-7s", (uint64_t)(DIFF_DATA_ADDR + at),
             labels[v]);
      for (int b = 0; b < 16; b++)
        printf(" %02x", views[v][b]);
      printf("\n");
    }
  }
}

const char *diff_end_name(int end) { return end_names[end]; }

bool diff_compare(const struct diff_case *k, const struct diff_result *nat,
                  const struct diff_result *emu, struct diff_stats *st,
                  bool verbose) {
  struct report rep = {.len = 0};
  const struct diff_state *a = &nat->s, *b = &emu->s;
  if (nat->end != emu->end)
    note(&rep, "end");
  /* Which byte of a multi-byte access a fault reports is the CPU's
   * choice (this one reports the last byte of an fxsave); the page and
   * the kind of access are not. */
  if (nat->end == END_PF && emu->end == END_PF &&
      ((nat->addr ^ emu->addr) >> 12 || ((nat->error ^ emu->error) & 0x10)))
    note(&rep, "fault-address");
  if (a->rip != b->rip)
    note(&rep, "rip");
  for (int r = 0; r < 16; r++)
    if (a->gpr[r] != b->gpr[r])
      note(&rep, gpr_names[r]);
  uint64_t undef = diff_undefined_flags(k, a->rip);
  uint64_t flag_mask = (FLAGS_ARITH | FLAG_DF) & ~undef;
  uint64_t flag_diff = a->rflags ^ b->rflags;
  if (flag_diff & flag_mask)
    note(&rep, "rflags");
  if (flag_diff & undef & (FLAGS_ARITH | FLAG_DF)) {
    st->masked_flags_cases++;
    for (int i = 0; i < k->n; i++)
      st->form_masked[k->insns[i].op] |=
          (uint16_t)(flag_diff & cpu_ops[k->insns[i].op].flags_undefined);
  }
  if (u32_at(a->fx + FX_MXCSR) != u32_at(b->fx + FX_MXCSR))
    note(&rep, "mxcsr");
  for (int r = 0; r < 16; r++)
    if (memcmp(a->fx + FX_XMM + 16 * r, b->fx + FX_XMM + 16 * r, 16)) {
      char name[8];
      snprintf(name, sizeof name, "xmm%d", r);
      note(&rep, name);
    }
  if (u16_at(a->fx + FX_FCW) != u16_at(b->fx + FX_FCW))
    note(&rep, "fcw");
  if (u16_at(a->fx + FX_FSW) != u16_at(b->fx + FX_FSW))
    note(&rep, "fsw");
  if (a->fx[FX_FTW] != b->fx[FX_FTW])
    note(&rep, "ftw");
  for (int s = 0; s < 8; s++) {
    int phys = ((u16_at(a->fx + FX_FSW) >> 11) + s) & 7;
    if (((a->fx[FX_FTW] >> phys) & 1) &&
        memcmp(a->fx + FX_ST + 16 * s, b->fx + FX_ST + 16 * s, 10)) {
      char name[8];
      snprintf(name, sizeof name, "st%d", s);
      note(&rep, name);
    }
  }
  if (memcmp(nat->mem, emu->mem, DIFF_DATA_SIZE))
    note(&rep, "memory");
  if (!rep.len)
    return true;
  st->mismatches++;
  for (int i = 0; i < k->n; i++)
    st->form_fails[k->insns[i].op]++;
  if (!verbose)
    return false;
  printf("MISMATCH:%s\n", rep.what);
  diff_print_case(k);
  printf("  end: native %s (signal %d) at %#" PRIx64
         ", emu %s (trap %d) at %#" PRIx64 "\n",
         end_names[nat->end], nat->detail, a->rip, end_names[emu->end],
         emu->detail, b->rip);
  if (nat->end == END_PF || emu->end == END_PF)
    printf("  fault address: native %#" PRIx64 " error %#x, emu %#" PRIx64
           " error %#x\n",
           nat->addr, nat->error, emu->addr, emu->error);
  print_states(k, nat, emu, flag_mask);
  print_memory(k, nat, emu);
  return false;
}
