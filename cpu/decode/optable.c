/* The opcode table, expanded from cpu/opcodes.def. */
#include "../handlers.h"

const struct op_desc cpu_ops[OP_COUNT] = {
#define OP(NAME, MN, MAP, OPC, PFX, GRP, MODRM, DEC, HANDLER, ARG, FEAT, FR,   \
           FW, FU, COST)                                                       \
  {MN, MAP, OPC, PFX, GRP, MODRM, DEC, HANDLER, ARG, FEAT, FR, FW, FU, COST},
#include "opcodes.def"
#undef OP
};
