/* The --strace formatter on canned calls, checked against lines strace
 * 6.1 printed on this machine for the same arguments (the end-to-end
 * comparison with real programs is tests/strace.*). */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "syscalls/process.h"
#include "syscalls/strace.h"

#define GUEST 0x10000ull

static struct process proc;
static struct emu_options opts;
static char *out_text;
static size_t out_len;

static void setup(void) {
  opts.strace = true;
  opts.strace_out = open_memstream(&out_text, &out_len);
  ck_assert_int_eq(process_init(&proc, &opts), 0);
  ck_assert_int_ge(mm_map(&proc, GUEST, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
                   0);
}

static void teardown(void) {
  process_destroy(&proc);
  fclose(opts.strace_out);
  free(out_text);
  out_text = NULL;
}

static uint64_t put(uint64_t at, const void *data, size_t n) {
  ck_assert_int_eq(copy_to_guest(&proc.mmu, GUEST + at, data, n), 0);
  return GUEST + at;
}

/* Trace one call as sys_dispatch would and return the text printed. */
static const char *trace(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2,
                         uint64_t a3, uint64_t a4, uint64_t a5, int64_t ret) {
  const uint64_t a[6] = {a0, a1, a2, a3, a4, a5};
  fflush(opts.strace_out);
  size_t start = out_len;
  strace_enter(&proc, nr, a);
  strace_leave(&proc, nr, a, ret);
  fflush(opts.strace_out);
  return out_text + start;
}

START_TEST(write_escapes_and_truncates) {
  static const char data[] = "ab\1\0012\x7f\xff\"\\\t\n\r\v\f\033."
                             "abcdefghijklmnopqrstuvwxyz0123456789";
  uint64_t buf = put(0, data, 50);
  ck_assert_str_eq(trace(1, 3, buf, 50, 0, 0, 0, 50),
                   "write(3, \"ab\\1\\0012\\177\\377\\\"\\\\\\t\\n\\r\\v\\f\\33"
                   ".abcdefghijklmnop\"..., 50) = 50\n");
}
END_TEST

START_TEST(octal_before_digit) {
  uint64_t buf = put(0, "\0018\0019\0a", 6);
  ck_assert_str_eq(trace(1, 1, buf, 6, 0, 0, 0, 6),
                   "write(1, \"\\18\\19\\0a\", 6)                = 6\n");
}
END_TEST

START_TEST(openat_with_mode) {
  uint64_t path = put(0, "/tmp/sc/t.txt", 14);
  ck_assert_str_eq(trace(257, (uint64_t)-100, path, 01102, 0644, 0, 0, 3),
                   "openat(AT_FDCWD, \"/tmp/sc/t.txt\", "
                   "O_RDWR|O_CREAT|O_TRUNC, 0644) = 3\n");
  ck_assert_str_eq(trace(257, (uint64_t)-100, path, 02000000, 0, 0, 0, 3),
                   "openat(AT_FDCWD, \"/tmp/sc/t.txt\", O_RDONLY|O_CLOEXEC) = "
                   "3\n");
}
END_TEST

START_TEST(errors_and_padding) {
  ck_assert_str_eq(trace(3, 99, 0, 0, 0, 0, 0, -EBADF),
                   "close(99)                               = -1 EBADF (Bad "
                   "file descriptor)\n");
  ck_assert_str_eq(trace(12, 0, 0, 0, 0, 0, 0, 0x4ac000),
                   "brk(NULL)                               = 0x4ac000\n");
}
END_TEST

START_TEST(mmap_flags) {
  ck_assert_str_eq(
      trace(9, 0, 4096, 7, 0x22 | 0x100 | 0x4000 | 0x20000, (uint64_t)-1, 0,
            0x7fdce656c000),
      "mmap(NULL, 4096, PROT_READ|PROT_WRITE|PROT_EXEC, "
      "MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE|MAP_GROWSDOWN|MAP_STACK, -1, "
      "0) = 0x7fdce656c000\n");
  ck_assert_str_eq(
      trace(9, 0x7ffff7df8000, 1400832, 5, 0x812, 3, 0x26000, 0x7ffff7df8000),
      "mmap(0x7ffff7df8000, 1400832, PROT_READ|PROT_EXEC, "
      "MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x26000) = "
      "0x7ffff7df8000\n");
}
END_TEST

START_TEST(sigsets) {
  uint64_t all = ~0ull & ~(3ull << 31); /* glibc's SIGCANCEL, SIGSETXID */
  uint64_t set = put(0, &all, 8);
  ck_assert_str_eq(trace(14, 0, set, 0, 8, 0, 0, 0),
                   "rt_sigprocmask(SIG_BLOCK, ~[RTMIN RT_1], NULL, 8) = 0\n");
  uint64_t two = (1ull << 9) | (1ull << 14); /* USR1 TERM */
  set = put(8, &two, 8);
  ck_assert_str_eq(trace(14, 0, set, 0, 8, 0, 0, 0),
                   "rt_sigprocmask(SIG_BLOCK, [USR1 TERM], NULL, 8) = 0\n");
}
END_TEST

START_TEST(out_structs_after_the_call) {
  uint64_t lim[2] = {8192 * 1024, ~0ull};
  uint64_t l = put(0, lim, sizeof lim);
  ck_assert_str_eq(trace(302, 0, 3, 0, l, 0, 0, 0),
                   "prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, "
                   "rlim_max=RLIM64_INFINITY}) = 0\n");
  static const uint8_t rnd[8] = {0xce, 0x13, 0xd7, 0x2e,
                                 0x18, 0xaf, 0x39, 0x34};
  uint64_t r = put(64, rnd, 8);
  ck_assert_str_eq(trace(318, r, 8, 1, 0, 0, 0, 8),
                   "getrandom(\"\\xce\\x13\\xd7\\x2e\\x18\\xaf\\x39\\x34\", 8, "
                   "GRND_NONBLOCK) = 8\n");
  /* A failed call shows the out-pointer, not its contents. */
  ck_assert_str_eq(
      trace(6, put(128, "/nonexist", 10), GUEST + 256, 0, 0, 0, 0, -ENOENT),
      "lstat(\"/nonexist\", 0x10100)             = -1 ENOENT (No "
      "such file or directory)\n");
}
END_TEST

START_TEST(rseq_and_exit) {
  ck_assert_str_eq(trace(334, 0x4acca0, 0x20, 0, 0x53053053, 0, 0, 0),
                   "rseq(0x4acca0, 0x20, 0, 0x53053053)     = 0\n");
  ck_assert_str_eq(trace(231, 0, 0, 0, 0, 0, 0, 0),
                   "exit_group(0)                           = ?\n");
}
END_TEST

START_TEST(unknown_number) {
  ck_assert_str_eq(trace(999, 0, 1, 0x100000001fffull, 0, 0, 0, -ENOSYS),
                   "syscall_0x3e7(0, 0x1, 0x100000001fff, 0, 0, 0) = -1 "
                   "ENOSYS (Function not implemented)\n");
}
END_TEST

START_TEST(entry_half_printed_first) {
  uint64_t buf = put(0, "Hello, world!\n", 14);
  const uint64_t a[6] = {1, buf, 14};
  fflush(opts.strace_out);
  size_t start = out_len;
  strace_enter(&proc, 1, a);
  fflush(opts.strace_out);
  ck_assert_str_eq(out_text + start, "write(1, \"Hello, world!\\n\", 14");
  strace_leave(&proc, 1, a, 14);
  fflush(opts.strace_out);
  ck_assert_str_eq(out_text + start,
                   "write(1, \"Hello, world!\\n\", 14)         = 14\n");
}
END_TEST

START_TEST(fcntl_results) {
  ck_assert_str_eq(trace(72, 3, 1, 0, 0, 0, 0, 1),
                   "fcntl(3, F_GETFD)                       = 0x1 (flags "
                   "FD_CLOEXEC)\n");
  ck_assert_str_eq(trace(72, 3, 3, 0, 0, 0, 0, 0x8002),
                   "fcntl(3, F_GETFL)                       = 0x8002 (flags "
                   "O_RDWR|O_LARGEFILE)\n");
  ck_assert_str_eq(trace(72, 3, 4, 06000, 0, 0, 0, 0),
                   "fcntl(3, F_SETFL, O_RDONLY|O_APPEND|O_NONBLOCK) = 0\n");
}
END_TEST

START_TEST(signal_lines) {
  fflush(opts.strace_out);
  size_t start = out_len;
  struct guest_siginfo segv = {.signo = 11, .code = 1, .u.addr = 0x10};
  strace_signal(&proc, &segv);
  strace_killed(&proc, 11);
  fflush(opts.strace_out);
  ck_assert_str_eq(out_text + start,
                   "--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, "
                   "si_addr=0x10} ---\n+++ killed by SIGSEGV +++\n");
}
END_TEST

/* sigqueue's value is printed after the sender; SI_USER and SI_TKILL
 * carry none. */
START_TEST(siginfo_lines) {
  fflush(opts.strace_out);
  size_t start = out_len;
  struct guest_siginfo q = {.signo = 35, .code = -1};
  q.u.kill.pid = 7, q.u.kill.uid = 0, q.u.kill.value = 42;
  strace_signal(&proc, &q);
  struct guest_siginfo t = {.signo = 10, .code = -6};
  t.u.kill.pid = 7, t.u.kill.uid = 1000;
  strace_signal(&proc, &t);
  fflush(opts.strace_out);
  ck_assert_str_eq(out_text + start,
                   "--- SIGRT_3 {si_signo=SIGRT_3, si_code=SI_QUEUE, "
                   "si_pid=7, si_uid=0, si_int=42, si_ptr=0x2a} ---\n"
                   "--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_TKILL, "
                   "si_pid=7, si_uid=1000} ---\n");
}
END_TEST

/* A set is shown inverted from two thirds of its bits on (strace's
 * sprintsigmask_n), as strace 6.1 printed these masks here. */
START_TEST(sigset_inversion) {
  uint64_t forty = (1ull << 40) - 1, fortytwo = (1ull << 42) - 1;
  uint64_t set40 = put(0, &forty, 8), set42 = put(8, &fortytwo, 8);
  ck_assert_str_eq(
      trace(14, 0, set40, 0, 8, 0, 0, 0),
      "rt_sigprocmask(SIG_BLOCK, [HUP INT QUIT ILL TRAP ABRT BUS FPE KILL "
      "USR1 SEGV USR2 PIPE ALRM TERM STKFLT CHLD CONT STOP TSTP TTIN TTOU URG "
      "XCPU XFSZ VTALRM PROF WINCH IO PWR SYS RTMIN RT_1 RT_2 RT_3 RT_4 RT_5 "
      "RT_6 RT_7 RT_8], NULL, 8) = 0\n");
  ck_assert_str_eq(trace(14, 0, set42, 0, 8, 0, 0, 0),
                   "rt_sigprocmask(SIG_BLOCK, ~[RT_11 RT_12 RT_13 RT_14 "
                   "RT_15 RT_16 RT_17 RT_18 RT_19 RT_20 RT_21 RT_22 RT_23 "
                   "RT_24 RT_25 RT_26 RT_27 RT_28 RT_29 RT_30 RT_31 RT_32], "
                   "NULL, 8) = 0\n");
}
END_TEST

/* rt_sigpending takes any size from 1 to 8; rt_sigtimedwait names the
 * signal it returns and prints the siginfo it wrote. */
START_TEST(pending_and_waits) {
  uint64_t usr1 = 1ull << 9;
  uint64_t set = put(0, &usr1, 8);
  ck_assert_str_eq(trace(127, set, 8, 0, 0, 0, 0, 0),
                   "rt_sigpending([USR1], 8)                = 0\n");
  ck_assert_str_eq(trace(127, set, 4, 0, 0, 0, 0, 0),
                   "rt_sigpending([USR1], 4)                = 0\n");
  ck_assert_str_eq(trace(127, set, 0, 0, 0, 0, 0, 0),
                   "rt_sigpending(0x10000, 0)               = 0\n");
  ck_assert_str_eq(trace(127, set, 16, 0, 0, 0, 0, -EINVAL),
                   "rt_sigpending(0x10000, 16)              = -1 EINVAL "
                   "(Invalid argument)\n");
  struct guest_siginfo si = {.signo = 10, .code = 0};
  si.u.kill.pid = 7;
  uint64_t info = put(64, &si, sizeof si);
  ck_assert_str_eq(trace(128, set, info, 0, 8, 0, 0, 10),
                   "rt_sigtimedwait([USR1], {si_signo=SIGUSR1, "
                   "si_code=SI_USER, si_pid=7, si_uid=0}, NULL, 8) = 10 "
                   "(SIGUSR1)\n");
  ck_assert_str_eq(trace(128, set, info, 0, 8, 0, 0, -EAGAIN),
                   "rt_sigtimedwait([USR1], 0x10040, NULL, 8) = -1 EAGAIN "
                   "(Resource temporarily unavailable)\n");
  struct guest_siginfo empty = {.code = -1};
  uint64_t none = put(256, &empty, sizeof empty);
  ck_assert_str_eq(trace(129, 7, 65, none, 0, 0, 0, -EINVAL),
                   "rt_sigqueueinfo(7, 65, {})              = -1 EINVAL "
                   "(Invalid argument)\n");
}
END_TEST

int main(void) {
  Suite *s = suite_create("strace");
  TCase *tc = tcase_create("format");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, write_escapes_and_truncates);
  tcase_add_test(tc, octal_before_digit);
  tcase_add_test(tc, openat_with_mode);
  tcase_add_test(tc, errors_and_padding);
  tcase_add_test(tc, mmap_flags);
  tcase_add_test(tc, siginfo_lines);
  tcase_add_test(tc, sigset_inversion);
  tcase_add_test(tc, pending_and_waits);
  tcase_add_test(tc, sigsets);
  tcase_add_test(tc, out_structs_after_the_call);
  tcase_add_test(tc, rseq_and_exit);
  tcase_add_test(tc, unknown_number);
  tcase_add_test(tc, entry_half_printed_first);
  tcase_add_test(tc, fcntl_results);
  tcase_add_test(tc, signal_lines);
  suite_add_tcase(s, tc);
  SRunner *r = srunner_create(s);
  srunner_run_all(r, CK_NORMAL);
  int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
