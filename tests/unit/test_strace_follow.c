/* --strace -f's shared state (syscalls/observe/strace_follow.c) and the lines
 * it makes (strace_print.c): the output lock between processes, taken over from
 * a holder that died or stopped instead of waiting forever, and strace -f's "
 * <unfinished ...>" / "<... NAME resumed>" text when another task prints
 * between a call's entry and its exit (the whole runs are
 * tests/strace.follow.*). */
#include <check.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "syscalls/observe/strace_internal.h"
#include "syscalls/process.h"
#include "syscalls/strace.h"

static double seconds_since(const struct timespec *t0) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)(t.tv_sec - t0->tv_sec) + (t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* A child that takes the lock and then does `then` (dies or stops). */
static pid_t holder(void (*then)(void)) {
  pid_t pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0) {
    st_self_forget();
    st_lock();
    then();
    _exit(0);
  }
  return pid;
}

static void die_holding(void) { _exit(0); }
static void stop_holding(void) { raise(SIGSTOP); }

/* The parent takes the lock within the waiting slices, not the last
 * resort's seconds. */
static void lock_within_a_second(void) {
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  st_lock();
  st_unlock();
  ck_assert_double_lt(seconds_since(&t0), 1.0);
}

START_TEST(dead_holder_reaped) {
  strace_follow_init();
  pid_t pid = holder(die_holding);
  ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
  lock_within_a_second();
}
END_TEST

START_TEST(dead_holder_zombie) {
  strace_follow_init();
  pid_t pid = holder(die_holding);
  siginfo_t si;
  ck_assert_int_eq(waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT), 0);
  lock_within_a_second(); /* a zombie never unlocks */
  waitpid(pid, NULL, 0);
}
END_TEST

START_TEST(stopped_holder) {
  strace_follow_init();
  pid_t pid = holder(stop_holding);
  int status;
  ck_assert_int_eq(waitpid(pid, &status, WUNTRACED), pid);
  ck_assert(WIFSTOPPED(status));
  lock_within_a_second();
  kill(pid, SIGKILL);
  waitpid(pid, NULL, 0);
}
END_TEST

/* Two processes add to one counter under the lock, by read and write
 * apart: no increment may be lost. */
START_TEST(excludes_between_processes) {
  strace_follow_init();
  volatile int *counter = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                               MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  ck_assert_ptr_ne((void *)counter, MAP_FAILED);
  enum { ROUNDS = 5000 };
  pid_t pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0)
    st_self_forget();
  for (int i = 0; i < ROUNDS; i++) {
    st_lock();
    int v = *counter;
    sched_yield(); /* widen the window another process could use */
    *counter = v + 1;
    st_unlock();
  }
  if (pid == 0)
    _exit(0);
  ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
  ck_assert_int_eq(*counter, 2 * ROUNDS);
}
END_TEST

/* The text, with -o (every line "PID  ") into a stream in memory. */
static struct process proc;
static struct emu_options opts;
static char *out_text;
static size_t out_len;

static void setup(void) {
  opts.strace = true;
  opts.follow = true;
  opts.strace_to_file = true;
  opts.strace_out = open_memstream(&out_text, &out_len);
  ck_assert_int_eq(process_init(&proc, &opts), 0);
  proc.tid = proc.pid = 1234;
}

static void teardown(void) {
  process_destroy(&proc);
  fclose(opts.strace_out);
  free(out_text);
  out_text = NULL;
}

static const uint64_t close_args[6] = {4};

START_TEST(whole_line_when_alone) {
  strace_enter(&proc, 3, close_args);
  strace_leave(&proc, 3, close_args, 0);
  ck_assert_str_eq(out_text, "1234  close(4)                          = 0\n");
}
END_TEST

/* Another task printed after this call's entry: strace ends the entry's
 * line and resumes the call on a line of its own, padded from its own
 * start. */
START_TEST(resumed_after_another_task) {
  strace_enter(&proc, 3, close_args);
  st_set_open_tid(st_self() + 1); /* as if another task wrote its entry */
  strace_leave(&proc, 3, close_args, 0);
  ck_assert_str_eq(out_text, "1234  close(4 <unfinished ...>\n"
                             "1234  <... close resumed>)              = 0\n");
}
END_TEST

/* This task's entry ends another task's open line first. */
START_TEST(ends_another_tasks_line) {
  st_set_open_tid(st_self() + 1);
  strace_enter(&proc, 3, close_args);
  strace_leave(&proc, 3, close_args, -9);
  ck_assert_str_eq(out_text,
                   " <unfinished ...>\n"
                   "1234  close(4)                          = -1 EBADF "
                   "(Bad file descriptor)\n");
}
END_TEST

/* An out-argument's ", " belongs to the entry (strace: "wait4(-1, "). */
START_TEST(entry_ends_before_out_argument) {
  const uint64_t a[6] = {(uint64_t)-1, 0, 1 /* WNOHANG */, 0};
  strace_enter(&proc, 61, a);
  st_set_open_tid(st_self() + 1);
  strace_leave(&proc, 61, a, 0);
  ck_assert_str_eq(out_text, "1234  wait4(-1,  <unfinished ...>\n"
                             "1234  <... wait4 resumed>NULL, WNOHANG, NULL) "
                             "= 0\n");
}
END_TEST

/* A signal or exit line of this task ends another task's open line. */
START_TEST(exit_line_ends_open_line) {
  st_set_open_tid(st_self() + 1);
  strace_exited(&proc, 3);
  ck_assert_str_eq(out_text,
                   " <unfinished ...>\n1234  +++ exited with 3 +++\n");
}
END_TEST

int main(void) {
  Suite *s = suite_create("strace_follow");
  TCase *lock = tcase_create("lock");
  tcase_set_timeout(lock, 30);
  tcase_add_test(lock, dead_holder_reaped);
  tcase_add_test(lock, dead_holder_zombie);
  tcase_add_test(lock, stopped_holder);
  tcase_add_test(lock, excludes_between_processes);
  suite_add_tcase(s, lock);
  TCase *text = tcase_create("text");
  tcase_add_checked_fixture(text, setup, teardown);
  tcase_add_test(text, whole_line_when_alone);
  tcase_add_test(text, resumed_after_another_task);
  tcase_add_test(text, ends_another_tasks_line);
  tcase_add_test(text, entry_ends_before_out_argument);
  tcase_add_test(text, exit_line_ends_open_line);
  suite_add_tcase(s, text);
  SRunner *r = srunner_create(s);
  srunner_run_all(r, CK_NORMAL);
  int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
