/* /proc/self/fd as the guest sees it: one entry per open guest
 * descriptor (a symlink Linux resolves to the open file), never emu's own
 * host descriptors. Opening the directory opens the host's (so fstat and
 * fchdir work); listing it is generated here from the guest table. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../syscalls/process.h"
#include "dev.h"

/* /dev/fd links to /proc/self/fd and /dev/stdin, stdout, stderr to its 0,
 * 1 and 2 (udev's static links). The host would follow them to emu's own
 * descriptors, so they name the guest's instead. `links` includes the
 * links themselves, for calls that follow them (readlink of /dev/stdin
 * reads the link, of /dev/fd/0 the descriptor). */
const char *dev_fd_alias(const char *path, bool links, char *buf, size_t len) {
  static const char *const std[] = {"/dev/stdin", "/dev/stdout", "/dev/stderr"};
  if (strncmp(path, "/dev/fd/", 8) == 0 && path[8]) {
    snprintf(buf, len, "/proc/self/fd/%s", path + 8);
    return buf;
  }
  if (!links)
    return path;
  if (strcmp(path, "/dev/fd") == 0 || strcmp(path, "/dev/fd/") == 0)
    return "/proc/self/fd";
  for (int i = 0; i < 3; i++)
    if (strcmp(path, std[i]) == 0) {
      snprintf(buf, len, "/proc/self/fd/%d", i);
      return buf;
    }
  return path;
}

bool dev_is_fd_dir(struct process *p, const char *path) {
  char own[64];
  snprintf(own, sizeof own, "/proc/%d/fd", p->pid);
  size_t n = strlen(path);
  while (n > 1 && path[n - 1] == '/')
    n--;
  return (n == 13 && strncmp(path, "/proc/self/fd", 13) == 0) ||
         (n == 20 && strncmp(path, "/proc/thread-self/fd", 20) == 0) ||
         (n == strlen(own) && strncmp(path, own, n) == 0);
}

/* One linux_dirent64: ino, off, reclen, type, name, padded to 8. */
static size_t put_dirent(uint8_t *buf, size_t room, uint64_t ino, uint64_t off,
                         uint8_t type, const char *name) {
  size_t len = strlen(name);
  size_t reclen = (19 + len + 1 + 7) & ~(size_t)7;
  if (reclen > room)
    return 0;
  memset(buf, 0, reclen);
  memcpy(buf, &ino, 8);
  memcpy(buf + 8, &off, 8);
  uint16_t r16 = (uint16_t)reclen;
  memcpy(buf + 16, &r16, 2);
  buf[18] = type;
  memcpy(buf + 19, name, len);
  return reclen;
}

/* Positions: 0 ".", 1 "..", 2 + n the descriptor n. */
long dev_fd_dir_read(struct process *p, uint64_t *pos, uint8_t *buf,
                     size_t len) {
  size_t used = 0;
  for (;;) {
    uint64_t at = *pos;
    char name[16];
    uint8_t type = DT_DIR;
    if (at == 0) {
      strcpy(name, ".");
    } else if (at == 1) {
      strcpy(name, "..");
    } else {
      uint64_t fd = at - 2;
      while (fd < FD_MAX && p->files->fds[fd].host_fd < 0)
        fd++;
      if (fd >= FD_MAX)
        return (long)used;
      at = fd + 2;
      snprintf(name, sizeof name, "%llu", (unsigned long long)fd);
      type = DT_LNK;
    }
    size_t n =
        put_dirent(buf + used, len - used, 0x1000 + at, at + 1, type, name);
    if (!n)
      return used ? (long)used : -EINVAL;
    used += n;
    *pos = at + 1;
  }
}
