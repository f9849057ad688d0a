/* The cycle cost of each instruction class. The figures are latencies of
 * typical forms on an AMD Zen 3 core (AMD's Software Optimization Guide
 * for family 19h and Agner Fog's instruction tables): a simple in-order
 * model, one instruction at a time, no overlap. A memory operand adds the
 * L1D load-to-use latency (MEM_OPERAND_CYCLES = 4). REP string forms add
 * C_STRING per iteration in their handlers. */
#include "../decode/optable.h"

const uint8_t cpu_cost_cycles[C_COUNT] = {
    [C_NOP] = 1,         [C_MOV] = 1,     [C_ALU] = 1,     [C_LEA] = 1,
    [C_BRANCH] = 1,      [C_CALL] = 2,    [C_MUL] = 3,     [C_DIV] = 14,
    [C_SHIFT] = 1,       [C_BIT] = 1,     [C_STRING] = 1,  [C_SYSCALL] = 100,
    [C_CPUID] = 120,     [C_SSE_MOV] = 1, [C_SSE_INT] = 1, [C_SSE_FP] = 3,
    [C_SSE_DIV] = 13,    [C_SSE_CVT] = 4, [C_X87] = 5,     [C_X87_DIV] = 15,
    [C_X87_TRANS] = 100, [C_LOCK] = 8,    [C_FENCE] = 30,
};
