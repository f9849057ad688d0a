/* Prototypes of every instruction handler named in the opcode table. */
#ifndef EMU_HANDLERS_H
#define EMU_HANDLERS_H

#include "decode/optable.h"

#define OP(NAME, MN, MAP, OPC, PFX, GRP, MODRM, DEC, HANDLER, ...)             \
  void HANDLER(struct cpu *c, const struct insn *i);
#include "decode/opcodes.def"
#undef OP

#endif
