/* /proc/self/stat of the emulated process (fs/proc/array.c do_task_stat).
 * What the host kernel knows about this process is the truth for the
 * fields that are the host process's — state, parent, process group,
 * session, terminal, times, priority, start time (a guest process is a
 * host process) — so those are taken from the host's line; the guest's
 * name, memory figures, signal sets and image addresses replace emu's. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../syscalls/fs.h"
#include "../syscalls/process.h"
#include "proc.h"
#include "proc_view.h"

#define STAT_FIELDS 52

/* The host's fields 3..52 (after "pid (comm) "), as text. */
static int host_fields(char fields[STAT_FIELDS + 1][24]) {
  char buf[1024];
  int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
  ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
  if (fd >= 0)
    close(fd);
  buf[n > 0 ? n : 0] = 0;
  char *s = strrchr(buf, ')');
  int k = 3;
  for (char *save = NULL, *t = s ? strtok_r(s + 1, " \n", &save) : NULL;
       t && k <= STAT_FIELDS; t = strtok_r(NULL, " \n", &save), k++)
    snprintf(fields[k], sizeof fields[k], "%s", t);
  for (; k <= STAT_FIELDS; k++)
    strcpy(fields[k], "0");
  return 0;
}

static void set_field(char fields[STAT_FIELDS + 1][24], int k, uint64_t v) {
  snprintf(fields[k], sizeof fields[k], "%llu", (unsigned long long)v);
}

/* Linux's start_code..end_code and start_data..end_data: the image's
 * executable and writable mappings of its own file. */
static void image_ranges(struct process *p, uint64_t r[4]) {
  memset(r, 0, 4 * sizeof *r);
  for (int k = 0; k < p->mm->vmas.n; k++) {
    const struct vma *v = &p->mm->vmas.v[k];
    if (!v->file || strcmp(v->file->path, p->mm->exe_path) != 0)
      continue;
    int i = (v->prot & PROT_EXEC) ? 0 : (v->prot & PROT_WRITE) ? 2 : -1;
    if (i < 0)
      continue;
    if (!r[i])
      r[i] = v->start;
    r[i + 1] = v->end;
  }
}

void proc_stat(struct process *p, FILE *f) {
  char fields[STAT_FIELDS + 1][24];
  host_fields(fields);
  const struct proc_image *img = proc_view_image();
  uint64_t size = 0, ign = 0, cgt = 0, ranges[4];
  for (int k = 0; k < p->mm->vmas.n; k++)
    size += p->mm->vmas.v[k].end - p->mm->vmas.v[k].start;
  for (int sig = 1; sig <= 64; sig++) {
    uint64_t h = p->sighand->sigactions[sig - 1].handler;
    if (h == (uint64_t)(uintptr_t)SIG_IGN)
      ign |= 1ull << (sig - 1);
    else if (h != (uint64_t)(uintptr_t)SIG_DFL)
      cgt |= 1ull << (sig - 1);
  }
  image_ranges(p, ranges);
  set_field(fields, 10, p->sig->stats.page_faults); /* minflt */
  set_field(fields, 12, 0);                         /* majflt */
  set_field(fields, 23, size);                      /* vsize */
  set_field(fields, 24, p->mmu.space->frames_used); /* rss, pages */
  set_field(fields, 26, ranges[0]);                 /* startcode, endcode */
  set_field(fields, 27, ranges[1]);
  set_field(fields, 28, img->start_stack);
  set_field(fields, 29, 0); /* kstkesp, kstkeip: 0 while running */
  set_field(fields, 30, 0);
  set_field(fields, 31, sigqueue_pending(p) & 0xffffffffu); /* signal */
  set_field(fields, 32, p->sigmask & 0xffffffffu);          /* blocked */
  set_field(fields, 33, ign & 0xffffffffu);
  set_field(fields, 34, cgt & 0xffffffffu);
  set_field(fields, 39, 0); /* processor: the machine has one CPU */
  set_field(fields, 45, ranges[2]);
  set_field(fields, 46, ranges[3]);
  set_field(fields, 47, p->mm->brk_start);
  set_field(fields, 48, img->arg_start);
  set_field(fields, 49, img->arg_end);
  set_field(fields, 50, img->env_start);
  set_field(fields, 51, img->env_end);
  set_field(fields, 52, 0);
  fprintf(f, "%d (%s)", p->pid, prctl_comm(p));
  for (int k = 3; k <= STAT_FIELDS; k++)
    fprintf(f, " %s", fields[k]);
  fputc('\n', f);
}
