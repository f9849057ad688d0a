/* --strace: each call is printed from its syscalls.def line. Arguments
 * known on entry are printed when the call is entered; the first
 * out-argument and everything after it, the result and its errno when it
 * returns (strace's syscall_entering/exiting_trace). */
#include <asm/prctl.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "../strace.h"
#include "../syscall_table.h"
#include "strace_internal.h"
#include "strace_net.h"

/* What a call's entry leaves for its exit, per task (a guest thread
 * traces its own calls). In/out values read on entry (sendfile's
 * offset) for "[old] => [new]". */
static _Thread_local int64_t st_saved[6];
/* Where the entry half stopped, for the exit half, and whether it wrote
 * the ", " before that argument (strace's entry ends "read(3, "). */
static _Thread_local int st_resume;
static _Thread_local bool st_resume_comma;
/* clone and clone3 print their one argument in two halves, as strace
 * does: clone's child_stack and flags, clone3's struct at entry (and its
 * size too when nothing is written back), the rest at exit. */
static _Thread_local enum {
  CLONE_HALF_NONE,    /* entry not traced: print it all at exit */
  CLONE_HALF_ENTERED, /* the exit half is left */
  CLONE_HALF_DONE,    /* all printed at entry */
} st_clone_half;

static const struct syscall_desc *desc_of(uint64_t nr) {
  if (nr < SYSCALL_MAX && syscall_table[nr].name)
    return &syscall_table[nr];
  return NULL;
}

static int nargs_of(const struct syscall_desc *d) {
  if (!d)
    return 6;
  int n = 0;
  while (n < 6 && d->args[n] != A_NONE)
    n++;
  return n;
}

/* Does the argument exist for these values (open's mode only with
 * O_CREAT, fcntl's third only for the F_SET* commands)? */
static bool arg_present(int kind, const uint64_t a[6], int i) {
  switch (kind) {
  case A_OPEN_MODE: /* O_CREAT or O_TMPFILE's own bit (020000000) */
    return a[i - 1] & (O_CREAT | 020000000);
  case A_FCNTL_ARG: return st_fcntl_has_arg(a[1]);
  case A_MKNOD_DEV: return false;
  case A_PRCTL_TAIL: return a[0] != PR_GET_DUMPABLE;
  case A_IOCTL_ARG: return st_ioctl_has_arg(a[1]);
  case A_MREMAP_ADDR: /* MREMAP_MAYMOVE | MREMAP_FIXED */
    return (a[3] & 3) == 3;
  case A_SOCKLEN: return false;
  default: return true;
  }
}

static bool is_net_kind(int kind) {
  return kind >= A_SOCKADDR_IN && kind <= A_SHUTDOWN_HOW;
}

static bool arg_is_out(struct process *p, int kind, const uint64_t a[6],
                       int i) {
  if (is_net_kind(kind))
    return st_net_is_out(p, kind, a, i);
  switch (kind) {
  case A_CLONE_ARGS:
  case A_CLONE3_ARGS:
  case A_WAIT_STATUS_OUT:
  case A_STR_OUT:
  case A_PATH_OUT:
  case A_TIME_OUT:
  case A_STATFS_OUT:
  case A_HEX_OUT:
  case A_IOCTL_ARG:
  case A_STAT_OUT:
  case A_STATX_OUT:
  case A_RLIMIT_OUT:
  case A_TIMESPEC_OUT:
  case A_TIMEVAL_OUT:
  case A_UTSNAME_OUT:
  case A_SIGSET_OUT:
  case A_SIGACTION_OUT:
  case A_STACK_OUT:
  case A_IOVEC_OUT:
  case A_PIPE_OUT:
  case A_DIRENTS_OUT:
  case A_INT_OUT:
  case A_GROUPS_OUT:
  case A_SYSINFO_OUT:
  case A_TMS_OUT:
  case A_RUSAGE_OUT:
  case A_CPUSET_OUT:
  case A_EPOLL_EVENTS_OUT:
  case A_LOFF_INOUT:
  case A_SIGSET_PENDING:
  case A_SCHED_PRIO_OUT:
  case A_ITIMERSPEC_OUT:
  case A_ITIMERVAL_OUT:
  case A_MINCORE_VEC:
  case A_MPOL_MODE_OUT:
  case A_NODEMASK_OUT:
  case A_CAP_DATA_OUT:
  case A_ROBUST_HEAD_OUT:
  case A_ROBUST_LEN_OUT:
  case A_SCHED_ATTR_SET:
  case A_SCHED_ATTR_GET:
  case A_SLEEP_REM:
  case A_SIGINFO_OUT: return true;
  case A_FCNTL_ARG: return st_fcntl_arg_is_out(a[1]);
  case A_ARCH_ADDR: return a[0] == ARCH_GET_FS || a[0] == ARCH_GET_GS;
  case A_PRCTL_TAIL:
    return a[0] == PR_GET_NAME || a[0] == PR_GET_PDEATHSIG ||
           a[0] == PR_GET_CHILD_SUBREAPER;
  default: return false;
  }
}

