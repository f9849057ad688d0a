/* The system-call table generated from syscalls.def: one entry per
 * x86-64 system-call number with its name, handler (NULL when emu does not
 * implement it: -ENOSYS), how strace prints each argument and the result.
 * Dispatch (dispatch.c) and the tracer (strace.c) both read this table. */
#ifndef EMU_SYSCALL_TABLE_H
#define EMU_SYSCALL_TABLE_H

#include <stdint.h>

struct process;

typedef int64_t (*syscall_handler)(struct process *p, const uint64_t a[6]);

/* How the tracer prints one argument. Kinds marked "out" are decoded
 * after the call (strace prints them on exit); the rest on entry. */
enum sc_arg {
  A_NONE,         /* no more arguments */
  A_INT,          /* int, decimal */
  A_UINT,         /* unsigned int, decimal */
  A_LONG,         /* long, decimal */
  A_ULONG,        /* unsigned long / size_t, decimal */
  A_HEX,          /* %#lx */
  A_PTR,          /* NULL or 0x... */
  A_MODE,         /* mode_t in octal: 0644 */
  A_FD,           /* int descriptor */
  A_DIRFD,        /* AT_FDCWD or a descriptor */
  A_PATH,         /* NUL-terminated path, printed whole */
  A_PATH_OUT,     /* out: NUL-terminated string (getcwd) */
  A_STR_IN,       /* buffer, length = next argument */
  A_STR_OUT,      /* out: buffer, length = result */
  A_HEX_OUT,      /* out: buffer printed as \x.. (getrandom), len = result */
  A_OPEN_FLAGS,   /* O_RDONLY|O_CLOEXEC... */
  A_OPEN_MODE,    /* the mode of open/openat, only with O_CREAT/O_TMPFILE */
  A_FD_FLAGS,     /* O_CLOEXEC|O_NONBLOCK (dup3, pipe2) */
  A_ACCESS,       /* R_OK|W_OK|X_OK or F_OK */
  A_AT_FLAGS,     /* AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH... */
  A_AT_EACCESS,   /* faccessat2 flags */
  A_AT_REMOVEDIR, /* unlinkat flags */
  A_STATX_FLAGS,
  A_STATX_MASK,
  A_PROT,
  A_MAP_FLAGS,
  A_MREMAP_FLAGS,
  A_MADVISE,
  A_MSYNC_FLAGS,
  A_WHENCE,
  A_FCNTL_CMD,
  A_FCNTL_ARG, /* depends on the command; absent for F_GET* */
  A_IOCTL_CMD,
  A_IOCTL_ARG, /* out */
  A_STAT_OUT,  /* out: struct stat */
  A_STATX_OUT, /* out: struct statx */
  A_RLIMIT_RES,
  A_RLIMIT_IN,
  A_RLIMIT_OUT, /* out */
  A_TIMESPEC_IN,
  A_TIMESPEC_OUT, /* out */
  /* A timespec the call only reads, printed when it returns and decoded
   * even when it fails (strace reads rt_sigtimedwait's on entry). */
  A_TIMESPEC_SAVED,
  A_TIMEVAL_OUT, /* out */
  A_UTIMENS_IN,  /* NULL or [{...}, {...}] */
  A_CLOCKID,
  A_TIMER_FLAGS, /* clock_nanosleep: TIMER_ABSTIME */
  A_RESTART,     /* restart_syscall: <... resuming interrupted nanosleep ...> */
  A_UTSNAME_OUT, /* out */
  A_SIGNAL,
  A_SIGHOW,
  A_SIGSET_IN,
  A_SIGSET_OUT, /* out */
  A_SIGACTION_IN,
  A_SIGACTION_OUT, /* out */
  A_STACK_IN,      /* stack_t */
  A_STACK_OUT,     /* out */
  A_FUTEX_OP,
  A_FUTEX_TAIL,  /* val, timeout, uaddr2, val3 as the operation uses them */
  A_FUTEX_WAITV, /* futex_waitv's array, count = next argument */
  A_IOVEC_IN,    /* iovec array, count = next argument */
  A_IOVEC_OUT,   /* out: filled up to the result */
  A_PIPE_OUT,    /* out: [rfd, wfd] */
  A_DIRENTS_OUT, /* out: 0x... / * N entries * / */
  A_ARGV,        /* execve argv: ["a", "b"] */
  A_ENVP,        /* execve envp: 0x... / * N vars * / */
  A_ARCH_PRCTL,
  A_GRND_FLAGS,
  A_XATTR_FLAGS,  /* XATTR_CREATE|XATTR_REPLACE, 0 */
  A_POLLFDS_IN,   /* pollfd array, count = next argument */
  A_SIGSET_SIZED, /* a sigset whose size is the next argument */
  A_ARCH_ADDR,    /* arch_prctl's address: [value] out for ARCH_GET_* */
  A_SIGRETURN,    /* rt_sigreturn: {mask=...} of the frame at rsp */
  A_FDSET_IN,     /* select's fd_set of nfds (the first argument) */
  A_TIMEVAL_IN,
  A_PSELECT_MASK, /* pselect6: {sigset, size} */
  A_INT_OUT,      /* out: [N] (an int the kernel writes) */
  A_LOFF_INOUT,   /* NULL or [N] (sendfile, copy_file_range offsets) */
  A_GROUPS_OUT,   /* out: [0, 1] up to the result */
  A_GROUPS_IN,    /* [0, 1], as many as the previous argument */
  A_SYSINFO_OUT,
  A_TMS_OUT,
  A_RUSAGE_WHO,
  A_RUSAGE_OUT,
  A_CPUSET_OUT,         /* out: [0 1] */
  A_CPUSET_IN,          /* in: [0 1], the previous argument bytes of it */
  A_EPOLL_CREATE_FLAGS, /* EPOLL_CLOEXEC */
  A_EPOLL_OP,           /* EPOLL_CTL_ADD... */
  A_EPOLL_EVENT_IN,     /* {events=EPOLLIN, data={u32=N, u64=N}} */
  A_EPOLL_EVENTS_OUT,   /* out: [{...}, ...] up to the result */
  A_EFD_FLAGS,          /* EFD_CLOEXEC|EFD_NONBLOCK */
  A_SOCK_DOMAIN,
  A_SOCK_TYPE,
  A_SOCK_PROTO,
  A_PRCTL_OP,
  A_PRCTL_TAIL, /* the option's own arguments */
  A_STATFS_OUT, /* out: struct statfs */
  A_TIME_OUT,   /* out: time()'s [seconds / * date * /] */
  A_FLOCK_OP,   /* LOCK_EX|LOCK_NB */
  A_FADVISE,    /* POSIX_FADV_* */
  A_RENAME_FLAGS,
  A_SIGSET_PENDING,  /* out: rt_sigpending's set, size = next argument */
  A_SIGINFO_IN,      /* siginfo_t: {si_signo=..., si_code=..., ...} */
  A_SIGINFO_OUT,     /* out */
  A_MREMAP_ADDR,     /* new_address, only with MREMAP_MAYMOVE|MREMAP_FIXED */
  A_PRIO_WHICH,      /* PRIO_PROCESS, PRIO_PGRP, PRIO_USER */
  A_SCHED_POLICY,    /* SCHED_OTHER... */
  A_SCHED_PRIO_IN,   /* struct sched_param: [priority] */
  A_SCHED_PRIO_OUT,  /* out */
  A_WAIT_STATUS_OUT, /* out: [{WIFEXITED(s) && WEXITSTATUS(s) == 0}] */
  A_WAIT_OPTIONS,    /* WNOHANG|WSTOPPED|... */
  A_IDTYPE,          /* P_PID, P_PGID, P_ALL, P_PIDFD */
  A_CLONE_ARGS,      /* clone: printed as a whole (strace_process.c) */
  A_CLONE3_ARGS,     /* clone3: the struct and its size */
  A_MFD_FLAGS,       /* MFD_CLOEXEC|MFD_ALLOW_SEALING|... */
  /* Sockets (strace_socket.c, strace_msghdr.c). A kind that prints two
   * arguments (an address and its length) is followed by A_SOCKLEN,
   * which prints nothing. */
  A_SOCKADDR_IN,      /* bind, connect, sendto: length = next argument */
  A_SOCKNAME_OUT,     /* accept, getsockname: address and [length] */
  A_SOCKNAME_FROM,    /* recvfrom's source and [length] */
  A_SOCKLEN,          /* printed with the previous argument */
  A_ACCEPT_FLAGS,     /* SOCK_CLOEXEC|SOCK_NONBLOCK */
  A_MSG_FLAGS,        /* MSG_* */
  A_SOCKBUF_OUT,      /* out: recvfrom's data, up to the result */
  A_SOCKOPT_LEVEL,    /* SOL_* */
  A_SOCKOPT_NAME_GET, /* SO_*, TCP_*... by level, getsockopt's names */
  A_SOCKOPT_NAME_SET,
  A_SOCKOPT_IN,       /* setsockopt's value */
  A_SOCKOPT_OUT,      /* out: getsockopt's value and [length] */
  A_MSGHDR_IN,        /* struct msghdr (sendmsg) */
  A_MSGHDR_OUT,       /* out: recvmsg's */
  A_MMSGHDR_SEND,     /* out: sendmmsg's array, msg_len set */
  A_MMSGHDR_RECV,     /* out: recvmmsg's */
  A_RECVMMSG_TIMEOUT, /* the timeout as it was on entry */
  A_SHUTDOWN_HOW,     /* SHUT_RD... */
  A_SFD_FLAGS,        /* SFD_CLOEXEC|SFD_NONBLOCK */
  A_TFD_FLAGS,        /* TFD_TIMER_ABSTIME|TFD_CLOEXEC... */
  A_ITIMERSPEC_IN,    /* {it_interval={...}, it_value={...}} */
  A_ITIMERSPEC_OUT,   /* out */
  A_INOTIFY_MASK,     /* IN_MODIFY|IN_CREATE... */
  A_INOTIFY_INIT,     /* IN_NONBLOCK|IN_CLOEXEC */
  A_SPLICE_FLAGS,     /* SPLICE_F_MOVE... */
  A_INT64_IN,         /* NULL or [N] (splice's offsets, as on entry) */
  A_ITIMER_WHICH,     /* ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF */
  A_ITIMERVAL_IN,     /* {it_interval={tv_sec, tv_usec}, it_value={...}} */
  A_ITIMERVAL_OUT,    /* out */
  A_SIGEVENT_IN,      /* struct sigevent (timer_create) */
  A_SLEEP_REM,        /* out: what is left, only when interrupted */
  A_MKNOD_MODE,       /* S_IFCHR|0600 and, for a device, makedev(...) */
  A_MKNOD_DEV,        /* printed with the mode */
  A_FALLOC_MODE,      /* FALLOC_FL_* */
  A_SYNC_RANGE_FLAGS, /* SYNC_FILE_RANGE_* */
  A_MINCORE_VEC,      /* out: [1, 0, ...], a byte per page */
  A_MLOCKALL_FLAGS,   /* MCL_* */
  A_MLOCK2_FLAGS,     /* MLOCK_ONFAULT */
  A_MEMBARRIER_CMD,   /* MEMBARRIER_CMD_* */
  A_MEMBARRIER_FLAGS, /* MEMBARRIER_CMD_FLAG_CPU and then the cpu */
  /* strace_fileattr.c, strace_taskattr.c */
  A_UTIMBUF_IN,      /* {actime=N / * date * /, modtime=...} */
  A_TIMEVAL_PAIR_IN, /* utimes: [{tv_sec, tv_usec} / * date * /, ...] */
  A_RWF_FLAGS,       /* preadv2's RWF_*, the sixth argument */
  A_PERSONALITY,     /* PER_LINUX|ADDR_NO_RANDOMIZE, 0xffffffff */
  A_IOPRIO_WHICH,    /* IOPRIO_WHO_PROCESS... */
  A_IOPRIO_VALUE,    /* IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4) */
  A_CAP_HEADER,      /* {version=_LINUX_CAPABILITY_VERSION_3, pid=0} */
  A_CAP_DATA_IN,     /* {effective=..., permitted=..., inheritable=...} */
  A_CAP_DATA_OUT,    /* out */
  A_ROBUST_HEAD_OUT, /* out: [0x...] */
  A_ROBUST_LEN_OUT,  /* out: [24] */
  A_SCHED_ATTR_SET,  /* sched_setattr's, as on entry, then => {size=N} */
  A_SCHED_ATTR_GET,  /* out: sched_getattr's, size = next argument */
  A_PKEY_ACCESS,     /* PKEY_DISABLE_ACCESS|... */
  A_MPOL_MODE,       /* set_mempolicy's mode|MPOL_F_* flags */
  A_MPOL_MODE_OUT,   /* out: get_mempolicy's [MPOL_...] */
  A_NODEMASK_IN,     /* [0x..., ...], maxnode = next argument */
  A_NODEMASK_OUT,    /* out */
  A_MPOL_GET_FLAGS,  /* MPOL_F_NODE|MPOL_F_ADDR|MPOL_F_MEMS_ALLOWED */
  A_ARG_KINDS
};

