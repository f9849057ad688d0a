/* Decode-time specialisation of handlers (cpu/specialize.c): the table's
 * handler stays the generic entry and the reference; for the hot forms
 * the decoder installs a copy made for one size, operand form and
 * operation (cpu/fast_alu.c, cpu/fast_move.c). */
#ifndef EMU_SPECIALIZE_H
#define EMU_SPECIALIZE_H

#include <stdbool.h>

#include "../handlers.h"

/* Set the handlers of a decoded instruction (cpu/chain.h): a specialised
 * chaining one when there is one for its form, else chain_generic with
 * the table's handler as `exec`. */
void cpu_specialize(struct insn *in);
/* Once in->rip is known: back to the generic handler where a specialised
 * one would skip a check that depends on the address (a relative branch
 * to a non-canonical target). */
void cpu_specialize_at(struct insn *in);

/* For the flag-setting instruction just before a Jcc: a handler doing
 * both (the Jcc is insn[1] to it; it chains to insn[2]), or NULL. With
 * `side` the Jcc is in the middle of a block and its taken branch leaves
 * the block (cpu/exec/block.h); else it ends the block. */
cpu_handler cpu_specialize_fused(const struct insn *in, bool side);

/* For an instruction whose flags nothing will read (the block builder
 * knows: cpu/exec/block.c): a specialised handler that records none, or
 * NULL. */
cpu_handler cpu_specialize_noflags(const struct insn *in);

/* The per-family choosers: NULL when no specialised form applies, else
 * a chaining handler. `form` is an enum fast_form (cpu/fast.h). */
cpu_handler fast_alu_pick(const struct insn *i, cpu_handler generic, int form);
cpu_handler fast_alu_fused_pick(const struct insn *i, cpu_handler generic,
                                int form, bool side);
/* For a locked instruction whose plain form fast_alu_pick specialises:
 * the locked copy (cpu/fast_lock.c), or NULL. */
cpu_handler fast_lock_pick(const struct insn *i, cpu_handler generic, int form);
cpu_handler fast_move_pick(const struct insn *i, cpu_handler generic, int form);
cpu_handler fast_shift_pick(const struct insn *i, cpu_handler generic,
                            int form);
/* The copies that record no flags, for where they are dead. */
cpu_handler fast_alu_noflags_pick(const struct insn *i, cpu_handler generic,
                                  int form);
cpu_handler fast_shift_noflags_pick(const struct insn *i, cpu_handler generic,
                                    int form);

#endif
