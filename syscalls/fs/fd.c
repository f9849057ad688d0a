/* The guest's descriptor table: guest numbers (allocated lowest-free as
 * Linux's alloc_fd does) map to host descriptors. emu's own files (trace
 * output, mapped files) never enter the table, so the guest cannot see or
 * close them. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "../fs.h"
#include "../process.h"

/* The host's 0, 1 and 2 are emu's too (--strace and diagnostics write to
 * stderr): a guest close drops the guest's reference only. */
static uint64_t dir_cursors[FD_MAX];

/* The descriptors emu itself inherited, recorded before main opens any
 * file of its own: a process inherits every open descriptor of its
 * parent, so these are the guest's (execve keeps them; fs/exec.c). */
static uint64_t inherited[FD_MAX / 64];

static void mark_inherited(int k) {
  if (k >= 0 && k < FD_MAX)
    inherited[k / 64] |= 1ull << (k % 64);
}

/* From /proc/self/fd: a few system calls, where probing every number
 * with fcntl costs FD_MAX of them at each start. Without /proc, probe. */
__attribute__((constructor)) static void fd_record_inherited(void) {
  DIR *d = opendir("/proc/self/fd");
  if (!d) {
    for (int k = 0; k < FD_MAX; k++)
      if (fcntl(k, F_GETFD) >= 0)
        mark_inherited(k);
    return;
  }
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    char *end;
    long k = strtol(e->d_name, &end, 10);
    if (end != e->d_name && *end == '\0' && k != dirfd(d))
      mark_inherited((int)k);
  }
  closedir(d);
}

void fd_inherit(struct process *p) {
  for (int k = 0; k < FD_MAX; k++)
    if ((inherited[k / 64] >> (k % 64) & 1) && fcntl(k, F_GETFD) >= 0 &&
        p->files->fds[k].host_fd < 0) {
      p->files->fds[k].host_fd = k;
      p->files->fds[k].fd_flags = 0;
      p->files->fds[k].host_kind = FD_KIND_UNKNOWN;
    }
}

uint64_t *fd_dir_cursor(int guest_fd) { return &dir_cursors[guest_fd]; }

static void host_close(int host_fd) {
  if (host_fd > 2)
    close(host_fd);
}

/* An inherited descriptor number that emu may have to give out again
 * after the guest closes it: forget it was inherited. */
static void forget_inherited(int host_fd) {
  if (host_fd > 2 && host_fd < FD_MAX)
    inherited[host_fd / 64] &= ~(1ull << (host_fd % 64));
}

static bool fd_in_use_elsewhere(struct process *p, int host_fd, int except) {
  for (int k = 0; k < FD_MAX; k++)
    if (k != except && p->files->fds[k].host_fd == host_fd)
      return true;
  return false;
}

static void fd_release(struct process *p, int guest_fd) {
  struct fd_entry *e = &p->files->fds[guest_fd];
  /* Two guest slots may share a host descriptor only for 0..2 at start
   * (e.g. stdout and stderr both the terminal): close it once. */
  if (!fd_in_use_elsewhere(p, e->host_fd, guest_fd)) {
    forget_inherited(e->host_fd);
    host_close(e->host_fd);
  }
  free(e->path);
  e->path = NULL;
  e->host_fd = -1;
  e->fd_flags = 0;
  e->dev = 0;
  e->host_kind = FD_KIND_UNKNOWN;
  fd_set_special(p, guest_fd, NULL);
}

struct fd_special *fd_special(struct process *p, int guest_fd) {
  struct fd_entry *e = fd_entry_of(p, guest_fd);
  return e ? e->special : NULL;
}

void fd_set_special(struct process *p, int guest_fd, struct fd_special *s) {
  struct fd_entry *e = &p->files->fds[guest_fd];
  struct fd_special *old = e->special;
  if (s)
    s->refs++;
  e->special = s;
  if (old && --old->refs == 0)
    old->ops->release(old);
}

void fd_special_copied(struct files *f) {
  for (int k = 0; k < FD_MAX; k++)
    if (f->fds[k].special)
      f->fds[k].special->refs++;
}

