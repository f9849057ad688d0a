/* Data transfer: read, write and their vectored and positioned forms
 * (on a socket, the socket calls': net/sock_io.c; sendfile and
 * copy_file_range are in splice.c). Data goes through a bounded host
 * buffer and copy_to_guest/copy_from_guest; a bad guest buffer is
 * -EFAULT, and a fault after some bytes moved returns the bytes moved,
 * as Linux does. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <unistd.h>

#include "../../devices/dev.h"
#include "../fs.h"
#include "../net/net.h"
#include "../syscall_table.h"

static uint8_t fs_bounce[FS_CHUNK];

/* One read (pos < 0: at the file offset) into guest memory. */
int64_t fs_read_into(struct process *p, int host_fd, uint64_t buf, uint64_t len,
                     int64_t pos) {
  uint64_t done = 0;
  while (done < len) {
    size_t n = len - done < FS_CHUNK ? (size_t)(len - done) : FS_CHUNK;
    ssize_t r = pos < 0 ? read(host_fd, fs_bounce, n)
                        : pread(host_fd, fs_bounce, n, pos + (int64_t)done);
    if (r < 0)
      return done ? (int64_t)done : -errno;
    if (r && copy_to_guest(&p->mmu, buf + done, fs_bounce, (size_t)r) < 0)
      return done ? (int64_t)done : -EFAULT;
    done += (uint64_t)r;
    if ((size_t)r < n)
      break; /* short read: EOF, a pipe, a terminal line */
  }
  return (int64_t)done;
}

/* /dev/null's write never reads the buffer (drivers/char/mem.c), so
 * even a bad pointer "succeeds" there. */
static bool is_dev_null(int host_fd) {
  struct stat st;
  return fstat(host_fd, &st) == 0 && S_ISCHR(st.st_mode) &&
         st.st_rdev == makedev(1, 3);
}

int64_t fs_write_from(struct process *p, int host_fd, uint64_t buf,
                      uint64_t len, int64_t pos) {
  uint64_t done = 0;
  while (done < len) {
    size_t n = len - done < FS_CHUNK ? (size_t)(len - done) : FS_CHUNK;
    if (copy_from_guest(&p->mmu, fs_bounce, buf + done, n) < 0) {
      if (is_dev_null(host_fd))
        return (int64_t)len;
      return done ? (int64_t)done : -EFAULT;
    }
    ssize_t r = pos < 0 ? write(host_fd, fs_bounce, n)
                        : pwrite(host_fd, fs_bounce, n, pos + (int64_t)done);
    if (r < 0)
      return done ? (int64_t)done : -errno;
    done += (uint64_t)r;
    if ((size_t)r < n)
      break;
  }
  return (int64_t)done;
}

/* A read or write at the file offset may block (a pipe, a terminal, a
 * socket): it waits for the descriptor on the host first, so that a
 * signal for the guest interrupts it (host_wait.c); a terminal's job
 * control answers without waiting (tty_jobs.c). Interrupted before
 * anything moved, it restarts or fails with EINTR as the handler's
 * SA_RESTART says (pipe_read: -ERESTARTSYS). */
int64_t fs_stream_io(struct process *p, int host_fd, uint64_t buf, uint64_t len,
                     bool writing) {
  /* Nothing to move: the file answers at once (0 for a pipe, EAGAIN or
   * EINVAL for some), without waiting. */
  if (!len)
    return fs_host_ret(writing ? write(host_fd, fs_bounce, 0)
                               : read(host_fd, fs_bounce, 0));
  bool background = !writing && tty_jobs_background(host_fd);
  if (!background && host_wait_fd(p, host_fd, writing ? POLLOUT : POLLIN) < 0)
    return -ERESTARTSYS;
  sigset_t saved;
  bool quiet = tty_jobs_quiet_begin(p, &saved); /* tty_jobs.c */
  int64_t r = writing ? fs_write_from(p, host_fd, buf, len, -1)
                      : fs_read_into(p, host_fd, buf, len, -1);
  tty_jobs_quiet_end(quiet, &saved);
  return r == -EINTR ? -ERESTARTSYS : r;
}

/* Linux caps one transfer at MAX_RW_COUNT (INT_MAX & PAGE_MASK). */
static uint64_t rw_count(uint64_t len) {
  return len > 0x7ffff000 ? 0x7ffff000 : len;
}

