/* The differential harness: random instruction sequences run natively on
 * the host CPU (in a forked sandbox child) and in emu's CPU from the same
 * registers, flags, SSE/x87 state and scratch memory, then compared.
 * See tests/diff/README.md. */
#ifndef EMU_DIFF_H
#define EMU_DIFF_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Both runs see the same guest layout: the snippet on one code page and a
 * scratch data area whose last pages serve as the stack. Nothing else is
 * mapped in the low 4 GiB of the (PIE) harness, so a stray access faults
 * on both sides alike. */
#define DIFF_CODE_ADDR 0x10000000ull
#define DIFF_CODE_SIZE 0x1000ull
#define DIFF_DATA_ADDR 0x20000000ull
#define DIFF_DATA_SIZE 0x4000ull

#define DIFF_MAX_INSNS 8
#define DIFF_MAX_CODE 160 /* 8 instructions of 15 bytes, the int3, slack */

/* Offsets in the 512-byte FXSAVE image (SDM vol. 1, table 10-2), the one
 * format both sides exchange floating-point state in. */
#define FX_FCW 0
#define FX_FSW 2
#define FX_FTW 4 /* abridged: one bit per physical register, 1 = valid */
#define FX_MXCSR 24
#define FX_ST 32   /* ST(i) at 32 + 16 * i, 10 bytes each (stack order) */
#define FX_XMM 160 /* XMMi at 160 + 16 * i */

/* Architectural state in, and out (registers at the end or at the fault). */
struct diff_state {
  uint8_t fx[512] __attribute__((aligned(16)));
  uint64_t gpr[16];
  uint64_t rip;
  uint64_t rflags;
};

/* How a run ended, in terms both sides can report. */
enum diff_end {
  END_OK,    /* reached the int3 after the last instruction */
  END_BP,    /* an int3 elsewhere (a stray jump into the padding) */
  END_DE,    /* #DE: SIGFPE / TRAP_DE */
  END_UD,    /* #UD: SIGILL / TRAP_UD */
  END_GP,    /* #GP: SIGSEGV (trapno 13) / TRAP_GP */
  END_SS,    /* #SS, a non-canonical stack address: SIGBUS / TRAP_SS */
  END_PF,    /* #PF: SIGSEGV / TRAP_PF */
  END_MF,    /* x87 #MF */
  END_XM,    /* SIMD #XM */
  END_OTHER, /* anything else (a crash of the child, a budget, TF...) */
  END_COUNT
};

struct diff_result {
  struct diff_state s;
  int end;          /* enum diff_end */
  uint64_t addr;    /* CR2 for #PF */
  uint32_t error;   /* #PF error code */
  int detail;       /* native: signal number; emu: trap kind */
  uint64_t retired; /* emu: instructions retired */
  uint8_t mem[DIFF_DATA_SIZE];
};

/* One instruction of a sequence, as the generator laid it out. */
struct diff_insn {
  uint16_t op;      /* index in cpu_ops */
  uint8_t off, len; /* in the code */
  bool always;      /* no generated branch can jump over it */
};

struct diff_case {
  char name[48]; /* regression name, or empty */
  uint64_t seed; /* gen_case seed (0 for a regression case) */
  uint8_t code[DIFF_MAX_CODE];
  int code_len; /* including the final int3 */
  struct diff_insn insns[DIFF_MAX_INSNS];
  int n;
  struct diff_state in;
  uint64_t mem_seed; /* the scratch memory is diff_fill_memory(mem_seed) */
};

/* --- rng.c --- */
uint64_t diff_rng(uint64_t *state);
uint64_t diff_mix(uint64_t seed, uint64_t n); /* seed of sequence n */
void diff_fill_memory(uint8_t *mem, uint64_t seed);
uint64_t diff_edge_value(uint64_t *rng);

/* --- gen.c: sequences from the opcode table --- */
void gen_init(void);
/* Whether the host CPU is the model's vendor (AMD); on another, the name
 * of a form in k whose result differs between vendors by design. */
bool gen_host_is_amd(void);
const char *gen_vendor_specific(const struct diff_case *k);
/* Restrict generation to forms whose mnemonic is in the comma-separated
 * list (NULL: all). Returns the number of forms left. */
int gen_select(const char *mnemonics);
int gen_form_count(void);
bool gen_form_usable(int op);
/* Encode one random instance of form `op` at the start of buf (for the
 * decoder test); returns its length or 0 when the form cannot be made. */
int gen_encode_one(int op, uint64_t *rng, uint8_t *buf);
void gen_case(struct diff_case *k, uint64_t seed);

/* --- native.c: the sandboxed child --- */
int native_start(void);
/* Run k[0..n) natively; results into r[0..n). Returns 0, or -1 when the
 * child could not be (re)started. */
int native_run(const struct diff_case *k, struct diff_result *r, int n);
void native_stop(void);

/* --- emu_run.c --- */
void emu_side_init(bool block_cache);
void emu_side_run(const struct diff_case *k, struct diff_result *r);

/* --- compare.c --- */
struct diff_stats {
  uint64_t sequences, insns, mismatches, faults[END_COUNT];
  uint64_t masked_flags_cases;
  uint32_t *form_runs;    /* per form: sequences it appeared in */
  uint32_t *form_fails;   /* per form: mismatching sequences it was in */
  uint16_t *form_masked;  /* per form: flag bits masked because of it */
  uint32_t *form_faults;  /* per form: native runs that faulted on it */
  uint32_t *form_culprit; /* per form: mismatches reduced to it */
};
/* Compare and, on a mismatch, print the full report. Returns true if the
 * two runs agree. */
/* The name of an END_* value ("ok", "#UD", ...). */
const char *diff_end_name(int end);
bool diff_compare(const struct diff_case *k, const struct diff_result *nat,
                  const struct diff_result *emu, struct diff_stats *st,
                  bool verbose);
void diff_print_case(const struct diff_case *k);
/* The undefined-flags mask of the instructions retired before `end_rip`. */
uint64_t diff_undefined_flags(const struct diff_case *k, uint64_t end_rip);

/* --- regress.c --- */
int regress_load(const char *path, struct diff_case **cases);
void regress_write(FILE *f, const struct diff_case *k, const char *name);

#endif
