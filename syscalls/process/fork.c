/* fork, vfork, clone and clone3 for new processes (kernel/fork.c's
 * kernel_clone without CLONE_THREAD). A guest process is a host process:
 * emu forks itself, so the child's guest physical memory is the host's
 * copy-on-write copy of the parent's, host descriptors are inherited as
 * Linux children inherit them, and the guest pid is the host pid.
 * MAP_SHARED memory is host shared memory (mmu/window.c) and so stays
 * shared without any work here.
 *
 * vfork (CLONE_VFORK) suspends the parent until the child execs or
 * exits. With CLONE_VM the two share memory until then; the child runs
 * in its own host copy instead, so every page it dirties is sent back
 * and written into the parent's memory before the parent resumes
 * (syscalls/process/vfork.c). What the guest can observe is what CLONE_VM
 * promises: the parent sees the child's stores (posix_spawn's error
 * report, a vfork child's writes to the stack) once it runs again. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../../devices/dev.h"
#include "../../devices/proc_view.h"
#include "../process.h"
#include "../strace.h"

/* struct clone_args (include/uapi/linux/sched.h), the version-2 layout:
 * 88 bytes; older callers pass 64 (VER0) or 80 (VER1). */
#define CLONE_ARGS_SIZE_VER0 64

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif
#ifndef CLONE_CLEAR_SIGHAND
#define CLONE_CLEAR_SIGHAND 0x100000000ull
#endif
#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ull
#endif

/* What the kernel does with the flags itself, in the host's clone: the
 * parent relation and the namespaces. The rest is emulated here. */
#define HOST_FLAGS                                                             \
  (CLONE_PARENT | CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS |               \
   CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET |                \
   CLONE_UNTRACED)

/* The child's side of the new process: its identity, and the state
 * Linux does not copy (copy_process: pending signals, timers). */
static void child_starts(struct process *p, const struct guest_clone_args *k) {
  p->pid = p->tid = (int)getpid();
  thread_fork_child(p);
  dev_fork_child(p);
  host_signals_fork_child(p);
  timers_fork_child(p);
  p->ppid = (int)getppid();
  p->pending.mask = 0;
  p->pending.n = 0;
  p->sig->shared_pending.mask = 0;
  p->sig->shared_pending.n = 0;
  p->sig->stats = (struct kernel_stats){0};
  p->sig->is_child = true;
  mlock_fork_child(p);
  cpu_forked(&p->cpu);
  p->clear_child_tid = (k->flags & CLONE_CHILD_CLEARTID) ? k->child_tid : 0;
  if (k->flags & CLONE_SETTLS)
    p->cpu.fs_base = k->tls;
  if (k->stack)
    p->cpu.gpr[RSP] = k->stack + k->stack_size;
  if (k->flags & CLONE_CLEAR_SIGHAND)
    for (int s = 0; s < 64; s++)
      if (p->sighand->sigactions[s].handler != (uint64_t)(uintptr_t)SIG_IGN)
        p->sighand->sigactions[s] = (struct guest_sigaction){0};
  if (k->flags & CLONE_CHILD_SETTID) {
    uint32_t tid = (uint32_t)p->tid;
    copy_to_guest(&p->mmu, k->child_tid, &tid, sizeof tid);
  }
  strace_forked(p);
  proc_view_fork_child(p);
}

/* Validation as kernel_clone and copy_process do it, in their order. */
static int check_flags(const struct guest_clone_args *k) {
  uint64_t f = k->flags;
  if ((f & (CLONE_NEWNS | CLONE_FS)) == (CLONE_NEWNS | CLONE_FS) ||
      (f & (CLONE_NEWUSER | CLONE_FS)) == (CLONE_NEWUSER | CLONE_FS))
    return -EINVAL;
  if ((f & CLONE_THREAD) && !(f & CLONE_SIGHAND))
    return -EINVAL;
  if ((f & CLONE_SIGHAND) && !(f & CLONE_VM))
    return -EINVAL;
  if ((f & CLONE_PIDFD) && (f & CLONE_DETACHED))
    return -EINVAL;
  if (k->exit_signal > 64)
    return -EINVAL;
  /* A thread is a host thread of this emu (thread.c). A process that
   * shares memory, a descriptor table, a filesystem context or a System
   * V semaphore set with its parent without being its thread would need
   * that shared between two host processes, which emu does not do. */
  if ((f & CLONE_VM) && !(f & CLONE_VFORK))
    return (f & CLONE_THREAD) ? 0 : -ENOSYS;
  if (f & (CLONE_THREAD | CLONE_SIGHAND | CLONE_FILES | CLONE_FS |
           CLONE_SYSVSEM | CLONE_IO))
    return -ENOSYS;
  if (f & CLONE_INTO_CGROUP)
    return -ENOSYS;
  return 0;
}