static void st_map_flags(struct process *p, uint64_t flags) {
  const char *type = st_lookup(map_type_names, flags & MAP_TYPE);
  if (type)
    st_puts(p, type);
  else
    st_printf(p, "%#llx /* MAP_??? */", (unsigned long long)(flags & MAP_TYPE));
  uint64_t huge = flags >> MAP_HUGE_SHIFT;
  flags &= ~(uint64_t)MAP_TYPE & ((1ull << MAP_HUGE_SHIFT) - 1);
  if (flags) {
    st_puts(p, "|");
    st_flags(p, map_flag_names, flags, NULL);
  }
  if (huge)
    st_printf(p, "|%llu<<MAP_HUGE_SHIFT", (unsigned long long)huge);
}

static void st_argv(struct process *p, uint64_t addr) {
  if (!addr) {
    st_puts(p, "NULL");
    return;
  }
  st_puts(p, "[");
  for (int k = 0;; k++) {
    uint64_t s;
    if (copy_from_guest(&p->mmu, &s, addr + 8 * (uint64_t)k, 8) < 0) {
      if (!k) {
        st_ptr(p, addr); /* strace prints the bad pointer instead */
        return;
      }
      break;
    }
    if (!s)
      break;
    if (k == STRACE_STRLEN) {
      st_puts(p, ", ...");
      break;
    }
    if (k)
      st_puts(p, ", ");
    st_guest_str(p, s, STRACE_STRLEN);
  }
  st_puts(p, "]");
}

static void st_envp(struct process *p, uint64_t addr) {
  int n = 0;
  uint64_t s = 1;
  st_ptr(p, addr);
  if (!addr)
    return;
  while (n < 1 << 16 &&
         copy_from_guest(&p->mmu, &s, addr + 8 * (uint64_t)n, 8) == 0 && s)
    n++;
  st_printf(p, " /* %d var%s */", n, n == 1 ? "" : "s");
}

static void st_dirents(struct process *p, uint64_t addr, int64_t ret) {
  st_ptr(p, addr);
  if (ret < 0)
    return;
  int n = 0;
  for (int64_t off = 0; off < ret;) {
    uint16_t reclen;
    if (copy_from_guest(&p->mmu, &reclen, addr + (uint64_t)off + 16, 2) < 0 ||
        !reclen)
      break;
    off += reclen;
    n++;
  }
  st_printf(p, " /* %d entr%s */", n, n == 1 ? "y" : "ies");
}

static void st_int_array(struct process *p, uint64_t addr, int64_t count,
                         const char *sep) {
  st_puts(p, "[");
  for (int64_t k = 0; k < count && k < STRACE_STRLEN; k++) {
    uint32_t v;
    if (copy_from_guest(&p->mmu, &v, addr + 4 * (uint64_t)k, 4) < 0)
      break;
    st_printf(p, "%s%u", k ? sep : "", v);
  }
  st_puts(p, "]");
}

static void st_cpuset(struct process *p, uint64_t addr, int64_t bytes) {
  uint8_t set[128];
  if (bytes > (int64_t)sizeof set)
    bytes = sizeof set;
  if (copy_from_guest(&p->mmu, set, addr, (size_t)bytes) < 0) {
    st_ptr(p, addr);
    return;
  }
  st_puts(p, "[");
  const char *sep = "";
  for (int cpu = 0; cpu < bytes * 8; cpu++)
    if (set[cpu / 8] >> (cpu % 8) & 1) {
      st_printf(p, "%s%d", sep, cpu);
      sep = " ";
    }
  st_puts(p, "]");
}

static void st_statx_flags(struct process *p, uint64_t flags) {
  uint64_t sync = flags & 0x6000;
  st_puts(p, sync ? st_lookup(statx_sync_names, sync)
                        ? st_lookup(statx_sync_names, sync)
                        : "0x6000"
                  : "AT_STATX_SYNC_AS_STAT");
  flags &= ~0x6000ull;
  if (flags) {
    st_puts(p, "|");
    st_flags(p, at_flag_names, flags, NULL);
  }
}

static void st_loff_entry(int i, struct process *p, uint64_t addr) {
  int64_t v = 0;
  if (addr && copy_from_guest(&p->mmu, &v, addr, 8) == 0)
    st_saved[i] = v;
  else
    st_saved[i] = INT64_MIN;
}

