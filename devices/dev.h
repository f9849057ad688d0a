/* What special paths open: /proc/self/... and /proc/cpuinfo are
 * generated from the emulated process and CPU; /dev/null, /dev/zero,
 * /dev/urandom and /dev/tty are the host's own. Only absolute paths are
 * recognised. */
#ifndef EMU_DEV_H
#define EMU_DEV_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct process;

#define DEV_NOT_SPECIAL INT_MIN

/* A host fd for a generated file, -errno, or DEV_NOT_SPECIAL. */
int dev_open(struct process *p, const char *path, int flags);
/* The host path that stands for a guest path in stat/access/readlink and
 * opens of links (/proc/self/exe is the guest's image, /proc/self/fd/N
 * the guest's descriptor N); `path` itself when nothing changes. */
const char *dev_resolve(struct process *p, const char *path, char *buf,
                        size_t len);
/* readlink of the links Linux fakes for a process: the target length,
 * -errno, or DEV_NOT_SPECIAL. */
int dev_readlink(struct process *p, const char *path, char *buf, size_t len);

/* /dev/fd/N, and with `links` /dev/fd and /dev/std{in,out,err}, as the
 * guest's /proc/self/fd paths (in buf, or a constant); else path. */
const char *dev_fd_alias(const char *path, bool links, char *buf, size_t len);
/* The guest's /proc/self/fd directory: listed from the guest table. */
bool dev_is_fd_dir(struct process *p, const char *path);
/* linux_dirent64 records from position *pos on (advanced); bytes, 0 at
 * the end, or -EINVAL when not even one fits. */
long dev_fd_dir_read(struct process *p, uint64_t *pos, uint8_t *buf,
                     size_t len);

#endif
