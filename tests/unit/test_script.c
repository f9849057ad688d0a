/* loader/script.c against the host kernel: each "#!" line is written to
 * a script whose interpreter is this test program, run natively, and the
 * argv the kernel built (or the errno execve failed with) is compared
 * with what script_parse makes of the same bytes. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "loader/script.h"

#define PROBE_ENV "EMU_SCRIPT_PROBE"

static char self[4096];
static char script_path[] = "/tmp/emu_test_script_XXXXXX";

/* As interpreter: print argv NUL-separated. */
static int probe(int argc, char **argv) {
  for (int k = 0; k < argc; k++)
    fwrite(argv[k], 1, strlen(argv[k]) + 1, stdout);
  return 0;
}

/* Run the script natively; returns 0 and its argv bytes, or -errno. */
static int run_native(const char *text, size_t len, char *out, size_t *outlen) {
  int fd = mkstemp(script_path);
  ck_assert_int_ge(fd, 0);
  ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
  fchmod(fd, 0755);
  close(fd);
  int pipefd[2], errpipe[2];
  ck_assert_int_eq(pipe(pipefd), 0);
  ck_assert_int_eq(pipe2(errpipe, O_CLOEXEC), 0);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(pipefd[1], 1);
    char *argv[] = {script_path, "extra", NULL};
    char *envp[] = {PROBE_ENV "=1", NULL};
    execve(script_path, argv, envp);
    int e = errno;
    ssize_t w = write(errpipe[1], &e, sizeof e);
    _exit(w < 0 ? 126 : 127);
  }
  close(pipefd[1]);
  close(errpipe[1]);
  int e = 0;
  ssize_t got = read(errpipe[0], &e, sizeof e);
  close(errpipe[0]);
  *outlen = 0;
  ssize_t n;
  while ((n = read(pipefd[0], out + *outlen, 4096 - *outlen)) > 0)
    *outlen += (size_t)n;
  close(pipefd[0]);
  waitpid(pid, NULL, 0);
  unlink(script_path);
  return got == sizeof e ? -e : 0;
}

static void compare(const char *fmt) {
  char text[1024];
  int len = snprintf(text, sizeof text, fmt, self);
  char native[4096];
  size_t nlen;
  strcpy(script_path, "/tmp/emu_test_script_XXXXXX");
  int nr = run_native(text, (size_t)len, native, &nlen);

  struct script_line l;
  int r = script_parse((const uint8_t *)text, (size_t)len, &l);
  /* The kernel opens an empty interpreter path as the current directory
   * (getname_kernel accepts ""), hence EACCES. */
  if (r == 0 && l.interp[0] == 0)
    r = -EACCES;
  else if (r == 0 && access(l.interp, X_OK) != 0)
    r = -ENOENT;
  ck_assert_msg(r == nr, "line \"%s\": emu %d, host %d", text, r, nr);
  if (r)
    return;
  char mine[4096];
  size_t mlen = 0;
  const char *parts[] = {l.interp, l.has_arg ? l.arg : NULL, script_path,
                         "extra"};
  for (int k = 0; k < 4; k++)
    if (parts[k]) {
      memcpy(mine + mlen, parts[k], strlen(parts[k]) + 1);
      mlen += strlen(parts[k]) + 1;
    }
  ck_assert_msg(mlen == nlen && memcmp(mine, native, nlen) == 0,
                "line \"%s\": argv differs", text);
}

START_TEST(matches_host_kernel) {
  compare("#!%s\n");
  compare("#!%s arg\n");
  compare("#!   %s   one  two   \n");
  compare("#!%s\targ\t\n");
  compare("#!%s");
  compare("#!%s -x");
  compare("#!%s -x   ");
  compare("#!%s\r\n");
  compare("#!\n");
  compare("#!    \n");
  compare("#!");
  compare("#! %s arg\nsecond line\n");
  /* A line longer than the 256 bytes the kernel looks at: the argument
   * may be cut, the interpreter path may not. */
  char longline[600];
  snprintf(longline, sizeof longline, "#!%%s %0400d\n", 7);
  compare(longline);
  snprintf(longline, sizeof longline, "#!/%0300d", 7);
  compare(longline);
  snprintf(longline, sizeof longline, "#!%0270d x\n", 0);
  compare(longline);
}
END_TEST

START_TEST(parse_cases) {
  struct script_line l;
  ck_assert_int_eq(script_parse((const uint8_t *)"#!/bin/sh -e\n", 13, &l), 0);
  ck_assert_str_eq(l.interp, "/bin/sh");
  ck_assert(l.has_arg);
  ck_assert_str_eq(l.arg, "-e");
  ck_assert_int_eq(script_parse((const uint8_t *)"\x7f"
                                                 "ELF",
                                4, &l),
                   -ENOEXEC);
  ck_assert_int_eq(script_parse((const uint8_t *)"#", 1, &l), -ENOEXEC);
  ck_assert(!script_is_script((const uint8_t *)"", 0));
  ck_assert_int_eq(script_parse((const uint8_t *)"#!/a\0b c\n", 9, &l), 0);
  ck_assert_str_eq(l.interp, "/a");
  ck_assert(!l.has_arg);
}
END_TEST

int main(int argc, char **argv) {
  if (getenv(PROBE_ENV))
    return probe(argc, argv);
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0)
    return EXIT_FAILURE;
  self[n] = 0;
  Suite *s = suite_create("script");
  TCase *tc = tcase_create("shebang");
  tcase_add_test(tc, matches_host_kernel);
  tcase_add_test(tc, parse_cases);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
