/* The long-mode decoder: legacy prefixes, REX, VEX, the opcode maps,
 * ModRM/SIB/displacement and immediates, driven by the opcode table.
 * SDM vol. 2, chapter 2 (instruction format) and appendix A (maps). */
#include <string.h>

#include "optable.h"
#include "specialize.h"

/* Candidates per (map, opcode): a run of table indices. */
struct op_slot {
  uint16_t first, count;
};

static struct op_slot slots[MAP_COUNT][256];
static uint16_t slot_ops[OP_COUNT];
static int decode_ready;

void cpu_decode_init(void) {
  if (decode_ready)
    return;
  /* Counting sort of the table by (map, opcode), keeping table order
   * within a slot so that specific forms listed first win. */
  static uint16_t counts[MAP_COUNT * 256];
  memset(counts, 0, sizeof counts);
  for (int i = 0; i < OP_COUNT; i++)
    counts[cpu_ops[i].map * 256 + cpu_ops[i].opcode]++;
  uint16_t at = 0;
  for (int k = 0; k < MAP_COUNT * 256; k++) {
    slots[k / 256][k % 256].first = at;
    slots[k / 256][k % 256].count = 0;
    at += counts[k];
  }
  /* Forms with a mandatory prefix first, then the prefix-agnostic ones,
   * each in table order: select_form takes the first that matches. */
  for (int pass = 0; pass < 2; pass++)
    for (int i = 0; i < OP_COUNT; i++) {
      if ((cpu_ops[i].prefix == PX) != (pass == 1))
        continue;
      struct op_slot *s = &slots[cpu_ops[i].map][cpu_ops[i].opcode];
      slot_ops[s->first + s->count++] = (uint16_t)i;
    }
  decode_ready = 1;
}

const char *cpu_op_name(uint16_t op) {
  return op < OP_COUNT ? cpu_ops[op].name : "?";
}

struct cursor {
  const uint8_t *p;
  int n, avail;
  int short_read;
};

static uint64_t take(struct cursor *c, int bytes) {
  if (c->n + bytes > c->avail) {
    c->short_read = 1;
    c->n += bytes;
    return 0;
  }
  uint64_t v = 0;
  for (int k = 0; k < bytes; k++)
    v |= (uint64_t)c->p[c->n + k] << (8 * k);
  c->n += bytes;
  return v;
}

static uint64_t sign_extend(uint64_t v, int bytes) {
  int shift = 64 - 8 * bytes;
  return (uint64_t)((int64_t)(v << shift) >> shift);
}

static int prefix_matches(int want, int mandatory) {
  return want == PX || want == mandatory;
}

static int modrm_matches(int want, uint8_t modrm) {
  int mod = modrm >> 6, rm = modrm & 7;
  if (want == M_ANY)
    return 1;
  if (want == M_MEM)
    return mod != 3;
  if (want == M_REG)
    return mod == 3;
  return mod == 3 && rm == want;
}

/* Pick the form for this opcode: forms with an exact mandatory prefix
 * first, then prefix-agnostic ones (the slot is sorted so). */
static int select_form(const struct op_slot *s, int mandatory, int has_modrm,
                       uint8_t modrm, int vex) {
  for (int k = 0; k < s->count; k++) {
    const struct op_desc *d = &cpu_ops[slot_ops[s->first + k]];
    if (!prefix_matches(d->prefix, mandatory))
      continue;
    if (!!(d->decode & D_VEX) != !!vex)
      continue;
    if (has_modrm && d->group != NG && d->group != ((modrm >> 3) & 7))
      continue;
    if (has_modrm && !modrm_matches(d->modrm, modrm))
      continue;
    return slot_ops[s->first + k];
  }
  return -1;
}

