/* Threaded execution. A run of decoded instructions (a block of cpu/
 * block.c, or the single instruction of the plain loop in cpu/cpu.c) is
 * an array of struct insn ended by a slot whose handler is chain_stop.
 * Every handler does its instruction and then calls the next slot's
 * handler as its last act, which the compiler turns into a jump: one
 * indirect jump per instruction instead of a loop's call, return,
 * bookkeeping and compare. The run returns when chain_stop is reached
 * (or unwinds through the fault longjmp). Handlers that do not chain (the
 * table's generic ones) sit behind chain_generic, which keeps c->insn_rip
 * for them. The specialised handlers set c->insn_rip themselves before
 * anything that can fault or read it. */
#ifndef EMU_CHAIN_H
#define EMU_CHAIN_H

#include "../cpu.h"

/* The tail of every chaining handler. */
#define CHAIN_NEXT(c, i) ((i)[1].handler((c), (i) + 1))
/* The tail of a fused compare-and-branch (cpu/block.c): the Jcc's slot
 * is done too. */
#define CHAIN_FUSED(c, i) ((i)[2].handler((c), (i) + 2))

/* Runs i->exec (a handler that does not chain) with c->insn_rip set to
 * the instruction's address, then the next slot. */
void chain_generic(struct cpu *c, const struct insn *i);
/* A fused compare-and-branch done by the generic handlers, one after
 * the other: the fallback of a fused handler whose memory operand needs
 * the slow path. */
void chain_fused_generic(struct cpu *c, const struct insn *i);
/* Ends a run. */
void chain_stop(struct cpu *c, const struct insn *i);

#endif
