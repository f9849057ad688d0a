/* Priorities and scheduling policies: the host's, for any pid the host
 * knows (a guest process is a host process), with the guest's structures
 * copied in and out. The emulated machine's single CPU is the one thing
 * emu answers itself (sched_getaffinity, info.c). */
#include <errno.h>
#include <sched.h>
#include <string.h>
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

/* I/O priorities: plain integers, and the host's (a guest thread is a
 * host thread, who 0 the caller). */
int64_t sys_ioprio_get(struct process *p, const uint64_t a[6]) {
  (void)p;
  return fs_host_ret(syscall(SYS_ioprio_get, (int)a[0], (int)a[1]));
}

int64_t sys_ioprio_set(struct process *p, const uint64_t a[6]) {
  (void)p;
  return fs_host_ret(syscall(SYS_ioprio_set, (int)a[0], (int)a[1], (int)a[2]));
}

/* struct sched_attr is size-versioned (kernel/sched/core.c): VER0 is
 * 48 bytes, and a caller's struct may be up to a page. The guest's bytes
 * are handed to the host as they are, so the host checks them all (the
 * zero tail of a larger struct, E2BIG with its own size written back). */
#define SCHED_ATTR_VER0 48
#define SCHED_ATTR_MAX 4096

int64_t sys_sched_setattr(struct process *p, const uint64_t a[6]) {
  static uint8_t attr[SCHED_ATTR_MAX];
  uint32_t size;
  if (!a[1] || (int)a[0] < 0 || (unsigned)a[2])
    return -EINVAL;
  if (copy_from_guest(&p->mmu, &size, a[1], sizeof size) < 0)
    return -EFAULT;
  memset(attr, 0, sizeof attr);
  memcpy(attr, &size, sizeof size);
  uint32_t n = size ? size : SCHED_ATTR_VER0;
  /* Out of range, the host answers E2BIG from the size alone. */
  if (n >= SCHED_ATTR_VER0 && n <= SCHED_ATTR_MAX &&
      copy_from_guest(&p->mmu, attr, a[1], n) < 0)
    return -EFAULT;
  long r = syscall(SYS_sched_setattr, (pid_t)a[0], attr, 0u);
  if (r < 0 && errno == E2BIG) /* the kernel's size; put_user unchecked */
    copy_to_guest(&p->mmu, a[1], attr, sizeof size);
  return r < 0 ? -errno : 0;
}

/* The host fills at most usize bytes and says how many in the size
 * field: those are the guest's. */
int64_t sys_sched_getattr(struct process *p, const uint64_t a[6]) {
  static uint8_t attr[SCHED_ATTR_MAX];
  uint32_t usize = (uint32_t)a[2], size;
  if (!a[1] || (int)a[0] < 0 || usize > SCHED_ATTR_MAX ||
      usize < SCHED_ATTR_VER0 || (unsigned)a[3])
    return -EINVAL;
  if (syscall(SYS_sched_getattr, (pid_t)a[0], attr, usize, 0u) < 0)
    return -errno;
  memcpy(&size, attr, sizeof size);
  if (size > usize)
    size = usize;
  return copy_to_guest(&p->mmu, a[1], attr, size) < 0 ? -EFAULT : 0;
}
