/* Moving data between descriptors inside the kernel: sendfile,
 * copy_file_range, splice, tee (the host's calls on the host
 * descriptors), and vmsplice, whose guest buffers are copied (a host
 * vmsplice would lend the pipe pages of emu's bounce buffer, not the
 * guest's). A call that may block (a pipe or socket end that is not
 * ready) waits for it first as read and write do (host_wait_fd), then
 * runs without the kernel lock, so that other threads go on and a
 * signal ends it: -ERESTARTSYS, as pipe and socket waits give. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "../fs.h"
#include "../net/net.h"
#include "../syscall_table.h"

/* Linux caps one transfer at MAX_RW_COUNT. */
static uint64_t rw_count(uint64_t len) {
  return len > 0x7ffff000 ? 0x7ffff000 : len;
}

/* An optional in/out loff_t: NULL, or read now and written back. */
static int get_off(struct process *p, uint64_t addr, int64_t *off,
                   int64_t **ptr) {
  *ptr = NULL;
  if (!addr)
    return 0;
  if (copy_from_guest(&p->mmu, off, addr, sizeof *off) < 0)
    return -EFAULT;
  *ptr = off;
  return 0;
}

/* A device (devices/) has no splice_read/splice_write and is not a
 * regular file: it takes no part (EINVAL). */
static bool either_device(struct process *p, int fd1, int fd2) {
  return fd_entry_of(p, fd1)->dev || fd_entry_of(p, fd2)->dev;
}

/* Wait until in has data and out has room (each only when it may
 * block): 0, or -ERESTARTSYS for a signal. */
static int wait_both(struct process *p, int in, int out, bool nonblock) {
  if (nonblock)
    return 0;
  if (in >= 0 && host_wait_fd(p, in, POLLIN) < 0)
    return -ERESTARTSYS;
  if (out >= 0 && host_wait_fd(p, out, POLLOUT) < 0)
    return -ERESTARTSYS;
  return 0;
}

static int64_t done(long r) {
  if (r >= 0)
    return r;
  return errno == EINTR ? -ERESTARTSYS : -errno;
}

int64_t sys_sendfile(struct process *p, const uint64_t a[6]) {
  int out = fd_host(p, (int)a[0]), in = fd_host(p, (int)a[1]);
  if (out < 0 || in < 0)
    return -EBADF;
  if (either_device(p, (int)a[0], (int)a[1]))
    return -EINVAL;
  int64_t off, *offp;
  if (get_off(p, a[2], &off, &offp) < 0)
    return -EFAULT;
  int e = wait_both(p, -1, out, false);
  if (e)
    return e;
  int64_t r =
      done(SOCK_UNLOCKED(p, sendfile(out, in, (off_t *)offp, rw_count(a[3]))));
  if (r >= 0 && offp && copy_to_guest(&p->mmu, a[2], &off, sizeof off) < 0)
    return -EFAULT;
  return r;
}

int64_t sys_copy_file_range(struct process *p, const uint64_t a[6]) {
  int in = fd_host(p, (int)a[0]), out = fd_host(p, (int)a[2]);
  if (out < 0 || in < 0)
    return -EBADF;
  if (either_device(p, (int)a[0], (int)a[2]))
    return -EINVAL;
  int64_t in_off, out_off, *in_p, *out_p;
  if (get_off(p, a[1], &in_off, &in_p) < 0 ||
      get_off(p, a[3], &out_off, &out_p) < 0)
    return -EFAULT;
  long r = syscall(SYS_copy_file_range, in, in_p, out, out_p, (size_t)a[4],
                   (unsigned)a[5]);
  if (r < 0)
    return -errno;
  if ((in_p && copy_to_guest(&p->mmu, a[1], in_p, 8) < 0) ||
      (out_p && copy_to_guest(&p->mmu, a[3], out_p, 8) < 0))
    return -EFAULT;
  return r;
}

