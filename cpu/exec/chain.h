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

/* The tail of every chaining handler: `n` slots on. On an x86-64 host
 * the step is an opaque add to the slot pointer, after which GCC jumps
 * through memory at the new pointer (add, jmp *(reg): 2 instructions)
 * instead of loading the handler and the new pointer separately and
 * moving one into place (4). The same call either way. */
#if defined(__x86_64__) && defined(__GNUC__)
#define CHAIN_STEP(c, i, n)                                                    \
  do {                                                                         \
    const struct insn *next_ = (i);                                            \
    __asm__("add %1, %0"                                                       \
            : "+r"(next_)                                                      \
            : "i"((n) * sizeof(struct insn))                                   \
            : "cc");                                                           \
    next_->handler((c), next_);                                                \
  } while (0)
#else
#define CHAIN_STEP(c, i, n) ((i)[n].handler((c), (i) + (n)))
#endif
#define CHAIN_NEXT(c, i) CHAIN_STEP(c, i, 1)
/* The tail of a fused compare-and-branch (cpu/block.c): the Jcc's slot
 * is done too. */
#define CHAIN_FUSED(c, i) CHAIN_STEP(c, i, 2)

/* Runs i->exec (a handler that does not chain) with c->insn_rip set to
 * the instruction's address and c->rip to the next one's (as a branch
 * or syscall expects it), then the next slot. Inside a block RIP is set
 * only there, by the fast branches and by the exits (cpu/exec/exits.c). */
void chain_generic(struct cpu *c, const struct insn *i);
/* A fused compare-and-branch done by the generic handlers, one after
 * the other: the fallback of a fused handler whose memory operand needs
 * the slow path. */
void chain_fused_generic(struct cpu *c, const struct insn *i);
/* The same for a pair in the middle of a block whose Jcc, taken, leaves
 * it (a side exit, cpu/exec/block.h). */
void chain_fused_side_generic(struct cpu *c, const struct insn *i);
/* Ends a run. */
void chain_stop(struct cpu *c, const struct insn *i);

#endif