/* The kernel's "to be restarted" errors (strace's is_erestart). */
static bool is_restart_error(int64_t ret) {
  return ret == -ERESTARTSYS || ret == -ERESTARTNOINTR ||
         ret == -ERESTARTNOHAND || ret == -ERESTART_RESTARTBLOCK;
}

/* Kinds that read what the caller gave. strace reads them with
 * umove_or_printaddr, which shows only the address when the call has
 * failed and is being printed on its return: epoll_pwait2's timeout and
 * sigmask, printed after its events, are addresses when it fails. */
static bool is_in_struct(int kind) {
  switch (kind) {
  case A_TIMESPEC_IN:
  case A_TIMEVAL_IN:
  case A_SIGSET_IN:
  case A_SIGSET_SIZED:
  case A_ITIMERSPEC_IN:
  case A_ITIMERVAL_IN:
  case A_RLIMIT_IN:
  case A_SIGACTION_IN:
  case A_STACK_IN:
  case A_SIGINFO_IN:
  case A_EPOLL_EVENT_IN:
  case A_SIGEVENT_IN:
  case A_UTIMENS_IN:
  case A_SCHED_PRIO_IN:
  case A_INT64_IN: return true;
  default: return false;
  }
}

/* Print argument i of kind `kind`; ret is valid for out-arguments, and
 * for every argument printed when the call returns (`exiting`). */
