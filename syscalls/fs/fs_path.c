/* Calls that name files: open, stat, access, readlink, the directory
 * and link operations. Paths are copied from the guest, special ones are
 * resolved by devices/, and the host does the rest; its errno is the
 * guest's (the host is Linux too). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <unistd.h>

#include "../../devices/dev.h"
#include "../fs.h"
#include "../syscall_table.h"

int fs_get_path(struct process *p, uint64_t addr, char out[FS_PATH_MAX]) {
  long n = strncpy_from_guest(&p->mmu, out, addr, FS_PATH_MAX);
  return n < 0 ? (int)n : 0;
}

int fs_dirfd(struct process *p, int64_t guest_dirfd) {
  if ((int)guest_dirfd == AT_FDCWD)
    return AT_FDCWD;
  return fd_host(p, (int)guest_dirfd);
}

int64_t fs_host_ret(long r) { return r < 0 ? -errno : r; }

int fs_host_path(struct process *p, int64_t dirfd, uint64_t addr,
                 struct host_path *hp) {
  int r = fs_get_path(p, addr, hp->buf);
  if (r < 0)
    return r;
  hp->path = dev_resolve(p, hp->buf, hp->resolved, sizeof hp->resolved);
  /* An absolute path ignores dirfd, even a bad one (path_init). */
  if (hp->path[0] == '/') {
    hp->dirfd = AT_FDCWD;
    return 0;
  }
  hp->dirfd = fs_dirfd(p, dirfd);
  return hp->dirfd == -EBADF ? -EBADF : 0;
}

static int64_t do_openat(struct process *p, int64_t dirfd, uint64_t path,
                         uint64_t flags, uint64_t mode) {
  struct host_path hp;
  int r = fs_host_path(p, dirfd, path, &hp);
  if (r < 0)
    return r;
  int kind = DEV_NONE;
  int h = dev_open(p, hp.path, (int)flags, &kind);
  if (h == DEV_NOT_SPECIAL)
    h = (int)fs_host_ret(syscall(SYS_openat, hp.dirfd, hp.path, (int)flags,
                                 (unsigned)mode & 07777));
  if (h < 0)
    return h;
  int fd = fd_install(p, h, flags & O_CLOEXEC ? FD_CLOEXEC : 0, 0);
  if (fd >= 0) {
    p->files->fds[fd].path = strdup(hp.path);
    p->files->fds[fd].dev = kind;
  }
  return fd;
}

int64_t sys_openat(struct process *p, const uint64_t a[6]) {
  return do_openat(p, (int64_t)a[0], a[1], a[2], a[3]);
}

int64_t sys_open(struct process *p, const uint64_t a[6]) {
  return do_openat(p, AT_FDCWD, a[0], a[1], a[2]);
}

int64_t sys_creat(struct process *p, const uint64_t a[6]) {
  return do_openat(p, AT_FDCWD, a[0], O_CREAT | O_WRONLY | O_TRUNC, a[1]);
}

static int64_t do_fstatat(struct process *p, int64_t dirfd, uint64_t path,
                          uint64_t buf, int flags) {
  struct host_path hp;
  struct stat st;
  int r = fs_host_path(p, dirfd, path, &hp);
  if (r < 0)
    return r;
  if (dev_stat(hp.path, &st) == DEV_NOT_SPECIAL &&
      fstatat(hp.dirfd, hp.path, &st, flags) < 0)
    return -errno;
  /* glibc's struct stat is the x86-64 kernel's (asm/stat.h). */
  return copy_to_guest(&p->mmu, buf, &st, sizeof st) < 0 ? -EFAULT : 0;
}

