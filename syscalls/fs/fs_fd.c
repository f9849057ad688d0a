/* Calls on descriptors: close, lseek, dup*, pipe*, fcntl, ioctl,
 * getdents64 and the fd forms of sync/truncate/chmod/chown/chdir. The
 * guest's FD_CLOEXEC lives in the guest table (fcntl F_GETFD/F_SETFD);
 * status flags and locks belong to the open file, so the host keeps them. */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#include "../../devices/dev.h"
#include "../fs.h"
#include "../net/net.h"
#include "../syscall_table.h"

static bool is_fd_dir(struct process *p, struct fd_entry *e) {
  return e && e->path && dev_is_fd_dir(p, e->path);
}

int64_t sys_close(struct process *p, const uint64_t a[6]) {
  return fd_close(p, (int)a[0]);
}

int64_t sys_close_range(struct process *p, const uint64_t a[6]) {
  unsigned first = (unsigned)a[0], last = (unsigned)a[1];
  if (first > last || (a[2] & ~6ull))
    return -EINVAL;
  for (unsigned k = first; k <= last && k < FD_MAX; k++) {
    struct fd_entry *e = fd_entry_of(p, (int)k);
    if (!e)
      continue;
    if (a[2] & 4) /* CLOSE_RANGE_CLOEXEC */
      e->fd_flags |= FD_CLOEXEC;
    else
      fd_close(p, (int)k);
  }
  return 0;
}

int64_t sys_lseek(struct process *p, const uint64_t a[6]) {
  int h = fd_host(p, (int)a[0]);
  if (h < 0)
    return h;
  struct fd_entry *e = fd_entry_of(p, (int)a[0]);
  if (e->dev)
    return dev_lseek(p, e, (int64_t)a[1], (int)a[2]);
  /* rewinddir/seekdir on a generated directory move its own cursor. */
  if (is_fd_dir(p, fd_entry_of(p, (int)a[0]))) {
    if ((int)a[2] != SEEK_SET || (int64_t)a[1] < 0)
      return -EINVAL;
    *fd_dir_cursor((int)a[0]) = a[1];
    return (int64_t)a[1];
  }
  return fs_host_ret(lseek(h, (off_t)a[1], (int)a[2]));
}

static int64_t dup_to(struct process *p, int oldfd, int min_fd, int fd_flags) {
  int h = fd_host(p, oldfd);
  if (h < 0)
    return h;
  int nh = fcntl(h, F_DUPFD_CLOEXEC, 3);
  if (nh < 0)
    return -errno;
  int dev = fd_entry_of(p, oldfd)->dev;
  int fd = fd_install(p, nh, fd_flags, min_fd);
  if (fd >= 0) {
    p->files->fds[fd].dev = dev;
    fd_set_special(p, fd, fd_special(p, oldfd));
  }
  return fd;
}

int64_t sys_dup(struct process *p, const uint64_t a[6]) {
  return dup_to(p, (int)a[0], 0, 0);
}

static int64_t do_dup3(struct process *p, int oldfd, int newfd, int flags) {
  int h = fd_host(p, oldfd);
  if (h < 0)
    return h;
  if (newfd < 0 || newfd >= FD_MAX)
    return -EBADF;
  int nh = fcntl(h, F_DUPFD_CLOEXEC, 3);
  if (nh < 0)
    return -errno;
  int dev = fd_entry_of(p, oldfd)->dev;
  struct fd_special *s = fd_special(p, oldfd);
  if (s)
    s->refs++; /* the slot newfd's release may drop oldfd's file */
  int fd = fd_install_at(p, newfd, nh, flags & O_CLOEXEC ? FD_CLOEXEC : 0);
  if (fd >= 0) {
    p->files->fds[fd].dev = dev;
    fd_set_special(p, fd, s);
  }
  if (s && --s->refs == 0)
    s->ops->release(s);
  return fd;
}

int64_t sys_dup2(struct process *p, const uint64_t a[6]) {
  if ((int)a[0] == (int)a[1]) /* dup2 to itself only checks oldfd */
    return fd_host(p, (int)a[0]) < 0 ? -EBADF : (int)a[1];
  return do_dup3(p, (int)a[0], (int)a[1], 0);
}