static void print_arg(struct process *p, int kind, const uint64_t a[6], int i,
                      int64_t ret, bool exiting) {
  uint64_t v = a[i];
  bool failed = ret < 0;
  if (exiting && failed && ret > -4096 && is_in_struct(kind)) {
    st_ptr(p, v);
    return;
  }
  switch (kind) {
  case A_INT:
  case A_FD: st_printf(p, "%d", (int)v); break;
  case A_UINT: st_printf(p, "%u", (unsigned)v); break;
  case A_LONG: st_printf(p, "%lld", (long long)v); break;
  case A_ULONG: st_printf(p, "%llu", (unsigned long long)v); break;
  case A_HEX: st_printf(p, "%#llx", (unsigned long long)v); break;
  case A_PTR: st_ptr(p, v); break;
  case A_MODE:
  case A_OPEN_MODE: st_printf(p, "%#03o", (unsigned)v); break;
  case A_DIRFD:
    if ((int)v == AT_FDCWD)
      st_puts(p, "AT_FDCWD");
    else
      st_printf(p, "%d", (int)v);
    break;
  case A_PATH: st_guest_path(p, v); break;
  case A_PATH_OUT: failed ? st_ptr(p, v) : st_guest_path(p, v); break;
  case A_SOCK_PROTO: st_sock_proto(p, a[0], v); break;
  case A_STR_IN: st_guest_buf(p, v, a[i + 1], QUOTE_PLAIN); break;
  case A_STR_OUT:
  case A_HEX_OUT:
    if (failed)
      st_ptr(p, v);
    else
      st_guest_buf(p, v, (uint64_t)ret,
                   kind == A_HEX_OUT ? QUOTE_FORCE_HEX : QUOTE_PLAIN);
    break;
  case A_OPEN_FLAGS: st_open_flags(p, v); break;
  case A_FD_FLAGS: st_flags_x(p, open_flag_names, v, "O_???"); break;
  case A_ACCESS:
    v ? st_flags_x(p, access_names, v, "?_OK") : st_puts(p, "F_OK");
    break;
  case A_AT_FLAGS:
  case A_AT_REMOVEDIR: st_flags_x(p, at_flag_names, v, "AT_???"); break;
  case A_AT_EACCESS: st_flags_x(p, at_eaccess_names, v, "AT_???"); break;
  case A_STATX_FLAGS: st_statx_flags(p, v); break;
  case A_STATX_MASK:
    st_flags_x(p, statx_mask_names, (uint32_t)v, "STATX_???");
    break;
  case A_PROT:
    v ? st_flags_x(p, prot_names, v, "PROT_???") : st_puts(p, "PROT_NONE");
    break;
  case A_MAP_FLAGS: st_map_flags(p, v); break;
  case A_MREMAP_FLAGS: st_flags_x(p, mremap_names, v, "MREMAP_???"); break;
  case A_MADVISE: st_xlat(p, madvise_names, v, "MADV_???"); break;
  case A_MSYNC_FLAGS: st_flags_x(p, msync_names, v, "MS_???"); break;
  case A_WHENCE: st_xlat(p, whence_names, v, "SEEK_???"); break;
  case A_FCNTL_CMD: st_xlat(p, fcntl_cmd_names, v, "F_???"); break;
  case A_FCNTL_ARG: st_fcntl_arg(p, a[1], v, ret); break;
  case A_MKNOD_MODE: st_mknod(p, v, a[i + 1]); break;
  case A_FALLOC_MODE: st_fallocate_mode(p, v); break;
  case A_MINCORE_VEC: st_mincore_vec(p, v, a[1], ret); break;
  case A_MPOL_MODE: st_mpol_mode(p, v); break;
  case A_MPOL_MODE_OUT: st_mpol_mode_at(p, v, failed); break;
  case A_NODEMASK_IN: st_nodemask(p, v, a[i + 1], false); break;
  case A_NODEMASK_OUT: st_nodemask(p, v, a[i + 1], failed); break;
  case A_MPOL_GET_FLAGS: st_mpol_get_flags(p, v); break;
  case A_MLOCKALL_FLAGS: {
    static const struct flag_name t[] = {
        {1, "MCL_CURRENT"}, {2, "MCL_FUTURE"}, {4, "MCL_ONFAULT"}, FLAG_END};
    st_flags_x(p, t, (uint32_t)v, "MCL_???");
    break;
  }
  case A_MLOCK2_FLAGS: {
    static const struct flag_name t[] = {{1, "MLOCK_ONFAULT"}, FLAG_END};
    st_flags_x(p, t, (uint32_t)v, "MLOCK_???");
    break;
  }
  case A_MEMBARRIER_CMD: st_membarrier_cmd(p, v); break;
  case A_MEMBARRIER_FLAGS: st_membarrier_flags(p, a); break;
  case A_UTIMBUF_IN: st_utimbuf(p, v); break;
  case A_TIMEVAL_PAIR_IN: st_timeval_pair(p, v); break;
  case A_RWF_FLAGS: st_rwf_flags(p, a[5]); break;
  case A_PERSONALITY: st_personality(p, v); break;
  case A_IOPRIO_WHICH: st_ioprio_which(p, v); break;
  case A_IOPRIO_VALUE: st_ioprio_value(p, v); break;
  case A_CAP_HEADER: st_cap_header(p, v); break;
  case A_CAP_DATA_IN: st_cap_data(p, a[0], v, true); break;
  case A_CAP_DATA_OUT: st_cap_data(p, a[0], v, !failed); break;
  case A_ROBUST_HEAD_OUT: st_robust_out(p, v, !failed, true); break;
  case A_ROBUST_LEN_OUT: st_robust_out(p, v, !failed, false); break;
  case A_SCHED_ATTR_SET: st_sched_setattr(p, v, ret); break;
  case A_SCHED_ATTR_GET: st_sched_getattr(p, v, (uint32_t)a[i + 1], ret); break;
  case A_PKEY_ACCESS: st_pkey_access(p, v); break;
  case A_SYNC_RANGE_FLAGS: {
    static const struct flag_name t[] = {{1, "SYNC_FILE_RANGE_WAIT_BEFORE"},
                                         {2, "SYNC_FILE_RANGE_WRITE"},
                                         {4, "SYNC_FILE_RANGE_WAIT_AFTER"},
                                         FLAG_END};
    st_flags_x(p, t, (uint32_t)v, "SYNC_FILE_RANGE_???");
    break;
  }
  case A_IOCTL_CMD: st_ioctl_cmd(p, v, ioctl_names); break;
  case A_IOCTL_ARG: st_ioctl_arg(p, a[1], v, ret); break;
  case A_STAT_OUT: failed ? st_ptr(p, v) : st_stat(p, v); break;
  case A_STATX_OUT: failed ? st_ptr(p, v) : st_statx(p, v); break;
  case A_RLIMIT_RES: st_xlat(p, rlimit_names, v, "RLIMIT_???"); break;
  case A_RLIMIT_IN: st_rlimit(p, v); break;
  case A_RLIMIT_OUT: failed ? st_ptr(p, v) : st_rlimit(p, v); break;
  case A_TIMESPEC_IN:
  case A_TIMESPEC_SAVED: st_timespec(p, v); break;
  case A_TIMESPEC_OUT: failed ? st_ptr(p, v) : st_timespec(p, v); break;
  case A_TIMEVAL_OUT: failed ? st_ptr(p, v) : st_timeval(p, v); break;
  case A_UTIMENS_IN: st_utimens(p, v); break;
  case A_CLOCKID: st_clockid(p, v); break;
  case A_SIGEVENT_IN: st_sigevent(p, v); break;
  case A_RESTART: {
    const struct syscall_desc *r = desc_of(p->restart.nr);
    st_printf(p, "<... resuming interrupted %s ...>",
              r ? r->name : "system call");
    break;
  }
  case A_TIMER_FLAGS: {
    static const struct flag_name t[] = {{TIMER_ABSTIME, "TIMER_ABSTIME"},
                                         FLAG_END};
    st_flags_x(p, t, v, "TIMER_???");
    break;
  }
  case A_UTSNAME_OUT: failed ? st_ptr(p, v) : st_utsname(p, v); break;
  case A_SIGNAL:
    if (v == 0)
      st_puts(p, "0");
    else
      st_signal(p, (int)v);
    break;
  case A_SIGHOW: st_xlat(p, sighow_names, v, "SIG_???"); break;
  case A_SIGSET_IN: st_sigset_at(p, v, a[3]); break;
  case A_SIGSET_OUT: failed ? st_ptr(p, v) : st_sigset_at(p, v, a[3]); break;
  case A_SIGACTION_IN: st_sigaction(p, v); break;
  case A_SIGACTION_OUT: failed ? st_ptr(p, v) : st_sigaction(p, v); break;
  case A_STACK_IN: st_stack(p, v); break;
  case A_STACK_OUT: failed ? st_ptr(p, v) : st_stack(p, v); break;
  case A_FUTEX_OP: st_futex_op(p, v); break;
  case A_FUTEX_TAIL: st_futex(p, a); break;
  case A_FUTEX_WAITV: st_futex_waitv(p, v, a[i + 1]); break;
  case A_IOVEC_IN: st_iovec(p, v, a[i + 1], -1); break;
  case A_IOVEC_OUT:
    if (failed)
      st_iovec_addrs(p, v, a[i + 1]);
    else
      st_iovec(p, v, a[i + 1], ret);
    break;
  case A_PIPE_OUT:
    if (failed)
      st_ptr(p, v);
    else
      st_int_array(p, v, 2, ", ");
    break;
  case A_DIRENTS_OUT: st_dirents(p, v, ret); break;
  case A_ARGV: st_argv(p, v); break;
  case A_ENVP: st_envp(p, v); break;
  case A_ARCH_PRCTL: st_xlat(p, arch_prctl_names, v, "ARCH_???"); break;
  case A_GRND_FLAGS: st_flags_x(p, grnd_names, v, "GRND_???"); break;
  case A_XATTR_FLAGS: st_flags_x(p, xattr_flag_names, v, "XATTR_???"); break;
  case A_POLLFDS_IN: st_pollfds_in(p, v, a[i + 1]); break;
  case A_FDSET_IN: st_fdset_in(p, v, (int)a[0]); break;
  case A_TIMEVAL_IN: st_timeval(p, v); break;
  case A_PSELECT_MASK: st_pselect_mask(p, v); break;
  case A_SIGSET_SIZED: st_sigset_at(p, v, a[i + 1]); break;
  case A_SIGSET_PENDING: {
    /* Any size up to 8 bytes, as the kernel allows it (strace's
     * print_sigset_addr_len_limit with a minimum of 1). */
    uint64_t set = 0, len = a[i + 1];
    if (failed || len < 1 || len > sizeof set)
      st_ptr(p, v);
    else if (st_fetch(p, v, &set, len))
      st_sigset_bytes(p, set, (unsigned)len);
    break;
  }
  case A_SIGINFO_IN: st_siginfo_at(p, v); break;
  case A_MREMAP_ADDR: st_ptr(p, v); break;
  case A_SIGINFO_OUT: failed ? st_ptr(p, v) : st_siginfo_at(p, v); break;
  case A_ARCH_ADDR:
    if (a[0] == ARCH_GET_FS || a[0] == ARCH_GET_GS) {
      uint64_t base;
      if (st_fetch(p, v, &base, sizeof base))
        st_printf(p, "[%#llx]", (unsigned long long)base);
    } else {
      st_printf(p, "%#llx", (unsigned long long)v);
    }
    break;
  case A_SIGRETURN:
    st_puts(p, "{mask=");
    st_sigset_at(p, sigframe_mask_addr(p), 8);
    st_puts(p, "}");
    break;
  case A_INT_OUT:
    if (failed || !v)
      st_ptr(p, v);
    else
      st_int_array(p, v, 1, "");
    break;
  case A_LOFF_INOUT:
    if (!v) {
      st_puts(p, "NULL");
    } else if (st_saved[i] == INT64_MIN) {
      st_ptr(p, v);
    } else {
      int64_t now = 0;
      st_printf(p, "[%lld]", (long long)st_saved[i]);
      if (!failed && copy_from_guest(&p->mmu, &now, v, 8) == 0)
        st_printf(p, " => [%lld]", (long long)now);
    }
    break;
  case A_GROUPS_IN: /* strace: an impossible count shows the address */
    if (!v || (int)a[i - 1] < 0 || (int)a[i - 1] > 65536)
      st_ptr(p, v);
    else
      st_int_array(p, v, (int64_t)(int)a[i - 1], ", ");
    break;
  case A_GROUPS_OUT:
    if (failed || !v || !a[0])
      st_ptr(p, v);
    else
      st_int_array(p, v, ret, ", ");
    break;
  case A_SYSINFO_OUT: failed ? st_ptr(p, v) : st_sysinfo(p, v); break;
  case A_TMS_OUT: st_tms(p, v); break;
  case A_RUSAGE_WHO:
    st_xlat(p, rusage_who_names, (uint64_t)(int64_t)(int)v, "RUSAGE_???");
    break;
  case A_RUSAGE_OUT: failed || !v ? st_ptr(p, v) : st_rusage(p, v); break;
  case A_WAIT_STATUS_OUT: st_wait_status(p, v, ret); break;
  case A_WAIT_OPTIONS: st_wait_options(p, v); break;
  case A_IDTYPE: st_idtype(p, v); break;
  case A_MFD_FLAGS: st_mfd_flags(p, v); break;
  /* Printed whole when the call returns (parent_tid is an out-value). */
  case A_CLONE_ARGS:
    if (st_clone_half == CLONE_HALF_NONE)
      st_clone_enter(p, a);
    st_clone_leave(p, a, ret);
    break;
  case A_CLONE3_ARGS:
    if (st_clone_half == CLONE_HALF_DONE ||
        (st_clone_half == CLONE_HALF_NONE && st_clone3_enter(p, a)))
      break;
    st_clone3_leave(p, a, ret);
    break;
  case A_CPUSET_OUT: failed ? st_ptr(p, v) : st_cpuset(p, v, ret); break;
  case A_CPUSET_IN: st_cpuset(p, v, (int64_t)a[1]); break;
  case A_EPOLL_CREATE_FLAGS: st_epoll_create_flags(p, v); break;
  case A_EPOLL_OP: st_epoll_op(p, v); break;
  case A_EPOLL_EVENT_IN: /* EPOLL_CTL_DEL reads no event: its address */
    (uint32_t) a[1] == 2 ? st_ptr(p, v) : st_epoll_event(p, v);
    break;
  case A_EPOLL_EVENTS_OUT:
    failed ? st_ptr(p, v) : st_epoll_events(p, v, ret);
    break;
  case A_EFD_FLAGS: st_efd_flags(p, v); break;
  case A_SFD_FLAGS: st_sfd_flags(p, v); break;
  case A_TFD_FLAGS: st_tfd_flags(p, v); break;
  case A_ITIMERSPEC_IN: st_itimerspec(p, v); break;
  case A_ITIMERSPEC_OUT: failed ? st_ptr(p, v) : st_itimerspec(p, v); break;
  case A_INOTIFY_MASK: st_inotify_mask(p, v); break;
  case A_INOTIFY_INIT: st_inotify_init_flags(p, v); break;
  case A_SPLICE_FLAGS: st_splice_flags(p, v); break;
  case A_INT64_IN: st_int64_in(p, v); break;
  case A_ITIMER_WHICH: {
    static const struct flag_name t[] = {{ITIMER_REAL, "ITIMER_REAL"},
                                         {ITIMER_VIRTUAL, "ITIMER_VIRTUAL"},
                                         {ITIMER_PROF, "ITIMER_PROF"},
                                         FLAG_END};
    st_xlat(p, t, v, "ITIMER_???");
    break;
  }
  case A_ITIMERVAL_IN: st_itimerval(p, v); break;
  case A_SLEEP_REM:
    /* The kernel writes what is left only when a signal interrupts a
     * relative sleep (nanosleep's second argument, clock_nanosleep's
     * fourth without TIMER_ABSTIME): strace shows it then, and the
     * address otherwise, even after a success. */
    if (is_restart_error(ret) && (i == 1 || a[1] == 0))
      st_timespec(p, v);
    else
      st_ptr(p, v);
    break;
  case A_ITIMERVAL_OUT: failed ? st_ptr(p, v) : st_itimerval(p, v); break;
  case A_SOCK_DOMAIN: st_xlat(p, af_names, v & 0xffffffffull, "AF_???"); break;
  case A_SOCK_TYPE: st_sock_type(p, v); break;
  case A_STATFS_OUT: failed ? st_ptr(p, v) : st_statfs(p, v); break;
  case A_PRCTL_OP: st_prctl_op(p, v); break;
  case A_PRCTL_TAIL: st_prctl_tail(p, a, ret); break;
  case A_PRIO_WHICH: st_prio_which(p, v); break;
  case A_SCHED_POLICY: st_sched_policy(p, v); break;
  case A_SCHED_PRIO_IN: st_sched_param(p, v); break;
  case A_SCHED_PRIO_OUT: failed ? st_ptr(p, v) : st_sched_param(p, v); break;
  case A_TIME_OUT: {
    int64_t t;
    if (failed || !v) {
      st_ptr(p, v);
    } else if (copy_from_guest(&p->mmu, &t, v, sizeof t) == 0) {
      char buf[64];
      const char *date = st_date(buf, t, 0, 0, 0);
      st_printf(p, "[%lld", (long long)t);
      if (date)
        st_printf(p, " /* %s */", date);
      st_puts(p, "]");
    } else {
      st_ptr(p, v);
    }
    break;
  }
  case A_FLOCK_OP: st_flock_op(p, v); break;
  case A_FADVISE: {
    static const struct flag_name t[] = {{0, "POSIX_FADV_NORMAL"},
                                         {1, "POSIX_FADV_RANDOM"},
                                         {2, "POSIX_FADV_SEQUENTIAL"},
                                         {3, "POSIX_FADV_WILLNEED"},
                                         {4, "POSIX_FADV_DONTNEED"},
                                         {5, "POSIX_FADV_NOREUSE"},
                                         FLAG_END};
    st_xlat(p, t, v, "POSIX_FADV_???");
    break;
  }
  case A_RENAME_FLAGS: {
    static const struct flag_name t[] = {{1, "RENAME_NOREPLACE"},
                                         {2, "RENAME_EXCHANGE"},
                                         {4, "RENAME_WHITEOUT"},
                                         FLAG_END};
    st_flags_x(p, t, v, "RENAME_??");
    break;
  }
  default:
    if (is_net_kind(kind))
      st_net_arg(p, kind, a, i, ret);
    else
      st_printf(p, "%#llx", (unsigned long long)v);
    break;
  }
}