static void decode_modrm(struct cursor *cur, struct insn *in, uint8_t modrm) {
  int rex_r = (in->rex >> 2) & 1, rex_x = (in->rex >> 1) & 1,
      rex_b = in->rex & 1;
  in->mod = modrm >> 6;
  in->reg = (uint8_t)(((modrm >> 3) & 7) | rex_r << 3);
  int rm = modrm & 7;
  in->base = REG_NONE;
  in->index = REG_NONE;
  in->scale = 0;
  in->disp = 0;
  if (in->mod == 3) {
    in->rm = (uint8_t)(rm | rex_b << 3);
    return;
  }
  in->rm = (uint8_t)rm;
  if (rm == 4) {
    uint8_t sib = (uint8_t)take(cur, 1);
    int base = sib & 7, index = ((sib >> 3) & 7) | rex_x << 3;
    in->scale = sib >> 6;
    if (index != RSP)
      in->index = (uint8_t)index;
    if (base == 5 && in->mod == 0)
      in->disp = (int32_t)take(cur, 4);
    else
      in->base = (uint8_t)(base | rex_b << 3);
  } else if (rm == 5 && in->mod == 0) {
    in->base = BASE_RIP;
    in->disp = (int32_t)take(cur, 4);
  } else {
    in->base = (uint8_t)(rm | rex_b << 3);
  }
  if (in->mod == 1)
    in->disp = (int8_t)take(cur, 1);
  else if (in->mod == 2)
    in->disp = (int32_t)take(cur, 4);
}

static int operand_size(const struct insn *in, uint32_t d) {
  if (d & D_BYTE)
    return 1;
  if (d & D_SSE)
    return 16;
  if (d & D_F64) /* near branches: see the comment in cpu/branch.c */
    return in->opsize_prefix && !(in->rex & 8) ? 2 : 8;
  if ((in->rex & 8) && !(d & D_NOREXW))
    return 8;
  if (d & D_W32)
    return 4;
  if (in->opsize_prefix)
    return 2;
  return (d & D_D64) ? 8 : 4;
}

static void decode_immediates(struct cursor *cur, struct insn *in, uint32_t d) {
  int z = in->opsize == 2 ? 2 : 4;
  if (d & D_IMM8)
    in->imm = take(cur, 1);
  else if (d & D_SIMM8)
    in->imm = sign_extend(take(cur, 1), 1);
  else if (d & D_IMM16)
    in->imm = take(cur, 2);
  else if (d & D_IMMZ)
    in->imm = sign_extend(take(cur, z), z);
  else if (d & D_IMMV)
    in->imm = take(cur, in->opsize == 8 ? 8 : z);
  else if (d & D_REL8)
    in->imm = sign_extend(take(cur, 1), 1);
  else if (d & D_REL32) /* rel16 with a 66 prefix on this AMD CPU */
    in->imm = sign_extend(take(cur, z), z);
  else if (d & D_MOFFS)
    in->imm = take(cur, in->addrsize);
  else if (d & D_IMM16_8) {
    in->imm = take(cur, 2);
    in->imm2 = take(cur, 1);
  }
}

/* VEX (C4/C5): SDM vol. 2, 2.3.5. Returns the map, or -1. */
static int decode_vex(struct cursor *cur, struct insn *in, uint8_t first,
                      int *mandatory) {
  uint8_t b1 = (uint8_t)take(cur, 1);
  int map, pp;
  in->rex = 0x40;
  if (first == 0xc5) {
    in->vex = 2;
    in->rex |= (uint8_t)(!(b1 & 0x80) << 2);
    in->vvvv = (uint8_t)((~b1 >> 3) & 15);
    in->vex_l = (b1 >> 2) & 1;
    pp = b1 & 3;
    map = MAP_0F;
  } else {
    uint8_t b2 = (uint8_t)take(cur, 1);
    in->vex = 3;
    in->rex |=
        (uint8_t)((!(b1 & 0x80) << 2) | (!(b1 & 0x40) << 1) | !(b1 & 0x20));
    int mmmmm = b1 & 31;
    if (mmmmm < 1 || mmmmm > 3)
      return -1;
    map = mmmmm == 1 ? MAP_0F : mmmmm == 2 ? MAP_0F38 : MAP_0F3A;
    in->vex_w = b2 >> 7;
    if (in->vex_w)
      in->rex |= 8;
    in->vvvv = (uint8_t)((~b2 >> 3) & 15);
    in->vex_l = (b2 >> 2) & 1;
    pp = b2 & 3;
  }
  static const int pp_prefix[4] = {PN, P66, PF3, PF2};
  *mandatory = pp_prefix[pp];
  return map;
}

