/* Process groups, sessions and the parent: a guest process is a host
 * process (DESIGN, "Processes and threads"), so these are the host's own,
 * asked with the guest's arguments. Linux's answers (ESRCH for a pid not
 * found, EPERM across sessions or for a group leader's setsid) come from
 * the host kernel itself. */
#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fs.h"
#include "syscall_table.h"

/* Re-read at each call: when the parent dies Linux reparents the process
 * to a subreaper or init, and so does the host. */
int64_t sys_getppid(struct process *p, const uint64_t a[6]) {
  (void)a;
  p->ppid = (int)syscall(SYS_getppid);
  return p->ppid;
}

int64_t sys_getpgrp(struct process *p, const uint64_t a[6]) {
  (void)p;
  (void)a;
  return fs_host_ret(syscall(SYS_getpgrp));
}

int64_t sys_getpgid(struct process *p, const uint64_t a[6]) {
  (void)p;
  return fs_host_ret(syscall(SYS_getpgid, (pid_t)a[0]));
}

int64_t sys_getsid(struct process *p, const uint64_t a[6]) {
  (void)p;
  return fs_host_ret(syscall(SYS_getsid, (pid_t)a[0]));
}

int64_t sys_setsid(struct process *p, const uint64_t a[6]) {
  (void)p;
  (void)a;
  return fs_host_ret(syscall(SYS_setsid));
}

int64_t sys_setpgid(struct process *p, const uint64_t a[6]) {
  (void)p;
  return fs_host_ret(syscall(SYS_setpgid, (pid_t)a[0], (pid_t)a[1]));
}
