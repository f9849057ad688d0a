/* The guest descriptor table and the file calls on top of it, driven
 * through their handlers with arguments in guest memory. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "syscalls/process.h"
#include "syscalls/syscall_table.h"

#define GUEST 0x10000ull

static struct process proc;
static struct emu_options opts;

static void setup(void) {
  ck_assert_int_eq(process_init(&proc, &opts), 0);
  /* Start from the descriptors a shell gives: drop any others the test
   * runner passed down (the guest inherits them, as on Linux). */
  for (int fd = 3; fd < FD_MAX; fd++)
    if (proc.files->fds[fd].host_fd >= 0)
      fd_close(&proc, fd);
  ck_assert_int_ge(mm_map(&proc, GUEST, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
                   0);
}

static void teardown(void) { process_destroy(&proc); }

static int64_t call(int64_t (*h)(struct process *, const uint64_t[6]),
                    uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3) {
  const uint64_t a[6] = {a0, a1, a2, a3};
  return h(&proc, a);
}

START_TEST(lowest_free_like_linux) {
  int h1 = dup(0), h2 = dup(0);
  int g1 = fd_install(&proc, h1, 0, 0);
  int g2 = fd_install(&proc, h2, 0, 0);
  ck_assert_int_eq(g2, g1 + 1);
  ck_assert_int_eq(fd_close(&proc, g1), 0);
  ck_assert_int_eq(fd_close(&proc, g1), -EBADF);
  ck_assert_int_eq(fd_install(&proc, dup(0), 0, 0), g1); /* reused */
  ck_assert_int_eq(fd_host(&proc, FD_MAX), -EBADF);
  ck_assert_int_eq(fd_host(&proc, -1), -EBADF);
}
END_TEST

START_TEST(inherited_but_not_emus_own) {
  int own = open("/dev/null", O_RDONLY); /* opened after start: emu's */
  ck_assert_int_ge(own, 3);
  for (int k = 0; k < FD_MAX; k++)
    if (proc.files->fds[k].host_fd >= 0)
      fd_close(&proc, k);
  fd_inherit(&proc);
  ck_assert_int_eq(fd_host(&proc, 0), 0);
  ck_assert_int_eq(fd_host(&proc, own), -EBADF);
  close(own);
}
END_TEST

START_TEST(pipe_read_write_through_guest_memory) {
  ck_assert_int_eq(call(sys_pipe2, GUEST, O_CLOEXEC, 0, 0), 0);
  int fds[2];
  ck_assert_int_eq(copy_from_guest(&proc.mmu, fds, GUEST, sizeof fds), 0);
  ck_assert_int_eq(fds[1], fds[0] + 1);
  ck_assert_int_eq(call(sys_fcntl, (uint64_t)fds[0], F_GETFD, 0, 0),
                   FD_CLOEXEC);
  ck_assert_int_eq(copy_to_guest(&proc.mmu, GUEST + 100, "hello", 5), 0);
  ck_assert_int_eq(call(sys_write, (uint64_t)fds[1], GUEST + 100, 5, 0), 5);
  ck_assert_int_eq(call(sys_read, (uint64_t)fds[0], GUEST + 200, 64, 0), 5);
  char got[6] = {0};
  ck_assert_int_eq(copy_from_guest(&proc.mmu, got, GUEST + 200, 5), 0);
  ck_assert_str_eq(got, "hello");
  /* A bad guest buffer is -EFAULT, never a host crash. */
  ck_assert_int_eq(call(sys_write, (uint64_t)fds[1], 0x1000, 5, 0), -EFAULT);
  fd_close_on_exec(&proc);
  ck_assert_int_eq(fd_host(&proc, fds[0]), -EBADF);
  ck_assert_int_eq(fd_host(&proc, fds[1]), -EBADF);
}
END_TEST

