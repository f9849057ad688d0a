/* Lazy RFLAGS: ALU handlers record (op, size, src1, src2, res) with
 * cpu_flags_lazy and the six arithmetic flags are computed only when
 * something reads them (Jcc, SETcc, pushf, adc...). SDM vol. 1, 3.4.3.1
 * and appendix A (EFLAGS cross-reference). DF/TF/AC/ID never go lazy. */
#include "../cpu.h"

bool cpu_parity(uint8_t b) {
  /* PF is set when the low byte has an even number of one bits. */
  b ^= b >> 4;
  b ^= b >> 2;
  b ^= b >> 1;
  return !(b & 1);
}

static uint64_t size_mask(int size) {
  return size == 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

static uint64_t sign_bit(int size) { return 1ull << (8 * size - 1); }

/* SF, ZF and PF of a result: the same for every lazy operation. */
static uint64_t szp_flags(uint64_t res, int size) {
  uint64_t f = 0;
  res &= size_mask(size);
  if (res == 0)
    f |= FLAG_ZF;
  if (res & sign_bit(size))
    f |= FLAG_SF;
  if (cpu_parity((uint8_t)res))
    f |= FLAG_PF;
  return f;
}

static uint64_t lazy_arith_flags(const struct cpu *c) {
  const struct lazy_flags *l = &c->flags;
  int size = l->size;
  uint64_t m = size_mask(size), sb = sign_bit(size);
  uint64_t a = l->src1 & m, b = l->src2 & m, r = l->res & m;
  uint64_t f = szp_flags(r, size);
  if (l->op != FLAGS_LOGIC && ((a ^ b ^ r) & 0x10))
    f |= FLAG_AF;
  switch (l->op) {
  case FLAGS_ADD:
    if (r < a)
      f |= FLAG_CF;
    if ((a ^ r) & (b ^ r) & sb)
      f |= FLAG_OF;
    break;
  case FLAGS_ADC: /* an add whose carry-in was 1 */
    if (r <= a)
      f |= FLAG_CF;
    if ((a ^ r) & (b ^ r) & sb)
      f |= FLAG_OF;
    break;
  case FLAGS_SUB:
    if (a < b)
      f |= FLAG_CF;
    if ((a ^ b) & (a ^ r) & sb)
      f |= FLAG_OF;
    break;
  case FLAGS_SBB: /* a subtract whose borrow-in was 1 */
    if (a <= b)
      f |= FLAG_CF;
    if ((a ^ b) & (a ^ r) & sb)
      f |= FLAG_OF;
    break;
  case FLAGS_LOGIC: break;
  case FLAGS_INC: /* src2 is 1; CF is kept in c->rflags */
    f |= c->rflags & FLAG_CF;
    if (r == sb)
      f |= FLAG_OF;
    break;
  case FLAGS_DEC:
    f |= c->rflags & FLAG_CF;
    if (r == sb - 1)
      f |= FLAG_OF;
    break;
  default: break;
  }
  return f;
}

/* `f` with the record's overridden CF/OF/AF put in. */
static uint64_t flags_override(uint64_t f, unsigned o) {
  static const uint64_t bit[3] = {FLAG_CF, FLAG_OF, FLAG_AF};
  for (int k = 0; k < 3; k++)
    if (o & (LAZY_HAS_CF << k))
      f = (f & ~bit[k]) | (o & (LAZY_CF << k) ? bit[k] : 0);
  return f;
}

uint64_t cpu_get_flags(struct cpu *c) {
  uint64_t f = c->rflags;
  if (c->flags.op != FLAGS_EAGER) {
    f = (f & ~(uint64_t)FLAGS_ARITH) | lazy_arith_flags(c);
    if (c->flags.override)
      f = flags_override(f, c->flags.override);
  }
  return f | FLAGS_FIXED;
}

void cpu_set_flags(struct cpu *c, uint64_t value) {
  c->rflags = value | FLAGS_FIXED;
  c->flags.op = FLAGS_EAGER;
}

void cpu_flags_merge(struct cpu *c, uint64_t value, uint64_t mask) {
  if (c->flags.op != FLAGS_EAGER &&
      !(mask & ~(uint64_t)(FLAG_CF | FLAG_OF | FLAG_AF))) {
    /* Only CF/OF/AF: the rest stays lazy (rotates, imul, bt...). */
    unsigned o = c->flags.override;
    if (mask & FLAG_CF)
      o = (o & ~LAZY_CF) | LAZY_HAS_CF | (value & FLAG_CF ? LAZY_CF : 0);
    if (mask & FLAG_OF)
      o = (o & ~LAZY_OF) | LAZY_HAS_OF | (value & FLAG_OF ? LAZY_OF : 0);
    if (mask & FLAG_AF)
      o = (o & ~LAZY_AF) | LAZY_HAS_AF | (value & FLAG_AF ? LAZY_AF : 0);
    c->flags.override = (uint8_t)o;
    return;
  }
  uint64_t f = cpu_get_flags(c);
  c->rflags = (f & ~mask) | (value & mask);
  c->flags.op = FLAGS_EAGER;
}

/* Condition codes, SDM vol. 1, appendix B. A compare (lazy SUB) is the
 * common case before a Jcc, so it is answered from the operands. */
bool cpu_cond(struct cpu *c, unsigned cc) {
  bool r;
  if (c->flags.op == FLAGS_SUB && !c->flags.override && (cc & 0xe) != 0 &&
      (cc & 0xe) != 0xa) {
    int size = c->flags.size;
    uint64_t m = size_mask(size);
    uint64_t a = c->flags.src1 & m, b = c->flags.src2 & m;
    int shift = 64 - 8 * size;
    int64_t sa = (int64_t)(a << shift), sb = (int64_t)(b << shift);
    switch (cc >> 1) {
    case 1: r = a < b; break;
    case 2: r = a == b; break;
    case 3: r = a <= b; break;
    case 4: r = ((c->flags.res & m) >> (8 * size - 1)) & 1; break;
    case 6: r = sa < sb; break;
    default: r = sa <= sb; break; /* 7 */
    }
    return r ^ (cc & 1);
  }
  uint64_t f = cpu_get_flags(c);
  bool sf = f & FLAG_SF, of = f & FLAG_OF;
  switch (cc >> 1) {
  case 0: r = of; break;
  case 1: r = f & FLAG_CF; break;
  case 2: r = f & FLAG_ZF; break;
  case 3: r = f & (FLAG_CF | FLAG_ZF); break;
  case 4: r = sf; break;
  case 5: r = f & FLAG_PF; break;
  case 6: r = sf != of; break;
  default: r = (f & FLAG_ZF) || sf != of; break;
  }
  return r ^ (cc & 1);
}