/* One transfer on guest fd `fd` (pos < 0: at its offset, which may
 * block): a device's own read or write, or the host file's. read and
 * write on a socket are recv and send without flags (net/socket.c:
 * sock_read_iter, sock_write_iter), which wait as the socket calls do
 * (net/sock_wait.c). */
static int64_t transfer(struct process *p, int fd, uint64_t buf, uint64_t len,
                        int64_t pos, bool writing) {
  struct fd_entry *e = fd_entry_of(p, fd);
  if (!e)
    return -EBADF;
  if (e->dev)
    return writing ? dev_write(p, e, buf, len, pos)
                   : dev_read(p, e, buf, len, pos);
  /* emu's own file (signalfd, a --deterministic timerfd): no write
   * (EINVAL) and no positioned read (ESPIPE), as their anon inodes. */
  if (e->special)
    return writing ? -EINVAL
           : pos >= 0
               ? -ESPIPE
               : e->special->ops->read(p, e->special, e->host_fd, buf, len);
  enum fd_host_kind kind = fd_host_kind(e);
  if (pos < 0 && kind == FD_KIND_SOCKET) {
    struct guest_iovec v = {buf, len};
    return sock_rw(p, e->host_fd, &v, 1, writing);
  }
  /* A file that never waits needs no interruptible wait first; length 0
   * still asks the host (EBADF for a file not open for it). */
  if (pos < 0 && (kind == FD_KIND_STREAM || !len))
    return fs_stream_io(p, e->host_fd, buf, len, writing);
  return writing ? fs_write_from(p, e->host_fd, buf, len, pos)
                 : fs_read_into(p, e->host_fd, buf, len, pos);
}

int64_t sys_read(struct process *p, const uint64_t a[6]) {
  return transfer(p, (int)a[0], a[1], rw_count(a[2]), -1, false);
}

int64_t sys_write(struct process *p, const uint64_t a[6]) {
  return transfer(p, (int)a[0], a[1], rw_count(a[2]), -1, true);
}

int64_t sys_pread64(struct process *p, const uint64_t a[6]) {
  if (fd_host(p, (int)a[0]) < 0)
    return -EBADF;
  if ((int64_t)a[3] < 0)
    return -EINVAL;
  return transfer(p, (int)a[0], a[1], rw_count(a[2]), (int64_t)a[3], false);
}

int64_t sys_pwrite64(struct process *p, const uint64_t a[6]) {
  if (fd_host(p, (int)a[0]) < 0)
    return -EBADF;
  if ((int64_t)a[3] < 0)
    return -EINVAL;
  return transfer(p, (int)a[0], a[1], rw_count(a[2]), (int64_t)a[3], true);
}

/* RWF_* that Linux 6.1 knows (linux/fs.h RWF_SUPPORTED) and the one a
 * file must support by name (FMODE_NOWAIT). */
#define RWF_KNOWN 0x1f
#define RWF_NOWAIT_BIT 0x08

/* One transfer with RWF_* flags on a host file: the host's preadv2 or
 * pwritev2 chunk by chunk through the bounce buffer (pos -1: at the file
 * offset). A read or write at the offset of a descriptor that may block
 * waits on the host first, unless RWF_NOWAIT, as fs_stream_io does, so that a
 * guest signal interrupts it. */
static int64_t transfer_flags(struct process *p, struct fd_entry *e,
                              uint64_t buf, uint64_t len, int64_t pos,
                              int flags, bool writing) {
  enum fd_host_kind kind = fd_host_kind(e);
  if (len && pos < 0 && kind != FD_KIND_QUIET && !(flags & RWF_NOWAIT_BIT) &&
      host_wait_fd(p, e->host_fd, writing ? POLLOUT : POLLIN) < 0)
    return -ERESTARTSYS;
  uint64_t done = 0;
  do {
    size_t n = len - done < FS_CHUNK ? (size_t)(len - done) : FS_CHUNK;
    if (writing && copy_from_guest(&p->mmu, fs_bounce, buf + done, n) < 0)
      return done ? (int64_t)done : -EFAULT;
    struct iovec v = {fs_bounce, n};
    long at = pos < 0 ? -1 : (long)(pos + (int64_t)done);
    long r = syscall(writing ? SYS_pwritev2 : SYS_preadv2, e->host_fd, &v, 1,
                     at, 0L, flags);
    if (r < 0)
      return done ? (int64_t)done : -errno;
    if (!writing && r &&
        copy_to_guest(&p->mmu, buf + done, fs_bounce, (size_t)r) < 0)
      return done ? (int64_t)done : -EFAULT;
    done += (uint64_t)r;
    if ((size_t)r < n)
      break;
  } while (done < len);
  return (int64_t)done;
}

