/* One instruction disassembled by capstone, for --trace and crash
 * reports (syscalls/observe/disasm.c). */
#ifndef EMU_DISASM_H
#define EMU_DISASM_H

#include <stddef.h>
#include <stdint.h>

/* Disassemble the instruction at the start of `bytes` (n of them), which
 * sits at guest address `rip`, into "mnemonic operands". Returns its
 * length, or 0 when capstone rejects the bytes or cannot be loaded. */
int disasm_one(const uint8_t *bytes, size_t n, uint64_t rip, char *text,
               size_t size);

#endif
