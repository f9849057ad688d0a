/* execve, exit and exit_group: the process's image and its end. execve
 * is emulated in the same process: the loader tears down the address
 * space and loads the new image; the host never execs the guest. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../loader/loader.h"
#include "core_handlers.h"
#include "process.h"

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

int64_t sys_execve(struct process *p, const uint64_t a[6]) {
  char path[4096];
  long r = strncpy_from_guest(&p->mmu, path, a[0], sizeof path);
  if (r < 0)
    return r;
  char **argv = NULL, **envp = NULL;
  size_t total = 0;
  int e = copy_vector(p, a[1], &argv, &total);
  if (e == 0)
    e = copy_vector(p, a[2], &envp, &total);
  if (e == 0) {
    char why[256];
    e = loader_exec(p, path, argv, envp, why, sizeof why);
    if (e == 0) {
      p->cpu.gpr[RAX] = 0;
      timers_exec(p); /* POSIX timers end; itimers stay (exec_itimers) */
    } else if (p->opt && p->opt->verbose) {
      fprintf(stderr, "emu: execve %s: %s\n", path, why);
    }
  }
  free_vector(argv);
  free_vector(envp);
  return e;
}

int64_t sys_exit(struct process *p, const uint64_t a[6]) {
  /* Single-threaded: the last thread's exit ends the process. */
  p->exited = true;
  p->exit_status = (int)(a[0] & 0xff);
  return 0;
}

int64_t sys_exit_group(struct process *p, const uint64_t a[6]) {
  return sys_exit(p, a);
}