int64_t sys_newfstatat(struct process *p, const uint64_t a[6]) {
  /* fstatat(fd, "", AT_EMPTY_PATH) is fstat of fd: the guest's fd. */
  if ((a[3] & AT_EMPTY_PATH) && (int)a[0] != AT_FDCWD) {
    char c;
    if (copy_from_guest(&p->mmu, &c, a[1], 1) == 0 && c == 0) {
      int h = fd_host(p, (int)a[0]);
      struct stat st;
      if (h < 0)
        return h;
      if (fstat(h, &st) < 0)
        return -errno;
      if (fd_entry_of(p, (int)a[0])->dev)
        dev_fstat(fd_entry_of(p, (int)a[0])->dev, &st);
      return copy_to_guest(&p->mmu, a[2], &st, sizeof st) < 0 ? -EFAULT : 0;
    }
  }
  return do_fstatat(p, (int64_t)a[0], a[1], a[2], (int)a[3]);
}

int64_t sys_stat(struct process *p, const uint64_t a[6]) {
  return do_fstatat(p, AT_FDCWD, a[0], a[1], 0);
}

int64_t sys_lstat(struct process *p, const uint64_t a[6]) {
  return do_fstatat(p, AT_FDCWD, a[0], a[1], AT_SYMLINK_NOFOLLOW);
}

int64_t sys_fstat(struct process *p, const uint64_t a[6]) {
  int h = fd_host(p, (int)a[0]);
  struct stat st;
  if (h < 0)
    return h;
  if (fstat(h, &st) < 0)
    return -errno;
  if (fd_entry_of(p, (int)a[0])->dev)
    dev_fstat(fd_entry_of(p, (int)a[0])->dev, &st);
  return copy_to_guest(&p->mmu, a[1], &st, sizeof st) < 0 ? -EFAULT : 0;
}

/* A device node's statx: its stat's basic fields over the host file's
 * (times, mount id), or alone for a node with no host file. */
static void device_statx(const struct stat *st, struct statx *sx) {
  sx->stx_mask |= STATX_BASIC_STATS;
  sx->stx_mode = (uint16_t)st->st_mode;
  sx->stx_ino = st->st_ino;
  sx->stx_nlink = (uint32_t)st->st_nlink;
  sx->stx_uid = st->st_uid;
  sx->stx_gid = st->st_gid;
  sx->stx_size = 0;
  sx->stx_blocks = 0;
  sx->stx_blksize = (uint32_t)st->st_blksize;
  sx->stx_rdev_major = major(st->st_rdev);
  sx->stx_rdev_minor = minor(st->st_rdev);
  sx->stx_dev_major = major(st->st_dev);
  sx->stx_dev_minor = minor(st->st_dev);
}

int64_t sys_statx(struct process *p, const uint64_t a[6]) {
  struct host_path hp;
  struct statx sx;
  struct stat st;
  int r = fs_host_path(p, (int64_t)a[0], a[1], &hp);
  if (r == -EBADF && (a[2] & AT_EMPTY_PATH))
    return -EBADF;
  if (r < 0)
    return r;
  struct fd_entry *e = NULL;
  if (hp.path[0] == 0 && (a[2] & AT_EMPTY_PATH)) {
    hp.dirfd = fs_dirfd(p, (int64_t)a[0]);
    e = fd_entry_of(p, (int)a[0]);
  }
  if (dev_stat(hp.path, &st) == 0) {
    memset(&sx, 0, sizeof sx);
    device_statx(&st, &sx);
  } else {
    if (syscall(SYS_statx, hp.dirfd, hp.path, (int)a[2], (unsigned)a[3], &sx) <
        0)
      return -errno;
    if (e && e->dev) {
      dev_fstat(e->dev, &st);
      device_statx(&st, &sx);
    }
  }
  return copy_to_guest(&p->mmu, a[4], &sx, sizeof sx) < 0 ? -EFAULT : 0;
}

/* struct statfs is the same for glibc and the x86-64 kernel. */
int64_t sys_statfs(struct process *p, const uint64_t a[6]) {
  struct host_path hp;
  struct statfs s;
  int r = fs_host_path(p, AT_FDCWD, a[0], &hp);
  if (r < 0)
    return r;
  if (statfs(hp.path, &s) < 0)
    return -errno;
  return copy_to_guest(&p->mmu, a[1], &s, sizeof s) < 0 ? -EFAULT : 0;
}

