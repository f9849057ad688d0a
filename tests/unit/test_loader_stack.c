/* loader/stack.c against the real kernel: this test runs itself natively
 * under `setarch x86_64 -R` with a known argv and environment, dumps the
 * initial stack the host kernel built (from rsp up to 0x7ffffffff000),
 * then builds the same stack with stack_build, given the host's auxv
 * values and AT_RANDOM bytes, and compares the two byte for byte. */
#include <check.h>
#include <elf.h>
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "loader/stack.h"

#define TOP 0x7ffffffff000ull
#define PROBE "--stack-probe"

extern char **environ;

/* The probe: argv[-1] is argc, where the kernel left rsp. */
static int probe(char **argv) {
  uint64_t rsp = (uint64_t)(uintptr_t)(argv - 1);
  printf("%llx\n", (unsigned long long)rsp);
  for (const uint8_t *b = (const uint8_t *)(uintptr_t)rsp;
       (uint64_t)(uintptr_t)b < TOP; b++)
    printf("%02x", *b);
  printf("\n");
  return 0;
}

static char self[4096];
static char *host_argv[] = {self, PROBE, "hello", "w o r l d", "", NULL};
static char *host_envp[] = {"A=1", "LONGER_VARIABLE=some value", "E=", NULL};

/* Run the probe natively; returns the host's stack image. */
static uint8_t *run_probe(uint64_t *rsp, size_t *size) {
  int fds[2];
  ck_assert_int_eq(pipe(fds), 0);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
  posix_spawn_file_actions_addclose(&fa, fds[0]);
  char *args[16] = {"setarch", "x86_64", "-R"};
  int n = 3;
  for (int k = 0; host_argv[k]; k++)
    args[n++] = host_argv[k];
  args[n] = NULL;
  pid_t pid;
  ck_assert_int_eq(posix_spawnp(&pid, "setarch", &fa, NULL, args, host_envp),
                   0);
  close(fds[1]);
  FILE *fp = fdopen(fds[0], "r");
  unsigned long long r;
  ck_assert_int_eq(fscanf(fp, "%llx", &r), 1);
  *rsp = r;
  *size = TOP - r;
  uint8_t *img = malloc(*size);
  for (size_t k = 0; k < *size; k++) {
    unsigned v;
    ck_assert_int_eq(fscanf(fp, "%2x", &v), 1);
    img[k] = (uint8_t)v;
  }
  fclose(fp);
  int status;
  waitpid(pid, &status, 0);
  posix_spawn_file_actions_destroy(&fa);
  ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  return img;
}

static uint64_t word(const uint8_t *img, size_t off) {
  uint64_t v;
  memcpy(&v, img + off, 8);
  return v;
}

START_TEST(matches_host_kernel) {
  uint64_t rsp;
  size_t size;
  uint8_t *host = run_probe(&rsp, &size);
  ck_assert_uint_eq(rsp & 15, 0);

  struct stack_args a = {
      .top = TOP, .execfn = self, .argv = host_argv, .envp = host_envp};
  while (host_argv[a.argc])
    a.argc++;
  while (host_envp[a.envc])
    a.envc++;
  /* Take the values that depend on the image and the CPU from the host's
   * auxv; everything else (layout, order, strings) is what is tested. */
  size_t at = 8 * (1 + (size_t)a.argc + 1 + (size_t)a.envc + 1);
  for (;; at += 16) {
    uint64_t type = word(host, at), val = word(host, at + 8);
    if (type == AT_NULL)
      break;
    switch (type) {
    case AT_SYSINFO_EHDR: a.aux.sysinfo_ehdr = val; break;
    case AT_MINSIGSTKSZ: a.aux.minsigstksz = val; break;
    case AT_HWCAP: a.aux.hwcap = val; break;
    case AT_HWCAP2: a.aux.hwcap2 = val; break;
    case AT_PHDR: a.aux.phdr = val; break;
    case AT_PHNUM: a.aux.phnum = val; break;
    case AT_BASE: a.aux.base = val; break;
    case AT_ENTRY: a.aux.entry = val; break;
    case AT_UID: a.aux.uid = val; break;
    case AT_EUID: a.aux.euid = val; break;
    case AT_GID: a.aux.gid = val; break;
    case AT_EGID: a.aux.egid = val; break;
    case 27: a.aux.rseq_feature_size = val; break; /* AT_RSEQ_* */
    case 28: a.aux.rseq_align = val; break;
    case AT_RANDOM: memcpy(a.random, host + (val - rsp), 16); break;
    default: break;
    }
  }
  struct stack_image img;
  ck_assert_int_eq(stack_check_limits(&a), 0);
  ck_assert_int_eq(stack_build(&a, &img), 0);
  ck_assert_uint_eq(img.rsp, rsp);
  ck_assert_uint_eq(img.size, size);
  for (size_t k = 0; k < size; k++)
    ck_assert_msg(img.bytes[k] == host[k], "byte at %#llx: emu %02x, host %02x",
                  (unsigned long long)(rsp + k), img.bytes[k], host[k]);
  /* The addresses the loader reports match the image. */
  ck_assert_uint_eq(word(img.bytes, 0), (uint64_t)a.argc);
  ck_assert_str_eq((const char *)img.bytes + (img.execfn - rsp), self);
  ck_assert_str_eq((const char *)img.bytes + (img.platform - rsp), "x86_64");
  ck_assert_uint_eq(img.random, img.platform - 16);
  ck_assert_uint_eq(img.strings_start, word(img.bytes, 8));
  stack_image_free(&img);
  free(host);
}
END_TEST

