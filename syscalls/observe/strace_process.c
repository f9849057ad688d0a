/* --strace for the process calls, as strace 6.1 prints them: clone's
 * arguments named and ordered by its flags, clone3's struct, wait
 * status words decoded, wait options, and SIGCHLD's siginfo. */
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "strace_internal.h"

#define N(x)                                                                   \
  { x, #x }

static const struct flag_name clone_flag_names[] = {
    {0x100, "CLONE_VM"},
    {0x200, "CLONE_FS"},
    {0x400, "CLONE_FILES"},
    {0x800, "CLONE_SIGHAND"},
    {0x1000, "CLONE_PIDFD"},
    {0x2000, "CLONE_PTRACE"},
    {0x4000, "CLONE_VFORK"},
    {0x8000, "CLONE_PARENT"},
    {0x10000, "CLONE_THREAD"},
    {0x20000, "CLONE_NEWNS"},
    {0x40000, "CLONE_SYSVSEM"},
    {0x80000, "CLONE_SETTLS"},
    {0x100000, "CLONE_PARENT_SETTID"},
    {0x200000, "CLONE_CHILD_CLEARTID"},
    {0x400000, "CLONE_DETACHED"},
    {0x800000, "CLONE_UNTRACED"},
    {0x1000000, "CLONE_CHILD_SETTID"},
    {0x2000000, "CLONE_NEWCGROUP"},
    {0x4000000, "CLONE_NEWUTS"},
    {0x8000000, "CLONE_NEWIPC"},
    {0x10000000, "CLONE_NEWUSER"},
    {0x20000000, "CLONE_NEWPID"},
    {0x40000000, "CLONE_NEWNET"},
    {0x80000000ull, "CLONE_IO"},
    {0x100000000ull, "CLONE_CLEAR_SIGHAND"},
    {0x200000000ull, "CLONE_INTO_CGROUP"},
    FLAG_END};

static const struct flag_name wait_option_names[] = {
    N(WNOHANG),
    {2, "WSTOPPED"},
    N(WEXITED),
    N(WCONTINUED),
    N(WNOWAIT),
    {0x20000000, "__WNOTHREAD"},
    {0x40000000, "__WALL"},
    {0x80000000ull, "__WCLONE"},
    FLAG_END};

static const struct flag_name idtype_names[] = {
    N(P_ALL), N(P_PID), N(P_PGID), {3, "P_PIDFD"}, FLAG_END};

static const struct flag_name chld_codes[] = {
    N(CLD_EXITED),  N(CLD_KILLED),    N(CLD_DUMPED), N(CLD_TRAPPED),
    N(CLD_STOPPED), N(CLD_CONTINUED), FLAG_END};

/* clone's flags: the names, then the exit signal (strace: "|SIGCHLD"). */
static void clone_flags(struct process *p, uint64_t flags, int exit_signal) {
  if (flags)
    st_flags_x(p, clone_flag_names, flags, "CLONE_???");
  if (exit_signal) {
    if (flags)
      st_puts(p, "|");
    st_signal(p, exit_signal);
  } else if (!flags) {
    st_puts(p, "0");
  }
}

static void tid_at(struct process *p, uint64_t addr) {
  int32_t v;
  if (st_fetch(p, addr, &v, sizeof v))
    st_printf(p, "[%d]", v);
}

void st_clone_enter(struct process *p, const uint64_t a[6]) {
  st_puts(p, "child_stack=");
  st_ptr(p, a[1]);
  st_puts(p, ", flags=");
  clone_flags(p, a[0] & ~0xffull, (int)(a[0] & 0xff));
}

void st_clone_leave(struct process *p, const uint64_t a[6], int64_t ret) {
  uint64_t f = a[0];
  bool failed = ret < 0;
  if (f & (CLONE_PARENT_SETTID | 0x1000 /* CLONE_PIDFD */)) {
    st_puts(p, ", parent_tid=");
    failed ? st_ptr(p, a[2]) : tid_at(p, a[2]);
  }
  if (f & CLONE_SETTLS) {
    st_puts(p, ", tls=");
    st_ptr(p, a[4]);
  }
  if (f & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)) {
    st_puts(p, ", child_tidptr=");
    st_ptr(p, a[3]);
  }
}

struct clone3_args {
  uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size,
      tls, set_tid, set_tid_size, cgroup;
};

static bool fetch_clone3(struct process *p, const uint64_t a[6],
                         struct clone3_args *k) {
  memset(k, 0, sizeof *k);
  uint64_t n = a[1] < sizeof *k ? a[1] : sizeof *k;
  return a[1] >= 64 && copy_from_guest(&p->mmu, k, a[0], n) == 0;
}

