/* Opening an executable (fs/exec.c do_open_execat): it must be a regular
 * file (else EACCES) that the caller may execute (EACCES). Its bytes are
 * mapped read-only on the host so the parser sees the whole file; guest
 * pages are still demand-paged from the descriptor by the kernel. */
#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int loader_file_open(const char *path, struct loader_file *f, char *err,
                     size_t errlen) {
  f->fd = -1;
  f->data = NULL;
  f->size = 0;
  if (path[0] == 0) {
    snprintf(err, errlen, "empty path");
    return -ENOENT;
  }
  /* O_NONBLOCK: a FIFO must not hang the open; it is refused below. */
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    int e = errno;
    snprintf(err, errlen, "%s", strerror(e));
    return -e;
  }
  struct stat st;
  if (fstat(fd, &st) < 0) {
    int e = errno;
    close(fd);
    snprintf(err, errlen, "%s", strerror(e));
    return -e;
  }
  if (!S_ISREG(st.st_mode)) {
    close(fd);
    snprintf(err, errlen,
             S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file");
    return -EACCES;
  }
  /* Even root needs one execute bit on a regular file (Linux's
   * generic_permission); access() covers the other users. */
  if (!(st.st_mode & 0111) || faccessat(AT_FDCWD, path, X_OK, AT_EACCESS)) {
    close(fd);
    snprintf(err, errlen, "permission denied (not executable)");
    return -EACCES;
  }
  f->fd = fd;
  f->size = (size_t)st.st_size;
  if (f->size) {
    void *m = mmap(NULL, f->size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (m == MAP_FAILED) {
      int e = errno;
      loader_file_close(f);
      snprintf(err, errlen, "cannot read: %s", strerror(e));
      return -e;
    }
    f->data = m;
  }
  return 0;
}

void loader_file_close(struct loader_file *f) {
  if (f->data)
    munmap((void *)f->data, f->size);
  if (f->fd >= 0)
    close(f->fd);
  f->data = NULL;
  f->size = 0;
  f->fd = -1;
}
