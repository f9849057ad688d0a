/* File and descriptor calls as strace prints them (its -O2 build runs
 * under strace_compare.sh): open flags, statx flags and masks, fcntl by
 * command (flags, locks, owners, leases, signals, pipe sizes) and its
 * explained results, flock operations, fadvise, fallocate modes,
 * utimensat dates, faccessat2 and renameat2 flags, mknodat (a FIFO and
 * a regular file: no privilege needed), getdents and getdents64,
 * xattr flags, sync_file_range, syncfs, readahead, and unknown flag
 * values with strace's comments. Only results and errno names are
 * printed: the same on any file system the test runs on. */
#define _GNU_SOURCE /* strerrorname_np, F_*_EX, statx */
#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#define BAD_ADDRESS ((void *)8)

static char dir[128];

static void show(const char *what, long r) {
  if (r < 0)
    printf("%-30s -1 %s\n", what, strerrorname_np(errno));
  else
    printf("%-30s %ld\n", what, r);
}

/* posix_fadvise returns the error number. */
static void show_err(const char *what, int err) {
  errno = err;
  show(what, err ? -1 : 0);
}

static const char *in_dir(const char *name) {
  static char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return path;
}

static void opens(void) {
  int fd = openat(AT_FDCWD, in_dir("f"), O_RDONLY | O_NOFOLLOW | O_NOATIME);
  show("openat NOFOLLOW|NOATIME", fd);
  close(fd);
  fd = openat(AT_FDCWD, in_dir("f"), O_WRONLY | O_APPEND | O_DSYNC);
  show("openat APPEND|DSYNC", fd);
  close(fd);
  fd = openat(AT_FDCWD, in_dir("f"), O_RDWR | O_SYNC | O_NOCTTY);
  show("openat SYNC|NOCTTY", fd);
  close(fd);
  fd = openat(AT_FDCWD, dir, O_PATH | O_DIRECTORY);
  show("openat PATH|DIRECTORY", fd);
  close(fd);
  fd = openat(AT_FDCWD, in_dir("f"), O_RDONLY | O_ASYNC);
  show("openat ASYNC", fd);
  close(fd);
  show("openat EXCL existing",
       openat(AT_FDCWD, in_dir("f"), O_CREAT | O_EXCL | O_WRONLY, 04755));
  show("openat accmode 3", openat(AT_FDCWD, in_dir("none"), 3));
  show("openat dirfd 99", openat(99, "f", O_RDONLY));
  show("openat bad path", openat(AT_FDCWD, BAD_ADDRESS, O_RDONLY));
}

static void stats(int fd) {
  struct statx sx;
  show("statx EMPTY_PATH", statx(fd, "", AT_EMPTY_PATH, STATX_SIZE, &sx));
  printf("stx_size %llu\n", (unsigned long long)sx.stx_size);
  show("statx DONT_SYNC|NOFOLLOW",
       statx(AT_FDCWD, in_dir("f"), AT_SYMLINK_NOFOLLOW | AT_STATX_DONT_SYNC,
             STATX_SIZE | STATX_MODE, &sx));
  show("statx mask 0x80000000",
       statx(AT_FDCWD, in_dir("f"), 0, 0x80000000u, &sx));
  show("statx bad buffer",
       syscall(SYS_statx, AT_FDCWD, in_dir("f"), 0, STATX_TYPE, BAD_ADDRESS));
}

