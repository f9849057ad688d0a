/* SSE4.2 string instructions through their intrinsics (pcmpistri,
 * pcmpestri, pcmpistrm, pcmpestrm) and crc32, plus POPCNT; the functions
 * are compiled for SSE4.2 whatever the default target is. */
#include <nmmintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

__attribute__((target("sse4.2,popcnt"))) static void run(void) {
  const char text[17] = "hello, sse world";
  const char set[17] = "aeiou";
  __m128i t = _mm_loadu_si128((const __m128i *)text);
  __m128i s = _mm_loadu_si128((const __m128i *)set);
  printf("any vowel at %d\n", _mm_cmpistri(s, t, _SIDD_CMP_EQUAL_ANY));
  printf("last vowel at %d\n",
         _mm_cmpistri(s, t, _SIDD_CMP_EQUAL_ANY | _SIDD_MOST_SIGNIFICANT));
  const char range[17] = "az";
  __m128i r = _mm_loadu_si128((const __m128i *)range);
  printf("first non-lower at %d\n",
         _mm_cmpistri(r, t, _SIDD_CMP_RANGES | _SIDD_NEGATIVE_POLARITY));
  const char needle[17] = "sse";
  __m128i n = _mm_loadu_si128((const __m128i *)needle);
  printf("substring at %d\n",
         _mm_cmpestri(n, 3, t, 16, _SIDD_CMP_EQUAL_ORDERED));
  __m128i mask = _mm_cmpistrm(s, t, _SIDD_CMP_EQUAL_ANY | _SIDD_UNIT_MASK);
  uint8_t m[16];
  _mm_storeu_si128((__m128i *)m, mask);
  for (int k = 0; k < 16; k++)
    printf("%02x", m[k]);
  printf("\n");
  __m128i words =
      _mm_cmpestrm(n, 3, t, 16, _SIDD_CMP_EQUAL_EACH | _SIDD_BIT_MASK);
  printf("equal-each mask %x\n", _mm_cvtsi128_si32(words));
  uint32_t crc = 0;
  for (size_t k = 0; k < strlen(text); k++)
    crc = _mm_crc32_u8(crc, (uint8_t)text[k]);
  uint64_t crc64 = _mm_crc32_u64(0xffffffff, 0x0123456789abcdefull);
  printf("crc32c %08x %08llx %08x\n", crc, (unsigned long long)crc64,
         _mm_crc32_u16(_mm_crc32_u32(1, 0xdeadbeef), 0x1234));
  printf("popcnt %d %lld\n", _mm_popcnt_u32(0xf0f0f0f1u),
         _mm_popcnt_u64(0xffffffffffffffffull));
}

int main(void) {
  run();
  return 0;
}