int64_t sys_fstatfs(struct process *p, const uint64_t a[6]) {
  struct statfs s;
  int h = fd_host(p, (int)a[0]);
  if (h < 0)
    return h;
  if (fstatfs(h, &s) < 0)
    return -errno;
  return copy_to_guest(&p->mmu, a[1], &s, sizeof s) < 0 ? -EFAULT : 0;
}

static int64_t do_faccessat(struct process *p, int64_t dirfd, uint64_t path,
                            uint64_t mode, uint64_t flags) {
  struct host_path hp;
  int r = fs_host_path(p, dirfd, path, &hp);
  if (r < 0)
    return r;
  struct stat st;
  if (dev_stat(hp.path, &st) == 0) /* rw for its owner and group */
    return (mode & X_OK) ? -EACCES : 0;
  if (flags)
    return fs_host_ret(
        syscall(SYS_faccessat2, hp.dirfd, hp.path, (int)mode, (int)flags));
  return fs_host_ret(syscall(SYS_faccessat, hp.dirfd, hp.path, (int)mode));
}

int64_t sys_access(struct process *p, const uint64_t a[6]) {
  return do_faccessat(p, AT_FDCWD, a[0], a[1], 0);
}

int64_t sys_faccessat(struct process *p, const uint64_t a[6]) {
  return do_faccessat(p, (int64_t)a[0], a[1], a[2], 0);
}

int64_t sys_faccessat2(struct process *p, const uint64_t a[6]) {
  return do_faccessat(p, (int64_t)a[0], a[1], a[2], a[3]);
}

static int64_t do_readlinkat(struct process *p, int64_t dirfd, uint64_t path,
                             uint64_t buf, uint64_t size) {
  char target[FS_PATH_MAX];
  struct host_path hp;
  if ((int64_t)(int)size <= 0)
    return -EINVAL;
  int r = fs_get_path(p, path, hp.buf);
  if (r < 0)
    return r;
  size_t cap = size < sizeof target ? (size_t)size : sizeof target;
  int n = dev_readlink(p, hp.buf, target, cap);
  if (n == DEV_NOT_SPECIAL) {
    r = fs_host_path(p, dirfd, path, &hp);
    if (r < 0)
      return r;
    n = (int)fs_host_ret(readlinkat(hp.dirfd, hp.path, target, cap));
  }
  if (n < 0)
    return n;
  return copy_to_guest(&p->mmu, buf, target, (size_t)n) < 0 ? -EFAULT : n;
}

int64_t sys_readlink(struct process *p, const uint64_t a[6]) {
  return do_readlinkat(p, AT_FDCWD, a[0], a[1], a[2]);
}

int64_t sys_readlinkat(struct process *p, const uint64_t a[6]) {
  return do_readlinkat(p, (int64_t)a[0], a[1], a[2], a[3]);
}