static void fcntls(int fd) {
  show("F_GETFD", fcntl(fd, F_GETFD));
  show("F_SETFD FD_CLOEXEC", fcntl(fd, F_SETFD, FD_CLOEXEC));
  show("F_GETFD", fcntl(fd, F_GETFD));
  show("F_SETFD 2", fcntl(fd, F_SETFD, 2));
  show("F_SETFL APPEND|NONBLOCK", fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK));
  show("F_GETFL", fcntl(fd, F_GETFL));
  show("F_SETFL 0", fcntl(fd, F_SETFL, 0));
  int d = fcntl(fd, F_DUPFD, 10);
  show("F_DUPFD 10", d);
  close(d);
  struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_len = 5};
  show("F_SETLK WRLCK", fcntl(fd, F_SETLK, &fl));
  fl.l_type = F_RDLCK;
  show("F_GETLK", fcntl(fd, F_GETLK, &fl));
  fl.l_type = F_UNLCK;
  show("F_SETLKW UNLCK", fcntl(fd, F_SETLKW, &fl));
  fl.l_type = F_RDLCK;
  fl.l_pid = 0;
  show("F_OFD_SETLK RDLCK", fcntl(fd, F_OFD_SETLK, &fl));
  show("F_OFD_GETLK", fcntl(fd, F_OFD_GETLK, &fl));
  show("F_GETLK bad address", fcntl(fd, F_GETLK, BAD_ADDRESS));
  struct f_owner_ex owner = {F_OWNER_PID, 0};
  show("F_SETOWN_EX", fcntl(fd, F_SETOWN_EX, &owner));
  show("F_GETOWN_EX", fcntl(fd, F_GETOWN_EX, &owner));
  show("F_GETOWN_EX bad address", fcntl(fd, F_GETOWN_EX, BAD_ADDRESS));
  show("F_SETOWN 0", fcntl(fd, F_SETOWN, 0));
  show("F_SETSIG SIGUSR1", fcntl(fd, F_SETSIG, SIGUSR1));
  show("F_GETSIG", fcntl(fd, F_GETSIG));
  show("F_SETSIG 0", fcntl(fd, F_SETSIG, 0));
  show("F_GETLEASE", fcntl(fd, F_GETLEASE));
  show("F_SETLEASE UNLCK", fcntl(fd, F_SETLEASE, F_UNLCK));
  show("fcntl 9999", fcntl(fd, 9999, 0x1234));
  int p[2];
  if (pipe2(p, O_CLOEXEC) == 0) {
    show("F_SETPIPE_SZ 8192", fcntl(p[0], F_SETPIPE_SZ, 8192));
    show("F_GETPIPE_SZ", fcntl(p[0], F_GETPIPE_SZ));
    close(p[0]);
    close(p[1]);
  }
}

static void file_ops(int fd) {
  show("flock EX|NB", flock(fd, LOCK_EX | LOCK_NB));
  show("flock UN", flock(fd, LOCK_UN));
  show("flock 99 SH|MAND|READ", flock(99, LOCK_SH | 0x20 | 0x40));
  show("flock 99 0x100", flock(99, 0x100));
  show_err("fadvise SEQUENTIAL",
           posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL));
  show_err("fadvise 99", posix_fadvise(fd, 0, 100, 99));
  show("fallocate 0", fallocate(fd, 0, 0, 4096));
  show("fallocate KEEP_SIZE", fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 8192));
  show("fallocate 0x100", fallocate(fd, 0x100, 0, 100));
  show("fallocate offset -1", fallocate(fd, 0, -1, 100));
  show("ftruncate 12", ftruncate(fd, 12));
  show("sync_file_range WRITE",
       syscall(SYS_sync_file_range, fd, 0, 0, SYNC_FILE_RANGE_WRITE));
  show("sync_file_range 8", syscall(SYS_sync_file_range, fd, 0, 0, 8));
  show("syncfs", syncfs(fd));
  show("readahead", readahead(fd, 0, 100));
  show("readahead 99", readahead(99, 0, 100));
}

