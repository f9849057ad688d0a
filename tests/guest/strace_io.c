/* Descriptor requests as strace prints them (its -O2 build runs under
 * strace_compare.sh): ioctl on a regular file (the FIO requests every
 * file answers, a request strace has no name for shown as _IOC(...)),
 * poll with no array, and unknown flags of pipe2, dup3 and eventfd2
 * with strace's comments. Only results and errno names are printed. */
#define _GNU_SOURCE /* strerrorname_np, pipe2, dup3 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static void show(const char *what, long r) {
  if (r < 0)
    printf("%-28s -1 %s\n", what, strerrorname_np(errno));
  else
    printf("%-28s %ld\n", what, r);
}

int main(int argc, char **argv) {
  (void)argc;
  int fd = open(argv[0], O_RDONLY | O_CLOEXEC);
  int n = 0, on = 1;
  long long size = 0;
  show("lseek 100", lseek(fd, 100, SEEK_SET));
  show("FIONREAD", ioctl(fd, FIONREAD, &n));
  printf("left after 100: %d\n", n > 0);
  show("FIOQSIZE", ioctl(fd, FIOQSIZE, &size));
  printf("size: %d\n", size > 100 && size - 100 == n);
  show("FIGETBSZ", ioctl(fd, FIGETBSZ, &n));
  show("FIOASYNC on", ioctl(fd, FIOASYNC, &on));
  on = 0;
  show("FIOASYNC off", ioctl(fd, FIOASYNC, &on));
  show("FIONBIO", ioctl(fd, FIONBIO, &on));
  show("ioctl 0x1234", ioctl(fd, 0x1234, 0));
  show("ioctl _IOWR('z', 7, 16)", ioctl(fd, _IOWR('z', 7, char[16]), 0));
  show("TCGETS on a file", ioctl(fd, TCGETS, (void *)8));
  show("poll NULL, 0", poll(NULL, 0, 0));
  int p[2];
  show("pipe2 0x10", pipe2(p, 0x10));
  show("pipe2 NONBLOCK|CLOEXEC", pipe2(p, O_NONBLOCK | O_CLOEXEC));
  show("dup3 0x10", dup3(p[0], 20, 0x10));
  show("dup3 CLOEXEC", dup3(p[0], 20, O_CLOEXEC));
  show("eventfd2 0x10", syscall(SYS_eventfd2, 0, 0x10));
  show("eventfd2 SEMAPHORE", eventfd(1, EFD_SEMAPHORE | EFD_CLOEXEC));
  return 0;
}
