/* Process groups, sessions and the parent: a guest process is a host
 * process (DESIGN, "Processes and threads"), so these are the host's own,
 * asked with the guest's arguments. Linux's answers (ESRCH for a pid not
 * found, EPERM across sessions or for a group leader's setsid) come from
 * the host kernel itself. */
#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../../devices/proc_view.h"
#include "../fs.h"
#include "../syscall_table.h"

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

/* Linux refuses to move a child that has called execve (EACCES). The
 * child's execve is emulated, so the host never saw it: the child's
 * published view says whether it did (devices/proc_view.c). The host
 * checks the rest in Linux's order: ESRCH for a pid that is neither us
 * nor our child, EPERM across sessions, before the exec test. */
int64_t sys_setpgid(struct process *p, const uint64_t a[6]) {
  pid_t pid = (pid_t)a[0], pgid = (pid_t)a[1];
  if (pid > 0 && pid != p->pid && pgid >= 0 &&
      syscall(SYS_getsid, pid) == syscall(SYS_getsid, 0) &&
      proc_view_child_execed(p, pid))
    return -EACCES;
  return fs_host_ret(syscall(SYS_setpgid, pid, pgid));
}
