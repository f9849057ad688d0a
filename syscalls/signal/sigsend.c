/* Signals to other processes: guest pids are host pids (another guest
 * is another emu process), so kill, tkill, tgkill, rt_sigqueueinfo,
 * rt_tgsigqueueinfo and pidfd_send_signal to anyone but ourselves are
 * the host's calls, with its errors (ESRCH, EPERM, EINVAL). A group or
 * broadcast that includes emu reaches the guest through emu's host
 * handler (host_signal.c), before the call returns, as Linux delivers
 * it. pidfd_open's descriptor is the host's. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../process.h"
#include "../syscall_table.h"

static int64_t host_ret(long r) { return r < 0 ? -errno : r; }

int64_t sigsend_kill(struct process *p, int pid, int sig) {
  (void)p;
  return host_ret(kill(pid, sig));
}

int64_t sigsend_tgkill(struct process *p, int tgid, int tid, int sig) {
  (void)p;
  if (tgid < 0)
    return host_ret(syscall(SYS_tkill, tid, sig));
  return host_ret(syscall(SYS_tgkill, tgid, tid, sig));
}

/* rt_sigqueueinfo/rt_tgsigqueueinfo with the guest's siginfo (its 128
 * bytes are the host's layout); tgid < 0 for the process form. */
int64_t sigsend_queueinfo(struct process *p, int tgid, int tid, int sig,
                          const struct guest_siginfo *info) {
  (void)p;
  if (tgid < 0)
    return host_ret(syscall(SYS_rt_sigqueueinfo, tid, sig, info));
  return host_ret(syscall(SYS_rt_tgsigqueueinfo, tgid, tid, sig, info));
}

int64_t sys_pidfd_open(struct process *p, const uint64_t a[6]) {
  int h = (int)syscall(SYS_pidfd_open, (int)a[0], (unsigned)a[1]);
  if (h < 0)
    return -errno;
  return fd_install(p, h, FD_CLOEXEC, 0);
}

int64_t sys_pidfd_send_signal(struct process *p, const uint64_t a[6]) {
  int h = fd_host(p, (int)a[0]);
  if (h < 0)
    return h;
  struct guest_siginfo info, *ip = NULL;
  if (a[2]) {
    if (copy_from_guest(&p->mmu, &info, a[2], sizeof info) < 0)
      return -EFAULT;
    ip = &info;
  }
  return host_ret(
      syscall(SYS_pidfd_send_signal, h, (int)a[1], ip, (unsigned)a[3]));
}
