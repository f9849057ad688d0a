/* The set*id calls: the guest's credentials are its emu process's, so
 * each call is the host's own, with its checks (EPERM without
 * CAP_SETUID) and its effects (a setuid root process that drops its
 * uid drops emu's too, as it would drop the program's). emu runs one
 * host thread per process, so the raw call — per thread on the host —
 * changes the whole process, as glibc's setxid broadcast would. */
#include <errno.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../fs.h"
#include "../process.h"

#define NGROUPS_MAX_LINUX 65536

static int64_t host(long nr, uint64_t a, uint64_t b, uint64_t c) {
  return fs_host_ret(syscall(nr, (long)(int)a, (long)(int)b, (long)(int)c));
}

int64_t sys_setuid(struct process *p, const uint64_t a[6]) {
  (void)p;
  return host(SYS_setuid, a[0], 0, 0);
}

int64_t sys_setgid(struct process *p, const uint64_t a[6]) {
  (void)p;
  return host(SYS_setgid, a[0], 0, 0);
}

int64_t sys_setreuid(struct process *p, const uint64_t a[6]) {
  (void)p;
  return host(SYS_setreuid, a[0], a[1], 0);
}

int64_t sys_setregid(struct process *p, const uint64_t a[6]) {
  (void)p;
  return host(SYS_setregid, a[0], a[1], 0);
}

int64_t sys_setresuid(struct process *p, const uint64_t a[6]) {
  (void)p;
  return host(SYS_setresuid, a[0], a[1], a[2]);
}

int64_t sys_setresgid(struct process *p, const uint64_t a[6]) {
  (void)p;
  return host(SYS_setresgid, a[0], a[1], a[2]);
}

/* setfsuid/setfsgid return the previous id, never an error. */
int64_t sys_setfsuid(struct process *p, const uint64_t a[6]) {
  (void)p;
  return (int64_t)(unsigned)syscall(SYS_setfsuid, (long)(int)a[0]);
}

int64_t sys_setfsgid(struct process *p, const uint64_t a[6]) {
  (void)p;
  return (int64_t)(unsigned)syscall(SYS_setfsgid, (long)(int)a[0]);
}

int64_t sys_setgroups(struct process *p, const uint64_t a[6]) {
  int n = (int)a[0];
  if (n < 0 || n > NGROUPS_MAX_LINUX)
    return -EINVAL;
  gid_t *list = calloc(n ? (size_t)n : 1, sizeof *list);
  if (!list)
    return -ENOMEM;
  if (n && copy_from_guest(&p->mmu, list, a[1], (size_t)n * sizeof *list)) {
    free(list);
    return -EFAULT;
  }
  int64_t r = fs_host_ret(syscall(SYS_setgroups, n, list));
  free(list);
  return r;
}

/* Capabilities are the host thread's (the guest thread is one).
 * struct __user_cap_header_struct is {version, pid}; the data is one
 * {effective, permitted, inheritable} for version 1, two for versions
 * 2 and 3 (kernel/capability.c). */
#define CAP_V1 0x19980330u
#define CAP_DATA_BYTES 12

static size_t cap_data_len(uint32_t version) {
  return version == CAP_V1 ? CAP_DATA_BYTES : 2 * CAP_DATA_BYTES;
}

/* An unknown version is EINVAL with the kernel's own written back into
 * the header (and 0 when data is NULL: the way to ask for it). */
int64_t sys_capget(struct process *p, const uint64_t a[6]) {
  uint32_t hdr[2], data[6];
  if (copy_from_guest(&p->mmu, hdr, a[0], sizeof hdr) < 0)
    return -EFAULT;
  uint32_t asked = hdr[0];
  long r = syscall(SYS_capget, hdr, a[1] ? data : NULL);
  int err = errno;
  if (hdr[0] != asked && copy_to_guest(&p->mmu, a[0], hdr, 4) < 0)
    return -EFAULT;
  if (r < 0)
    return -err;
  if (a[1] && copy_to_guest(&p->mmu, a[1], data, cap_data_len(hdr[0])) < 0)
    return -EFAULT;
  return 0;
}

/* Data the guest cannot give reaches the host as NULL, so the host's
 * checks (version, pid: EPERM) come before its EFAULT, as Linux's. */
int64_t sys_capset(struct process *p, const uint64_t a[6]) {
  uint32_t hdr[2], data[6];
  if (copy_from_guest(&p->mmu, hdr, a[0], sizeof hdr) < 0)
    return -EFAULT;
  uint32_t asked = hdr[0];
  bool readable =
      copy_from_guest(&p->mmu, data, a[1], cap_data_len(hdr[0])) == 0;
  long r = syscall(SYS_capset, hdr, readable ? data : NULL);
  int err = errno;
  if (hdr[0] != asked && copy_to_guest(&p->mmu, a[0], hdr, 4) < 0)
    return -EFAULT;
  return r < 0 ? -err : 0;
}