/* Print arguments [from, n); stops before the first out-argument when
 * `entering`. Returns the index it stopped at. */
static int print_args(struct process *p, const struct syscall_desc *d,
                      const uint64_t a[6], int from, bool entering,
                      int64_t ret) {
  int n = nargs_of(d);
  int i = from;
  for (; i < n; i++) {
    int kind = d ? d->args[i] : A_HEX;
    if (entering && arg_is_out(p, kind, a, i)) {
      st_resume_comma = i && arg_present(kind, a, i);
      if (st_resume_comma)
        st_puts(p, ", ");
      break;
    }
    if (!arg_present(kind, a, i))
      continue;
    if (i && !(i == from && st_resume_comma))
      st_puts(p, ", ");
    print_arg(p, kind, a, i, ret, !entering);
  }
  return i;
}

void strace_enter(struct process *p, uint64_t nr, const uint64_t a[6]) {
  const struct syscall_desc *d = desc_of(nr);
  if (d)
    st_printf(p, "%s(", d->name);
  else
    st_printf(p, "syscall_%#llx(", (unsigned long long)nr);
  for (int i = 0; d && i < 6; i++) {
    if (d->args[i] == A_LOFF_INOUT)
      st_loff_entry(i, p, a[i]);
    else if (is_net_kind(d->args[i]))
      st_net_enter(p, d->args[i], a, i);
    else if (d->args[i] == A_SCHED_ATTR_SET)
      st_sched_setattr_entry(p, a[i]);
    else if (d->args[i] == A_IOCTL_ARG)
      st_sock_ioctl_enter(p, a);
  }
  st_resume_comma = false;
  st_resume = print_args(p, d, a, 0, true, 0);
  st_clone_half = CLONE_HALF_NONE;
  if (d && st_resume < 6 && d->args[st_resume] == A_CLONE_ARGS) {
    st_clone_enter(p, a);
    st_clone_half = CLONE_HALF_ENTERED;
  } else if (d && st_resume < 6 && d->args[st_resume] == A_CLONE3_ARGS) {
    st_clone_half =
        st_clone3_enter(p, a) ? CLONE_HALF_DONE : CLONE_HALF_ENTERED;
  }
  st_entry_end(p);
}