int cpu_decode(const uint8_t *bytes, int avail, struct insn *out) {
  struct cursor cur = {bytes, 0, avail, 0};
  struct insn in;
  memset(&in, 0, sizeof in);
  in.addrsize = 8;
  int saw_f2_f3 = 0, map, mandatory;

  /* Legacy prefixes, then REX (a REX not directly before the opcode is
   * ignored, SDM vol. 2, 2.2.1). */
  for (;;) {
    if (cur.n >= 15)
      return -1;
    uint8_t b = (uint8_t)take(&cur, 1);
    if (cur.short_read)
      return -2;
    switch (b) {
    case 0x66:
      in.opsize_prefix = 1;
      in.rex = 0;
      continue;
    case 0x67:
      in.addrsize = 4;
      in.rex = 0;
      continue;
    case 0xf2:
      in.rep = REP_F2;
      saw_f2_f3 = 1;
      in.rex = 0;
      continue;
    case 0xf3:
      in.rep = REP_F3;
      saw_f2_f3 = 1;
      in.rex = 0;
      continue;
    case 0xf0:
      in.lock = 1;
      in.rex = 0;
      continue;
    case 0x2e:
    case 0x36:
    case 0x3e:
    case 0x26: in.rex = 0; continue;
    case 0x64:
      in.seg = SEG_FS;
      in.rex = 0;
      continue;
    case 0x65:
      in.seg = SEG_GS;
      in.rex = 0;
      continue;
    default: break;
    }
    if ((b & 0xf0) == 0x40) {
      in.rex = b;
      continue;
    }
    cur.n--;
    break;
  }

  uint8_t opcode = (uint8_t)take(&cur, 1);
  if (opcode == 0xc4 || opcode == 0xc5) {
    /* VEX after REX, 66, F2, F3 or LOCK is #UD (SDM vol. 2, 2.3.2). */
    if (in.rex || in.opsize_prefix || saw_f2_f3 || in.lock)
      return -1;
    map = decode_vex(&cur, &in, opcode, &mandatory);
    if (map < 0)
      return cur.short_read ? -2 : -1;
    opcode = (uint8_t)take(&cur, 1);
  } else {
    map = MAP_1;
    if (opcode == 0x0f) {
      opcode = (uint8_t)take(&cur, 1);
      map = MAP_0F;
      if (opcode == 0x38 || opcode == 0x3a) {
        map = opcode == 0x38 ? MAP_0F38 : MAP_0F3A;
        opcode = (uint8_t)take(&cur, 1);
      }
    }
    mandatory = in.rep == REP_F2   ? PF2
                : in.rep == REP_F3 ? PF3
                : in.opsize_prefix ? P66
                                   : PN;
  }
  if (cur.short_read)
    return -2;

  const struct op_slot *slot = &slots[map][opcode];
  if (slot->count == 0)
    return -1;
  int has_modrm = !!(cpu_ops[slot_ops[slot->first]].decode & D_MODRM);
  uint8_t modrm = 0;
  if (has_modrm) {
    modrm = (uint8_t)take(&cur, 1);
    if (cur.short_read)
      return -2;
  }
  int op = select_form(slot, mandatory, has_modrm, modrm, in.vex);
  if (op < 0)
    return -1;
  const struct op_desc *d = &cpu_ops[op];
  in.op = (uint16_t)op;
  in.arg = d->arg;
  /* A mandatory 66 selects the form; it is not an operand-size prefix. */
  if (d->prefix == P66)
    in.opsize_prefix = 0;
  in.opsize = (uint8_t)operand_size(&in, d->decode);
  if (has_modrm) {
    if (in.addrsize == 4 && (modrm >> 6) != 3) {
      /* 32-bit addressing still uses the same ModRM/SIB forms. */
    }
    decode_modrm(&cur, &in,
                 d->decode & D_MODREG ? (uint8_t)(modrm | 0xc0) : modrm);
  } else if (d->decode & D_OPREG) {
    in.reg = (uint8_t)((opcode & 7) | (in.rex & 1) << 3);
  }
  if (in.lock && !(d->decode & D_LOCKREG) &&
      (!(d->decode & D_LOCK) || !has_modrm || in.mod == 3))
    return -1;
  if ((d->decode & D_NOVVVV) && in.vvvv != 0)
    return -1;
  decode_immediates(&cur, &in, d->decode);
  if (cur.short_read)
    return cur.n > 15 ? -1 : -2;
  if (cur.n > 15)
    return -1;
  in.len = (uint8_t)cur.n;
  unsigned cost = cpu_cost_cycles[d->cost];
  if (has_modrm && in.mod != 3)
    cost += MEM_OPERAND_CYCLES;
  in.cycles = (uint8_t)(cost > 255 ? 255 : cost);
  /* Decode once, run many: the hot forms get a handler made for their
   * size and operand form (cpu/specialize.c). */
  cpu_specialize(&in);
  *out = in;
  return 0;
}