/* Calls on one path with plain integer arguments: the host does them. */
#define PATH_CALL(name, host_nr, ...)                                          \
  int64_t sys_##name(struct process *p, const uint64_t a[6]) {                 \
    struct host_path hp;                                                       \
    int r = fs_host_path(p, AT_FDCWD, a[0], &hp);                              \
    if (r < 0)                                                                 \
      return r;                                                                \
    return fs_host_ret(syscall(host_nr, hp.path, ##__VA_ARGS__));              \
  }
PATH_CALL(chdir, SYS_chdir)
PATH_CALL(mkdir, SYS_mkdir, (unsigned)a[1])
PATH_CALL(rmdir, SYS_rmdir)
PATH_CALL(unlink, SYS_unlink)
PATH_CALL(chmod, SYS_chmod, (unsigned)a[1])
PATH_CALL(chown, SYS_chown, (int)a[1], (int)a[2])
PATH_CALL(lchown, SYS_lchown, (int)a[1], (int)a[2])
PATH_CALL(truncate, SYS_truncate, (long)a[1])
PATH_CALL(mknod, SYS_mknod, (unsigned)a[1], (unsigned)a[2])
#undef PATH_CALL

/* Calls on (dirfd, path) with plain integer arguments after them. */
#define AT_CALL(name, host_nr, ...)                                            \
  int64_t sys_##name(struct process *p, const uint64_t a[6]) {                 \
    struct host_path hp;                                                       \
    int r = fs_host_path(p, (int64_t)a[0], a[1], &hp);                         \
    if (r < 0)                                                                 \
      return r;                                                                \
    return fs_host_ret(syscall(host_nr, hp.dirfd, hp.path, ##__VA_ARGS__));    \
  }
AT_CALL(mkdirat, SYS_mkdirat, (unsigned)a[2])
AT_CALL(unlinkat, SYS_unlinkat, (int)a[2])
AT_CALL(fchmodat, SYS_fchmodat, (unsigned)a[2])
AT_CALL(fchownat, SYS_fchownat, (int)a[2], (int)a[3], (int)a[4])
AT_CALL(mknodat, SYS_mknodat, (unsigned)a[2], (unsigned)a[3])
#undef AT_CALL

/* Two-path calls: rename, link, symlink and their *at forms. */
static int64_t two_paths(struct process *p, long host_nr, int64_t olddir,
                         uint64_t oldpath, int64_t newdir, uint64_t newpath,
                         uint64_t flags) {
  struct host_path from, to;
  int r = fs_host_path(p, olddir, oldpath, &from);
  if (r == 0)
    r = fs_host_path(p, newdir, newpath, &to);
  if (r < 0)
    return r;
  return fs_host_ret(syscall(host_nr, from.dirfd, from.path, to.dirfd, to.path,
                             (unsigned)flags));
}

int64_t sys_rename(struct process *p, const uint64_t a[6]) {
  return two_paths(p, SYS_renameat2, AT_FDCWD, a[0], AT_FDCWD, a[1], 0);
}

int64_t sys_renameat(struct process *p, const uint64_t a[6]) {
  return two_paths(p, SYS_renameat2, (int64_t)a[0], a[1], (int64_t)a[2], a[3],
                   0);
}

int64_t sys_renameat2(struct process *p, const uint64_t a[6]) {
  return two_paths(p, SYS_renameat2, (int64_t)a[0], a[1], (int64_t)a[2], a[3],
                   a[4]);
}

int64_t sys_link(struct process *p, const uint64_t a[6]) {
  return two_paths(p, SYS_linkat, AT_FDCWD, a[0], AT_FDCWD, a[1], 0);
}

int64_t sys_linkat(struct process *p, const uint64_t a[6]) {
  return two_paths(p, SYS_linkat, (int64_t)a[0], a[1], (int64_t)a[2], a[3],
                   a[4]);
}

/* symlink's target is stored as written, never resolved. */
int64_t sys_symlinkat(struct process *p, const uint64_t a[6]) {
  char target[FS_PATH_MAX];
  struct host_path hp;
  int r = fs_get_path(p, a[0], target);
  if (r == 0)
    r = fs_host_path(p, (int64_t)a[1], a[2], &hp);
  if (r < 0)
    return r;
  return fs_host_ret(syscall(SYS_symlinkat, target, hp.dirfd, hp.path));
}

int64_t sys_symlink(struct process *p, const uint64_t a[6]) {
  const uint64_t b[6] = {a[0], (uint64_t)(int64_t)AT_FDCWD, a[1]};
  return sys_symlinkat(p, b);
}

static bool nsec_valid(long nsec) {
  return nsec == UTIME_NOW || nsec == UTIME_OMIT ||
         (nsec >= 0 && nsec <= 999999999);
}

/* utimensat and the older forms (fs/utimes.c do_utimes): the times and
 * the flags are checked before the path is read; a NULL path with a
 * descriptor is the file it refers to (a Linux extension), with
 * AT_FDCWD the host's EFAULT. */
static int64_t do_utimes(struct process *p, int64_t guest_dirfd, uint64_t path,
                         const struct timespec *times, int flags) {
  struct host_path hp;
  int dirfd;
  const char *host = NULL;
  if (times && (!nsec_valid(times[0].tv_nsec) || !nsec_valid(times[1].tv_nsec)))
    return -EINVAL;
  if (path && (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)))
    return -EINVAL;
  if (path) {
    int r = fs_host_path(p, guest_dirfd, path, &hp);
    if (r < 0)
      return r;
    dirfd = hp.dirfd;
    host = hp.path;
  } else {
    if (flags && (int)guest_dirfd != AT_FDCWD) /* do_utimes_fd */
      return -EINVAL;
    dirfd = fs_dirfd(p, guest_dirfd);
    if (dirfd == -EBADF)
      return -EBADF;
  }
  return fs_host_ret(syscall(SYS_utimensat, dirfd, host, times, flags));
}

int64_t sys_utimensat(struct process *p, const uint64_t a[6]) {
  struct timespec times[2];
  if (a[2] && copy_from_guest(&p->mmu, times, a[2], sizeof times) < 0)
    return -EFAULT;
  return do_utimes(p, (int64_t)a[0], a[1], a[2] ? times : NULL, (int)a[3]);
}

/* utime's struct utimbuf: whole seconds, read before the path. */
int64_t sys_utime(struct process *p, const uint64_t a[6]) {
  int64_t buf[2] = {0, 0}; /* actime, modtime */
  struct timespec times[2];
  if (a[1] && copy_from_guest(&p->mmu, buf, a[1], sizeof buf) < 0)
    return -EFAULT;
  for (int k = 0; k < 2; k++)
    times[k] = (struct timespec){.tv_sec = buf[k], .tv_nsec = 0};
  return do_utimes(p, AT_FDCWD, a[0], a[1] ? times : NULL, 0);
}

/* futimesat and utimes take two struct timeval; a microsecond count
 * outside [0, 1000000) is EINVAL (do_futimesat). */
static int64_t do_futimesat(struct process *p, int64_t dirfd, uint64_t path,
                            uint64_t tv_addr) {
  struct timeval tv[2];
  struct timespec times[2];
  if (tv_addr && copy_from_guest(&p->mmu, tv, tv_addr, sizeof tv) < 0)
    return -EFAULT;
  for (int k = 0; tv_addr && k < 2; k++) {
    if (tv[k].tv_usec < 0 || tv[k].tv_usec >= 1000000)
      return -EINVAL;
    times[k] = (struct timespec){tv[k].tv_sec, tv[k].tv_usec * 1000};
  }
  return do_utimes(p, dirfd, path, tv_addr ? times : NULL, 0);
}

int64_t sys_utimes(struct process *p, const uint64_t a[6]) {
  return do_futimesat(p, AT_FDCWD, a[0], a[1]);
}

int64_t sys_futimesat(struct process *p, const uint64_t a[6]) {
  return do_futimesat(p, (int64_t)a[0], a[1], a[2]);
}

int64_t sys_getcwd(struct process *p, const uint64_t a[6]) {
  char cwd[FS_PATH_MAX];
  size_t cap = a[1] < sizeof cwd ? (size_t)a[1] : sizeof cwd;
  /* The raw call returns the length with the NUL, as the guest sees. */
  long n = syscall(SYS_getcwd, cwd, cap);
  if (n < 0)
    return -errno;
  return copy_to_guest(&p->mmu, a[0], cwd, (size_t)n) < 0 ? -EFAULT : n;
}

int64_t sys_umask(struct process *p, const uint64_t a[6]) {
  uint32_t old = p->fs->umask;
  p->fs->umask = (uint32_t)a[0] & 0777;
  umask(p->fs->umask); /* host creations on the guest's behalf use it */
  return old;
}
