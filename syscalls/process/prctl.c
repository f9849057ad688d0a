/* prctl: the per-process switches a single-threaded program asks about.
 * The name (comm) starts as the image's file name, cut to 15 bytes, as
 * Linux sets it at execve (__set_task_comm); it is the guest's, and the
 * host thread is given it too so that ps and /proc/PID/comm show it.
 * The switches that act on the process as the host kernel sees it (the
 * parent-death signal, subreaping, dumpability) are the host process's
 * own, since a guest process is a host process. Unknown options are
 * -EINVAL, as Linux answers them. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "../../devices/proc_view.h"
#include "../fs.h"
#include "../syscall_table.h"

static struct {
  char exe[sizeof((struct mm *)0)->exe_path]; /* comm derives from */
  char exec_name[16];
  char comm[16];
  int no_new_privs;
} prctl_state;

const char *prctl_comm(struct process *p) {
  if (strcmp(prctl_state.exe, p->mm->exe_path) != 0 ||
      strcmp(prctl_state.exec_name, p->exec_name) != 0) { /* a new image */
    const char *base = strrchr(p->mm->exe_path, '/');
    base = p->exec_name[0] ? p->exec_name : base ? base + 1 : p->mm->exe_path;
    size_t n = strnlen(base, sizeof prctl_state.comm - 1);
    strcpy(prctl_state.exe, p->mm->exe_path);
    strcpy(prctl_state.exec_name, p->exec_name);
    memcpy(prctl_state.comm, base, n);
    prctl_state.comm[n] = 0;
    prctl(PR_SET_NAME, prctl_state.comm);
  }
  return prctl_state.comm;
}

/* An int the host kernel writes for a PR_GET_* option, copied out. */
static int64_t host_get_int(struct process *p, int option, uint64_t addr) {
  int v;
  if (prctl(option, &v, 0, 0, 0) < 0)
    return -errno;
  return copy_to_guest(&p->mmu, addr, &v, sizeof v) < 0 ? -EFAULT : 0;
}

int64_t sys_prctl(struct process *p, const uint64_t a[6]) {
  switch (a[0]) {
  case PR_SET_NAME: {
    char name[16];
    long n = strncpy_from_guest(&p->mmu, name, a[1], sizeof name);
    if (n == -EFAULT)
      return -EFAULT;
    if (n < 0) /* longer names are cut, not refused */
      name[15] = 0;
    prctl_comm(p);
    memcpy(prctl_state.comm, name, sizeof name);
    prctl(PR_SET_NAME, prctl_state.comm);
    proc_view_publish(p);
    return 0;
  }
  case PR_GET_NAME:
    return copy_to_guest(&p->mmu, a[1], prctl_comm(p), 16) < 0 ? -EFAULT : 0;
  /* When the parent dies the host sends the signal to emu: a guest
   * without a handler for it dies of it as it would on Linux; one with a
   * handler gets it through the host-signal forwarding (sigcalls.c). */
  case PR_SET_PDEATHSIG:
  case PR_SET_CHILD_SUBREAPER:
  case PR_SET_DUMPABLE:
    return fs_host_ret(prctl((int)a[0], (unsigned long)a[1], 0, 0, 0));
  case PR_GET_DUMPABLE: return fs_host_ret(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
  case PR_GET_PDEATHSIG:
  case PR_GET_CHILD_SUBREAPER: return host_get_int(p, (int)a[0], a[1]);
  case PR_SET_NO_NEW_PRIVS:
    if (a[1] != 1 || a[2] || a[3] || a[4])
      return -EINVAL;
    prctl_state.no_new_privs = 1;
    return 0;
  case PR_GET_NO_NEW_PRIVS:
    if (a[1] || a[2] || a[3] || a[4])
      return -EINVAL;
    return prctl_state.no_new_privs;
  case PR_CAPBSET_READ: /* the host's bounding set is ours */
    return fs_host_ret(prctl(PR_CAPBSET_READ, (unsigned long)a[1], 0, 0, 0));
  default: return -EINVAL;
  }
}
