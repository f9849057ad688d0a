/* File calls emu used to leave ENOSYS: mknod (a FIFO, a regular file, a
 * socket, a device: the host's answer), sync, utime, utimes, futimesat
 * (times set, then read back with stat), preadv2/pwritev2 (an offset, -1
 * for the file position, RWF_* flags), and their error paths. Only
 * results, errno names and the times the test set are printed. */
#define _GNU_SOURCE /* strerrorname_np, preadv2 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>
#include <utime.h>

#define BAD_ADDRESS ((void *)8)

static char dir[128];

static void show(const char *what, long r) {
  if (r < 0)
    printf("%-32s -1 %s\n", what, strerrorname_np(errno));
  else
    printf("%-32s %ld\n", what, r);
}

static const char *in_dir(const char *name) {
  static char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return path;
}

static void show_type(const char *name) {
  struct stat st;
  if (stat(in_dir(name), &st) < 0) {
    printf("stat %-27s -1 %s\n", name, strerrorname_np(errno));
    return;
  }
  printf("stat %-27s %s %03o\n", name,
         S_ISFIFO(st.st_mode)   ? "fifo"
         : S_ISREG(st.st_mode)  ? "reg"
         : S_ISSOCK(st.st_mode) ? "sock"
         : S_ISCHR(st.st_mode)  ? "chr"
                                : "other",
         st.st_mode & 0777);
}

static void nodes(void) {
  umask(022);
  show("mknod fifo", syscall(SYS_mknod, in_dir("fifo"), S_IFIFO | 0666, 0));
  show_type("fifo");
  show("mknod fifo again",
       syscall(SYS_mknod, in_dir("fifo"), S_IFIFO | 0600, 0));
  show("mknod reg", syscall(SYS_mknod, in_dir("reg"), S_IFREG | 0640, 0));
  show_type("reg");
  show("mknod type 0 (regular)", syscall(SYS_mknod, in_dir("zero"), 0644, 0));
  show_type("zero");
  show("mknodat sock", mknodat(AT_FDCWD, in_dir("sock"), S_IFSOCK | 0600, 0));
  show_type("sock");
  int d = open(dir, O_RDONLY | O_DIRECTORY);
  show("mknodat dirfd fifo", mknodat(d, "fifo2", S_IFIFO | 0644, 0));
  show("mknodat bad dirfd", mknodat(99, "fifo3", S_IFIFO | 0644, 0));
  close(d);
  show("mknod dir type", syscall(SYS_mknod, in_dir("d"), S_IFDIR | 0755, 0));
  show("mknod bad type", syscall(SYS_mknod, in_dir("b"), 0170000 | 0644, 0));
  show("mknod no parent", syscall(SYS_mknod, in_dir("none/x"), S_IFIFO, 0));
  show("mknod bad path", syscall(SYS_mknod, BAD_ADDRESS, S_IFIFO, 0));
  /* A device: EPERM without CAP_MKNOD, created with it. */
  long r = syscall(SYS_mknod, in_dir("null"), S_IFCHR | 0600, makedev(1, 3));
  printf("mknod chr 1,3: %s\n", r == 0 ? "made" : strerrorname_np(errno));
  if (r == 0)
    show_type("null");
  sync();
  printf("sync done\n");
}