int64_t sys_splice(struct process *p, const uint64_t a[6]) {
  int in = fd_host(p, (int)a[0]), out = fd_host(p, (int)a[2]);
  if (out < 0 || in < 0)
    return -EBADF;
  if (either_device(p, (int)a[0], (int)a[2]))
    return -EINVAL;
  int64_t in_off, out_off, *in_p, *out_p;
  if (get_off(p, a[1], &in_off, &in_p) < 0 ||
      get_off(p, a[3], &out_off, &out_p) < 0)
    return -EFAULT;
  unsigned flags = (unsigned)a[5];
  int e = wait_both(p, in, out, flags & SPLICE_F_NONBLOCK);
  if (e)
    return e;
  int64_t r = done(
      SOCK_UNLOCKED(p, splice(in, in_p, out, out_p, rw_count(a[4]), flags)));
  if (r >= 0 && ((in_p && copy_to_guest(&p->mmu, a[1], in_p, 8) < 0) ||
                 (out_p && copy_to_guest(&p->mmu, a[3], out_p, 8) < 0)))
    return -EFAULT;
  return r;
}

int64_t sys_tee(struct process *p, const uint64_t a[6]) {
  int in = fd_host(p, (int)a[0]), out = fd_host(p, (int)a[1]);
  if (out < 0 || in < 0)
    return -EBADF;
  if (either_device(p, (int)a[0], (int)a[1]))
    return -EINVAL;
  unsigned flags = (unsigned)a[3];
  int e = wait_both(p, in, out, flags & SPLICE_F_NONBLOCK);
  if (e)
    return e;
  return done(SOCK_UNLOCKED(p, tee(in, out, rw_count(a[2]), flags)));
}

/* vmsplice on the write end of a pipe is a write of the guest's
 * buffers into it, on the read end a read out of it (vmsplice_to_user);
 * any other descriptor is EBADF. SPLICE_F_NONBLOCK: the pipe does not
 * wait, whatever its own flags say. */
int64_t sys_vmsplice(struct process *p, const uint64_t a[6]) {
  int h = fd_host(p, (int)a[0]);
  if (h < 0)
    return h;
  unsigned flags = (unsigned)a[3];
  if (flags & ~0xfu)
    return -EINVAL;
  struct stat st;
  int fl = fcntl(h, F_GETFL);
  if (fstat(h, &st) < 0 || !S_ISFIFO(st.st_mode) || fl < 0)
    return -EBADF;
  bool to_pipe = (fl & O_ACCMODE) == O_WRONLY;
  struct guest_iovec iov[SOCK_IOV_MAX];
  uint64_t total;
  if (a[2] > SOCK_IOV_MAX)
    return -EINVAL;
  int e = sock_iov_read(p, a[1], a[2], iov, &total);
  if (e)
    return e == -EMSGSIZE ? -EINVAL : e;
  size_t cap = total < (1u << 20) ? (size_t)total : (1u << 20);
  uint8_t *buf = malloc(cap ? cap : 1);
  if (!buf)
    return -ENOMEM;
  bool nonblock = flags & SPLICE_F_NONBLOCK;
  int64_t r = 0;
  if (nonblock) {
    struct pollfd pfd = {h, to_pipe ? POLLOUT : POLLIN, 0};
    if (poll(&pfd, 1, 0) == 0)
      r = -EAGAIN;
  } else if (host_wait_fd(p, h, to_pipe ? POLLOUT : POLLIN) < 0) {
    r = -ERESTARTSYS;
  }
  if (!r) {
    size_t n = 0;
    if (to_pipe) {
      for (uint64_t k = 0; k < a[2] && n < cap; k++) {
        size_t m = iov[k].len < cap - n ? (size_t)iov[k].len : cap - n;
        if (m && copy_from_guest(&p->mmu, buf + n, iov[k].base, m) < 0)
          break;
        n += m;
      }
      r = n || !total ? done(SOCK_UNLOCKED(p, write(h, buf, n))) : -EFAULT;
    } else {
      r = done(SOCK_UNLOCKED(p, read(h, buf, cap)));
      for (uint64_t k = 0; r > 0 && k < a[2] && n < (size_t)r; k++) {
        size_t m =
            iov[k].len < (size_t)r - n ? (size_t)iov[k].len : (size_t)r - n;
        if (m && copy_to_guest(&p->mmu, iov[k].base, buf + n, m) < 0) {
          r = n ? (int64_t)n : -EFAULT;
          break;
        }
        n += m;
      }
    }
  }
  free(buf);
  return r;
}
