/* The architectural state of one x86-64 hardware thread, the decoded
 * instruction form, and the trap record the CPU hands to the kernel.
 * The CPU knows nothing about Linux: it fetches, decodes, executes and
 * returns a trap (syscall, #PF, #UD, #DE, #GP, #XM, #MF, int3). */
#ifndef EMU_CPU_H
#define EMU_CPU_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>

struct mmu;
struct cpu;
struct insn;
struct block_cache;

enum gpr {
  RAX,
  RCX,
  RDX,
  RBX,
  RSP,
  RBP,
  RSI,
  RDI,
  R8,
  R9,
  R10,
  R11,
  R12,
  R13,
  R14,
  R15,
};

/* RFLAGS bits (Intel SDM vol. 1, 3.4.3). */
#define FLAG_CF (1u << 0)
#define FLAG_PF (1u << 2)
#define FLAG_AF (1u << 4)
#define FLAG_ZF (1u << 6)
#define FLAG_SF (1u << 7)
#define FLAG_TF (1u << 8)
#define FLAG_IF (1u << 9)
#define FLAG_DF (1u << 10)
#define FLAG_OF (1u << 11)
#define FLAG_AC (1u << 18)
#define FLAG_ID (1u << 21)
#define FLAGS_ARITH (FLAG_CF | FLAG_PF | FLAG_AF | FLAG_ZF | FLAG_SF | FLAG_OF)
/* Bits user code may change with popf (IOPL/IF/VM etc. are ignored). */
#define FLAGS_USER_WRITABLE                                                    \
  (FLAGS_ARITH | FLAG_TF | FLAG_DF | FLAG_AC | FLAG_ID)
#define FLAGS_FIXED (1u << 1) /* bit 1 always reads as 1 */

/* The selectors of Linux's 64-bit user code and stack segments
 * (__USER_CS, __USER_DS in arch/x86/include/asm/segment.h). */
#define CPU_USER_CS 0x33
#define CPU_USER_SS 0x2b
/* (node << 12) | CPU number, which Linux stores in IA32_TSC_AUX and in
 * the CPUNODE segment's limit (setup_getcpu in arch/x86/kernel/cpu/
 * common.c): rdtscp's ECX, rdpid, lsl of 0x7b. One CPU, 0, on node 0. */
#define CPU_TSC_AUX 0

/* Traps: why cpu_run returned to the kernel. */
enum trap_kind {
  TRAP_NONE,
  TRAP_SYSCALL, /* `syscall` executed; rip already past it */
  TRAP_DE,      /* #DE divide error */
  TRAP_BP,      /* int3 (CC or CD 03); rip past it, like hardware */
  TRAP_DB,      /* int1 (F1, icebp): a #DB trap; rip past it */
  TRAP_OF,      /* int 4 through its user gate: an #OF trap; rip past it */
  TRAP_INT80,   /* int 0x80 through its user gate (the kernel's IA32
                   system-call entry); rip past it */
  TRAP_UD,      /* #UD invalid or unimplemented opcode */
  TRAP_GP,      /* #GP (misaligned SSE operand, non-canonical address,
                   a privileged instruction at CPL 3, int n through a
                   kernel-only gate) */
  TRAP_SS,      /* #SS: a non-canonical address through SS (the stack) */
  TRAP_PF,      /* #PF, addr = CR2, error = page-fault error code */
  TRAP_MF,      /* x87 floating-point error */
  TRAP_XM,      /* SIMD floating-point exception */
  TRAP_BUDGET,  /* instruction budget used up (not an exception) */
  TRAP_COMPAT,  /* a far transfer to a 32-bit code segment (CS 0x23) would
                   enter compatibility mode, which emu does not model;
                   rip = the transfer, addr = the target offset */
};

/* The instructions CR4.UMIP makes #GP at CPL 3 (SDM vol. 3, 2.5). */
enum cpu_umip_insn {
  UMIP_NONE,
  UMIP_SGDT,
  UMIP_SIDT,
  UMIP_SLDT,
  UMIP_SMSW,
  UMIP_STR
};