static void print_result(struct process *p, const struct syscall_desc *d,
                         const uint64_t a[6], int64_t ret) {
  int kind = d ? d->ret : R_DEC;
  if (kind == R_NONE) {
    st_puts(p, "?");
    return;
  }
  /* Interrupted by a signal (restart.c), as strace 6.1 names it. Only
   * errno-range values are negated: rt_sigreturn may "return" any RAX,
   * INT64_MIN among them (UBSan caught it in strace.guest.cache_control). */
  switch (ret < 0 && ret > -4096 ? -ret : 0) {
  case ERESTARTSYS:
    st_puts(p, "? ERESTARTSYS (To be restarted if SA_RESTART is set)");
    return;
  case ERESTARTNOINTR: st_puts(p, "? ERESTARTNOINTR (To be restarted)"); return;
  case ERESTARTNOHAND:
    st_puts(p, "? ERESTARTNOHAND (To be restarted if no handler)");
    return;
  case ERESTART_RESTARTBLOCK:
    st_puts(p, "? ERESTART_RESTARTBLOCK (Interrupted by signal)");
    return;
  default: break;
  }
  if (ret < 0 && ret > -4096) {
    int err = (int)-ret;
    const char *name = strace_errno_name(err);
    if (name)
      st_printf(p, "-1 %s (%s)", name, strerror(err));
    else
      st_printf(p, "-1 E??? (errno %d)", err);
    return;
  }
  switch (kind) {
  case R_HEX: st_printf(p, "%#llx", (unsigned long long)ret); break;
  case R_OCT: st_printf(p, "%#03llo", (unsigned long long)ret); break;
  case R_TIME: {
    char buf[64];
    const char *date = st_date(buf, ret, 0, 0, 0);
    st_printf(p, "%lld", (long long)ret);
    if (date)
      st_printf(p, " (%s)", date);
    break;
  }
  case R_PRCTL: st_prctl_result(p, a, ret); break;
  case R_POLL:
  case R_PPOLL: st_poll_result(p, a, ret, kind == R_PPOLL); break;
  case R_SELECT:
  case R_PSELECT: st_select_result(p, a, ret, kind == R_PSELECT); break;
  case R_SIGNAL:
    st_printf(p, "%lld", (long long)ret);
    if (ret) {
      st_puts(p, " (");
      st_signal(p, (int)ret);
      st_puts(p, ")");
    }
    break;
  case R_POLICY: st_sched_policy_result(p, ret); break;
  case R_RECVMMSG: st_recvmmsg_result(p, a, ret); break;
  case R_PERSONALITY: st_personality_result(p, ret); break;
  case R_IOPRIO: st_ioprio_result(p, ret); break;
  case R_MEMBARRIER:
    if (!st_membarrier_result(p, a, ret))
      st_printf(p, "%lld", (long long)ret);
    break;
  case R_FCNTL:
    if (st_fcntl_result(p, a[1], ret))
      break;
    /* fall through */
  /* strace's default, RVAL_UDECIMAL: a negative value outside the errno
   * range (rt_sigreturn restoring such an RAX) prints unsigned. */
  default: st_printf(p, "%llu", (unsigned long long)ret); break;
  }
}

