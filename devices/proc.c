/* /proc for the emulated process. Generated files (maps, status,
 * cpuinfo) are built when opened into a host memfd, which is what the
 * guest's descriptor refers to: read, lseek, fstat and mmap then behave
 * as on any file. Links Linux fakes (/proc/self/exe, /proc/self/fd/N)
 * resolve to the guest's image and descriptors, not emu's. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../syscalls/fs.h"
#include "../syscalls/process.h"
#include "dev.h"
#include "devices.h"
#include "proc.h"
#include "proc_view.h"

/* If path names a file of our own process (/proc/self/X,
 * /proc/thread-self/X, /proc/<pid>/X, /proc/<pid>/task/<tid>/X), return
 * X; else NULL. */
static const char *self_entry(struct process *p, const char *path) {
  if (strncmp(path, "/proc/", 6) != 0)
    return NULL;
  const char *s = path + 6;
  if (strncmp(s, "self/", 5) == 0)
    return s + 5;
  if (strncmp(s, "thread-self/", 12) == 0)
    return s + 12;
  char *end;
  long pid = strtol(s, &end, 10);
  if (end == s || *end != '/' || pid != p->pid)
    return NULL;
  s = end + 1;
  if (strncmp(s, "task/", 5) == 0) {
    long tid = strtol(s + 5, &end, 10);
    if (end == s + 5 || *end != '/' || tid != p->tid)
      return NULL;
    s = end + 1;
  }
  return s;
}

/* Text into a fresh memfd positioned at 0: the guest's view of it. */
int proc_memfd(const char *text, size_t len) {
  int fd = memfd_create("emu-proc", MFD_CLOEXEC);
  if (fd < 0)
    return -errno;
  size_t done = 0;
  while (done < len) {
    ssize_t w = write(fd, text + done, len - done);
    if (w < 0) {
      int err = errno;
      close(fd);
      return -err;
    }
    done += (size_t)w;
  }
  lseek(fd, 0, SEEK_SET);
  return fd;
}

/* Run a generator writing to a FILE and wrap its text in a memfd. */
static int generated(struct process *p, int flags,
                     void (*gen)(struct process *, FILE *)) {
  if ((flags & O_ACCMODE) != O_RDONLY)
    return -EACCES;
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  if (!f)
    return -ENOMEM;
  gen(p, f);
  fclose(f);
  int fd = proc_memfd(text, len);
  free(text);
  return fd;
}

/* After the VMAs Linux lists the vsyscall page, a gate area every x86-64
 * process has (vsyscall=xonly: execute-only). */
void proc_maps(struct process *p, FILE *f) {
  vma_format_maps(p, f, "");
  int len = fprintf(f, "%016llx-%016llx --xp 00000000 00:00 0 ",
                    0xffffffffff600000ull, 0xffffffffff601000ull);
  fprintf(f, "%*s[vsyscall]\n", len < 73 ? 73 - len : 0, "");
}

/* Guest memory [start, end) into a memfd: argv and envp as execve left
 * them, and as the guest may since have rewritten them (Linux reads
 * them from the process's memory too). */
static int guest_range(struct process *p, int flags, uint64_t start,
                       uint64_t end) {
  if ((flags & O_ACCMODE) != O_RDONLY)
    return -EACCES;
  size_t len = end > start && end - start < (8u << 20) ? end - start : 0;
  char *buf = malloc(len ? len : 1);
  if (!buf)
    return -ENOMEM;
  if (len && copy_from_guest(&p->mmu, buf, start, len) < 0)
    len = 0;
  int fd = proc_memfd(buf, len);
  free(buf);
  return fd;
}

static void gen_comm(struct process *p, FILE *f) {
  fprintf(f, "%s\n", prctl_comm(p));
}

static int open_self(struct process *p, const char *e, int flags) {
  const struct proc_image *img = proc_view_image();
  if (strcmp(e, "maps") == 0)
    return generated(p, flags, proc_maps);
  if (strcmp(e, "status") == 0)
    return generated(p, flags, proc_status);
  if (strcmp(e, "stat") == 0)
    return generated(p, flags, proc_stat);
  if (strcmp(e, "cmdline") == 0)
    return guest_range(p, flags, img->arg_start, img->arg_end);
  if (strcmp(e, "environ") == 0)
    return guest_range(p, flags, img->env_start, img->env_end);
  if (strcmp(e, "comm") == 0 && (flags & O_ACCMODE) == O_RDONLY)
    return generated(p, flags, gen_comm);
  if (strcmp(e, "auxv") == 0)
    return (flags & O_ACCMODE) != O_RDONLY
               ? -EACCES
               : proc_memfd((const char *)img->auxv, img->auxv_len);
  return DEV_NOT_SPECIAL;
}