/* Which UMIP instruction raised a #GP, and its destination operand: what
 * Linux recovers by decoding the instruction (arch/x86/kernel/umip.c),
 * handed over so that the kernel need not decode. */
struct trap_umip {
  uint8_t insn;   /* enum cpu_umip_insn; UMIP_NONE for any other #GP */
  bool memory;    /* the operand is memory at addr, else register reg */
  uint8_t reg;    /* GPR number of a register operand */
  uint8_t opsize; /* operand size of a register operand: 2, 4 or 8 */
  uint8_t len;    /* instruction length */
  uint64_t addr;  /* linear address of a memory operand */
};

struct trap {
  enum trap_kind kind;
  uint64_t rip;   /* address of the faulting instruction */
  uint64_t addr;  /* CR2 for #PF */
  uint32_t error; /* #PF error code, #GP error code */
  uint32_t code;  /* for #MF/#XM: the exception bits that fired */
  struct trap_umip umip;
};

/* Lazy flags: ALU operations record an operation kind, its width and its
 * operands; flags are computed only when read (cpu/flags.c). */
enum flags_op {
  FLAGS_EAGER, /* cpu->rflags holds every bit */
  FLAGS_ADD,   /* res = src1 + src2 (+ carry_in) */
  FLAGS_ADC,
  FLAGS_SUB, /* res = src1 - src2 (- borrow_in) */
  FLAGS_SBB,
  FLAGS_LOGIC, /* CF=OF=0, AF undefined (0 on this CPU) */
  FLAGS_INC,   /* CF preserved in the eager bits */
  FLAGS_DEC,
};

struct lazy_flags {
  uint64_t res, src1, src2;
  union {
    struct {
      uint8_t op;   /* enum flags_op */
      uint8_t size; /* operand size in bytes: 1, 2, 4, 8 */
      /* With a lazy op: CF, OF and AF values that replace the op's own
       * (LAZY_CF... below), so that an instruction writing only some
       * flags (rotates, imul, bt, shifts over a logic record) stays
       * lazy. Every lazy record starts with none. */
      uint8_t override;
      uint8_t spare;
    };
    /* The four bytes above as one (little-endian host): a new record
     * writes them with one store (cpu_flags_head). */
    uint32_t head;
  };
};

/* lazy_flags.override: a value bit and a "set" bit per flag. */
enum {
  LAZY_CF = 1 << 0,
  LAZY_OF = 1 << 1,
  LAZY_AF = 1 << 2,
  LAZY_HAS_CF = 1 << 4,
  LAZY_HAS_OF = 1 << 5,
  LAZY_HAS_AF = 1 << 6,
};

/* 80-bit x87 register image as stored by fsave/fxsave. */
struct x87_reg {
  uint64_t mantissa;
  uint16_t sign_exponent;
};

struct x87 {
  struct x87_reg st[8]; /* physical registers R0..R7 */
  uint16_t control;     /* FCW, 0x037f at reset */
  uint16_t status;      /* FSW without TOP */
  uint8_t top;
  uint16_t tag; /* full tag word, 2 bits per register */
  uint16_t last_opcode;
  uint64_t last_ip, last_dp;
  uint16_t last_cs, last_ds; /* FCS/FDS as fnsave stores them (x87) */
};

union xmm {
  uint8_t u8[16];
  uint16_t u16[8];
  uint32_t u32[4];
  uint64_t u64[2];
  int8_t i8[16];
  int16_t i16[8];
  int32_t i32[4];
  int64_t i64[2];
  float f32[4];
  double f64[2];
};