static void show_times(const char *name) {
  struct stat st;
  if (stat(in_dir(name), &st) < 0) {
    printf("stat %s: %s\n", name, strerrorname_np(errno));
    return;
  }
  printf("%s: atime %lld.%09ld mtime %lld.%09ld\n", name,
         (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
         (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

static void times(void) {
  struct utimbuf ub = {.actime = 1000000000, .modtime = 1234567890};
  show("utime", syscall(SYS_utime, in_dir("reg"), &ub));
  show_times("reg");
  show("utime NULL", syscall(SYS_utime, in_dir("reg"), NULL));
  show("utime bad times", syscall(SYS_utime, in_dir("reg"), BAD_ADDRESS));
  show("utime missing", syscall(SYS_utime, in_dir("none"), &ub));
  struct timeval tv[2] = {{1100000000, 250000}, {1200000000, 999999}};
  show("utimes", syscall(SYS_utimes, in_dir("reg"), tv));
  show_times("reg");
  struct timeval bad[2] = {{1, 1000000}, {1, 0}};
  show("utimes usec 1000000", syscall(SYS_utimes, in_dir("reg"), bad));
  bad[0].tv_usec = -1;
  show("utimes usec -1", syscall(SYS_utimes, in_dir("reg"), bad));
  show("utimes bad times", syscall(SYS_utimes, in_dir("reg"), BAD_ADDRESS));
  show("utimes bad path", syscall(SYS_utimes, BAD_ADDRESS, tv));
  int d = open(dir, O_RDONLY | O_DIRECTORY);
  tv[1].tv_sec = 1300000000;
  show("futimesat dirfd", syscall(SYS_futimesat, d, "reg", tv));
  show_times("reg");
  int f = open(in_dir("reg"), O_RDWR);
  tv[1].tv_sec = 1400000000;
  show("futimesat fd, NULL path", syscall(SYS_futimesat, f, NULL, tv));
  show_times("reg");
  show("futimesat bad dirfd", syscall(SYS_futimesat, 99, "reg", tv));
  show("futimesat NULL times", syscall(SYS_futimesat, d, "reg", NULL));
  close(f);
  close(d);
}

static void vectors(void) {
  int fd = open(in_dir("data"), O_RDWR | O_CREAT | O_TRUNC, 0644);
  char a[8] = "abcdefg", b[8] = "1234567";
  struct iovec w[2] = {{a, 7}, {b, 7}};
  show("pwritev2 at 0", pwritev2(fd, w, 2, 0, 0));
  show("pwritev2 DSYNC at 3", pwritev2(fd, w, 1, 3, RWF_DSYNC));
  show("pwritev2 -1 (position 0)", pwritev2(fd, w + 1, 1, -1, RWF_SYNC));
  show("pwritev2 APPEND", pwritev2(fd, w, 1, 0, RWF_APPEND));
  show("lseek CUR", lseek(fd, 0, SEEK_CUR));
  char r1[8] = {0}, r2[16] = {0};
  struct iovec rv[2] = {{r1, 5}, {r2, 16}};
  show("preadv2 at 2", preadv2(fd, rv, 2, 2, 0));
  printf("read: %.5s|%.16s\n", r1, r2);
  lseek(fd, 1, SEEK_SET);
  memset(r2, 0, sizeof r2);
  show("preadv2 -1 HIPRI", preadv2(fd, rv + 1, 1, -1, RWF_HIPRI));
  printf("read: %.16s\n", r2);
  show("lseek CUR", lseek(fd, 0, SEEK_CUR));
  show("preadv2 offset -2", preadv2(fd, rv, 2, -2, 0));
  show("preadv2 bad fd", preadv2(99, rv, 2, 0, 0));
  show("preadv2 bad iovec", syscall(SYS_preadv2, fd, BAD_ADDRESS, 1, 0, 0, 0));
  static struct iovec many[1025];
  show("preadv2 iovcnt 1025", preadv2(fd, many, 1025, 0, 0));
  int p[2];
  pipe(p);
  show("pwritev2 pipe at 0", pwritev2(p[1], w, 1, 0, 0));
  show("pwritev2 pipe -1 DSYNC", pwritev2(p[1], w, 1, -1, RWF_DSYNC));
  memset(r1, 0, sizeof r1);
  show("preadv2 pipe -1 flags 0", preadv2(p[0], rv, 1, -1, 0));
  printf("read: %.5s\n", r1);
  close(p[0]);
  close(p[1]);
  close(fd);
}

int main(int argc, char **argv) {
  (void)argc;
  const char *base = strrchr(argv[0], '/');
  /* In the working directory (the build tree's): two checkouts running
   * the suite at once must not share it. */
  snprintf(dir, sizeof dir, "emu-oldfile-%s.tmp", base ? base + 1 : argv[0]);
  mkdir(dir, 0755);
  nodes();
  times();
  vectors();
  static const char *const names[] = {"fifo",  "reg",  "zero", "sock",
                                      "fifo2", "null", "data"};
  for (size_t k = 0; k < sizeof names / sizeof *names; k++)
    unlink(in_dir(names[k]));
  rmdir(dir);
  return 0;
}