START_TEST(no_vdso_no_rseq) {
  char *argv[] = {"prog", NULL};
  char *envp[] = {NULL};
  struct stack_args a = {.top = TOP,
                         .execfn = "./prog",
                         .argc = 1,
                         .argv = argv,
                         .envc = 0,
                         .envp = envp};
  struct stack_image img;
  ck_assert_int_eq(stack_build(&a, &img), 0);
  ck_assert_uint_eq(img.rsp & 15, 0);
  /* argc, argv[0], NULL, NULL, then auxv starting with AT_MINSIGSTKSZ. */
  ck_assert_uint_eq(img.auxv, img.rsp + 32);
  ck_assert_uint_eq(word(img.bytes, 32), AT_MINSIGSTKSZ);
  /* The execfn sits just below the 8 zero bytes at the top. */
  ck_assert_uint_eq(img.execfn, TOP - 8 - 7);
  ck_assert_uint_eq(word(img.bytes, img.size - 8), 0);
  /* 20 pairs: no AT_SYSINFO_EHDR, no AT_RSEQ_*, AT_NULL last. */
  size_t n = 0;
  while (word(img.bytes, img.auxv - img.rsp + 16 * n) != AT_NULL)
    n++;
  ck_assert_uint_eq(n, 19);
  stack_image_free(&img);
}
END_TEST

START_TEST(limits) {
  static char big[STACK_ARG_STRLEN_MAX + 1];
  memset(big, 'x', sizeof big - 1);
  char *argv[] = {"prog", big, NULL};
  struct stack_args a = {.top = TOP, .execfn = "prog", .argc = 2, .argv = argv};
  ck_assert_int_eq(stack_check_limits(&a), -E2BIG);
  big[sizeof big - 2] = 0; /* exactly MAX_ARG_STRLEN with its NUL */
  ck_assert_int_eq(stack_check_limits(&a), 0);
  /* 17 such strings exceed the 2 MiB limit. */
  char *many[20];
  for (int k = 0; k < 19; k++)
    many[k] = big;
  many[19] = NULL;
  a.argv = many;
  a.argc = 19;
  ck_assert_int_eq(stack_check_limits(&a), -E2BIG);
  a.argc = 15;
  ck_assert_int_eq(stack_check_limits(&a), 0);
  struct stack_image img;
  ck_assert_int_eq(stack_build(&a, &img), 0);
  ck_assert_uint_eq(img.rsp & 15, 0);
  ck_assert_uint_lt(img.strings_start, TOP - 15 * (sizeof big - 1));
  stack_image_free(&img);
}
END_TEST

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], PROBE) == 0)
    return probe(argv);
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0)
    return EXIT_FAILURE;
  self[n] = 0;
  Suite *s = suite_create("stack");
  TCase *tc = tcase_create("layout");
  tcase_add_test(tc, matches_host_kernel);
  tcase_add_test(tc, no_vdso_no_rseq);
  tcase_add_test(tc, limits);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
