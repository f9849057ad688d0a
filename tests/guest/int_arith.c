/* Integer arithmetic at every width, signed and unsigned 8/16/32/64 (and
 * 128 through libgcc): + - * / % & | ^ ~ neg, shifts, rotates,
 * comparisons, wraparound, overflow checks and bit scans. Inputs come
 * from volatile memory so the compiler cannot fold them away. Prints one
 * hash per (type, operation) so a wrong result names what broke.
 * Signed overflow is computed in the unsigned type and converted back
 * (gcc defines that conversion as modulo 2^N). */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

static volatile const int64_t seeds[] = {
    0,
    1,
    2,
    3,
    5,
    7,
    -1,
    -2,
    -7,
    0x7f,
    0x80,
    0xff,
    0x7fff,
    0x8000,
    0xffff,
    0x7fffffff,
    INT64_C(0x80000000),
    INT64_C(0xffffffff),
    INT64_MAX,
    INT64_MIN,
    INT64_C(0x123456789abcdef0),
    INT64_C(-0x0fedcba987654321),
    1000003,
    -999999937,
};
#define NSEEDS (sizeof seeds / sizeof seeds[0])

static uint64_t mix(uint64_t h, uint64_t v) {
  return (h ^ v) * UINT64_C(0x100000001b3) + (h >> 29);
}

#define BITS(T) ((int)(sizeof(T) * 8))