/* The vectored forms: each iovec in turn, stopping at a short transfer
 * (fs/read_write.c do_loop_readv_writev has the same visible effect).
 * RWF_* flags reach the host with a host file; emu's own files (devices,
 * signalfd...) have no RWF_NOWAIT and no unknown flag (EOPNOTSUPP) and
 * need nothing of the others. */
static int64_t rw_vector(struct process *p, const uint64_t a[6], bool writing,
                         int64_t pos, int flags) {
  int h = fd_host(p, (int)a[0]);
  if (h < 0)
    return h;
  if (a[2] > 1024) /* UIO_MAXIOV */
    return -EINVAL;
  struct iovec iov[1024];
  if (a[2] && copy_from_guest(&p->mmu, iov, a[1], a[2] * sizeof *iov) < 0)
    return -EFAULT;
  for (uint64_t k = 0; k < a[2]; k++)
    if ((int64_t)iov[k].iov_len < 0)
      return -EINVAL;
  struct fd_entry *e = fd_entry_of(p, (int)a[0]);
  bool own = e->dev || fd_special(p, (int)a[0]);
  if (own && (flags & (~RWF_KNOWN | RWF_NOWAIT_BIT)))
    return -EOPNOTSUPP;
  if (own)
    flags = 0;
  if (fd_special(p, (int)a[0])) { /* one read into the first buffer */
    for (uint64_t k = 0; k < a[2]; k++)
      if (iov[k].iov_len)
        return transfer(p, (int)a[0], (uint64_t)(uintptr_t)iov[k].iov_base,
                        rw_count(iov[k].iov_len), pos, writing);
    return writing ? -EINVAL : 0;
  }
  if (!flags && pos < 0 && !e->dev && fd_host_kind(e) == FD_KIND_SOCKET) {
    struct guest_iovec g[1024];
    uint64_t sum = 0;
    for (uint64_t k = 0; k < a[2]; k++) {
      uint64_t len = rw_count(iov[k].iov_len);
      if (len > 0x7ffff000 - sum)
        len = 0x7ffff000 - sum;
      g[k] = (struct guest_iovec){(uint64_t)(uintptr_t)iov[k].iov_base, len};
      sum += len;
    }
    return sock_rw(p, h, g, a[2], writing);
  }
  int64_t total = 0;
  for (uint64_t k = 0; k < a[2]; k++) {
    uint64_t base = (uint64_t)(uintptr_t)iov[k].iov_base;
    uint64_t len = rw_count(iov[k].iov_len);
    int64_t at = pos < 0 ? -1 : pos + total;
    int64_t r = flags ? transfer_flags(p, e, base, len, at, flags, writing)
                      : transfer(p, (int)a[0], base, len, at, writing);
    if (r < 0)
      return total ? total : r;
    total += r;
    if ((uint64_t)r < len)
      break;
  }
  return total;
}

int64_t sys_readv(struct process *p, const uint64_t a[6]) {
  return rw_vector(p, a, false, -1, 0);
}

int64_t sys_writev(struct process *p, const uint64_t a[6]) {
  return rw_vector(p, a, true, -1, 0);
}

int64_t sys_preadv(struct process *p, const uint64_t a[6]) {
  if ((int64_t)a[3] < 0)
    return -EINVAL;
  return rw_vector(p, a, false, (int64_t)a[3], 0);
}

int64_t sys_pwritev(struct process *p, const uint64_t a[6]) {
  if ((int64_t)a[3] < 0)
    return -EINVAL;
  return rw_vector(p, a, true, (int64_t)a[3], 0);
}

/* preadv2/pwritev2 (fd, iov, iovcnt, pos_l, pos_h, flags): on x86-64 the
 * offset is pos_l whole; -1 is the file offset (do_readv), another
 * negative offset EINVAL. */
int64_t sys_preadv2(struct process *p, const uint64_t a[6]) {
  if ((int64_t)a[3] < -1)
    return -EINVAL;
  return rw_vector(p, a, false, (int64_t)a[3], (int)a[5]);
}

int64_t sys_pwritev2(struct process *p, const uint64_t a[6]) {
  if ((int64_t)a[3] < -1)
    return -EINVAL;
  return rw_vector(p, a, true, (int64_t)a[3], (int)a[5]);
}