/* How the tracer prints the result. */
enum sc_ret {
  R_DEC,         /* decimal, or -1 ERRNO (message) */
  R_HEX,         /* 0x..., addresses (mmap, brk) */
  R_OCT,         /* umask */
  R_NONE,        /* exit, exit_group: "= ?" */
  R_FCNTL,       /* F_GETFD/F_GETFL decode their flags */
  R_TIME,        /* time(): seconds and an ISO date */
  R_PRCTL,       /* PR_GET_DUMPABLE names its answer */
  R_POLL,        /* poll: "0 (Timeout)" or the ready descriptors */
  R_PPOLL,       /* ppoll: the same, and the timeout left */
  R_SELECT,      /* select: "(in [3], out [4], left {...})" or "(Timeout)" */
  R_PSELECT,     /* pselect6: the same with a timespec */
  R_SIGNAL,      /* a signal number: "10 (SIGUSR1)" */
  R_POLICY,      /* sched_getscheduler: "0 (SCHED_OTHER)" */
  R_RECVMMSG,    /* "0 (Timeout)", "2 (left {...})" */
  R_MEMBARRIER,  /* MEMBARRIER_CMD_QUERY's answer: the commands by name */
  R_PERSONALITY, /* 0x40000 (PER_LINUX|ADDR_NO_RANDOMIZE) */
  R_IOPRIO,      /* 4 (IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4)) */
};

struct syscall_desc {
  const char *name;        /* NULL for numbers Linux does not define */
  syscall_handler handler; /* NULL: -ENOSYS */
  uint8_t ret;             /* enum sc_ret */
  uint8_t args[6];         /* enum sc_arg, A_NONE-terminated */
};

#define SYSCALL_MAX 512
extern const struct syscall_desc syscall_table[SYSCALL_MAX];

/* Handlers implemented by this layer (the X-macro declares them all). */
#define SYS(nr, name, ret, args)                                               \
  int64_t sys_##name(struct process *p, const uint64_t a[6]);
#define NOSYS(nr, name, ret, args)
#include "syscalls.def"
#undef SYS
#undef NOSYS

#endif