int fd_install(struct process *p, int host_fd, int fd_flags, int min_fd) {
  if (min_fd < 0)
    min_fd = 0;
  for (int k = min_fd; k < FD_MAX; k++) {
    if (p->files->fds[k].host_fd == -1) {
      p->files->fds[k].host_fd = host_fd;
      p->files->fds[k].fd_flags = fd_flags & FD_CLOEXEC;
      p->files->fds[k].path = NULL;
      p->files->fds[k].dev = 0;
      p->files->fds[k].special = NULL;
      p->files->fds[k].host_kind = FD_KIND_UNKNOWN;
      dir_cursors[k] = 0;
      return k;
    }
  }
  host_close(host_fd);
  return min_fd >= FD_MAX ? -EINVAL : -EMFILE;
}

int fd_reserve(struct process *p) {
  for (int k = 0; k < FD_MAX; k++)
    if (p->files->fds[k].host_fd == -1) {
      p->files->fds[k].host_fd = FD_RESERVED;
      return k;
    }
  return -EMFILE;
}

void fd_unreserve(struct process *p, int guest_fd) {
  if (p->files->fds[guest_fd].host_fd == FD_RESERVED)
    p->files->fds[guest_fd].host_fd = -1;
}

int fd_install_reserved(struct process *p, int guest_fd, int host_fd,
                        int fd_flags) {
  struct fd_entry *e = &p->files->fds[guest_fd];
  e->host_fd = host_fd;
  e->fd_flags = fd_flags & FD_CLOEXEC;
  e->path = NULL;
  e->dev = 0;
  e->special = NULL;
  e->host_kind = FD_KIND_UNKNOWN;
  dir_cursors[guest_fd] = 0;
  return guest_fd;
}

int fd_install_at(struct process *p, int guest_fd, int host_fd, int fd_flags) {
  if (guest_fd < 0 || guest_fd >= FD_MAX) {
    host_close(host_fd);
    return -EBADF;
  }
  /* A number another thread's accept holds (do_dup2: EBUSY). */
  if (p->files->fds[guest_fd].host_fd == FD_RESERVED) {
    host_close(host_fd);
    return -EBUSY;
  }
  if (p->files->fds[guest_fd].host_fd >= 0)
    fd_release(p, guest_fd);
  p->files->fds[guest_fd].host_fd = host_fd;
  p->files->fds[guest_fd].fd_flags = fd_flags & FD_CLOEXEC;
  p->files->fds[guest_fd].dev = 0;
  p->files->fds[guest_fd].host_kind = FD_KIND_UNKNOWN;
  dir_cursors[guest_fd] = 0;
  return guest_fd;
}

/* The memory devices whose reads and writes never wait
 * (drivers/char/mem.c; /dev/random has not blocked since Linux 5.6). */
static bool quiet_char_device(dev_t rdev) {
  if (major(rdev) != 1)
    return false;
  unsigned m = minor(rdev);
  return m == 3 || m == 5 || m == 7 || m == 8 || m == 9;
}

enum fd_host_kind fd_host_kind(struct fd_entry *e) {
  if (e->host_kind != FD_KIND_UNKNOWN)
    return (enum fd_host_kind)e->host_kind;
  struct stat st;
  if (fstat(e->host_fd, &st) < 0)
    return FD_KIND_STREAM; /* not kept: the careful path, asked again */
  enum fd_host_kind k = FD_KIND_STREAM;
  if (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode) || S_ISBLK(st.st_mode) ||
      (S_ISCHR(st.st_mode) && quiet_char_device(st.st_rdev)))
    k = FD_KIND_QUIET;
  else if (S_ISSOCK(st.st_mode))
    k = FD_KIND_SOCKET;
  e->host_kind = (uint8_t)k;
  return k;
}

int fd_host(struct process *p, int guest_fd) {
  if (guest_fd < 0 || guest_fd >= FD_MAX || p->files->fds[guest_fd].host_fd < 0)
    return -EBADF;
  return p->files->fds[guest_fd].host_fd;
}

struct fd_entry *fd_entry_of(struct process *p, int guest_fd) {
  if (guest_fd < 0 || guest_fd >= FD_MAX || p->files->fds[guest_fd].host_fd < 0)
    return NULL;
  return &p->files->fds[guest_fd];
}

int fd_close(struct process *p, int guest_fd) {
  if (fd_host(p, guest_fd) < 0)
    return -EBADF;
  fd_release(p, guest_fd);
  return 0;
}

void fd_close_on_exec(struct process *p) {
  for (int k = 0; k < FD_MAX; k++)
    if (p->files->fds[k].host_fd >= 0 &&
        (p->files->fds[k].fd_flags & FD_CLOEXEC))
      fd_release(p, k);
}
