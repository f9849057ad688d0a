/* Extended attributes by path, link path and descriptor: set, size query,
 * get, a short buffer (ERANGE), list, a missing name (ENODATA), remove.
 * Only results and errno names are printed, so the output is the same
 * on any file system, whether it supports user attributes or not. */
#define _GNU_SOURCE /* strerrorname_np */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/xattr.h>
#include <unistd.h>

static void show(const char *what, long r) {
  if (r < 0)
    printf("%-28s -1 %s\n", what, strerrorname_np(errno));
  else
    printf("%-28s %ld\n", what, r);
}

int main(int argc, char **argv) {
  (void)argc;
  const char *base = strrchr(argv[0], '/');
  char path[256];
  /* In the working directory (the build tree's), not /tmp: two checkouts
   * running the suite at once must not share the file. */
  snprintf(path, sizeof path, "emu-xattr-%s.tmp", base ? base + 1 : argv[0]);
  int fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0600);
  if (fd < 0)
    return 1;
  char buf[64];
  show("setxattr user.k", setxattr(path, "user.k", "hello", 5, 0));
  show("setxattr XATTR_CREATE again",
       setxattr(path, "user.k", "x", 1, XATTR_CREATE));
  show("getxattr size", getxattr(path, "user.k", NULL, 0));
  long n = getxattr(path, "user.k", buf, sizeof buf);
  show("getxattr", n);
  if (n > 0)
    printf("value %.*s\n", (int)n, buf);
  show("getxattr short buffer", getxattr(path, "user.k", buf, 2));
  show("lgetxattr missing", lgetxattr(path, "user.none", buf, sizeof buf));
  show("fsetxattr user.f", fsetxattr(fd, "user.f", "", 0, 0));
  show("fgetxattr user.f", fgetxattr(fd, "user.f", buf, sizeof buf));
  n = listxattr(path, buf, sizeof buf);
  show("listxattr", n);
  show("llistxattr size", llistxattr(path, NULL, 0));
  show("flistxattr short", flistxattr(fd, buf, 1));
  show("removexattr user.k", removexattr(path, "user.k"));
  show("lremovexattr user.k again", lremovexattr(path, "user.k"));
  show("fremovexattr user.f", fremovexattr(fd, "user.f"));
  show("getxattr no such file", getxattr("/nonexistent", "user.k", buf, 8));
  show("getxattr empty name", getxattr(path, "", buf, 8));
  show("fgetxattr bad fd", fgetxattr(999, "user.k", buf, 8));
  close(fd);
  unlink(path);
  return 0;
}