static int64_t do_clone(struct process *p, const struct guest_clone_args *k,
                        uint64_t pidfd_out) {
  int e = check_flags(k);
  if (e)
    return e;
  if ((k->flags & CLONE_VM) && !(k->flags & CLONE_VFORK))
    return thread_clone(p, k);
  bool vfork = k->flags & CLONE_VFORK;
  int release[2] = {-1, -1};
  if (vfork && pipe2(release, O_CLOEXEC) < 0)
    return -errno;
  /* The child waits until the parent has published its /proc view, so
   * that the two never write it at once (devices/proc_view.c). */
  int ready[2];
  if (pipe2(ready, O_CLOEXEC) < 0) {
    int err = errno;
    if (vfork) {
      close(release[0]);
      close(release[1]);
    }
    return -err;
  }
  /* Nothing of emu's own buffered output may be written twice. */
  fflush(stderr);
  if (p->opt && p->opt->trace_out && p->opt->trace_out != p->opt->strace_out)
    fflush(p->opt->trace_out);
  strace_before_fork(p);
  /* A signal the child gets before child_starts empties the ring it
   * inherited (a SIGTSTP sent as soon as fork returns) would be lost:
   * it waits on the host, blocked, until the ring is the child's. */
  sigset_t saved;
  sigprocmask(SIG_BLOCK, host_signals_set(), &saved);
  long pid = syscall(SYS_clone, (k->flags & HOST_FLAGS) | k->exit_signal, 0,
                     NULL, NULL, 0);
  if (pid != 0)
    sigprocmask(SIG_SETMASK, &saved, NULL);
  if (pid < 0) {
    int err = errno;
    strace_fork_failed(p);
    close(ready[0]);
    close(ready[1]);
    if (vfork) {
      close(release[0]);
      close(release[1]);
    }
    return -err;
  }
  if (pid == 0) {
    char c;
    close(ready[1]);
    while (read(ready[0], &c, 1) < 0 && errno == EINTR)
      continue;
    close(ready[0]);
    if (vfork) {
      close(release[0]);
      vfork_child_starts(p, release[1], k->flags & CLONE_VM);
    }
    child_starts(p, k);
    sigprocmask(SIG_SETMASK, &saved, NULL);
    return 0;
  }
  /* The parent. */
  proc_view_fork_parent(p, (int)pid);
  close(ready[0]);
  close(ready[1]); /* the child runs on */
  if (k->flags & CLONE_PIDFD) {
    int host = (int)syscall(SYS_pidfd_open, (pid_t)pid, 0);
    int fd = host < 0 ? -errno : fd_install(p, host, FD_CLOEXEC, 0);
    int32_t v = fd;
    if (fd >= 0)
      copy_to_guest(&p->mmu, pidfd_out, &v, sizeof v);
  }
  if (k->flags & CLONE_PARENT_SETTID) {
    uint32_t tid = (uint32_t)pid;
    copy_to_guest(&p->mmu, k->parent_tid, &tid, sizeof tid);
  }
  if (vfork) {
    close(release[1]);
    vfork_parent_waits(p, release[0]);
  }
  return pid;
}

int64_t sys_fork(struct process *p, const uint64_t a[6]) {
  (void)a;
  struct guest_clone_args k = {.exit_signal = SIGCHLD};
  return do_clone(p, &k, 0);
}

int64_t sys_vfork(struct process *p, const uint64_t a[6]) {
  (void)a;
  struct guest_clone_args k = {.flags = CLONE_VM | CLONE_VFORK,
                               .exit_signal = SIGCHLD};
  return do_clone(p, &k, 0);
}

/* clone(flags, stack, parent_tid, child_tid, tls): the x86-64 order. The
 * low byte of flags is the exit signal; CLONE_PIDFD stores the pidfd
 * where parent_tid points (so the two exclude each other). */
int64_t sys_clone(struct process *p, const uint64_t a[6]) {
  struct guest_clone_args k = {.flags = a[0] & ~0xffull,
                               .exit_signal = a[0] & 0xff,
                               .stack = a[1],
                               .parent_tid = a[2],
                               .child_tid = a[3],
                               .tls = a[4]};
  if ((k.flags & CLONE_PIDFD) && (k.flags & CLONE_PARENT_SETTID))
    return -EINVAL;
  /* clone's stack is the new RSP itself, clone3's the lowest address. */
  k.stack_size = 0;
  k.flags &= 0xffffffffull;
  return do_clone(p, &k, a[2]);
}

int64_t sys_clone3(struct process *p, const uint64_t a[6]) {
  struct guest_clone_args k = {0};
  uint64_t size = a[1];
  if (size < CLONE_ARGS_SIZE_VER0)
    return -EINVAL;
  if (size > 4096)
    return -E2BIG;
  /* copy_struct_from_user: a larger struct is fine if the tail is 0. */
  for (uint64_t off = sizeof k; off < size; off++) {
    uint8_t b;
    if (copy_from_guest(&p->mmu, &b, a[0] + off, 1) < 0)
      return -EFAULT;
    if (b)
      return -E2BIG;
  }
  if (copy_from_guest(&p->mmu, &k, a[0], size < sizeof k ? size : sizeof k))
    return -EFAULT;
  /* clone3_args_valid */
  if (k.flags &
      ~((0xffffffffull & ~0xffull) | CLONE_CLEAR_SIGHAND | CLONE_INTO_CGROUP))
    return -EINVAL;
  if ((k.flags & (CLONE_SIGHAND | CLONE_CLEAR_SIGHAND)) ==
      (CLONE_SIGHAND | CLONE_CLEAR_SIGHAND))
    return -EINVAL;
  if ((k.flags & (CLONE_THREAD | CLONE_PARENT)) && k.exit_signal)
    return -EINVAL;
  if (k.exit_signal > 64)
    return -EINVAL;
  if (!k.stack != !k.stack_size)
    return -EINVAL;
  if (k.set_tid || k.set_tid_size)
    return -ENOSYS; /* choosing the child's pid: CAP_SYS_ADMIN in a pid ns */
  return do_clone(p, &k, k.pidfd);
}