/* One function per type: U is the unsigned type of the same width. */
#define ARITH_TEST(T, U, NAME, SIGNED, TMIN)                                   \
  static void test_##NAME(void) {                                              \
    uint64_t h_add = 0, h_sub = 0, h_mul = 0, h_div = 0, h_mod = 0;            \
    uint64_t h_logic = 0, h_shl = 0, h_shr = 0, h_rot = 0, h_cmp = 0;          \
    uint64_t h_ovf = 0, h_neg = 0;                                             \
    for (unsigned i = 0; i < NSEEDS; i++) {                                    \
      T a = (T)seeds[i];                                                       \
      h_neg = mix(h_neg, (uint64_t)(T)(U)(-(U)a));                             \
      h_neg = mix(h_neg, (uint64_t)(T)(U) ~(U)a);                              \
      for (unsigned j = 0; j < NSEEDS; j++) {                                  \
        T b = (T)seeds[j];                                                     \
        h_add = mix(h_add, (uint64_t)(T)(U)((U)a + (U)b));                     \
        h_sub = mix(h_sub, (uint64_t)(T)(U)((U)a - (U)b));                     \
        h_mul = mix(h_mul, (uint64_t)(T)(U)((U)a * (U)b));                     \
        if (b != 0 && !(SIGNED && a == (T)(TMIN) && b == (T)-1)) {             \
          h_div = mix(h_div, (uint64_t)(T)(a / b));                            \
          h_mod = mix(h_mod, (uint64_t)(T)(a % b));                            \
        }                                                                      \
        h_logic = mix(h_logic, (uint64_t)(T)(a & b));                          \
        h_logic = mix(h_logic, (uint64_t)(T)(a | b));                          \
        h_logic = mix(h_logic, (uint64_t)(T)(a ^ b));                          \
        h_cmp = mix(h_cmp, (uint64_t)((a < b) | (a <= b) << 1 | (a > b) << 2 | \
                                      (a == b) << 3));                         \
        T r;                                                                   \
        h_ovf = mix(h_ovf, (uint64_t)__builtin_add_overflow(a, b, &r));        \
        h_ovf = mix(h_ovf, (uint64_t)r);                                       \
        h_ovf = mix(h_ovf, (uint64_t)__builtin_sub_overflow(a, b, &r));        \
        h_ovf = mix(h_ovf, (uint64_t)r);                                       \
        h_ovf = mix(h_ovf, (uint64_t)__builtin_mul_overflow(a, b, &r));        \
        h_ovf = mix(h_ovf, (uint64_t)r);                                       \
      }                                                                        \
      for (int s = 0; s < BITS(T); s++) {                                      \
        h_shl = mix(h_shl, (uint64_t)(T)(U)((U)a << s));                       \
        h_shr = mix(h_shr, (uint64_t)(T)(a >> s));                             \
        U ua = (U)a;                                                           \
        U rol = (U)(ua << s | ua >> ((BITS(T) - s) % BITS(T)));                \
        h_rot = mix(h_rot, (uint64_t)rol);                                     \
      }                                                                        \
    }                                                                          \
    printf("%-8s add %016" PRIx64 " sub %016" PRIx64 " mul %016" PRIx64 "\n",  \
           #NAME, h_add, h_sub, h_mul);                                        \
    printf("%-8s div %016" PRIx64 " mod %016" PRIx64 " neg %016" PRIx64 "\n",  \
           #NAME, h_div, h_mod, h_neg);                                        \
    printf("%-8s and/or/xor %016" PRIx64 " cmp %016" PRIx64 "\n", #NAME,       \
           h_logic, h_cmp);                                                    \
    printf("%-8s shl %016" PRIx64 " shr %016" PRIx64 " rot %016" PRIx64 "\n",  \
           #NAME, h_shl, h_shr, h_rot);                                        \
    printf("%-8s overflow %016" PRIx64 "\n", #NAME, h_ovf);                    \
  }

ARITH_TEST(int8_t, uint8_t, int8, 1, INT8_MIN)
ARITH_TEST(uint8_t, uint8_t, uint8, 0, 0)
ARITH_TEST(int16_t, uint16_t, int16, 1, INT16_MIN)
ARITH_TEST(uint16_t, uint16_t, uint16, 0, 0)
ARITH_TEST(int32_t, uint32_t, int32, 1, INT32_MIN)
ARITH_TEST(uint32_t, uint32_t, uint32, 0, 0)
ARITH_TEST(int64_t, uint64_t, int64, 1, INT64_MIN)
ARITH_TEST(uint64_t, uint64_t, uint64, 0, 0)

/* 128-bit: mul/imul with 128-bit results, and libgcc's __divti3 family. */
static void test_int128(void) {
  uint64_t h = 0;
  for (unsigned i = 0; i < NSEEDS; i++)
    for (unsigned j = 0; j < NSEEDS; j++) {
      __int128 a = (__int128)seeds[i] * (seeds[j] | 1);
      unsigned __int128 ua =
          (unsigned __int128)(uint64_t)seeds[i] * (uint64_t)seeds[j];
      int64_t b = seeds[(i + j) % NSEEDS];
      h = mix(h, (uint64_t)a);
      h = mix(h, (uint64_t)(a >> 64));
      h = mix(h, (uint64_t)(ua >> 64));
      if (b != 0) {
        h = mix(h, (uint64_t)(a / b));
        h = mix(h, (uint64_t)(a % b));
        h = mix(h, (uint64_t)(ua / (uint64_t)b));
      }
    }
  printf("int128   %016" PRIx64 "\n", h);
}

static void test_bits(void) {
  uint64_t h = 0;
  for (unsigned i = 0; i < NSEEDS; i++) {
    uint64_t v = (uint64_t)seeds[i];
    uint32_t w = (uint32_t)v;
    h = mix(h, (uint64_t)__builtin_popcountll(v));
    h = mix(h, (uint64_t)__builtin_parityll(v));
    h = mix(h, __builtin_bswap64(v));
    h = mix(h, __builtin_bswap32(w));
    h = mix(h, __builtin_bswap16((uint16_t)v));
    if (v) {
      h = mix(h, (uint64_t)__builtin_clzll(v));
      h = mix(h, (uint64_t)__builtin_ctzll(v));
    }
    if (w) {
      h = mix(h, (uint64_t)__builtin_clz(w));
      h = mix(h, (uint64_t)__builtin_ctz(w));
    }
    h = mix(h, (uint64_t)__builtin_ffsll((long long)v));
  }
  printf("bits     %016" PRIx64 "\n", h);
}

/* A few results in the clear, for a readable diff when a hash moves. */
static void samples(void) {
  volatile int8_t a8 = 127, b8 = -128;
  volatile uint16_t u16 = 65535;
  volatile int32_t i32 = INT32_MIN;
  volatile int64_t i64 = INT64_MIN;
  volatile uint64_t u64 = UINT64_MAX;
  printf("int8 127+1 = %d, -128-1 = %d, -128/-1 = %d\n", (int8_t)(a8 + 1),
         (int8_t)(b8 - 1), (int8_t)(b8 / -1));
  printf("uint16 65535+1 = %u, 65535*65535 = %u\n", (uint16_t)(u16 + 1),
         (uint16_t)((uint32_t)u16 * u16));
  printf("int32 min / 7 = %d, min %% 7 = %d, min >> 31 = %d\n", i32 / 7,
         i32 % 7, i32 >> 31);
  printf("int64 min / 3 = %" PRId64 ", -min = %" PRId64 "\n", i64 / 3,
         (int64_t)(0 - (uint64_t)i64));
  printf("uint64 max / 10 = %" PRIu64 ", max %% 10 = %" PRIu64
         ", max * max = %" PRIu64 "\n",
         u64 / 10, u64 % 10, u64 * u64);
  printf("-7 / 2 = %d, -7 %% 2 = %d, -7 >> 1 = %d\n", (int)seeds[8] / 2,
         (int)seeds[8] % 2, (int)seeds[8] >> 1);
}

int main(void) {
  test_int8();
  test_uint8();
  test_int16();
  test_uint16();
  test_int32();
  test_uint32();
  test_int64();
  test_uint64();
  test_int128();
  test_bits();
  samples();
  return 0;
}