struct cpu {
  uint64_t gpr[16];
  uint64_t rip;
  uint64_t rflags; /* authoritative when flags.op == FLAGS_EAGER;
                      DF/TF/AC/ID always live here */
  struct lazy_flags flags;
  uint64_t fs_base, gs_base;
  /* Data-segment selectors (mov/push/pop Sreg, cpu/segment.c); 0 after
   * cpu_init, as Linux's start_thread leaves them. CS and SS cannot
   * change in 64-bit user mode: CPU_USER_CS, CPU_USER_SS. */
  uint16_t es_sel, ds_sel, fs_sel, gs_sel;
  /* The access in progress goes through SS (implicit stack accesses, and
   * memory operands based on RSP or RBP): a non-canonical address is
   * then #SS, not #GP (SDM vol. 3, 6.15 "Interrupt 12"). Set by cpu_ea
   * and the stack accessors, cleared before each generic handler. */
  uint8_t ss_access;
  union xmm xmm[16];
  uint32_t mxcsr;
  bool host_mxcsr_live; /* host MXCSR holds the guest's modes (sse_fp_env.c) */
  struct x87 fpu;

  uint64_t cycles;    /* running cycle counter (rdtsc reads it) */
  uint64_t rng_state; /* rdrand/rdseed generator, seeded by the kernel */
  uint64_t instret;   /* retired instructions */
  /* The block loop (cpu/block.c) stops between blocks once instret
   * reaches this. Whatever must stop it sooner without unwinding (a
   * trap set by syscall or int3, self-modifying code) zeroes it. */
  uint64_t run_until;
  /* Set with run_until zeroed by a host signal handler (the kernel's
   * asynchronous signals): cpu_run returns at the next block boundary
   * even when its budget is not spent. The kernel clears it. */
  volatile int interrupt;

  struct mmu *mmu;
  struct block_cache *blocks; /* decoded-block cache; NULL: decode each time */
  /* Which pages hold decoded code on any CPU of the process (shared by
   * its threads, cpu/exec/code_space.h), and what to call when this CPU
   * stores into a page another CPU holds code from (its kernel then
   * makes that CPU drop the page's blocks). */
  struct code_space *code_space;
  void (*remote_code_write)(void *ctx, uint64_t page);
  void *remote_ctx;
  bool blocks_inherited; /* the cache came with a fork (cpu_forked) */
  /* Inherited caches an execve replaced (cpu_forget_code), kept until
   * cpu_destroy. */
  struct block_cache **replaced_blocks;
  unsigned replaced_count;
  jmp_buf *fault_jmp; /* where a faulting access unwinds to */
  uint64_t insn_rip;  /* start of the executing instruction */
  struct trap trap;
  bool trace; /* --trace: run the separate traced loop */
  void (*trace_hook)(struct cpu *, const struct insn *, uint64_t start_cycle,
                     void *);
  void *trace_ctx;
};

/* Segment override recorded by the decoder; only FS and GS have bases in
 * long mode (SDM vol. 1, 3.4.2.1), the others are accepted and ignored. */
enum seg { SEG_NONE, SEG_FS, SEG_GS };

enum rep_prefix { REP_NONE, REP_F3, REP_F2 };

#define REG_NONE 0xff
#define BASE_RIP 0xfe /* base of a RIP-relative operand */

/* One decoded instruction. The decoder fills it from the bytes; handlers
 * read it and never look at instruction bytes again. */
struct insn {
  void (*handler)(struct cpu *, const struct insn *);
  uint16_t op;      /* index into the opcode table (cpu/opcodes.def) */
  uint8_t len;      /* 1..15 */
  uint8_t opsize;   /* operand size in bytes: 1, 2, 4, 8 (16 for SSE) */
  uint8_t addrsize; /* 4 or 8 */
  uint8_t seg;      /* enum seg */
  uint8_t rep;      /* enum rep_prefix (last of F2/F3 seen) */
  uint8_t lock;
  uint8_t opsize_prefix; /* 66 seen (also for SSE mandatory-prefix forms) */
  uint8_t rex;           /* full REX byte, 0 if absent */
  uint8_t mod;           /* ModRM.mod; 3 means a register operand */
  uint8_t reg;           /* ModRM.reg + REX.R, or opcode low bits + REX.B */
  uint8_t rm;            /* ModRM.rm + REX.B when mod == 3 */
  uint8_t base;          /* REG_NONE, BASE_RIP or a GPR (with REX.B) */
  uint8_t index;         /* REG_NONE or a GPR (with REX.X) */
  uint8_t scale;         /* 0..3 (shift) */
  uint8_t arg;           /* the table's per-form argument (ALU op, cc, ...) */
  uint8_t vex;           /* 0, or 2/3 for a C5/C4 VEX prefix */
  uint8_t vvvv;          /* VEX.vvvv (un-inverted) register operand */
  uint8_t vex_l;         /* VEX.L */
  uint8_t vex_w;         /* VEX.W */
  uint8_t cycles;        /* cost of this form from the cycle table */
  uint8_t imm2;          /* second immediate (enter's imm8, extrq's...) */
  int32_t disp;
  uint64_t imm; /* first immediate, sign- or zero-extended per form */
  uint64_t rip; /* where the instruction starts (set by whoever runs it) */
  /* What `handler` runs when that is chain_generic: the table's handler
   * or one that does not chain (see cpu/chain.h). */
  void (*exec)(struct cpu *, const struct insn *);
};

