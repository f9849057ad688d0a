/* The table walk shared by the differential table tests
 * (test_sse_table.c, test_mmx_table.c): each selected form of the
 * opcode table is encoded from its own line with random registers,
 * memory operands, immediates and prefixes, run natively and in emu
 * from random states, and compared bit for bit. */
#ifndef EMU_TEST_SSE_FORMS_H
#define EMU_TEST_SSE_FORMS_H

#include "test_sse_harness.h"

/* Fewer cases under the sanitizers, which slow the native-vs-emu loop
 * about tenfold; the forms covered stay the same. */
#if defined(__SANITIZE_ADDRESS__)
#define CASES_PER_FORM 150
#else
#define CASES_PER_FORM 1500
#endif

static inline int is_sse_feature(int f) {
  return (f >= F_FXSR && f <= F_SSE42) || f == F_AES || f == F_PCLMUL ||
         f == F_MMX;
}

/* The forms with MMX register operands: the MMX section of
 * cpu/opcodes_sse.def, which is contiguous. */
static inline int is_mmx_form(int op) {
  return op >= OP_MOVD_TO_MM && op <= OP_PALIGNR_MM;
}

/* String-compare inputs (pcmpXstrX): elements from a small alphabet
 * with zeros, so that matches, ranges and implicit ends all occur, and
 * explicit lengths around the element count. */
static void string_inputs(struct sse_state *s) {
  static const uint8_t alphabet[] = {0, 'a', 'b', 'c', 'z', 0x80, 0xff, 1};
  int spread = (int)(sse_rand() % 3);
  for (int k = 0; k < 4; k++)
    for (int b = 0; b < 16; b++)
      s->xmm[k].u8[b] = alphabet[sse_rand() % (unsigned)(3 + spread * 2 + 1)];
  for (unsigned b = 0; b < SSE_DATA_SIZE; b++)
    s->data[b] = alphabet[sse_rand() % 8];
  for (int r = 0; r < 3; r += 2) { /* rax, rdx */
    int64_t len = (int64_t)(sse_rand() % 41) - 20;
    if (sse_rand() % 8 == 0)
      len = (int64_t)sse_rand();
    s->gpr[r] = (uint64_t)len;
  }
}

/* Encode one random instance of table form `d` into buf; returns length. */
static int encode_form(const struct op_desc *d, uint8_t *buf,
                       struct sse_state *s) {
  int n = 0;
  int mod, reg, rm;
  if (d->modrm == M_REG)
    mod = 3;
  else if (d->modrm == M_MEM)
    mod = (int)(sse_rand() % 2);
  else if (d->modrm >= 0)
    mod = 3;
  else
    mod = sse_rand() % 2 ? 3 : (int)(sse_rand() % 2);
  reg = d->group != NG ? d->group : (int)(sse_rand() % 4);
  rm = d->modrm >= 0 ? d->modrm : mod == 3 ? (int)(sse_rand() % 4) : 6;
  /* crc32 also has 16-bit forms: 66 F2 0F 38 F1. */
  if (!strcmp(d->name, "crc32") && !(d->decode & D_BYTE) && sse_rand() % 3 == 0)
    buf[n++] = 0x66;
  switch (d->prefix) {
  case P66: buf[n++] = 0x66; break;
  case PF3: buf[n++] = 0xf3; break;
  case PF2: buf[n++] = 0xf2; break;
  default: break;
  }
  uint8_t rex = sse_rand() % 2 ? 0x48 : 0; /* REX.W: 64-bit GPR forms */
  /* REX.R and REX.B do not extend MMX register numbers: try them on the
   * register forms of the MMX section, except where r/m is a GPR
   * source (r8..r11 are not part of the compared state). */
  if (is_mmx_form((int)(d - cpu_ops)) && mod == 3 && d->opcode != 0x6e &&
      d->opcode != 0xc4 && sse_rand() % 2)
    rex |= (uint8_t)(0x40 | (sse_rand() & 5));
  if (rex)
    buf[n++] = rex;
  buf[n++] = 0x0f;
  if (d->map == MAP_0F38)
    buf[n++] = 0x38;
  else if (d->map == MAP_0F3A)
    buf[n++] = 0x3a;
  buf[n++] = d->opcode;
  if (!(d->decode & D_MODRM)) /* emms */
    return n;
  buf[n++] = (uint8_t)(mod << 6 | reg << 3 | rm);
  if (mod == 1)
    buf[n++] = (uint8_t)(sse_rand() % 128);
  if (d->decode & D_IMM8)
    buf[n++] = (uint8_t)sse_rand();
  /* fxrstor: usually a loadable MXCSR in the image (when the operand
   * is in the data pages at all). */
  uint64_t at = s->rsi - SSE_DATA_ADDR + (mod == 1 ? buf[n - 1] : 0);
  if (at > SSE_DATA_SIZE - 32)
    return n;
  if (!strcmp(d->name, "fxrstor") && sse_rand() % 4) {
    at += 24;
    uint32_t mx;
    memcpy(&mx, s->data + at, 4);
    mx &= 0x2ffff;
    memcpy(s->data + at, &mx, 4);
  }
  if (!strcmp(d->name, "ldmxcsr") && sse_rand() % 4) {
    uint32_t mx = sse_random_mxcsr();
    memcpy(s->data + at, &mx, 4);
  }
  return n;
}

/* Walk the forms `select` picks; SSE_TEST_ONLY=prefix narrows it to
 * mnemonics starting with prefix. Returns the number of failing forms. */
static int sse_walk_forms(const char *label, int (*select)(int op)) {
  sse_harness_setup();
  int failed_forms = 0, tested = 0;
  for (int op = 0; op < OP_COUNT; op++) {
    const struct op_desc *d = &cpu_ops[op];
    if (!select(op))
      continue;
    int failures = 0;
    uint64_t mask = FLAGS_ARITH & ~(uint64_t)d->flags_undefined;
    int string = !strncmp(d->name, "pcmp", 4) && strstr(d->name, "str");
    const char *only = getenv("SSE_TEST_ONLY");
    if (only && strncmp(d->name, only, strlen(only)))
      continue;
    tested++;
    for (int k = 0; k < CASES_PER_FORM && failures < 3; k++) {
      struct sse_state s;
      uint8_t code[32];
      sse_random_state(&s);
      if (string && sse_rand() % 4)
        string_inputs(&s);
      int len = encode_form(d, code, &s);
      if (!sse_compare(d->name, code, len, &s, mask, ~0u))
        failures++;
    }
    if (failures)
      failed_forms++;
  }
  fprintf(stderr, "%s: %d forms, %d cases each, %d failing\n", label, tested,
          CASES_PER_FORM, failed_forms);
  return failed_forms;
}

#endif