int64_t sys_dup3(struct process *p, const uint64_t a[6]) {
  if (a[2] & ~(uint64_t)O_CLOEXEC)
    return -EINVAL;
  if ((int)a[0] == (int)a[1])
    return -EINVAL;
  return do_dup3(p, (int)a[0], (int)a[1], (int)a[2]);
}

int64_t sys_pipe2(struct process *p, const uint64_t a[6]) {
  int host[2];
  if (a[1] & ~(uint64_t)(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
    return -EINVAL;
  if (pipe2(host, ((int)a[1] & ~O_CLOEXEC) | O_CLOEXEC) < 0)
    return -errno;
  int cloexec = a[1] & O_CLOEXEC ? FD_CLOEXEC : 0;
  int fds[2];
  fds[0] = fd_install(p, host[0], cloexec, 0);
  if (fds[0] < 0) {
    close(host[1]);
    return fds[0];
  }
  fds[1] = fd_install(p, host[1], cloexec, 0);
  if (fds[1] < 0) {
    fd_close(p, fds[0]);
    return fds[1];
  }
  if (copy_to_guest(&p->mmu, a[0], fds, sizeof fds) < 0) {
    fd_close(p, fds[0]);
    fd_close(p, fds[1]);
    return -EFAULT;
  }
  return 0;
}

int64_t sys_pipe(struct process *p, const uint64_t a[6]) {
  const uint64_t b[6] = {a[0], 0};
  return sys_pipe2(p, b);
}

/* struct flock is 32 bytes on x86-64; the host's is the same. */
static int64_t fcntl_lock(struct process *p, int h, int cmd, uint64_t addr) {
  struct flock fl;
  if (copy_from_guest(&p->mmu, &fl, addr, sizeof fl) < 0)
    return -EFAULT;
  if (fcntl(h, cmd, &fl) < 0)
    return -errno;
  if ((cmd == F_GETLK || cmd == F_OFD_GETLK) &&
      copy_to_guest(&p->mmu, addr, &fl, sizeof fl) < 0)
    return -EFAULT;
  return 0;
}

/* struct f_owner_ex in or out: the owner is a host thread, process or
 * group, as the guest's are the host's. */
static int64_t fcntl_owner_ex(struct process *p, int h, int cmd,
                              uint64_t addr) {
  struct f_owner_ex o;
  if (cmd == F_SETOWN_EX && copy_from_guest(&p->mmu, &o, addr, sizeof o) < 0)
    return -EFAULT;
  if (fcntl(h, cmd, &o) < 0)
    return -errno;
  if (cmd == F_GETOWN_EX && copy_to_guest(&p->mmu, addr, &o, sizeof o) < 0)
    return -EFAULT;
  return 0;
}

int64_t sys_fcntl(struct process *p, const uint64_t a[6]) {
  int fd = (int)a[0], cmd = (int)a[1];
  struct fd_entry *e = fd_entry_of(p, fd);
  if (!e)
    return -EBADF;
  switch (cmd) {
  case F_DUPFD:
  case F_DUPFD_CLOEXEC:
    if ((int)a[2] < 0 || (int)a[2] >= FD_MAX)
      return -EINVAL;
    return dup_to(p, fd, (int)a[2], cmd == F_DUPFD_CLOEXEC ? FD_CLOEXEC : 0);
  case F_GETFD: return e->fd_flags;
  case F_SETFD: e->fd_flags = (int)a[2] & FD_CLOEXEC; return 0;
  case F_GETFL:
  case F_SETFL:
  case F_GETOWN:
  case F_SETOWN:
  case F_GETSIG:
  case F_SETSIG:
  case F_GETPIPE_SZ:
  case F_SETPIPE_SZ:
  case F_ADD_SEALS:
  case F_GET_SEALS:
  case F_GETLEASE:
  case F_SETLEASE:
  case F_NOTIFY: return fs_host_ret(fcntl(e->host_fd, cmd, (int)a[2]));
  case F_GETOWN_EX:
  case F_SETOWN_EX: return fcntl_owner_ex(p, e->host_fd, cmd, a[2]);
  case F_SETLK:
  case F_SETLKW:
  case F_GETLK:
  case F_OFD_SETLK:
  case F_OFD_SETLKW:
  case F_OFD_GETLK: return fcntl_lock(p, e->host_fd, cmd, a[2]);
  default: return -EINVAL;
  }
}

/* A terminal request from a background group is job control's
 * (tty_jobs.c): SIGTTOU and ERESTARTSYS, or it goes ahead when the
 * guest ignores or blocks SIGTTOU. */
static int64_t tty_ioctl(struct process *p, int host_fd, uint64_t request,
                         void *arg) {
  sigset_t saved;
  bool quiet = tty_jobs_quiet_begin(p, &saved);
  int r = ioctl(host_fd, request, arg);
  int err = errno;
  tty_jobs_quiet_end(quiet, &saved);
  if (r < 0)
    return err == EINTR ? -ERESTARTSYS : -err;
  return r;
}

/* ioctl: the terminal, job-control, pty and FIO requests are passed to
 * the host with their argument copied in and out: the descriptor is the
 * host's, and so are the session, the process groups and the controlling
 * terminal (a guest process is a host process). Anything else is -ENOTTY,
 * what Linux says for a request the file does not know. */
int64_t sys_ioctl(struct process *p, const uint64_t a[6]) {
  struct fd_entry *e = fd_entry_of(p, (int)a[0]);
  if (!e)
    return -EBADF;
  uint8_t arg[64];
  size_t in = 0, out = 0;
  switch (a[1]) {
  case FIOCLEX: e->fd_flags |= FD_CLOEXEC; return 0;
  case FIONCLEX: e->fd_flags &= ~FD_CLOEXEC; return 0;
  case FIONBIO: break; /* every file's (do_vfs_ioctl) */
  default:
    if (e->dev) /* the driver's */
      return dev_ioctl(p, e, a[1], a[2]);
  }
  switch (a[1]) {
  case TCGETS: out = 36; break; /* the kernel's struct termios */
  case TCSETS:
  case TCSETSW:
  case TCSETSF: in = 36; break;
  case TIOCGWINSZ: out = sizeof(struct winsize); break;
  case TIOCSWINSZ: in = sizeof(struct winsize); break;
  case FIONREAD:
  case TIOCOUTQ:
  case TIOCGPGRP:
  case TIOCGSID:
  case TIOCGPTN:
  case TIOCGEXCL:
  case TIOCGETD: out = sizeof(int); break;
  case FIGETBSZ: out = sizeof(int); break; /* a file's block size */
  case FIOQSIZE: out = 8; break;           /* a file's size */
  case FIONBIO:
  case FIOASYNC:
  case TIOCSPGRP:
  case TIOCSPTLCK:
  case TIOCSETD: in = sizeof(int); break;
  /* The argument is a value, or there is none. */
  case TCFLSH:
  case TCXONC:
  case TCSBRK:
  case TCSBRKP:
  case TIOCSCTTY:
  case TIOCNOTTY:
  case TIOCEXCL:
  case TIOCNXCL: return tty_ioctl(p, e->host_fd, a[1], (void *)(uintptr_t)a[2]);
  case TIOCGPTPEER: { /* the pty's other end, opened with these flags */
    int h = ioctl(e->host_fd, TIOCGPTPEER, (unsigned long)a[2]);
    if (h < 0)
      return -errno;
    return fd_install(p, h, (a[2] & O_CLOEXEC) ? FD_CLOEXEC : 0, 0);
  }
  default: {
    int64_t r;
    return sock_ioctl(p, e->host_fd, a[1], a[2], &r) ? r : -ENOTTY;
  }
  }
  if (in && copy_from_guest(&p->mmu, arg, a[2], in) < 0)
    return -EFAULT;
  int64_t r = tty_ioctl(p, e->host_fd, a[1], arg);
  if (r < 0)
    return r;
  if (out && copy_to_guest(&p->mmu, a[2], arg, out) < 0)
    return -EFAULT;
  return 0;
}

/* Directory entries in the linux_dirent64 layout, at most n bytes. */
static long read_dirents64(struct process *p, int fd, uint8_t *buf, size_t n) {
  struct fd_entry *e = fd_entry_of(p, fd);
  if (!e)
    return -EBADF;
  if (is_fd_dir(p, e))
    return dev_fd_dir_read(p, fd_dir_cursor(fd), buf, n);
  long r = syscall(SYS_getdents64, e->host_fd, buf, n);
  return r < 0 ? -errno : r;
}

int64_t sys_getdents64(struct process *p, const uint64_t a[6]) {
  static uint8_t buf[FS_CHUNK];
  size_t n = a[2] < sizeof buf ? (size_t)a[2] : sizeof buf;
  long r = read_dirents64(p, (int)a[0], buf, n);
  if (r < 0)
    return r;
  return copy_to_guest(&p->mmu, a[1], buf, (size_t)r) < 0 ? -EFAULT : r;
}

/* The old getdents: struct linux_dirent has the same size as
 * linux_dirent64 for every name (ino, off, reclen, the name and its NUL,
 * then the type in the record's last byte, 8-aligned), so each record is
 * rewritten in place. */
int64_t sys_getdents(struct process *p, const uint64_t a[6]) {
  static uint8_t buf[FS_CHUNK];
  size_t n = a[2] < sizeof buf ? (size_t)a[2] : sizeof buf;
  long r = read_dirents64(p, (int)a[0], buf, n);
  if (r < 0)
    return r;
  for (long off = 0; off < r;) {
    uint8_t *d = buf + off;
    uint16_t reclen;
    memcpy(&reclen, d + 16, 2);
    if (reclen < 20 || off + reclen > r)
      break;
    uint8_t type = d[18];
    memmove(d + 18, d + 19, strnlen((char *)d + 19, reclen - 19u) + 1);
    d[reclen - 1] = type;
    off += reclen;
  }
  return copy_to_guest(&p->mmu, a[1], buf, (size_t)r) < 0 ? -EFAULT : r;
}

/* flock checks the operation before the descriptor (fs/locks.c):
 * LOCK_MAND, no longer supported, succeeds at once whatever the
 * descriptor; an operation other than LOCK_SH, LOCK_EX or LOCK_UN (with
 * LOCK_NB) is EINVAL. */
int64_t sys_flock(struct process *p, const uint64_t a[6]) {
  unsigned cmd = (unsigned)a[1];
  if (cmd & LOCK_MAND)
    return 0;
  unsigned op = cmd & ~(unsigned)LOCK_NB;
  if (op != LOCK_SH && op != LOCK_EX && op != LOCK_UN)
    return -EINVAL;
  int h = fd_host(p, (int)a[0]);
  if (h < 0)
    return h;
  return fs_host_ret(flock(h, (int)cmd));
}

/* Calls on one descriptor with plain integer arguments. */
#define FD_CALL(name, host_nr, ...)                                            \
  int64_t sys_##name(struct process *p, const uint64_t a[6]) {                 \
    int h = fd_host(p, (int)a[0]);                                             \
    if (h < 0)                                                                 \
      return h;                                                                \
    return fs_host_ret(syscall(host_nr, h, ##__VA_ARGS__));                    \
  }
FD_CALL(fsync, SYS_fsync)
FD_CALL(fdatasync, SYS_fdatasync)
FD_CALL(ftruncate, SYS_ftruncate, (long)a[1])
FD_CALL(fchmod, SYS_fchmod, (unsigned)a[1])
FD_CALL(fchown, SYS_fchown, (int)a[1], (int)a[2])
FD_CALL(fchdir, SYS_fchdir)
FD_CALL(fadvise64, SYS_fadvise64, (long)a[1], (long)a[2], (int)a[3])
FD_CALL(fallocate, SYS_fallocate, (int)a[1], (long)a[2], (long)a[3])
FD_CALL(syncfs, SYS_syncfs)
FD_CALL(sync_file_range, SYS_sync_file_range, (long)a[1], (long)a[2],
        (unsigned)a[3])
FD_CALL(readahead, SYS_readahead, (long)a[1], (size_t)a[2])
#undef FD_CALL

/* sync writes every file system's dirty data back: the host's. */
int64_t sys_sync(struct process *p, const uint64_t a[6]) {
  (void)p;
  (void)a;
  sync();
  return 0;
}