typedef void (*cpu_handler)(struct cpu *, const struct insn *);

/* --- cpu/cpu.c --- */
void cpu_init(struct cpu *c, struct mmu *mmu);
void cpu_destroy(struct cpu *c);
/* Turn the decoded-block cache on (the default after cpu_init) or off. */
void cpu_set_block_cache(struct cpu *c, bool on);
/* Forget every decoded block at once (execve replaces all the code):
 * cheaper than invalidating the old image page by page, which walks the
 * blocks of each page and, in a forked emu, makes the host copy them. */
void cpu_forget_code(struct cpu *c);
/* In a forked emu: the block cache is the parent's memory until written. */
void cpu_forked(struct cpu *c);
/* Drop the decoded blocks of a page that changed (written, remapped). */
void cpu_invalidate_code(struct cpu *c, uint64_t page);
/* A thread's CPU: the same count of code pages as `with`'s. */
void cpu_share_code_space(struct cpu *c, const struct cpu *with);
/* Whether this CPU holds decoded code from the page: another CPU's
 * kernel work asks before invalidating (safe while this CPU runs). */
bool cpu_holds_code(struct cpu *c, uint64_t page);
/* Run until a trap. Returns the trap kind; details in c->trap. */
enum trap_kind cpu_run(struct cpu *c, uint64_t max_insns);
/* Fetch and decode the instruction at c->rip (raises #PF/#UD). */
void cpu_fetch_decode(struct cpu *c, struct insn *in);

/* --- cpu/decode.c --- */
/* Decode one instruction from `bytes` (at most `avail` valid bytes).
 * Returns 0 and fills *out, or -1 for #UD (invalid/unimplemented) or -2
 * when more bytes than `avail` would be needed. */
int cpu_decode(const uint8_t *bytes, int avail, struct insn *out);
void cpu_decode_init(void);
const char *cpu_op_name(uint16_t op);

/* --- cpu/flags.c --- */
uint64_t cpu_get_flags(struct cpu *c);             /* materialize full RFLAGS */
void cpu_set_flags(struct cpu *c, uint64_t value); /* eager; keeps fixed bits */
bool cpu_cond(struct cpu *c, unsigned cc); /* Jcc/SETcc/CMOVcc cc 0..15 */
/* A new lazy record's op and size, without overrides. */
static inline void cpu_flags_head(struct cpu *c, enum flags_op op, int size) {
  c->flags.head = (uint32_t)(uint8_t)op | (uint32_t)(uint8_t)size << 8;
}
static inline void cpu_flags_lazy(struct cpu *c, enum flags_op op, int size,
                                  uint64_t src1, uint64_t src2, uint64_t res) {
  cpu_flags_head(c, op, size);
  c->flags.src1 = src1;
  c->flags.src2 = src2;
  c->flags.res = res;
}
/* Set the arithmetic flags eagerly from `value` for the bits in `mask`. */
void cpu_flags_merge(struct cpu *c, uint64_t value, uint64_t mask);
bool cpu_parity(uint8_t b);

/* --- cpu/operand.c: register and memory operands of a decoded insn --- */
/* Whether the memory operand goes through SS: based on RSP or RBP, with
 * no FS/GS override (SDM vol. 1, 3.7.4.1). */
