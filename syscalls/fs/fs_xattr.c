/* Extended attributes: get, list, set and remove, by path (following or
 * not the last symbolic link) or by descriptor. The host does the work on
 * bounce buffers of at most XATTR_SIZE_MAX bytes, the most the kernel
 * moves in one call (fs/xattr.c), so its errno is the guest's: ERANGE for
 * a short buffer, ENODATA, EOPNOTSUPP. `ls -l` asks for
 * security.selinux on every file. */
#include <errno.h>
#include <fcntl.h>
#include <linux/limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>

#include "../fs.h"
#include "../syscall_table.h"

/* Which object a call names: a path (resolved like every other path
 * argument, relative to the working directory) or a descriptor. */
struct xattr_target {
  int fd; /* >= 0 for the f* calls */
  bool follow;
  const char *path;
  struct host_path hp;
};

static int target_path(struct process *p, uint64_t addr, bool follow,
                       struct xattr_target *t) {
  int r = fs_host_path(p, AT_FDCWD, addr, &t->hp);
  if (r < 0)
    return r;
  t->fd = -1;
  t->follow = follow;
  t->path = t->hp.path;
  return 0;
}

static int target_fd(struct process *p, uint64_t guest_fd,
                     struct xattr_target *t) {
  t->fd = fd_host(p, (int)guest_fd);
  return t->fd < 0 ? t->fd : 0;
}

/* The attribute name: like strncpy_from_user with XATTR_NAME_MAX + 1,
 * ERANGE when longer (fs/xattr.c: import_xattr_name). */
static int get_name(struct process *p, uint64_t addr,
                    char name[XATTR_NAME_MAX + 1]) {
  long n = strncpy_from_guest(&p->mmu, name, addr, XATTR_NAME_MAX + 1);
  if (n < 0)
    return (int)n;
  if (n == 0 || (size_t)n > XATTR_NAME_MAX)
    return -ERANGE;
  return 0;
}

static int64_t do_get(struct process *p, struct xattr_target *t,
                      uint64_t name_addr, uint64_t value, uint64_t size) {
  char name[XATTR_NAME_MAX + 1];
  int r = get_name(p, name_addr, name);
  if (r < 0)
    return r;
  size_t n = size > XATTR_SIZE_MAX ? XATTR_SIZE_MAX : size;
  char *buf = n ? malloc(n) : NULL;
  if (n && !buf)
    return -ENOMEM;
  ssize_t got = t->fd >= 0  ? fgetxattr(t->fd, name, buf, n)
                : t->follow ? getxattr(t->path, name, buf, n)
                            : lgetxattr(t->path, name, buf, n);
  int64_t ret = got < 0 ? -errno : got;
  if (got > 0 && n && copy_to_guest(&p->mmu, value, buf, (size_t)got) < 0)
    ret = -EFAULT;
  free(buf);
  return ret;
}

static int64_t do_list(struct process *p, struct xattr_target *t, uint64_t list,
                       uint64_t size) {
  size_t n = size > XATTR_LIST_MAX ? XATTR_LIST_MAX : size;
  char *buf = n ? malloc(n) : NULL;
  if (n && !buf)
    return -ENOMEM;
  ssize_t got = t->fd >= 0  ? flistxattr(t->fd, buf, n)
                : t->follow ? listxattr(t->path, buf, n)
                            : llistxattr(t->path, buf, n);
  int64_t ret = got < 0 ? -errno : got;
  if (got > 0 && n && copy_to_guest(&p->mmu, list, buf, (size_t)got) < 0)
    ret = -EFAULT;
  free(buf);
  return ret;
}

static int64_t do_set(struct process *p, struct xattr_target *t,
                      uint64_t name_addr, uint64_t value, uint64_t size,
                      uint64_t flags) {
  char name[XATTR_NAME_MAX + 1];
  int r = get_name(p, name_addr, name);
  if (r < 0)
    return r;
  if (size > XATTR_SIZE_MAX)
    return -E2BIG;
  char *buf = size ? malloc(size) : NULL;
  if (size && !buf)
    return -ENOMEM;
  if (size && copy_from_guest(&p->mmu, buf, value, size) < 0) {
    free(buf);
    return -EFAULT;
  }
  int got = t->fd >= 0  ? fsetxattr(t->fd, name, buf, size, (int)flags)
            : t->follow ? setxattr(t->path, name, buf, size, (int)flags)
                        : lsetxattr(t->path, name, buf, size, (int)flags);
  free(buf);
  return got < 0 ? -errno : 0;
}

static int64_t do_remove(struct process *p, struct xattr_target *t,
                         uint64_t name_addr) {
  char name[XATTR_NAME_MAX + 1];
  int r = get_name(p, name_addr, name);
  if (r < 0)
    return r;
  int got = t->fd >= 0  ? fremovexattr(t->fd, name)
            : t->follow ? removexattr(t->path, name)
                        : lremovexattr(t->path, name);
  return got < 0 ? -errno : 0;
}

/* The twelve entry points: (path | lpath | fd) x (get, list, set, remove). */
#define XATTR_BY_PATH(NAME, FOLLOW, CALL)                                      \
  int64_t sys_##NAME(struct process *p, const uint64_t a[6]) {                 \
    struct xattr_target t;                                                     \
    int r = target_path(p, a[0], FOLLOW, &t);                                  \
    return r < 0 ? r : CALL;                                                   \
  }
#define XATTR_BY_FD(NAME, CALL)                                                \
  int64_t sys_##NAME(struct process *p, const uint64_t a[6]) {                 \
    struct xattr_target t;                                                     \
    int r = target_fd(p, a[0], &t);                                            \
    return r < 0 ? r : CALL;                                                   \
  }
XATTR_BY_PATH(getxattr, true, do_get(p, &t, a[1], a[2], a[3]))
XATTR_BY_PATH(lgetxattr, false, do_get(p, &t, a[1], a[2], a[3]))
XATTR_BY_FD(fgetxattr, do_get(p, &t, a[1], a[2], a[3]))
XATTR_BY_PATH(listxattr, true, do_list(p, &t, a[1], a[2]))
XATTR_BY_PATH(llistxattr, false, do_list(p, &t, a[1], a[2]))
XATTR_BY_FD(flistxattr, do_list(p, &t, a[1], a[2]))
XATTR_BY_PATH(setxattr, true, do_set(p, &t, a[1], a[2], a[3], a[4]))
XATTR_BY_PATH(lsetxattr, false, do_set(p, &t, a[1], a[2], a[3], a[4]))
XATTR_BY_FD(fsetxattr, do_set(p, &t, a[1], a[2], a[3], a[4]))
XATTR_BY_PATH(removexattr, true, do_remove(p, &t, a[1]))
XATTR_BY_PATH(lremovexattr, false, do_remove(p, &t, a[1]))
XATTR_BY_FD(fremovexattr, do_remove(p, &t, a[1]))
