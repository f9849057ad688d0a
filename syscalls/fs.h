/* Shared by the file-system calls (fs*.c), the descriptor table (fd.c)
 * and the special files (devices/). */
#ifndef EMU_FS_H
#define EMU_FS_H

#include <stddef.h>
#include <stdint.h>

#include "process.h"

/* Bounce buffers between host calls and guest memory are this big: a
 * guest length never sizes a host allocation. */
#define FS_CHUNK (64 * 1024)
#define FS_PATH_MAX 4096

/* --- fd.c --- */
/* Put host_fd in slot guest_fd (closing what was there), as dup2 does.
 * Returns guest_fd or -EBADF (host_fd is closed on failure). fd_install
 * also closes host_fd when it fails (-EMFILE). */
int fd_install_at(struct process *p, int guest_fd, int host_fd, int fd_flags);
struct fd_entry *fd_entry_of(struct process *p, int guest_fd);
/* What the host file under a guest descriptor is, as the transfer paths
 * need to know: looked up (fstat) at the first transfer and kept in the
 * entry until the slot is given out again (a file's type never changes),
 * so that a read or write of a file costs one host call, not four. */
enum fd_host_kind {
  FD_KIND_UNKNOWN,
  /* never waits: a regular file, a directory, a block device, or one of
   * the memory devices null, zero, full, random, urandom */
  FD_KIND_QUIET,
  FD_KIND_SOCKET,
  FD_KIND_STREAM, /* may wait: a pipe, a FIFO, a terminal, other devices */
};
enum fd_host_kind fd_host_kind(struct fd_entry *e);
/* Read position of a generated directory (/proc/self/fd) open on
 * guest_fd; zero when the descriptor is installed. */
uint64_t *fd_dir_cursor(int guest_fd);

/* --- fs_io.c: transfers between a host descriptor and guest memory
 * (pos < 0: at the file offset; fs_stream_io may block, interruptibly)
 * --- */
int64_t fs_read_into(struct process *p, int host_fd, uint64_t buf, uint64_t len,
                     int64_t pos);
int64_t fs_write_from(struct process *p, int host_fd, uint64_t buf,
                      uint64_t len, int64_t pos);
int64_t fs_stream_io(struct process *p, int host_fd, uint64_t buf, uint64_t len,
                     bool writing);

/* --- fs_path.c --- */
/* Copy a path from the guest: 0, -EFAULT or -ENAMETOOLONG. */
int fs_get_path(struct process *p, uint64_t addr, char out[FS_PATH_MAX]);
/* A guest dirfd as a host one (AT_FDCWD passes), or -EBADF. */
int fs_dirfd(struct process *p, int64_t guest_dirfd);
/* -errno from a host call that returned -1. */
int64_t fs_host_ret(long r);
/* A guest (dirfd, path) pair as host ones, with special paths resolved
 * (devices/): 0, or -EFAULT, -ENAMETOOLONG, -EBADF. */
struct host_path {
  int dirfd;
  const char *path;
  char buf[FS_PATH_MAX], resolved[FS_PATH_MAX];
};
int fs_host_path(struct process *p, int64_t dirfd, uint64_t addr,
                 struct host_path *hp);

/* --- prctl.c --- */
/* The process name (PR_GET_NAME, /proc/self/status Name:). */
const char *prctl_comm(struct process *p);

/* --- time.c --- */
struct timespec;
/* Sleep on `clock` (TIMER_ABSTIME in flags for a deadline): the host
 * sleeps, or the virtual clock advances with --deterministic. 0 or
 * -errno. */
/* The guest's clock `id` (the virtual one with --deterministic): 0 or
 * -EINVAL. */
int time_clock_now(struct process *p, int id, struct timespec *ts);
int time_sleep(struct process *p, int clock, int flags,
               const struct timespec *req, struct timespec *rem);

#endif