static inline uint8_t cpu_insn_uses_ss(const struct insn *i) {
  return (i->base == RSP || i->base == RBP) && i->seg == SEG_NONE;
}
uint64_t cpu_ea(struct cpu *c,
                const struct insn *i); /* effective address incl. FS/GS base */
uint64_t cpu_reg_get(struct cpu *c, const struct insn *i, unsigned reg,
                     int size);
void cpu_reg_set(struct cpu *c, const struct insn *i, unsigned reg, int size,
                 uint64_t v);
/* The ModRM r/m operand (register when mod == 3, else memory). */
uint64_t cpu_rm_get(struct cpu *c, const struct insn *i, int size);
void cpu_rm_set(struct cpu *c, const struct insn *i, int size, uint64_t v);
/* Read-modify-write helpers keep the address from the read for the write. */

/* --- cpu/mem.c: guest virtual memory through the MMU. A faulting access
 * fills c->trap and longjmps to c->fault_jmp; the instruction is then
 * restarted after the kernel resolves the fault. Handlers must therefore
 * do every memory write before changing registers or flags. --- */
uint64_t cpu_load(struct cpu *c, uint64_t addr, int size);
void cpu_store(struct cpu *c, uint64_t addr, int size, uint64_t v);
void cpu_load_bytes(struct cpu *c, uint64_t addr, void *dst, int n);
void cpu_store_bytes(struct cpu *c, uint64_t addr, const void *src, int n);
/* Check that [addr, addr+n) is writable (faulting now if not) so that a
 * multi-part store cannot be left half done. */
void cpu_probe_write(struct cpu *c, uint64_t addr, int n);
_Noreturn void cpu_raise(struct cpu *c, enum trap_kind kind, uint32_t error);
/* The fault of a non-canonical data address: #SS through SS
 * (c->ss_access), else #GP. */
_Noreturn void cpu_raise_noncanonical(struct cpu *c);
/* Bits 63..47 all equal (SDM vol. 1, 3.3.7.1). */
static inline bool cpu_canonical(uint64_t a) {
  return (uint64_t)((int64_t)(a << 16) >> 16) == a;
}
void cpu_push(struct cpu *c, int size, uint64_t v);
/* Implicit stack accesses at `addr` (pop, ret, enter, leave, far
 * returns): as cpu_load/cpu_store, through SS. */
uint64_t cpu_stack_load(struct cpu *c, uint64_t addr, int size);
void cpu_stack_store(struct cpu *c, uint64_t addr, int size, uint64_t v);
void cpu_stack_probe_write(struct cpu *c, uint64_t addr, int n);
uint64_t cpu_pop(struct cpu *c, int size); /* reads and adjusts rsp */

/* --- cpu/fxsave.c: the FXSAVE image of the x87, MXCSR and XMM state
 * (SDM vol. 1, table 10-2) as this CPU writes it; rex_w picks the 64-bit
 * layout of FIP/FDP. The image is written up to byte 415, the rest is
 * left as it was. cpu_fxrstor_image returns -1 (and changes nothing) for
 * an MXCSR with a reserved bit, which is #GP(0) for fxrstor. --- */
#define CPU_FXSAVE_SIZE 512
#define CPU_FXSAVE_WRITTEN 416
void cpu_fxsave_image(const struct cpu *c, uint8_t img[CPU_FXSAVE_SIZE],
                      bool rex_w);
int cpu_fxrstor_image(struct cpu *c, const uint8_t img[CPU_FXSAVE_SIZE],
                      bool rex_w);

/* --- cpu/segment.c --- */
/* What the kernel's IRET back to user mode does to the data-segment
 * registers: a null selector with a non-zero RPL (1..3) reads as 0
 * afterwards; bases are kept (SDM vol. 2, IRET; measured: Linux returns
 * from exceptions, signal delivery and rt_sigreturn by IRET). */
void cpu_segments_after_iret(struct cpu *c);

/* --- cpu/cpuid.c --- */
void cpu_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t out[4]);
/* True when the opcode table implements every form of feature f. */
bool cpu_has_feature(int feature);

#endif