START_TEST(dup_family) {
  int base = (int)call(sys_pipe, GUEST, 0, 0, 0);
  ck_assert_int_eq(base, 0);
  int fds[2];
  copy_from_guest(&proc.mmu, fds, GUEST, sizeof fds);
  ck_assert_int_eq(call(sys_dup2, (uint64_t)fds[1], 100, 0, 0), 100);
  ck_assert_int_eq(call(sys_dup2, 100, 100, 0, 0), 100);
  ck_assert_int_eq(call(sys_dup3, 100, 100, 0, 0), -EINVAL);
  ck_assert_int_eq(call(sys_dup3, 100, 101, O_CLOEXEC, 0), 101);
  ck_assert_int_eq(call(sys_fcntl, 101, F_GETFD, 0, 0), FD_CLOEXEC);
  ck_assert_int_eq(call(sys_fcntl, (uint64_t)fds[0], F_DUPFD, 50, 0), 50);
  ck_assert_int_eq(call(sys_dup2, 500, 3, 0, 0), -EBADF);
  ck_assert_int_eq(call(sys_dup2, 100, FD_MAX, 0, 0), -EBADF);
  /* Writes through the dup reach the pipe. */
  copy_to_guest(&proc.mmu, GUEST + 100, "xy", 2);
  ck_assert_int_eq(call(sys_write, 101, GUEST + 100, 2, 0), 2);
  ck_assert_int_eq(call(sys_read, 50, GUEST + 200, 2, 0), 2);
}
END_TEST

START_TEST(vectored_io) {
  call(sys_pipe, GUEST, 0, 0, 0);
  int fds[2];
  copy_from_guest(&proc.mmu, fds, GUEST, sizeof fds);
  uint64_t iov[4] = {GUEST + 100, 2, GUEST + 110, 5};
  copy_to_guest(&proc.mmu, GUEST + 100, "hi", 2);
  copy_to_guest(&proc.mmu, GUEST + 110, "there", 5);
  copy_to_guest(&proc.mmu, GUEST + 300, iov, sizeof iov);
  ck_assert_int_eq(call(sys_writev, (uint64_t)fds[1], GUEST + 300, 2, 0), 7);
  uint64_t riov[4] = {GUEST + 400, 3, GUEST + 410, 10};
  copy_to_guest(&proc.mmu, GUEST + 500, riov, sizeof riov);
  ck_assert_int_eq(call(sys_readv, (uint64_t)fds[0], GUEST + 500, 2, 0), 7);
  char a[4] = {0}, b[5] = {0};
  copy_from_guest(&proc.mmu, a, GUEST + 400, 3);
  copy_from_guest(&proc.mmu, b, GUEST + 410, 4);
  ck_assert_str_eq(a, "hit");
  ck_assert_str_eq(b, "here");
  ck_assert_int_eq(call(sys_writev, (uint64_t)fds[1], GUEST + 300, 1025, 0),
                   -EINVAL);
}
END_TEST

START_TEST(open_stat_seek) {
  char path[] = "/tmp/emu_test_fd_XXXXXX";
  int h = mkstemp(path);
  ck_assert_int_ge(h, 0);
  ck_assert_int_eq(write(h, "0123456789", 10), 10);
  close(h);
  copy_to_guest(&proc.mmu, GUEST, path, sizeof path);
  int fd = (int)call(sys_openat, (uint64_t)AT_FDCWD, GUEST, O_RDONLY, 0);
  ck_assert_int_eq(fd, 3); /* lowest free after 0, 1, 2 */
  ck_assert_int_eq(call(sys_fstat, (uint64_t)fd, GUEST + 1024, 0, 0), 0);
  int64_t size;
  copy_from_guest(&proc.mmu, &size, GUEST + 1024 + 48, 8); /* st_size */
  ck_assert_int_eq(size, 10);
  ck_assert_int_eq(call(sys_lseek, (uint64_t)fd, 4, SEEK_SET, 0), 4);
  ck_assert_int_eq(call(sys_pread64, (uint64_t)fd, GUEST + 2048, 3, 1), 3);
  ck_assert_int_eq(call(sys_read, (uint64_t)fd, GUEST + 2048, 100, 0), 6);
  ck_assert_int_eq(call(sys_read, (uint64_t)fd, GUEST + 2048, 100, 0), 0);
  ck_assert_int_eq(call(sys_close, (uint64_t)fd, 0, 0, 0), 0);
  copy_to_guest(&proc.mmu, GUEST, "/nonexistent/x", 15);
  ck_assert_int_eq(call(sys_openat, (uint64_t)AT_FDCWD, GUEST, O_RDONLY, 0),
                   -ENOENT);
  ck_assert_int_eq(call(sys_openat, (uint64_t)AT_FDCWD, 0x1000, O_RDONLY, 0),
                   -EFAULT);
  unlink(path);
}
END_TEST

