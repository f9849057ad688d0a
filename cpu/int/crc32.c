/* crc32 (SSE4.2, F2 0F 38 F0/F1): CRC-32C (Castagnoli, polynomial
 * 11EDC6F41h) of the source bytes accumulated onto the low 32 bits of
 * the destination, bit-reflected, with no pre- or post-inversion (SDM
 * vol. 2, CRC32). The result is zero-extended into a 64-bit
 * destination. */
#include "../handlers.h"
#include "../sse/sse.h"

#define CRC32C_REFLECTED 0x82f63b78u

static uint32_t crc32c_byte(uint32_t crc, uint8_t b) {
  crc ^= b;
  for (int k = 0; k < 8; k++)
    crc = (crc >> 1) ^ (CRC32C_REFLECTED & (0u - (crc & 1)));
  return crc;
}

/* F0: r32/r64, r/m8; F1: r32/r64, r/m16/32/64 by operand size. The
 * destination is 64-bit with REX.W, else 32-bit. */
void op_crc32(struct cpu *c, const struct insn *i) {
  int size = i->opsize;
  uint64_t src = cpu_rm_get(c, i, size);
  int wide = (i->rex & 8) != 0;
  uint32_t crc = (uint32_t)cpu_reg_get(c, i, i->reg, 4);
  for (int k = 0; k < size; k++)
    crc = crc32c_byte(crc, (uint8_t)(src >> (8 * k)));
  cpu_reg_set(c, i, i->reg, wide ? 8 : 4, crc);
}