bool st_clone3_enter(struct process *p, const uint64_t a[6]) {
  struct clone3_args k;
  if (!fetch_clone3(p, a, &k)) {
    st_ptr(p, a[0]);
    st_printf(p, ", %llu", (unsigned long long)a[1]);
    return true;
  }
  st_puts(p, "{flags=");
  st_flags_x(p, clone_flag_names, k.flags, "CLONE_???");
  if (k.flags & 0x1000) {
    st_puts(p, ", pidfd=");
    st_ptr(p, k.pidfd);
  }
  if (k.flags & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)) {
    st_puts(p, ", child_tid=");
    st_ptr(p, k.child_tid);
  }
  if (k.flags & CLONE_PARENT_SETTID) {
    st_puts(p, ", parent_tid=");
    st_ptr(p, k.parent_tid);
  }
  st_puts(p, ", exit_signal=");
  if (k.exit_signal)
    st_signal(p, (int)k.exit_signal);
  else
    st_puts(p, "0");
  st_puts(p, ", stack=");
  st_ptr(p, k.stack);
  st_printf(p, ", stack_size=%#llx", (unsigned long long)k.stack_size);
  if (k.flags & CLONE_SETTLS) {
    st_puts(p, ", tls=");
    st_ptr(p, k.tls);
  }
  st_puts(p, "}");
  /* Nothing to show at exit but the size: strace prints it now. */
  if (k.flags & (0x1000 | CLONE_PARENT_SETTID))
    return false;
  st_printf(p, ", %llu", (unsigned long long)a[1]);
  return true;
}

void st_clone3_leave(struct process *p, const uint64_t a[6], int64_t ret) {
  struct clone3_args k;
  if (ret > 0 && fetch_clone3(p, a, &k) &&
      (k.flags & (0x1000 | CLONE_PARENT_SETTID))) {
    st_puts(p, " => {");
    if (k.flags & 0x1000) {
      st_puts(p, "pidfd=");
      tid_at(p, k.pidfd);
    }
    if (k.flags & CLONE_PARENT_SETTID) {
      st_puts(p, (k.flags & 0x1000) ? ", parent_tid=" : "parent_tid=");
      tid_at(p, k.parent_tid);
    }
    st_puts(p, "}");
  }
  st_printf(p, ", %llu", (unsigned long long)a[1]);
}

/* [{WIFEXITED(s) && WEXITSTATUS(s) == 0}] (strace's printstatus). */
void st_wait_status(struct process *p, uint64_t addr, int64_t ret) {
  int32_t s;
  if (!addr || ret <= 0 || copy_from_guest(&p->mmu, &s, addr, 4) < 0) {
    st_ptr(p, addr);
    return;
  }
  st_puts(p, "[{");
  if (WIFSTOPPED(s)) {
    st_puts(p, "WIFSTOPPED(s) && WSTOPSIG(s) == ");
    st_signal(p, WSTOPSIG(s));
  } else if (WIFSIGNALED(s)) {
    st_puts(p, "WIFSIGNALED(s) && WTERMSIG(s) == ");
    st_signal(p, WTERMSIG(s));
    if (WCOREDUMP(s))
      st_puts(p, " && WCOREDUMP(s)");
  } else if (WIFEXITED(s)) {
    st_printf(p, "WIFEXITED(s) && WEXITSTATUS(s) == %d", WEXITSTATUS(s));
  } else if (WIFCONTINUED(s)) {
    st_puts(p, "WIFCONTINUED(s)");
  } else {
    st_printf(p, "%#x", (unsigned)s);
  }
  st_puts(p, "}");
  if (s & 0xffff0000)
    st_printf(p, " | %#x", (unsigned)s & 0xffff0000);
  st_puts(p, "]");
}

void st_wait_options(struct process *p, uint64_t v) {
  st_flags_x(p, wait_option_names, v & 0xffffffffull, "W???");
}

/* strace 6.1 names these three (MFD_NOEXEC_SEAL and MFD_EXEC came
 * later). */
static const struct flag_name mfd_names[] = {
    {1, "MFD_CLOEXEC"}, {2, "MFD_ALLOW_SEALING"}, {4, "MFD_HUGETLB"}, FLAG_END};

/* The flags, then a huge page size as "21<<MFD_HUGE_SHIFT". */
void st_mfd_flags(struct process *p, uint64_t v) {
  uint32_t flags = (uint32_t)v, huge = flags & 0x3fu << 26;
  flags &= ~huge;
  if (flags || !huge)
    st_flags_x(p, mfd_names, flags, "MFD_???");
  if (huge)
    st_printf(p, "%s%u<<MFD_HUGE_SHIFT", flags ? "|" : "", huge >> 26);
}

void st_idtype(struct process *p, uint64_t v) {
  st_xlat(p, idtype_names, v, "P_???");
}

/* The SIGCHLD part of a siginfo: the child, its status (a signal for
 * all but CLD_EXITED) and its CPU times in clock ticks. */
bool st_siginfo_chld(struct process *p, int signo, int code, const uint8_t *u) {
  const char *name = st_lookup(chld_codes, (uint64_t)code);
  if (signo != SIGCHLD || code <= 0 || !name)
    return false;
  int32_t pid, status;
  uint32_t uid;
  int64_t utime, stime;
  memcpy(&pid, u, 4);
  memcpy(&uid, u + 4, 4);
  memcpy(&status, u + 8, 4);
  memcpy(&utime, u + 16, 8);
  memcpy(&stime, u + 24, 8);
  st_printf(p, "si_code=%s, si_pid=%d, si_uid=%u, si_status=", name, pid, uid);
  if (code == CLD_EXITED)
    st_printf(p, "%d", status);
  else
    st_signal(p, status);
  st_printf(p, ", si_utime=%lld", (long long)utime);
  if (utime)
    st_printf(p, " /* %lld.%02lld s */", (long long)utime / 100,
              (long long)utime % 100);
  st_printf(p, ", si_stime=%lld", (long long)stime);
  if (stime)
    st_printf(p, " /* %lld.%02lld s */", (long long)stime / 100,
              (long long)stime % 100);
  return true;
}
