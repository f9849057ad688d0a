/* The opcode table: one line per instruction form, in cpu/opcodes.def and
 * the files it includes. The same lines generate the decoder's lookup, the
 * handler dispatch, the CPUID bits advertised, the flag masks the
 * differential tests use, and the cycle table. */
#ifndef EMU_OPTABLE_H
#define EMU_OPTABLE_H

#include <stdint.h>

#include "../cpu.h"

/* Opcode maps. */
enum { MAP_1 = 0, MAP_0F = 1, MAP_0F38 = 2, MAP_0F3A = 3, MAP_COUNT = 4 };

/* Mandatory prefix of a form. PX: any prefixes (66 is then the operand
 * size prefix). For the others the decoder computes one mandatory prefix
 * per instruction (the last of F2/F3, else 66, else none) and requires an
 * exact match (SDM vol. 2, 2.1.2). */
enum { PX, PN, P66, PF3, PF2 };

/* ModRM.reg selection: NG when ModRM.reg is an operand, 0..7 for /digit. */
#define NG (-1)

/* ModRM form restriction: any, memory only, register only, or
 * register-only with a fixed rm (0F 01 D0 = xgetbv is G(2) + RM(0)). */
#define M_ANY (-1)
#define M_MEM (-2)
#define M_REG (-3)
#define RM(n) (n)

/* Decode attributes (what the decoder must read; what sizes apply). */
enum {
  D_MODRM = 1u << 0,    /* a ModRM byte (and SIB/displacement) follows */
  D_BYTE = 1u << 1,     /* operand size is 8 bits */
  D_IMM8 = 1u << 2,     /* imm8, zero-extended */
  D_SIMM8 = 1u << 3,    /* imm8, sign-extended to 64 bits */
  D_IMM16 = 1u << 4,    /* imm16, zero-extended */
  D_IMMZ = 1u << 5,     /* imm16 or imm32 by operand size, sign-extended */
  D_IMMV = 1u << 6,     /* imm16/32/64 by operand size (mov r, imm64) */
  D_REL8 = 1u << 7,     /* rel8 into imm, sign-extended */
  D_REL32 = 1u << 8,    /* rel32 into imm, sign-extended */
  D_OPREG = 1u << 9,    /* register in the opcode's low 3 bits (+REX.B) */
  D_D64 = 1u << 10,     /* default operand size 64 (push, pop) */
  D_F64 = 1u << 11,     /* near branches: 64, or 16 with 66 (AMD) */
  D_MOFFS = 1u << 12,   /* address-sized absolute offset (A0..A3) */
  D_LOCK = 1u << 13,    /* LOCK allowed (with a memory destination) */
  D_IMM16_8 = 1u << 14, /* imm16 then imm8 (enter) */
  D_VEX = 1u << 15,     /* requires a VEX prefix */
  D_SSE = 1u << 16,     /* 128-bit operand, opsize = 16 */
  D_NOREXW = 1u << 17,  /* REX.W ignored for operand size */
  D_W32 = 1u << 18,     /* operand size 32 or 64 only (66 ignored) */
  D_NOVVVV = 1u << 19,  /* VEX form without a vvvv operand: vvvv must be
                           1111b, else #UD (SDM vol. 2, 2.3.6) */
  D_MODREG = 1u << 20,  /* ModRM names registers whatever its mod field
                           (mov to/from CR/DR: SDM vol. 2, MOV—Move
                           to/from Control Registers) */
  D_LOCKREG = 1u << 21, /* LOCK allowed on the register form: AMD's
                           alternative encoding of CR8 (APM vol. 3, MOV
                           CRn) */
};

/* CPUID features an instruction form needs. F_BASE forms are part of
 * every x86-64 CPU and set no bit. */
enum cpu_feature {
  F_BASE,
  F_X87,
  F_CMOV,
  F_CX8,
  F_FXSR,
  F_SSE,
  F_SSE2,
  F_SSE3,
  F_SSSE3,
  F_SSE41,
  F_SSE42,
  F_POPCNT,
  F_LZCNT,
  F_BMI1,
  F_BMI2,
  F_MOVBE,
  F_ADX,
  F_RDRAND,
  F_RDSEED,
  F_PCLMUL,
  F_AES,
  F_CX16,
  F_LAHF,
  F_RDTSCP,
  F_MMX,
  F_UMIP, /* sgdt/sidt/sldt/smsw/str #GP at CPL 3 (CR4.UMIP) */
  F_CLFSH,
  F_CLFLUSHOPT,
  F_CLWB,
  F_PREFETCHW, /* 0F 0D prefetch/prefetchw (AMD: 3DNowPrefetch) */
  F_CLZERO,
  F_RDPID,
  F_SHA,
  F_FSGSBASE,
  F_COUNT
};

/* Cycle classes. Figures in cpu/cycles.c, with their sources. */
enum cost_class {
  C_NOP,
  C_MOV,
  C_ALU,
  C_LEA,
  C_BRANCH,
  C_CALL,
  C_MUL,
  C_DIV,
  C_SHIFT,
  C_BIT,
  C_STRING,
  C_SYSCALL,
  C_CPUID,
  C_SSE_MOV,
  C_SSE_INT,
  C_SSE_FP,
  C_SSE_DIV,
  C_SSE_CVT,
  C_X87,
  C_X87_DIV,
  C_X87_TRANS,
  C_LOCK,
  C_FENCE,
  C_COUNT
};

struct op_desc {
  const char *name; /* mnemonic (for --stats and tests) */
  uint8_t map, opcode;
  int8_t prefix, group, modrm;
  uint32_t decode; /* D_* */
  cpu_handler handler;
  uint8_t arg;
  uint8_t feature; /* enum cpu_feature */
  uint16_t flags_read, flags_written, flags_undefined;
  uint8_t cost; /* enum cost_class */
};

enum op_index {
#define OP(NAME, ...) OP_##NAME,
#include "opcodes.def"
#undef OP
  OP_COUNT
};

extern const struct op_desc cpu_ops[OP_COUNT];
extern const uint8_t cpu_cost_cycles[C_COUNT];
#define MEM_OPERAND_CYCLES 4 /* L1D load-to-use latency, cpu/cycles.c */

/* Flag-mask shorthands for the table. */
#define F_NONE 0
#define F_OSZAPC FLAGS_ARITH
#define F_OSZPC (FLAG_OF | FLAG_SF | FLAG_ZF | FLAG_PF | FLAG_CF)
#define F_OSZAP (FLAG_OF | FLAG_SF | FLAG_ZF | FLAG_AF | FLAG_PF)
#define F_SZP (FLAG_SF | FLAG_ZF | FLAG_PF)
#define F_SZAP (FLAG_SF | FLAG_ZF | FLAG_AF | FLAG_PF)
#define F_OC (FLAG_OF | FLAG_CF)

#endif
