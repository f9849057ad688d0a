/* CPUID: a coherent AMD family-19h model that advertises exactly the
 * features the opcode table implements, so that glibc's ifunc resolvers
 * choose code paths that really run here. Leaves per AMD's CPUID
 * Specification (pub. 25481) and SDM vol. 2, CPUID. */
#include <string.h>

#include "../decode/optable.h"

static uint32_t feature_present[(F_COUNT + 31) / 32];
static int features_ready;

static void scan_features(void) {
  if (features_ready)
    return;
  for (int k = 0; k < OP_COUNT; k++)
    feature_present[cpu_ops[k].feature / 32] |= 1u << (cpu_ops[k].feature % 32);
  features_ready = 1;
}

bool cpu_has_feature(int f) {
  scan_features();
  return f == F_BASE || (feature_present[f / 32] >> (f % 32)) & 1;
}

/* (feature, leaf, register index, bit): where each feature is announced. */
static const struct {
  uint8_t feature;
  uint32_t leaf;
  uint8_t reg, bit;
} feature_bits[] = {
    {F_X87, 1, 3, 0},
    {F_CX8, 1, 3, 8},
    {F_CMOV, 1, 3, 15},
    {F_MMX, 1, 3, 23},
    {F_FXSR, 1, 3, 24},
    {F_SSE, 1, 3, 25},
    {F_SSE2, 1, 3, 26},
    {F_SSE3, 1, 2, 0},
    {F_PCLMUL, 1, 2, 1},
    {F_SSSE3, 1, 2, 9},
    {F_CX16, 1, 2, 13},
    {F_SSE41, 1, 2, 19},
    {F_SSE42, 1, 2, 20},
    {F_MOVBE, 1, 2, 22},
    {F_POPCNT, 1, 2, 23},
    {F_AES, 1, 2, 25},
    {F_RDRAND, 1, 2, 30},
    {F_BMI1, 7, 1, 3},
    {F_BMI2, 7, 1, 8},
    {F_RDSEED, 7, 1, 18},
    {F_UMIP, 7, 2, 2},
    {F_ADX, 7, 1, 19},
    {F_LAHF, 0x80000001, 2, 0},
    {F_LZCNT, 0x80000001, 2, 5},
    {F_RDTSCP, 0x80000001, 3, 27},
    {F_CLFSH, 1, 3, 19},
    {F_FSGSBASE, 7, 1, 0},
    {F_CLFLUSHOPT, 7, 1, 23},
    {F_CLWB, 7, 1, 24},
    {F_SHA, 7, 1, 29},
    {F_RDPID, 7, 2, 22},
    {F_PREFETCHW, 0x80000001, 2, 8},
    {F_CLZERO, 0x80000008, 1, 0},
};

static void put_string(uint32_t out[4], const char *s, const int order[4]) {
  for (int k = 0; k < 4; k++)
    memcpy(&out[order[k]], s + 4 * k, 4);
}

void cpu_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t out[4]) {
  static const char brand[49] =
      "emu x86-64 (AMD family 19h model)              ";
  memset(out, 0, 4 * sizeof out[0]);
  scan_features();
  switch (leaf) {
  case 0:
    out[0] = 7;
    memcpy(&out[1], "Auth", 4); /* EBX EDX ECX = "AuthenticAMD" */
    memcpy(&out[3], "enti", 4);
    memcpy(&out[2], "cAMD", 4);
    return;
  case 1:
    out[0] = 0x00a20f10; /* family 19h (0Fh + 0Ah), model 21h, stepping 0 */
    out[1] = (8u << 8) | (1u << 16); /* CLFLUSH line 8*8 bytes, 1 logical CPU */
    /* TSC (bit 4) is always there: rdtsc is part of the base set here. */
    out[3] = 1u << 4;
    break;
  case 7:
    if (subleaf != 0)
      return;
    break;
  case 0x80000000:
    out[0] = 0x80000008;
    memcpy(&out[1], "Auth", 4);
    memcpy(&out[3], "enti", 4);
    memcpy(&out[2], "cAMD", 4);
    return;
  case 0x80000001:
    out[0] = 0x00a20f10;
    /* SYSCALL (11), NX (20), LM (29): long mode as this CPU runs it. */
    out[3] = (1u << 11) | (1u << 20) | (1u << 29);
    break;
  case 0x80000002:
  case 0x80000003:
  case 0x80000004: {
    static const int order[4] = {0, 1, 2, 3};
    put_string(out, brand + 16 * (leaf - 0x80000002), order);
    return;
  }
  case 0x80000005:
    /* L1: 32 KiB 8-way 64-byte lines, data (ECX) and instruction (EDX). */
    out[2] = out[3] = (32u << 24) | (8u << 16) | (1u << 8) | 64u;
    return;
  case 0x80000006:
    /* L2 512 KiB 8-way (ECX), L3 32 MiB 16-way (EDX, in 512 KiB units). */
    out[2] = (512u << 16) | (6u << 12) | (1u << 8) | 64u;
    out[3] = (64u << 18) | (8u << 12) | (1u << 8) | 64u;
    return;
  case 0x80000008:
    out[0] = 0x3030; /* 48 linear, 48 physical address bits */
    break;
  default: return;
  }
  for (unsigned k = 0; k < sizeof feature_bits / sizeof feature_bits[0]; k++)
    if (feature_bits[k].leaf == leaf &&
        cpu_has_feature(feature_bits[k].feature))
      out[feature_bits[k].reg] |= 1u << feature_bits[k].bit;
}