static void paths(int fd) {
  struct timespec now[2] = {{0, UTIME_OMIT}, {0, UTIME_NOW}};
  show("utimensat OMIT, NOW", utimensat(AT_FDCWD, in_dir("f"), now, 0));
  struct timespec dates[2] = {{1000000000, 5}, {1000000000, 0}};
  show("utimensat dates",
       utimensat(AT_FDCWD, in_dir("f"), dates, AT_SYMLINK_NOFOLLOW));
  struct timespec epoch[2] = {{0, 0}, {0, 1000000000}};
  show("utimensat epoch, bad nsec", utimensat(AT_FDCWD, in_dir("f"), epoch, 0));
  show("utimensat bad address",
       syscall(SYS_utimensat, AT_FDCWD, in_dir("f"), BAD_ADDRESS, 0));
  show("futimens", futimens(fd, now));
  show("faccessat2 R_OK|W_OK, EACCESS",
       syscall(SYS_faccessat2, AT_FDCWD, in_dir("f"), R_OK | W_OK, AT_EACCESS));
  show("faccessat2 mode 8",
       syscall(SYS_faccessat2, AT_FDCWD, in_dir("f"), 8, 0));
  show("faccessat2 flags 0x1000",
       syscall(SYS_faccessat2, AT_FDCWD, in_dir("f"), F_OK, 0x1000));
  show("faccessat2 flags 1",
       syscall(SYS_faccessat2, AT_FDCWD, in_dir("f"), F_OK, 1));
  char f[256], g[256];
  snprintf(f, sizeof f, "%s", in_dir("f"));
  snprintf(g, sizeof g, "%s", in_dir("g"));
  show("linkat", linkat(AT_FDCWD, f, AT_FDCWD, g, 0));
  show("renameat2 NOREPLACE",
       renameat2(AT_FDCWD, g, AT_FDCWD, f, RENAME_NOREPLACE));
  show("renameat2 EXCHANGE",
       renameat2(AT_FDCWD, g, AT_FDCWD, f, RENAME_EXCHANGE));
  show("renameat2 8", renameat2(AT_FDCWD, g, AT_FDCWD, in_dir("h"), 8));
  show("mknodat FIFO", mknodat(AT_FDCWD, in_dir("fifo"), S_IFIFO | 0600, 0));
  show("mknodat REG", mknodat(AT_FDCWD, in_dir("reg"), S_IFREG | 0640, 0));
  show("mknodat FIFO again", mknod(in_dir("fifo"), S_IFIFO | 0644, 0));
  show("unlinkat NOFOLLOW flag",
       unlinkat(AT_FDCWD, in_dir("reg"), AT_SYMLINK_NOFOLLOW));
}

static void directory(void) {
  int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  char buf[4096];
  long n64 = syscall(SYS_getdents64, dfd, buf, sizeof buf);
  show("getdents64 (end)", syscall(SYS_getdents64, dfd, buf, sizeof buf));
  lseek(dfd, 0, SEEK_SET);
  long n = syscall(SYS_getdents, dfd, buf, sizeof buf);
  printf("getdents and getdents64 same size: %d\n", n == n64 && n > 0);
  show("getdents (end)", syscall(SYS_getdents, dfd, buf, sizeof buf));
  show("getdents not a dir", syscall(SYS_getdents, 0, buf, sizeof buf));
  close(dfd);
}

static void xattrs(void) {
  show("setxattr flags 8", setxattr(in_dir("f"), "user.k", "v", 1, 8));
  show("setxattr 3", setxattr(in_dir("f"), "user.k", "v", 1, 3));
}

int main(int argc, char **argv) {
  (void)argc;
  const char *base = strrchr(argv[0], '/');
  /* In the working directory (the build tree's): two checkouts running
   * the suite at once must not share it. */
  snprintf(dir, sizeof dir, "emu-files-%s.tmp", base ? base + 1 : argv[0]);
  mkdir(dir, 0755);
  int fd = openat(AT_FDCWD, in_dir("f"), O_RDWR | O_CREAT | O_TRUNC, 0640);
  show("openat CREAT|TRUNC", fd);
  show("write", write(fd, "hello world\n", 12));
  opens();
  stats(fd);
  fcntls(fd);
  file_ops(fd);
  paths(fd);
  directory();
  xattrs();
  close(fd);
  static const char *const names[] = {"f", "g", "h", "fifo", "reg"};
  for (unsigned k = 0; k < sizeof names / sizeof *names; k++)
    unlink(in_dir(names[k]));
  show("rmdir", rmdir(dir));
  return 0;
}
