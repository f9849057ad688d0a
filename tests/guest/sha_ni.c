/* SHA-NI: SHA-1 and SHA-256 of the FIPS 180 test vectors computed with
 * the SHA instructions (checked against the published digests), every
 * instruction on 1000 pseudo-random operands from registers and from
 * memory (all four sha1rnds4 functions, imm8 bits above 1 ignored),
 * folded into a checksum that this host computed once (so that a host
 * without SHA-NI can still check emu: host_model.h), and a misaligned
 * m128, which this AMD CPU accepts where the SDM's type 4 rule (and an
 * Intel CPU) raise #GP. */
#define _GNU_SOURCE
#include <cpuid.h>
#include <immintrin.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

#include "host_model.h"

#define SHA __attribute__((target("sha,sse4.1,ssse3")))

/* --- whole digests (the usual SHA-NI loops) --- */

SHA static void sha256_blocks(uint32_t st[8], const uint8_t *p, size_t n) {
  static const uint32_t k[64] = {
      0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
      0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
      0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
      0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
      0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
      0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
      0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
      0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
      0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
      0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
      0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
  const __m128i swap =
      _mm_set_epi64x(0x0c0d0e0f08090a0bll, 0x0405060700010203ll);
  __m128i t = _mm_loadu_si128((const __m128i *)&st[0]);
  __m128i s1 = _mm_loadu_si128((const __m128i *)&st[4]);
  t = _mm_shuffle_epi32(t, 0xb1);         /* CDAB */
  s1 = _mm_shuffle_epi32(s1, 0x1b);       /* EFGH */
  __m128i s0 = _mm_alignr_epi8(t, s1, 8); /* ABEF */
  s1 = _mm_blend_epi16(s1, t, 0xf0);      /* CDGH */
  for (; n; n--, p += 64) {
    __m128i a0 = s0, a1 = s1, m[4];
    for (int j = 0; j < 4; j++)
      m[j] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * j)),
                              swap);
    for (int r = 0; r < 16; r++) {
      __m128i w = m[r & 3];
      __m128i wk =
          _mm_add_epi32(w, _mm_loadu_si128((const __m128i *)&k[4 * r]));
      s1 = _mm_sha256rnds2_epu32(s1, s0, wk);
      s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(wk, 0x0e));
      if (r < 12) {
        /* the next four words: W[t] from W[t-16], W[t-15], W[t-7], W[t-2] */
        __m128i x = _mm_sha256msg1_epu32(m[r & 3], m[(r + 1) & 3]);
        x = _mm_add_epi32(x,
                          _mm_alignr_epi8(m[(r + 3) & 3], m[(r + 2) & 3], 4));
        m[r & 3] = _mm_sha256msg2_epu32(x, m[(r + 3) & 3]);
      }
    }
    s0 = _mm_add_epi32(s0, a0);
    s1 = _mm_add_epi32(s1, a1);
  }
  t = _mm_shuffle_epi32(s0, 0x1b);   /* FEBA */
  s1 = _mm_shuffle_epi32(s1, 0xb1);  /* DCHG */
  s0 = _mm_blend_epi16(t, s1, 0xf0); /* DCBA */
  s1 = _mm_alignr_epi8(s1, t, 8);    /* ABEF */
  _mm_storeu_si128((__m128i *)&st[0], s0);
  _mm_storeu_si128((__m128i *)&st[4], s1);
}

SHA static void sha1_blocks(uint32_t st[5], const uint8_t *p, size_t n) {
  const __m128i swap =
      _mm_set_epi64x(0x0001020304050607ll, 0x08090a0b0c0d0e0fll);
  __m128i abcd = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)st), 0x1b);
  __m128i e0 = _mm_set_epi32((int)st[4], 0, 0, 0);
  for (; n; n--, p += 64) {
    __m128i abcd_save = abcd, e_save = e0, m[4], e1;
    for (int j = 0; j < 4; j++)
      m[j] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * j)),
                              swap);
    /* 20 groups of four rounds; the schedule runs three groups ahead. */
    for (int r = 0; r < 20; r++) {
      __m128i w = m[r & 3];
      if (r == 0)
        e0 = _mm_add_epi32(e0, w);
      else
        e0 = _mm_sha1nexte_epu32(e0, w);
      e1 = abcd;
      switch (r / 5) {
      case 0: abcd = _mm_sha1rnds4_epu32(abcd, e0, 0); break;
      case 1: abcd = _mm_sha1rnds4_epu32(abcd, e0, 1); break;
      case 2: abcd = _mm_sha1rnds4_epu32(abcd, e0, 2); break;
      default: abcd = _mm_sha1rnds4_epu32(abcd, e0, 3); break;
      }
      e0 = e1;
      if (r < 16) {
        /* W[t] = (W[t-3] ^ W[t-8] ^ W[t-14] ^ W[t-16]) rol 1 */
        __m128i x = _mm_sha1msg1_epu32(m[r & 3], m[(r + 1) & 3]);
        x = _mm_xor_si128(x, m[(r + 2) & 3]);
        m[r & 3] = _mm_sha1msg2_epu32(x, m[(r + 3) & 3]);
      }
    }
    e0 = _mm_sha1nexte_epu32(e0, e_save);
    abcd = _mm_add_epi32(abcd, abcd_save);
  }
  _mm_storeu_si128((__m128i *)st, _mm_shuffle_epi32(abcd, 0x1b));
  st[4] = (uint32_t)_mm_extract_epi32(e0, 3);
}

