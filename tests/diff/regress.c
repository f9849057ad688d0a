/* Named regression cases (tests/diff/regressions.txt): every mismatch the
 * harness found, kept as its bytes and exact initial state, replayed
 * before the random sequences. Format, one field per line:
 *
 *   case NAME
 *   code HEX...           the instructions, without the final int3
 *   gpr HEX x16           rax rcx rdx rbx rsp rbp rsi rdi r8..r15
 *   rflags HEX
 *   mem_seed HEX          scratch memory = diff_fill_memory(mem_seed)
 *   fx HEX                the 512-byte FXSAVE image (x87, MXCSR, XMM)
 *   end
 *
 * Lines starting with '#' are comments (what the case found, and when). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/decode/optable.h"
#include "diff.h"

static int hex_bytes(const char *s, uint8_t *out, int max) {
  int n = 0;
  while (*s && n < max) {
    while (*s == ' ' || *s == '\t')
      s++;
    if (!s[0] || s[0] == '\n' || !s[1])
      break;
    unsigned v;
    if (sscanf(s, "%2x", &v) != 1)
      return -1;
    out[n++] = (uint8_t)v;
    s += 2;
  }
  return n;
}

/* Instruction boundaries and which instructions a branch can skip, as the
 * generator would have recorded them. */
static bool rebuild_insns(struct diff_case *k) {
  int at = 0, skip_until = 0, len = k->code_len - 1;
  k->n = 0;
  while (at < len && k->n < DIFF_MAX_INSNS) {
    struct insn in;
    /* Bytes emu no longer decodes are a #UD case (recorded when emu ran
     * them and the host raised #UD): the run ends there on both sides. */
    if (cpu_decode(k->code + at, len - at, &in) != 0)
      return k->n > 0 || at == 0;
    struct diff_insn *d = &k->insns[k->n++];
    d->op = in.op;
    d->off = (uint8_t)at;
    d->len = in.len;
    d->always = at >= skip_until;
    if (cpu_ops[in.op].decode & (D_REL8 | D_REL32)) {
      int to = at + in.len + (int)(int64_t)in.imm;
      if (to > skip_until)
        skip_until = to;
    }
    if ((cpu_ops[in.op].decode & D_F64) && in.opsize == 2)
      skip_until = len; /* a 16-bit branch may end the run (gen.c) */
    at += in.len;
  }
  return at == len;
}

int regress_load(const char *path, struct diff_case **cases) {
  FILE *f = fopen(path, "r");
  *cases = NULL;
  if (!f)
    return -1;
  int n = 0, cap = 0;
  struct diff_case *k = NULL;
  static char line[4096];
  while (fgets(line, sizeof line, f)) {
    char *v = strchr(line, ' ');
    v = v ? v + 1 : line + strlen(line);
    if (!strncmp(line, "case ", 5)) {
      if (n == cap) {
        cap = cap ? cap * 2 : 16;
        *cases = realloc(*cases, sizeof **cases * (size_t)cap);
      }
      k = &(*cases)[n++];
      memset(k, 0, sizeof *k);
      snprintf(k->name, sizeof k->name, "%.*s", (int)strcspn(v, " \r\n"), v);
      k->in.rip = DIFF_CODE_ADDR;
    } else if (!k || line[0] == '#') {
      continue;
    } else if (!strncmp(line, "code ", 5)) {
      int c = hex_bytes(v, k->code, DIFF_MAX_CODE - 1);
      k->code_len = c < 0 ? 0 : c;
      k->code[k->code_len++] = 0xcc;
    } else if (!strncmp(line, "gpr ", 4)) {
      char *p = v;
      for (int r = 0; r < 16; r++)
        k->in.gpr[r] = strtoull(p, &p, 16);
    } else if (!strncmp(line, "rflags ", 7)) {
      k->in.rflags = strtoull(v, NULL, 16);
    } else if (!strncmp(line, "mem_seed ", 9)) {
      k->mem_seed = strtoull(v, NULL, 16);
    } else if (!strncmp(line, "fx ", 3)) {
      hex_bytes(v, k->in.fx, 512);
    } else if (!strncmp(line, "end", 3)) {
      if (!rebuild_insns(k)) {
        fprintf(stderr, "difftest: %s: case %s no longer decodes\n", path,
                k->name);
        k->n = 0;
      }
      k = NULL;
    }
  }
  fclose(f);
  return n;
}

void regress_write(FILE *f, const struct diff_case *k, const char *name) {
  fprintf(f, "case %s\n", name);
  fprintf(f, "code");
  for (int b = 0; b + 1 < k->code_len; b++)
    fprintf(f, " %02x", k->code[b]);
  fprintf(f, "\ngpr");
  for (int r = 0; r < 16; r++)
    fprintf(f, " %" PRIx64, k->in.gpr[r]);
  fprintf(f, "\nrflags %" PRIx64 "\nmem_seed %" PRIx64 "\nfx ", k->in.rflags,
          k->mem_seed);
  for (int b = 0; b < 512; b++)
    fprintf(f, "%02x", k->in.fx[b]);
  fprintf(f, "\nend\n\n");
}
