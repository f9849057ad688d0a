/* /proc/self/status of the emulated process, in Linux 6.x's field
 * order (fs/proc/array.c, task_mmu.c task_mem). Memory figures come from
 * the VMAs and the frames the MMU holds; ids and credentials are the
 * host process's, as emu runs the guest as itself. */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "../syscalls/fs.h"
#include "../syscalls/process.h"
#include "proc.h"

/* What follows the signal masks is the host thread's own, and so the
 * guest thread's: capabilities, no_new_privs, seccomp, speculation
 * controls, the CPUs and memory nodes it may use (sched_getaffinity and
 * the memory policy are the host's too; libnuma sizes its masks by
 * Mems_allowed), context switches: the host's lines from CapInh on. */
static void host_thread_lines(FILE *f) {
  FILE *h = fopen("/proc/thread-self/status", "re");
  if (!h)
    return;
  char *line = NULL;
  size_t cap = 0;
  bool copying = false;
  while (getline(&line, &cap, h) > 0) {
    copying = copying || !strncmp(line, "CapInh:", 7);
    if (copying)
      fputs(line, f);
  }
  free(line);
  fclose(h);
}

/* task_mem's figures from the VMAs and the page tables. Resident pages
 * are present ones: of a private file mapping, those the process wrote
 * (mapped writable: its copy) count as anonymous, the others as the
 * file's; MAP_SHARED anonymous memory is shmem. exec_vm is every
 * executable, non-writable mapping but the stack (the vDSO among
 * them: Linux's VmLib of a static program is its 8 KiB); VmExe the
 * image's own. VmPTE is the page-table frames: all the process's
 * frames but its pages' (shared memory and the vDSO live in the MMU's
 * window, not in frames) and the PML4. */
struct mem_counts {
  uint64_t size, data, stack, exec, exe, anon, file, shmem, tables;
  uint64_t frames; /* resident pages that are frames, not window memory */
};

static void count_resident(struct process *p, const struct vma *v,
                           struct mem_counts *m) {
  uint64_t pte;
  for (uint64_t a = mmu_next_present(&p->mmu, v->start, v->end, &pte);
       a < v->end; a = mmu_next_present(&p->mmu, a + PAGE_SIZE, v->end, &pte)) {
    if (v->shm)
      *(v->file ? &m->file : &m->shmem) += PAGE_SIZE;
    else if (v->file && !(pte & PTE_W))
      m->file += PAGE_SIZE;
    else
      m->anon += PAGE_SIZE;
    if (!mmu_in_window(&p->mmu, pte & PTE_ADDR))
      m->frames += PAGE_SIZE;
  }
}

static struct mem_counts count_memory(struct process *p) {
  struct mem_counts m = {0};
  for (int k = 0; k < p->mm->vmas.n; k++) {
    const struct vma *v = &p->mm->vmas.v[k];
    uint64_t len = v->end - v->start;
    m.size += len;
    if (v->kind == VMA_STACK)
      m.stack += len;
    else if ((v->prot & PROT_EXEC) && !(v->prot & PROT_WRITE)) {
      m.exec += len;
      if (v->file && v->file->path && !strcmp(v->file->path, p->mm->exe_path))
        m.exe += len;
    } else if ((v->prot & PROT_WRITE) && !(v->flags & MAP_SHARED))
      m.data += len;
    count_resident(p, v, &m);
  }
  uint64_t frames = p->mmu.space->frames_used * PAGE_SIZE;
  m.tables = frames > m.frames + PAGE_SIZE ? frames - m.frames - PAGE_SIZE : 0;
  return m;
}

static void kb(FILE *f, const char *name, uint64_t bytes) {
  fprintf(f, "%s:\t%8llu kB\n", name, (unsigned long long)(bytes >> 10));
}

void proc_status(struct process *p, FILE *f) {
  uid_t ruid, euid, suid;
  gid_t rgid, egid, sgid;
  getresuid(&ruid, &euid, &suid);
  getresgid(&rgid, &egid, &sgid);

  fprintf(f, "Name:\t%s\n", prctl_comm(p));
  fprintf(f, "Umask:\t%04o\n", p->fs->umask);
  fprintf(f, "State:\tR (running)\n");
  fprintf(f, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n",
          p->pid, p->pid, (int)getppid()); /* as reparented now */
  fprintf(f, "Uid:\t%u\t%u\t%u\t%u\n", ruid, euid, suid, euid);
  fprintf(f, "Gid:\t%u\t%u\t%u\t%u\n", rgid, egid, sgid, egid);
  int top = 0;
  for (int k = 0; k < FD_MAX; k++)
    if (p->files->fds[k].host_fd >= 0)
      top = k + 1;
  fprintf(f, "FDSize:\t%d\n", top <= 64 ? 64 : (top + 63) / 64 * 64);
  gid_t groups[256];
  int ng = getgroups(256, groups);
  fprintf(f, "Groups:\t");
  for (int k = 0; k < ng; k++)
    fprintf(f, "%s%u", k ? " " : "", groups[k]);
  /* proc_pid_status's trailing space, there even with no groups. */
  fprintf(f, " \nNStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n", p->pid,
          p->pid, (int)getpgrp(), (int)getsid(0));

  struct mem_counts m = count_memory(p);
  kb(f, "VmPeak", m.size);
  kb(f, "VmSize", m.size);
  kb(f, "VmLck", mlock_locked_bytes(p));
  kb(f, "VmPin", 0);
  kb(f, "VmHWM", m.anon + m.file + m.shmem);
  kb(f, "VmRSS", m.anon + m.file + m.shmem);
  kb(f, "RssAnon", m.anon);
  kb(f, "RssFile", m.file);
  kb(f, "RssShmem", m.shmem);
  kb(f, "VmData", m.data);
  kb(f, "VmStk", m.stack);
  kb(f, "VmExe", m.exe);
  kb(f, "VmLib", m.exec - m.exe);
  kb(f, "VmPTE", m.tables);
  kb(f, "VmSwap", 0);
  kb(f, "HugetlbPages", 0);
  fprintf(f, "CoreDumping:\t0\n");
  /* The host process's: prctl(PR_SET_THP_DISABLE) is passed to it. */
  fprintf(f, "THP_enabled:\t%d\n", prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0) != 1);
  fprintf(f, "Threads:\t%d\n", thread_count());
  /* SigQ: signals queued (Linux counts the user's; only ours exist) out
   * of RLIMIT_SIGPENDING. */
  fprintf(f, "SigQ:\t%d/%llu\n", p->pending.n + p->sig->shared_pending.n,
          (unsigned long long)rlimit_cur(RLIMIT_SIGPENDING));
  uint64_t ign = 0, cgt = 0;
  for (int sig = 1; sig <= 64; sig++) {
    uint64_t h = p->sighand->sigactions[sig - 1].handler;
    if (h == (uint64_t)(uintptr_t)SIG_IGN)
      ign |= 1ull << (sig - 1);
    else if (h != (uint64_t)(uintptr_t)SIG_DFL)
      cgt |= 1ull << (sig - 1);
  }
  fprintf(f, "SigPnd:\t%016llx\nShdPnd:\t%016llx\n",
          (unsigned long long)p->pending.mask,
          (unsigned long long)p->sig->shared_pending.mask);
  fprintf(f, "SigBlk:\t%016llx\nSigIgn:\t%016llx\nSigCgt:\t%016llx\n",
          (unsigned long long)p->sigmask, (unsigned long long)ign,
          (unsigned long long)cgt);
  host_thread_lines(f);
}
