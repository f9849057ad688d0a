/* execve, exit and exit_group: the process's image and its end. execve
 * is emulated in the same process: the loader tears down the address
 * space and loads the new image; the host never execs the guest. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/stat.h>

#include "../../devices/dev.h"
#include "../../loader/loader.h"
#include "../core_handlers.h"
#include "../process.h"

/* Linux's limits: MAX_ARG_STRLEN (32 pages) per string, and the whole
 * argv+envp within a quarter of the 8 MiB stack limit. */
#define MAX_ARG_STRLEN (32 * 4096)
#define MAX_ARG_TOTAL (2u << 20)
#define MAX_ARG_COUNT 0x7fffffff

static void free_vector(char **v) {
  if (!v)
    return;
  for (char **s = v; *s; s++)
    free(*s);
  free(v);
}

/* Copy a NULL-terminated vector of guest strings. Returns -errno. */
static int copy_vector(struct process *p, uint64_t addr, char ***out,
                       size_t *total) {
  size_t n = 0, cap = 16;
  char **v = calloc(cap, sizeof *v);
  if (!v)
    return -ENOMEM;
  for (; addr; n++) {
    uint64_t ptr;
    if (copy_from_guest(&p->mmu, &ptr, addr + 8 * n, 8) < 0) {
      free_vector(v);
      return -EFAULT;
    }
    if (!ptr)
      break;
    if (n + 2 > cap) {
      cap *= 2;
      char **nv = realloc(v, cap * sizeof *v);
      if (!nv) {
        free_vector(v);
        return -ENOMEM;
      }
      v = nv;
    }
    char *s = malloc(MAX_ARG_STRLEN);
    v[n] = s;
    v[n + 1] = NULL;
    if (!s) {
      free_vector(v);
      return -ENOMEM;
    }
    long len = strncpy_from_guest(&p->mmu, s, ptr, MAX_ARG_STRLEN);
    if (len < 0) {
      free_vector(v);
      return len == -ENAMETOOLONG ? -E2BIG : (int)len;
    }
    *total += (size_t)len + 1 + 8;
    if (*total > MAX_ARG_TOTAL) {
      free_vector(v);
      return -E2BIG;
    }
    char *shrunk = realloc(s, (size_t)len + 1);
    if (shrunk)
      v[n] = shrunk;
  }
  v[n] = NULL;
  *out = v;
  return 0;
}

/* Both forms: the file opened as host_path, known to the new image as
 * filename. */
static int64_t exec_common(struct process *p, const char *host_path,
                           const char *filename, uint64_t argv_addr,
                           uint64_t envp_addr) {
  char **argv = NULL, **envp = NULL;
  size_t total = 0;
  int e = copy_vector(p, argv_addr, &argv, &total);
  if (e == 0)
    e = copy_vector(p, envp_addr, &envp, &total);
  if (e == 0) {
    char why[256];
    e = loader_execat(p, host_path, filename, argv, envp, why, sizeof why);
    if (e == 0) {
      p->cpu.gpr[RAX] = 0;
      timers_exec(p); /* POSIX timers end; itimers stay (exec_itimers) */
      /* A 64-bit image drops READ_IMPLIES_EXEC (set_personality_64bit);
       * the rest of the persona stays. */
      p->personality &= ~(uint32_t)READ_IMPLIES_EXEC;
      p->mm->pkey0_taken = false; /* a new mm (mm_alloc zeroes it) */
      p->mm->def_lock = 0;        /* mm_init: def_flags lose VM_LOCKED */
    } else if (p->opt && p->opt->verbose) {
      fprintf(stderr, "emu: execve %s: %s\n", filename, why);
    }
  }
  free_vector(argv);
  free_vector(envp);
  return e;
}

int64_t sys_execve(struct process *p, const uint64_t a[6]) {
  char path[4096];
  long r = strncpy_from_guest(&p->mmu, path, a[0], sizeof path);
  if (r < 0)
    return r;
  char host[4096]; /* /proc/self/exe is the guest's image, not emu */
  return exec_common(p, dev_resolve(p, path, host, sizeof host), path, a[1],
                     a[2]);
}

/* execveat (fs/exec.c do_execveat_common, alloc_bprm): a path relative
 * to a directory descriptor, or with AT_EMPTY_PATH the descriptor's own
 * file. The host opens it through /proc/self/fd/H; the new image knows
 * it as "/dev/fd/N" or "/dev/fd/N/path", as Linux names it. */
int64_t sys_execveat(struct process *p, const uint64_t a[6]) {
  int dirfd = (int)a[0], flags = (int)a[4];
  if (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
    return -EINVAL;
  char path[4096], host[4200], name[4200];
  long r = strncpy_from_guest(&p->mmu, path, a[1], sizeof path);
  if (r < 0)
    return r;
  if (!path[0] && !(flags & AT_EMPTY_PATH))
    return -ENOENT;
  if (path[0] == '/' || (dirfd == AT_FDCWD && path[0])) {
    snprintf(host, sizeof host, "%s", dev_resolve(p, path, name, sizeof name));
    snprintf(name, sizeof name, "%s", path);
  } else if (dirfd == AT_FDCWD) { /* the cwd itself: not a file */
    snprintf(host, sizeof host, ".");
    snprintf(name, sizeof name, ".");
  } else {
    int h = fd_host(p, dirfd);
    if (h < 0)
      return -EBADF;
    if (!path[0]) {
      snprintf(host, sizeof host, "/proc/self/fd/%d", h);
      snprintf(name, sizeof name, "/dev/fd/%d", dirfd);
    } else {
      struct stat st;
      if (fstat(h, &st) < 0)
        return -errno;
      if (!S_ISDIR(st.st_mode))
        return -ENOTDIR;
      snprintf(host, sizeof host, "/proc/self/fd/%d/%s", h, path);
      snprintf(name, sizeof name, "/dev/fd/%d/%s", dirfd, path);
    }
  }
  /* AT_SYMLINK_NOFOLLOW: open_exec's O_NOFOLLOW refuses a final link. */
  struct stat st;
  if ((flags & AT_SYMLINK_NOFOLLOW) && path[0] && lstat(host, &st) == 0 &&
      S_ISLNK(st.st_mode))
    return -ELOOP;
  return exec_common(p, host, name, a[2], a[3]);
}

int64_t sys_exit(struct process *p, const uint64_t a[6]) {
  /* The thread ends; the last one's exit ends the process
   * (thread_finish). */
  p->exited = true;
  p->exit_thread = true;
  p->exit_status = (int)(a[0] & 0xff);
  return 0;
}

int64_t sys_exit_group(struct process *p, const uint64_t a[6]) {
  p->exited = true;
  p->exit_thread = false;
  p->exit_status = (int)(a[0] & 0xff);
  return 0;
}
