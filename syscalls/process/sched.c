/* Priorities and scheduling policies: the host's, for any pid the host
 * knows (a guest process is a host process), with the guest's structures
 * copied in and out. The emulated machine's single CPU is the one thing
 * emu answers itself (sched_getaffinity, info.c). */
#include <errno.h>
#include <sched.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../fs.h"
#include "../syscall_table.h"

/* The raw system call: Linux returns 20 - nice (1..40), glibc turns it
 * into the nice value, and the guest's libc does the same again. */
int64_t sys_getpriority(struct process *p, const uint64_t a[6]) {
  (void)p;
  return fs_host_ret(syscall(SYS_getpriority, (int)a[0], (int)a[1]));
}

int64_t sys_setpriority(struct process *p, const uint64_t a[6]) {
  (void)p;
  return fs_host_ret(syscall(SYS_setpriority, (int)a[0], (int)a[1], (int)a[2]));
}

int64_t sys_sched_getparam(struct process *p, const uint64_t a[6]) {
  struct sched_param sp;
  if (!a[1] || (int)a[0] < 0)
    return -EINVAL;
  if (syscall(SYS_sched_getparam, (pid_t)a[0], &sp) < 0)
    return -errno;
  return copy_to_guest(&p->mmu, a[1], &sp, sizeof sp) < 0 ? -EFAULT : 0;
}

int64_t sys_sched_setparam(struct process *p, const uint64_t a[6]) {
  struct sched_param sp;
  if (!a[1] || (int)a[0] < 0)
    return -EINVAL;
  if (copy_from_guest(&p->mmu, &sp, a[1], sizeof sp) < 0)
    return -EFAULT;
  return fs_host_ret(syscall(SYS_sched_setparam, (pid_t)a[0], &sp));
}

int64_t sys_sched_getscheduler(struct process *p, const uint64_t a[6]) {
  (void)p;
  return fs_host_ret(syscall(SYS_sched_getscheduler, (pid_t)a[0]));
}

int64_t sys_sched_setscheduler(struct process *p, const uint64_t a[6]) {
  struct sched_param sp;
  if (!a[2] || (int)a[0] < 0)
    return -EINVAL;
  if (copy_from_guest(&p->mmu, &sp, a[2], sizeof sp) < 0)
    return -EFAULT;
  return fs_host_ret(
      syscall(SYS_sched_setscheduler, (pid_t)a[0], (int)a[1], &sp));
}

int64_t sys_sched_get_priority_max(struct process *p, const uint64_t a[6]) {
  (void)p;
  return fs_host_ret(syscall(SYS_sched_get_priority_max, (int)a[0]));
}

int64_t sys_sched_get_priority_min(struct process *p, const uint64_t a[6]) {
  (void)p;
  return fs_host_ret(syscall(SYS_sched_get_priority_min, (int)a[0]));
}

int64_t sys_sched_rr_get_interval(struct process *p, const uint64_t a[6]) {
  struct timespec ts;
  if (syscall(SYS_sched_rr_get_interval, (pid_t)a[0], &ts) < 0)
    return -errno;
  return copy_to_guest(&p->mmu, a[1], &ts, sizeof ts) < 0 ? -EFAULT : 0;
}

/* getcpu: the host CPU the calling thread runs on now (a guest thread
 * is a host thread); --deterministic runs report CPU 0, node 0. */
int64_t sys_getcpu(struct process *p, const uint64_t a[6]) {
  unsigned cpu = 0, node = 0;
  if (!(p->opt && p->opt->deterministic) &&
      syscall(SYS_getcpu, &cpu, &node, NULL) < 0)
    return -errno;
  if (a[0] && copy_to_guest(&p->mmu, a[0], &cpu, sizeof cpu) < 0)
    return -EFAULT;
  if (a[1] && copy_to_guest(&p->mmu, a[1], &node, sizeof node) < 0)
    return -EFAULT;
  return 0;
}