/* Merkle-Damgard padding around the block functions; the digest in
 * big-endian bytes. */
static void digest(int sha256, const uint8_t *msg, size_t len, uint8_t *out) {
  uint32_t st[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  if (!sha256) {
    static const uint32_t h1[5] = {0x67452301, 0xefcdab89, 0x98badcfe,
                                   0x10325476, 0xc3d2e1f0};
    memcpy(st, h1, sizeof h1);
  }
  size_t whole = len / 64;
  if (sha256)
    sha256_blocks(st, msg, whole);
  else
    sha1_blocks(st, msg, whole);
  uint8_t tail[128] = {0};
  size_t rest = len - whole * 64;
  memcpy(tail, msg + whole * 64, rest);
  tail[rest] = 0x80;
  size_t tail_len = rest + 9 <= 64 ? 64 : 128;
  uint64_t bits = (uint64_t)len * 8;
  for (int k = 0; k < 8; k++)
    tail[tail_len - 1 - k] = (uint8_t)(bits >> (8 * k));
  if (sha256)
    sha256_blocks(st, tail, tail_len / 64);
  else
    sha1_blocks(st, tail, tail_len / 64);
  int words = sha256 ? 8 : 5;
  for (int w = 0; w < words; w++)
    for (int b = 0; b < 4; b++)
      out[4 * w + b] = (uint8_t)(st[w] >> (24 - 8 * b));
}

static const struct {
  const char *name, *sha1, *sha256;
} vectors[] = {
    {"\"\"", "da39a3ee5e6b4b0d3255bfef95601890afd80709",
     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"\"abc\"", "a9993e364706816aba3e25717850c26c9cd0d89d",
     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {"the 448-bit message", "84983e441c3bd26ebaae4aa1f95129e5e54670f1",
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    {"a million a", "34aa973cd4c4daa4f61eeb2bdbad27316534016f",
     "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
};

static void whole_digests(int model) {
  static uint8_t million[1000000];
  memset(million, 'a', sizeof million);
  const char *msgs[] = {"", "abc",
                        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopn"
                        "opq",
                        (const char *)million};
  size_t lens[] = {0, 3, 56, sizeof million};
  for (int v = 0; v < 4; v++)
    for (int s = 0; s < 2; s++) {
      const char *want = s ? vectors[v].sha256 : vectors[v].sha1;
      char hex[65] = "";
      if (model) { /* the published digest */
        snprintf(hex, sizeof hex, "%s", want);
      } else {
        uint8_t d[32];
        digest(s, (const uint8_t *)msgs[v], lens[v], d);
        for (int b = 0; b < (s ? 32 : 20); b++)
          sprintf(hex + 2 * b, "%02x", d[b]);
      }
      printf("%s(%s) = %s %s\n", s ? "sha256" : "sha1", vectors[v].name, hex,
             strcmp(hex, want) ? "WRONG" : "ok");
    }
}

/* --- each instruction on pseudo-random operands --- */

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t next(void) {
  rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
  return rng;
}

static __m128i random_xmm(void) {
  return _mm_set_epi64x((long long)next(), (long long)next());
}

/* Folded into one line per instruction: a checksum of every result. */
static uint64_t fold(uint64_t h, __m128i v) {
  uint64_t w[2];
  memcpy(w, &v, 16);
  return (h ^ w[0]) * 0x100000001b3ull ^ w[1];
}

#define BINOP(NAME, MNEMONIC)                                                  \
  SHA static __m128i NAME##_reg(__m128i a, __m128i b) {                        \
    __asm__(MNEMONIC " %1, %0" : "+x"(a) : "x"(b));                            \
    return a;                                                                  \
  }                                                                            \
  SHA static __m128i NAME##_mem(__m128i a, const __m128i *b) {                 \
    __asm__(MNEMONIC " %1, %0" : "+x"(a) : "m"(*b));                           \
    return a;                                                                  \
  }
BINOP(sha1nexte, "sha1nexte")
BINOP(sha1msg1, "sha1msg1")
BINOP(sha1msg2, "sha1msg2")
BINOP(sha256msg1, "sha256msg1")
BINOP(sha256msg2, "sha256msg2")

SHA static __m128i sha256rnds2_reg(__m128i a, __m128i b, __m128i k) {
  __asm__("movdqa %2, %%xmm0; sha256rnds2 %1, %0"
          : "+x"(a)
          : "x"(b), "x"(k)
          : "xmm0");
  return a;
}
SHA static __m128i sha256rnds2_mem(__m128i a, const __m128i *b, __m128i k) {
  __asm__("movdqa %2, %%xmm0; sha256rnds2 %1, %0"
          : "+x"(a)
          : "m"(*b), "x"(k)
          : "xmm0");
  return a;
}

#define RNDS4(IMM)                                                             \
  SHA static __m128i rnds4_##IMM(__m128i a, __m128i b) {                       \
    __asm__("sha1rnds4 $" #IMM ", %1, %0" : "+x"(a) : "x"(b));                 \
    return a;                                                                  \
  }                                                                            \
  SHA static __m128i rnds4_mem_##IMM(__m128i a, const __m128i *b) {            \
    __asm__("sha1rnds4 $" #IMM ", %1, %0" : "+x"(a) : "m"(*b));                \
    return a;                                                                  \
  }
RNDS4(0)
RNDS4(1)
RNDS4(2)
RNDS4(3)
RNDS4(0xfe)

static const struct {
  const char *name;
  __m128i (*reg)(__m128i, __m128i);
  __m128i (*mem)(__m128i, const __m128i *);
  uint64_t want; /* measured on an AMD family 1Ah CPU */
} binops[] = {
    {"sha1nexte", sha1nexte_reg, sha1nexte_mem, 0xd5f6df3bdacafda5ull},
    {"sha1msg1", sha1msg1_reg, sha1msg1_mem, 0x683711bcd9e2a8cbull},
    {"sha1msg2", sha1msg2_reg, sha1msg2_mem, 0x1f82e427160a6db4ull},
    {"sha256msg1", sha256msg1_reg, sha256msg1_mem, 0x949ac8a147d8d346ull},
    {"sha256msg2", sha256msg2_reg, sha256msg2_mem, 0xc503615019decd33ull},
    {"sha1rnds4 0", rnds4_0, rnds4_mem_0, 0x956939041cde6ff8ull},
    {"sha1rnds4 1", rnds4_1, rnds4_mem_1, 0xb000919f87d35fd9ull},
    {"sha1rnds4 2", rnds4_2, rnds4_mem_2, 0xf1798944317e15e6ull},
    {"sha1rnds4 3", rnds4_3, rnds4_mem_3, 0xc48146bca8213c84ull},
    {"sha1rnds4 0xfe", rnds4_0xfe, rnds4_mem_0xfe, 0xf9bfdf66a00af585ull},
};
#define SHA256RNDS2_WANT 0x7dde3bd1e2d319deull

static void report(const char *name, uint64_t got, uint64_t mem,
                   uint64_t want) {
  printf("%-16s %s", name, got == want ? "ok" : "MISMATCH");
  if (got != want)
    printf(" (%016llx)", (unsigned long long)got);
  printf(", memory form %s\n", mem == got ? "the same" : "DIFFERS");
}

static void random_operands(int model) {
  static __m128i slot;
  for (unsigned k = 0; k < sizeof binops / sizeof binops[0]; k++) {
    uint64_t hr = binops[k].want, hm = hr;
    for (int t = 0; t < 1000 && !model; t++) {
      __m128i a = random_xmm(), b = random_xmm();
      slot = b;
      hr = fold(t ? hr : 0, binops[k].reg(a, b));
      hm = fold(t ? hm : 0, binops[k].mem(a, &slot));
    }
    report(binops[k].name, hr, hm, binops[k].want);
  }
  uint64_t hr = SHA256RNDS2_WANT, hm = hr;
  for (int t = 0; t < 1000 && !model; t++) {
    __m128i a = random_xmm(), b = random_xmm(), wk = random_xmm();
    slot = b;
    hr = fold(t ? hr : 0, sha256rnds2_reg(a, b, wk));
    hm = fold(t ? hm : 0, sha256rnds2_mem(a, &slot, wk));
  }
  report("sha256rnds2", hr, hm, SHA256RNDS2_WANT);
}

/* --- a misaligned m128 --- */

static sigjmp_buf back;
static void on_segv(int sig, siginfo_t *si, void *ctx) {
  ucontext_t *uc = ctx;
  printf("  signal %d code %#x trapno %lld err %lld\n", sig, si->si_code,
         (long long)uc->uc_mcontext.gregs[REG_TRAPNO],
         (long long)uc->uc_mcontext.gregs[REG_ERR]);
  siglongjmp(back, 1);
}

static void misaligned(int model) {
  static uint8_t buf[48] __attribute__((aligned(16)));
  if (!host_vendor_is_amd()) {
    skip_both("SHA-NI misaligned m128", "Intel raises #GP, AMD does not");
    return;
  }
  struct sigaction sa = {.sa_sigaction = on_segv, .sa_flags = SA_SIGINFO};
  sigaction(SIGSEGV, &sa, NULL);
  for (unsigned k = 0; k < sizeof binops / sizeof binops[0]; k++) {
    printf("%s, m128 at +4:\n", binops[k].name);
    if (!sigsetjmp(back, 1)) {
      if (!model)
        binops[k].mem(random_xmm(), (const __m128i *)(buf + 4));
      printf("  no fault\n");
    }
  }
}

int main(void) {
  unsigned a, b, c, d;
  __cpuid_count(7, 0, a, b, c, d);
  int model = host_differs("SHA-NI", "the host CPU has no SHA extensions",
                           !(b & (1u << 29)));
  whole_digests(model);
  random_operands(model);
  misaligned(model);
  return 0;
}
