/* inotify on the host's: an inotify instance is a host descriptor, a
 * watch is the host's watch on the guest's path (resolved as every path
 * call resolves it: fs_host_path), and the events read from it have
 * the host's layout, which is the guest's. Watch descriptors are the
 * host instance's own numbers, as they are per instance on Linux. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/inotify.h>

#include "../fs.h"
#include "../syscall_table.h"

int64_t sys_inotify_init1(struct process *p, const uint64_t a[6]) {
  int flags = (int)a[0];
  if (flags & ~(IN_CLOEXEC | IN_NONBLOCK))
    return -EINVAL;
  int h = inotify_init1(flags | IN_CLOEXEC);
  if (h < 0)
    return -errno;
  return fd_install(p, h, flags & IN_CLOEXEC ? FD_CLOEXEC : 0, 0);
}

int64_t sys_inotify_init(struct process *p, const uint64_t a[6]) {
  (void)a;
  const uint64_t b[6] = {0};
  return sys_inotify_init1(p, b);
}

int64_t sys_inotify_add_watch(struct process *p, const uint64_t a[6]) {
  int h = fd_host(p, (int)a[0]);
  if (h < 0)
    return h;
  struct host_path hp;
  int e = fs_host_path(p, AT_FDCWD, a[1], &hp);
  if (e)
    return e;
  char at[FS_PATH_MAX + 32];
  const char *path = hp.path;
  if (hp.dirfd != AT_FDCWD && hp.path[0] != '/') {
    snprintf(at, sizeof at, "/proc/self/fd/%d/%s", hp.dirfd, hp.path);
    path = at;
  }
  int wd = inotify_add_watch(h, path, (uint32_t)a[2]);
  return wd < 0 ? -errno : wd;
}

int64_t sys_inotify_rm_watch(struct process *p, const uint64_t a[6]) {
  int h = fd_host(p, (int)a[0]);
  if (h < 0)
    return h;
  return inotify_rm_watch(h, (int)a[1]) < 0 ? -errno : 0;
}