/* /proc/PID/X of another process: N and X when path names one. */
static const char *other_entry(struct process *p, const char *path, int *pid) {
  if (strncmp(path, "/proc/", 6) != 0)
    return NULL;
  char *end;
  long n = strtol(path + 6, &end, 10);
  if (end == path + 6 || *end != '/' || n <= 0 || n == p->pid)
    return NULL;
  *pid = (int)n;
  return end + 1;
}

int dev_open(struct process *p, const char *path, int flags, int *kind) {
  int h = dev_node_open(p, path, flags, kind);
  if (h != DEV_NOT_SPECIAL)
    return h;
  const char *e = self_entry(p, path);
  if (e)
    return open_self(p, e, flags);
  int pid;
  e = other_entry(p, path, &pid);
  /* Another emu process's guest view; a native process's is the host's. */
  if (e && (strcmp(e, "cmdline") == 0 || strcmp(e, "environ") == 0 ||
            strcmp(e, "maps") == 0)) {
    int fd = proc_view_open(pid, e);
    if (fd >= 0)
      return (flags & O_ACCMODE) != O_RDONLY ? (close(fd), -EACCES) : fd;
  }
  if (strcmp(path, "/proc/cpuinfo") == 0)
    return generated(p, flags, proc_cpuinfo);
  return DEV_NOT_SPECIAL;
}

/* The host file behind guest descriptor n, as /proc/self/fd/n. */
static const char *fd_link(struct process *p, const char *n, char *buf,
                           size_t len) {
  char *end;
  long fd = strtol(n, &end, 10);
  if (end == n || *end || fd < 0 || fd >= FD_MAX ||
      p->files->fds[fd].host_fd < 0)
    return NULL;
  snprintf(buf, len, "/proc/self/fd/%d", p->files->fds[fd].host_fd);
  return buf;
}

const char *dev_resolve(struct process *p, const char *path, char *buf,
                        size_t len) {
  char alias[PATH_MAX];
  const char *named = path;
  path = dev_fd_alias(path, true, alias, sizeof alias);
  const char *e = self_entry(p, path);
  int pid;
  const char *other = e ? NULL : other_entry(p, path, &pid);
  if (other && strcmp(other, "exe") == 0) {
    int n = proc_view_exe(pid, buf, len - 1);
    if (n >= 0) {
      buf[n] = 0;
      return buf;
    }
  }
  if (!e)
    return path;
  if (strcmp(e, "exe") == 0 && p->mm->exe_path[0]) {
    snprintf(buf, len, "%s", p->mm->exe_path);
    return buf;
  }
  if (strncmp(e, "fd/", 3) == 0 && e[3] >= '0' && e[3] <= '9') {
    const char *r = fd_link(p, e + 3, buf, len);
    if (r)
      return r;
    /* A guest fd that is not open: a name that cannot exist. */
    snprintf(buf, len, "/proc/self/fd/-1");
    return buf;
  }
  if (path != named) { /* /dev/fd itself, or /dev/fd/NAME: no descriptor */
    snprintf(buf, len, "%s", path);
    return buf;
  }
  return path;
}

int dev_readlink(struct process *p, const char *path, char *buf, size_t len) {
  char alias[PATH_MAX];
  if (dev_fd_alias(path, true, alias, sizeof alias) != path &&
      dev_fd_alias(path, false, alias, sizeof alias) == path) {
    ssize_t n = readlink(path, buf, len); /* /dev/stdin: the link itself */
    return n < 0 ? -errno : (int)n;
  }
  path = dev_fd_alias(path, false, alias, sizeof alias);
  const char *e = self_entry(p, path);
  int pid;
  const char *other = e ? NULL : other_entry(p, path, &pid);
  if (other && strcmp(other, "exe") == 0) {
    int n = proc_view_exe(pid, buf, len);
    return n >= 0 ? n : DEV_NOT_SPECIAL;
  }
  if (!e)
    return DEV_NOT_SPECIAL;
  if (strcmp(e, "exe") == 0) {
    size_t n = strlen(p->mm->exe_path);
    if (!n)
      return -ENOENT;
    n = n < len ? n : len; /* readlink truncates silently */
    memcpy(buf, p->mm->exe_path, n);
    return (int)n;
  }
  if (strncmp(e, "fd/", 3) == 0) {
    char host[64];
    if (!fd_link(p, e + 3, host, sizeof host))
      return -ENOENT;
    ssize_t n = readlink(host, buf, len);
    return n < 0 ? -errno : (int)n;
  }
  return DEV_NOT_SPECIAL;
}