/* ")" then strace's tabto(): pad to the result column, at least one
 * space, then "= ". */
static void st_close_call(struct process *p) {
  st_puts(p, ")");
  int pad = STRACE_RESULT_COLUMN - st_column();
  st_printf(p, "%*s= ", pad > 1 ? pad : 1, "");
}

void strace_leave(struct process *p, uint64_t nr, const uint64_t a[6],
                  int64_t ret) {
  const struct syscall_desc *d = desc_of(nr);
  char unknown[32];
  snprintf(unknown, sizeof unknown, "syscall_%#llx", (unsigned long long)nr);
  st_exit_begin(p, d ? d->name : unknown);
  print_args(p, d, a, st_resume, false, ret);
  st_close_call(p);
  print_result(p, d, a, ret);
  st_newline(p);
}

void strace_execve(struct process *p, const char *path, char *const argv[],
                   int envc) {
  extern char **environ;
  st_line_begin(p);
  st_puts(p, "execve(");
  st_quote(p, (const uint8_t *)path, strlen(path), QUOTE_PLAIN, false);
  st_puts(p, ", [");
  for (int k = 0; argv && argv[k]; k++) {
    size_t len = strlen(argv[k]);
    if (k)
      st_puts(p, ", ");
    if (k == STRACE_STRLEN) {
      st_puts(p, "...");
      break;
    }
    st_quote(p, (const uint8_t *)argv[k],
             len > STRACE_STRLEN ? STRACE_STRLEN : len, QUOTE_PLAIN,
             len > STRACE_STRLEN);
  }
  /* strace shows the envp pointer of the process that called execve;
   * emu's own environment block is the nearest equivalent. */
  st_printf(p, "], %p /* %d var%s */", (void *)environ, envc,
            envc == 1 ? "" : "s");
  st_close_call(p);
  st_puts(p, "0");
  st_newline(p);
}

void strace_exited(struct process *p, int status) {
  st_line_begin(p);
  st_printf(p, "+++ exited with %d +++", status);
  st_newline(p);
  st_task_gone(p);
}

void strace_killed(struct process *p, int sig) {
  st_line_begin(p);
  st_puts(p, "+++ killed by ");
  st_signal(p, sig);
  st_puts(p, " +++");
  st_newline(p);
  st_task_gone(p);
}
