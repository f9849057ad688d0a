/* The x87 FPU shared by cpu/x87_*.c: status-word bits, the register
 * stack over struct x87 (cpu.h), and the host-FPU bridge that computes
 * every rounded result bit-exactly on the host's own x87 (x87_host.c).
 * SDM vol. 1, chapter 8. */
#ifndef EMU_X87_H
#define EMU_X87_H

#include <stdbool.h>
#include <stdint.h>

#include "../cpu.h"

/* Status word (SDM vol. 1, 8.1.3). */
#define FSW_IE 0x0001
#define FSW_DE 0x0002
#define FSW_ZE 0x0004
#define FSW_OE 0x0008
#define FSW_UE 0x0010
#define FSW_PE 0x0020
#define FSW_SF 0x0040
#define FSW_ES 0x0080
#define FSW_C0 0x0100
#define FSW_C1 0x0200
#define FSW_C2 0x0400
#define FSW_TOP 0x3800
#define FSW_C3 0x4000
#define FSW_B 0x8000
#define FSW_EXCEPTIONS 0x003f
#define FSW_CC (FSW_C0 | FSW_C1 | FSW_C2 | FSW_C3)

/* Control word (SDM vol. 1, 8.1.5). */
#define FCW_MASKS 0x003f
#define FCW_RESET 0x037f
/* What a loaded control word keeps on this CPU: bits 6 reads as one,
 * bits 7, 13..15 as zero; bit 12 (the 287's infinity control) is kept. */
#define FCW_STORED 0x1f3f
#define FCW_ONES 0x0040

/* The code selector fnsave reports as FCS: Linux's __USER_CS. */
#define X87_USER_CS 0x33
/* The stack selector FDS reports for rSP/rBP-based operands: Linux's
 * __USER_DS, which user SS holds. */
#define X87_USER_SS 0x2b

/* Tag values, two bits per physical register (SDM vol. 1, 8.1.7). */
enum x87_tag { TAG_VALID, TAG_ZERO, TAG_SPECIAL, TAG_EMPTY };

/* The indefinite QNaN an invalid operation returns when IE is masked. */
#define X87_INDEFINITE_MANT 0xc000000000000000ull
#define X87_INDEFINITE_SE 0xffff

/* --- x87_stack.c: the register stack and the status word --- */
void x87_reset(struct x87 *x); /* FNINIT state */
enum x87_tag x87_classify(const struct x87_reg *r);
static inline int x87_phys(const struct x87 *x, int st) {
  return (x->top + st) & 7;
}
static inline bool x87_is_empty(const struct x87 *x, int st) {
  return ((x->tag >> (2 * x87_phys(x, st))) & 3) == TAG_EMPTY;
}
static inline struct x87_reg x87_get(const struct x87 *x, int st) {
  return x->st[x87_phys(x, st)];
}
void x87_set(struct x87 *x, int st, struct x87_reg v); /* value + tag */
void x87_free(struct x87 *x, int st);                  /* tag empty */
void x87_push(struct x87 *x, struct x87_reg v);
void x87_pop(struct x87 *x);
struct x87_reg x87_indefinite(void);
/* Full FSW with TOP, as fnstsw reports it. */
uint16_t x87_status_word(const struct x87 *x);
void x87_set_status_word(struct x87 *x, uint16_t sw);
/* Tag word rebuilt from the register contents (fnstenv, fnsave). */
uint16_t x87_tag_word(const struct x87 *x);
/* Load a tag word: only "empty" is taken, the rest follows the
 * contents (SDM vol. 1, 8.1.7). */
void x87_load_tag_word(struct x87 *x, uint16_t tw);

/* Every waiting x87 instruction starts here: a pending unmasked
 * exception (ES) is delivered now as #MF (SDM vol. 1, 8.6). */
void x87_wait(struct cpu *c);
/* A non-control instruction records FOP, FIP and (with a memory operand,
 * at `ea`) FDP for the exception handler (SDM vol. 1, 8.1.8). */
void x87_note(struct cpu *c, const struct insn *i, bool mem, uint64_t ea);
/* Start of an arithmetic-class instruction: wait, then note. Returns the
 * effective address (0 for register forms). */
uint64_t x87_begin(struct cpu *c, const struct insn *i);
/* The same for a memory form: the operand is read into `buf`, or probed
 * for a store of `size` bytes, before FOP/FIP/FDP change, so that a
 * faulting access leaves the FPU as it was. */
uint64_t x87_begin_load(struct cpu *c, const struct insn *i, void *buf,
                        int size);
uint64_t x87_begin_store(struct cpu *c, const struct insn *i, int size);
/* Raise exception flags (sticky) and recompute ES/B. */
void x87_raise(struct x87 *x, uint16_t flags);
void x87_update_es(struct x87 *x);
void x87_set_control(struct x87 *x, uint16_t cw); /* then ES/B */
bool x87_masked(const struct x87 *x, uint16_t flags);
/* Stack underflow / overflow: IE|SF with C1 = 0 / 1 (SDM vol. 1,
 * 8.5.1.1). Returns true when IE is masked (the caller then writes the
 * indefinite result). */
bool x87_stack_underflow(struct x87 *x);
bool x87_stack_overflow(struct x87 *x);

/* --- x87_host.c: the host-FPU bridge --- */
/* One host execution: the host FPU gets the guest's control word and
 * condition codes, in[1] then in[0] are pushed (host ST0 = in[0], host
 * ST1 = in[1], physical R6 and R7), the instruction `opcode modrm` runs
 * with any memory operand at `mem` (ModRM mod=0 rm=1: [rcx]), and the
 * whole host state is captured with fnsave. */
struct x87_host {
  struct x87_reg in[2];
  uint8_t mem[16];
  uint16_t cw;
  uint16_t cc;   /* C0..C3 to start with */
  uint8_t flags; /* RFLAGS low byte in (sahf) and out (lahf): fcomi */
  uint8_t image[108];
  uint16_t sw; /* host FSW after the instruction */
  int depth;   /* host stack depth after (2 before) */
};
/* ModRM of the host form: ST(1) for register forms, [rcx] for memory. */
#define X87_HOST_REG(group) (0xc1 | (group) << 3)
#define X87_HOST_MEM(group) ((group) << 3 | 1)
void x87_host_exec(struct x87_host *h, uint8_t opcode, uint8_t modrm);
/* Host register ST(k) after the instruction. */
struct x87_reg x87_host_st(const struct x87_host *h, int k);
/* Host register that started as in[n] (follows pushes and pops). */
struct x87_reg x87_host_in(const struct x87_host *h, int n);
/* Fill in[] from guest ST(a), ST(b) and cw/cc from the guest. */
void x87_host_prepare(struct x87_host *h, const struct x87 *x, int a, int b);
/* Merge the host's new exception flags and condition codes into the
 * guest status word (codes the instruction leaves undefined are what the
 * host left, since it started from the guest's). */
void x87_host_merge(struct x87 *x, const struct x87_host *h);
/* The host popped (depth fell) or kept its stack (an unmasked
 * pre-computation exception aborts the instruction). */
static inline int x87_host_pops(const struct x87_host *h) {
  return 2 - h->depth;
}

#endif
