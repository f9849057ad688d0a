/* string.h over many lengths and alignments, so glibc's SSE2 routines
 * take their head, body and tail paths, including reads that end just
 * before a page boundary. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static unsigned hash(const void *p, size_t n) {
  const unsigned char *c = p;
  unsigned h = 2166136261u;
  for (size_t i = 0; i < n; i++)
    h = (h ^ c[i]) * 16777619u;
  return h;
}

static void lengths_and_alignments(void) {
  static char src[512], dst[600];
  unsigned acc = 0;
  for (int i = 0; i < (int)sizeof src; i++)
    src[i] = (char)('a' + i % 26);
  for (size_t align = 0; align < 16; align++)
    for (size_t len = 0; len < 300; len += 1 + len / 16) {
      char *s = src + align;
      char saved = s[len];
      s[len] = '\0';
      acc = acc * 31 + (unsigned)strlen(s);
      acc = acc * 31 + (unsigned)strnlen(s, len / 2);
      memset(dst, 0x55, sizeof dst);
      strcpy(dst + (15 - align), s);
      acc = acc * 31 + hash(dst, sizeof dst);
      acc = acc * 31 + (unsigned)(strcmp(dst + (15 - align), s) == 0);
      const char *c = strchr(s, 'q');
      acc = acc * 31 + (unsigned)(c ? c - s : -1);
      c = strrchr(s, 'e');
      acc = acc * 31 + (unsigned)(c ? c - s : -1);
      const void *m = memchr(s, 'z', len);
      acc = acc * 31 + (unsigned)(m ? (const char *)m - s : -1);
      memmove(dst + 1, dst, len);
      acc = acc * 31 + hash(dst, sizeof dst);
      acc = acc * 31 + (unsigned)(memcmp(dst + 1, dst, len) > 0);
      s[len] = saved;
    }
  printf("lengths/alignments hash %08x\n", acc);
}

/* A string that ends on the last byte of a page whose successor is not
 * mapped: an over-wide read would fault. */
static void page_end(void) {
  char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  munmap(p + 4096, 4096);
  for (int len = 0; len < 40; len++) {
    char *s = p + 4095 - len;
    memset(s, 'x', (size_t)len);
    s[len] = '\0';
    printf("%zu%c", strlen(s), len % 20 == 19 ? '\n' : ' ');
    if (strchr(s, 'y') != NULL || memchr(s, 'y', (size_t)len + 1) != NULL)
      printf("bogus match at %d\n", len);
  }
  munmap(p, 4096);
}

static void classic(void) {
  char buf[128];
  strcpy(buf, "hello");
  strcat(buf, ", ");
  const char *volatile world = "world!!!";
  strncat(buf, world, 6);
  printf("%s (%zu)\n", buf, strlen(buf));
  printf("strcmp %d %d %d\n", strcmp("abc", "abd") < 0,
         strcmp("abc", "abc") == 0, strcmp("b", "abc") > 0);
  printf("strncmp %d %d\n", strncmp("abcdef", "abcxyz", 3),
         strncmp("abcdef", "abcxyz", 4) < 0);
  printf("strstr %s | %s\n", strstr("the quick brown fox", "brown"),
         strstr("aaaaab", "aab"));
  printf("strspn %zu strcspn %zu\n", strspn("aabbcx", "abc"),
         strcspn("hello world", " "));
  char list[] = "one,two,,three";
  for (char *t = strtok(list, ","); t; t = strtok(NULL, ","))
    printf("token [%s]\n", t);
  char *d = strdup("duplicate me");
  printf("%s\n", d);
  free(d);
  memset(buf, 0, sizeof buf);
  strncpy(buf, "abc", 6);
  printf("strncpy pads: %d %d %d\n", buf[3], buf[4], buf[5]);
  char mv[] = "0123456789";
  memmove(mv + 2, mv, 6);
  printf("memmove up: %s\n", mv);
  memmove(mv, mv + 3, 5);
  printf("memmove down: %s\n", mv);
  printf("strtol %ld %ld %lu\n", strtol("-12345", NULL, 10),
         strtol("0x7fff", NULL, 16), strtoul("777", NULL, 8));
  printf("atoi %d strtod %.6f\n", atoi("  42abc"), strtod("2.71828e0", NULL));
}

int main(void) {
  lengths_and_alignments();
  page_end();
  classic();
  return 0;
}