START_TEST(proc_self_exe_is_the_guest) {
  strcpy(proc.mm->exe_path, "/usr/bin/guest-program");
  copy_to_guest(&proc.mmu, GUEST, "/proc/self/exe", 15);
  ck_assert_int_eq(call(sys_readlink, GUEST, GUEST + 512, 4096, 0), 22);
  char got[23] = {0};
  copy_from_guest(&proc.mmu, got, GUEST + 512, 22);
  ck_assert_str_eq(got, "/usr/bin/guest-program");
  /* readlink truncates silently to the buffer. */
  ck_assert_int_eq(call(sys_readlink, GUEST, GUEST + 512, 4, 0), 4);
}
END_TEST

START_TEST(proc_files_are_generated) {
  copy_to_guest(&proc.mmu, GUEST, "/proc/self/maps", 16);
  int fd = (int)call(sys_openat, (uint64_t)AT_FDCWD, GUEST, O_RDONLY, 0);
  ck_assert_int_ge(fd, 3);
  int64_t n = call(sys_read, (uint64_t)fd, GUEST + 1024, 4096, 0);
  ck_assert_int_gt(n, 0);
  char text[128] = {0};
  copy_from_guest(&proc.mmu, text, GUEST + 1024, 100);
  ck_assert_msg(
      strncmp(text, "00010000-00014000 rw-p 00000000 00:00 0 \n", 41) == 0,
      "maps: %s", text);
  ck_assert_int_eq(call(sys_openat, (uint64_t)AT_FDCWD, GUEST, O_RDWR, 0),
                   -EACCES);
  /* /proc/self/fd lists the guest's descriptors. */
  copy_to_guest(&proc.mmu, GUEST, "/proc/self/fd", 14);
  int dir = (int)call(sys_openat, (uint64_t)AT_FDCWD, GUEST, O_RDONLY, 0);
  ck_assert_int_eq(dir, fd + 1);
  n = call(sys_getdents64, (uint64_t)dir, GUEST + 1024, 4096, 0);
  int entries = 0;
  for (int64_t off = 0; off < n;) {
    uint16_t reclen;
    copy_from_guest(&proc.mmu, &reclen, GUEST + 1024 + (uint64_t)off + 16, 2);
    off += reclen;
    entries++;
  }
  ck_assert_int_eq(entries, 2 + dir + 1); /* ., .., 0..dir */
  ck_assert_int_eq(call(sys_getdents64, (uint64_t)dir, GUEST + 1024, 4096, 0),
                   0);
}
END_TEST

START_TEST(info_calls) {
  ck_assert_int_eq(call(sys_getpid, 0, 0, 0, 0), proc.pid);
  ck_assert_int_eq(call(sys_set_tid_address, GUEST, 0, 0, 0), proc.tid);
  ck_assert_int_eq(call(sys_set_robust_list, GUEST, 24, 0, 0), 0);
  ck_assert_int_eq(call(sys_set_robust_list, GUEST, 23, 0, 0), -EINVAL);
  ck_assert_int_eq(call(sys_rseq, GUEST + 32, 0x20, 0, 0x53053053), 0);
  ck_assert_int_eq(call(sys_rseq, GUEST + 32, 0x20, 0, 0x53053053), -EBUSY);
  ck_assert_int_eq(call(sys_prlimit64, 0, 3 /* STACK */, 0, GUEST + 256), 0);
  uint64_t lim[2];
  copy_from_guest(&proc.mmu, lim, GUEST + 256, sizeof lim);
  ck_assert_uint_eq(lim[0], 8192 * 1024);
  ck_assert_uint_eq(lim[1], ~0ull);
  ck_assert_int_eq(call(sys_getrandom, GUEST + 512, 300, 1, 0), 300);
  ck_assert_int_eq(call(sys_uname, GUEST + 1024, 0, 0, 0), 0);
  char machine[7] = {0};
  copy_from_guest(&proc.mmu, machine, GUEST + 1024 + 4 * 65, 6);
  ck_assert_str_eq(machine, "x86_64");
}
END_TEST

int main(void) {
  Suite *s = suite_create("fd");
  TCase *tc = tcase_create("table");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, lowest_free_like_linux);
  tcase_add_test(tc, inherited_but_not_emus_own);
  tcase_add_test(tc, pipe_read_write_through_guest_memory);
  tcase_add_test(tc, dup_family);
  tcase_add_test(tc, vectored_io);
  tcase_add_test(tc, open_stat_seek);
  tcase_add_test(tc, proc_self_exe_is_the_guest);
  tcase_add_test(tc, proc_files_are_generated);
  tcase_add_test(tc, info_calls);
  suite_add_tcase(s, tc);
  SRunner *r = srunner_create(s);
  srunner_run_all(r, CK_NORMAL);
  int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
