/* Constant and flag tables for the tracer, in strace 6.1's print order
 * (its xlat files), and the generic printers that walk them. The
 * handlers share the errno and signal names. */
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "../strace.h"
#include "strace_internal.h"

#define N(x)                                                                   \
  { x, #x }

static const char *const errno_names[] = {
#define E(x) [x] = #x
    E(EPERM),
    E(ENOENT),
    E(ESRCH),
    E(EINTR),
    E(EIO),
    E(ENXIO),
    E(E2BIG),
    E(ENOEXEC),
    E(EBADF),
    E(ECHILD),
    E(EAGAIN),
    E(ENOMEM),
    E(EACCES),
    E(EFAULT),
    E(ENOTBLK),
    E(EBUSY),
    E(EEXIST),
    E(EXDEV),
    E(ENODEV),
    E(ENOTDIR),
    E(EISDIR),
    E(EINVAL),
    E(ENFILE),
    E(EMFILE),
    E(ENOTTY),
    E(ETXTBSY),
    E(EFBIG),
    E(ENOSPC),
    E(ESPIPE),
    E(EROFS),
    E(EMLINK),
    E(EPIPE),
    E(EDOM),
    E(ERANGE),
    E(EDEADLK),
    E(ENAMETOOLONG),
    E(ENOLCK),
    E(ENOSYS),
    E(ENOTEMPTY),
    E(ELOOP),
    E(ENOMSG),
    E(EIDRM),
    E(ECHRNG),
    E(EL2NSYNC),
    E(EL3HLT),
    E(EL3RST),
    E(ELNRNG),
    E(EUNATCH),
    E(ENOCSI),
    E(EL2HLT),
    E(EBADE),
    E(EBADR),
    E(EXFULL),
    E(ENOANO),
    E(EBADRQC),
    E(EBADSLT),
    E(EBFONT),
    E(ENOSTR),
    E(ENODATA),
    E(ETIME),
    E(ENOSR),
    E(ENONET),
    E(ENOPKG),
    E(EREMOTE),
    E(ENOLINK),
    E(EADV),
    E(ESRMNT),
    E(ECOMM),
    E(EPROTO),
    E(EMULTIHOP),
    E(EDOTDOT),
    E(EBADMSG),
    E(EOVERFLOW),
    E(ENOTUNIQ),
    E(EBADFD),
    E(EREMCHG),
    E(ELIBACC),
    E(ELIBBAD),
    E(ELIBSCN),
    E(ELIBMAX),
    E(ELIBEXEC),
    E(EILSEQ),
    E(ERESTART),
    E(ESTRPIPE),
    E(EUSERS),
    E(ENOTSOCK),
    E(EDESTADDRREQ),
    E(EMSGSIZE),
    E(EPROTOTYPE),
    E(ENOPROTOOPT),
    E(EPROTONOSUPPORT),
    E(ESOCKTNOSUPPORT),
    E(EOPNOTSUPP),
    E(EPFNOSUPPORT),
    E(EAFNOSUPPORT),
    E(EADDRINUSE),
    E(EADDRNOTAVAIL),
    E(ENETDOWN),
    E(ENETUNREACH),
    E(ENETRESET),
    E(ECONNABORTED),
    E(ECONNRESET),
    E(ENOBUFS),
    E(EISCONN),
    E(ENOTCONN),
    E(ESHUTDOWN),
    E(ETOOMANYREFS),
    E(ETIMEDOUT),
    E(ECONNREFUSED),
    E(EHOSTDOWN),
    E(EHOSTUNREACH),
    E(EALREADY),
    E(EINPROGRESS),
    E(ESTALE),
    E(EUCLEAN),
    E(ENOTNAM),
    E(ENAVAIL),
    E(EISNAM),
    E(EREMOTEIO),
    E(EDQUOT),
    E(ENOMEDIUM),
    E(EMEDIUMTYPE),
    E(ECANCELED),
    E(ENOKEY),
    E(EKEYEXPIRED),
    E(EKEYREVOKED),
    E(EKEYREJECTED),
    E(EOWNERDEAD),
    E(ENOTRECOVERABLE),
    E(ERFKILL),
    E(EHWPOISON),
#undef E
};

const char *strace_errno_name(int err) {
  if (err <= 0 || err >= (int)(sizeof errno_names / sizeof *errno_names))
    return NULL;
  return errno_names[err];
}

static const char *const signal_names[] = {
#define S(x) [x] = #x
    S(SIGHUP),  S(SIGINT),    S(SIGQUIT), S(SIGILL),    S(SIGTRAP), S(SIGABRT),
    S(SIGBUS),  S(SIGFPE),    S(SIGKILL), S(SIGUSR1),   S(SIGSEGV), S(SIGUSR2),
    S(SIGPIPE), S(SIGALRM),   S(SIGTERM), S(SIGSTKFLT), S(SIGCHLD), S(SIGCONT),
    S(SIGSTOP), S(SIGTSTP),   S(SIGTTIN), S(SIGTTOU),   S(SIGURG),  S(SIGXCPU),
    S(SIGXFSZ), S(SIGVTALRM), S(SIGPROF), S(SIGWINCH),  S(SIGIO),   S(SIGPWR),
    S(SIGSYS),
#undef S
};

const char *strace_signal_name(int sig) {
  if (sig <= 0 || sig >= (int)(sizeof signal_names / sizeof *signal_names))
    return NULL;
  return signal_names[sig];
}

/* strace names real-time signals by the kernel's numbering: 32 is RTMIN,
 * 33 RT_1 ... 64 RT_32 (signals in sets drop the SIG prefix). */
static void st_signal_short(struct process *p, int sig) {
  const char *name = strace_signal_name(sig);
  if (name)
    st_puts(p, name + 3);
  else if (sig == 32)
    st_puts(p, "RTMIN");
  else if (sig > 32 && sig <= 64)
    st_printf(p, "RT_%d", sig - 32);
  else
    st_printf(p, "%d", sig);
}

void st_signal(struct process *p, int sig) {
  const char *name = strace_signal_name(sig);
  if (name)
    st_puts(p, name);
  else if (sig == 32)
    st_puts(p, "SIGRTMIN");
  else if (sig > 32 && sig <= 64)
    st_printf(p, "SIGRT_%d", sig - 32);
  else
    st_printf(p, "%d", sig);
}

/* A kernel sigset of `bytes` bytes (1..8): [INT TERM], or ~[...] of the
 * clear bits when two thirds or more of its 32-bit words' bits are set
 * (strace's sprintsigmask_n). */
void st_sigset_bytes(struct process *p, uint64_t set, unsigned bytes) {
  int bits = (int)(bytes + 3) / 4 * 32;
  uint64_t all = bits == 64 ? ~0ull : (1ull << bits) - 1;
  set &= all;
  if (__builtin_popcountll(set) >= bits * 2 / 3) {
    set = ~set & all;
    st_puts(p, "~");
  }
  st_puts(p, "[");
  const char *sep = "";
  for (int sig = 1; sig <= bits; sig++) {
    if (!(set >> (sig - 1) & 1))
      continue;
    st_puts(p, sep);
    st_signal_short(p, sig);
    sep = " ";
  }
  st_puts(p, "]");
}

void st_sigset(struct process *p, uint64_t set) { st_sigset_bytes(p, set, 8); }

void st_flags(struct process *p, const struct flag_name *t, uint64_t v,
              const char *zero) {
  if (!v) {
    st_puts(p, zero ? zero : "0");
    return;
  }
  const char *sep = "";
  for (; t->name; t++) {
    if (t->value && (v & t->value) == t->value) {
      st_printf(p, "%s%s", sep, t->name);
      v &= ~t->value;
      sep = "|";
    }
  }
  if (v)
    st_printf(p, "%s%#llx", sep, (unsigned long long)v);
}

void st_flags_x(struct process *p, const struct flag_name *t, uint64_t v,
                const char *unknown) {
  uint64_t known = 0;
  for (const struct flag_name *f = t; f->name; f++)
    if (f->value && (v & f->value) == f->value)
      known |= f->value;
  if (v && !known)
    st_printf(p, "%#llx /* %s */", (unsigned long long)v, unknown);
  else
    st_flags(p, t, v, "0");
}

const char *st_lookup(const struct flag_name *t, uint64_t v) {
  for (; t->name; t++)
    if (t->value == v)
      return t->name;
  return NULL;
}

void st_xlat(struct process *p, const struct flag_name *t, uint64_t v,
             const char *unknown) {
  const char *name = st_lookup(t, v);
  if (name)
    st_puts(p, name);
  else if (unknown)
    st_printf(p, "%#llx /* %s */", (unsigned long long)v, unknown);
  else
    st_printf(p, "%llu", (unsigned long long)v);
}

/* Mode as strace prints it: file type, set-id/sticky bits, then octal
 * permissions (printmode.c). */
void st_mode(struct process *p, uint32_t mode) {
  static const struct flag_name types[] = {N(S_IFREG), N(S_IFSOCK), N(S_IFIFO),
                                           N(S_IFLNK), N(S_IFDIR),  N(S_IFBLK),
                                           N(S_IFCHR), FLAG_END};
  const char *type = st_lookup(types, mode & S_IFMT);
  if ((mode & S_IFMT) && !type) { /* print_symbolic_mode_t: numeric */
    st_printf(p, "%#o", mode);
    return;
  }
  if (type)
    st_printf(p, "%s|", type);
  if (mode & S_ISUID)
    st_puts(p, "S_ISUID|");
  if (mode & S_ISGID)
    st_puts(p, "S_ISGID|");
  if (mode & S_ISVTX)
    st_puts(p, "S_ISVTX|");
  st_printf(p, "%#03o", mode & 0777);
}

const struct flag_name open_access_names[] = {
    N(O_RDONLY), N(O_WRONLY), N(O_RDWR), {3, "O_ACCMODE"}, FLAG_END};

/* Compound flags (O_SYNC, O_TMPFILE) come before their parts. */
const struct flag_name open_flag_names[] = {
    N(O_CREAT),         N(O_EXCL),
    N(O_NOCTTY),        N(O_TRUNC),
    N(O_APPEND),        N(O_NONBLOCK),
    N(O_SYNC),          N(O_DSYNC),
    N(O_DIRECT),        {0100000, "O_LARGEFILE"},
    N(O_NOFOLLOW),      N(O_NOATIME),
    N(O_CLOEXEC),       N(O_PATH),
    N(O_TMPFILE),       N(O_DIRECTORY),
    {FASYNC, "FASYNC"}, FLAG_END};

void st_open_flags(struct process *p, uint64_t flags) {
  st_puts(p, st_lookup(open_access_names, flags & O_ACCMODE));
  flags &= ~(uint64_t)O_ACCMODE;
  if (flags) {
    st_puts(p, "|");
    st_flags(p, open_flag_names, flags, NULL);
  }
}

const struct flag_name at_flag_names[] = {N(AT_SYMLINK_NOFOLLOW),
                                          N(AT_REMOVEDIR),
                                          N(AT_SYMLINK_FOLLOW),
                                          N(AT_NO_AUTOMOUNT),
                                          N(AT_EMPTY_PATH),
                                          {0x8000, "AT_RECURSIVE"},
                                          FLAG_END};

const struct flag_name at_eaccess_names[] = {
    N(AT_SYMLINK_NOFOLLOW), N(AT_EACCESS), N(AT_EMPTY_PATH), FLAG_END};

const struct flag_name prot_names[] = {
    N(PROT_READ),      N(PROT_WRITE),   N(PROT_EXEC), {0x8, "PROT_SEM"},
    N(PROT_GROWSDOWN), N(PROT_GROWSUP), FLAG_END};

const struct flag_name map_type_names[] = {N(MAP_SHARED),
                                           N(MAP_PRIVATE),
                                           N(MAP_SHARED_VALIDATE),
                                           {0, "MAP_FILE"},
                                           FLAG_END};

const struct flag_name map_flag_names[] = {N(MAP_FIXED),
                                           N(MAP_ANONYMOUS),
                                           N(MAP_32BIT),
                                           N(MAP_NORESERVE),
                                           N(MAP_POPULATE),
                                           N(MAP_NONBLOCK),
                                           N(MAP_GROWSDOWN),
                                           N(MAP_DENYWRITE),
                                           N(MAP_EXECUTABLE),
                                           N(MAP_LOCKED),
                                           N(MAP_STACK),
                                           N(MAP_HUGETLB),
                                           {0x80000, "MAP_SYNC"},
                                           {0x100000, "MAP_FIXED_NOREPLACE"},
                                           FLAG_END};

const struct flag_name mremap_names[] = {
    N(MREMAP_MAYMOVE), N(MREMAP_FIXED), {4, "MREMAP_DONTUNMAP"}, FLAG_END};

const struct flag_name madvise_names[] = {N(MADV_NORMAL),
                                          N(MADV_RANDOM),
                                          N(MADV_SEQUENTIAL),
                                          N(MADV_WILLNEED),
                                          N(MADV_DONTNEED),
                                          N(MADV_FREE),
                                          N(MADV_REMOVE),
                                          N(MADV_DONTFORK),
                                          N(MADV_DOFORK),
                                          N(MADV_MERGEABLE),
                                          N(MADV_UNMERGEABLE),
                                          N(MADV_HUGEPAGE),
                                          N(MADV_NOHUGEPAGE),
                                          N(MADV_DONTDUMP),
                                          N(MADV_DODUMP),
                                          N(MADV_WIPEONFORK),
                                          N(MADV_KEEPONFORK),
                                          {20, "MADV_COLD"},
                                          {21, "MADV_PAGEOUT"},
                                          {22, "MADV_POPULATE_READ"},
                                          {23, "MADV_POPULATE_WRITE"},
                                          {24, "MADV_DONTNEED_LOCKED"},
                                          {25, "MADV_COLLAPSE"},
                                          N(MADV_HWPOISON),
                                          {101, "MADV_SOFT_OFFLINE"},
                                          FLAG_END};

const struct flag_name msync_names[] = {N(MS_SYNC), N(MS_ASYNC),
                                        N(MS_INVALIDATE), FLAG_END};

const struct flag_name access_names[] = {N(R_OK), N(W_OK), N(X_OK), FLAG_END};

const struct flag_name whence_names[] = {N(SEEK_SET),  N(SEEK_CUR),
                                         N(SEEK_END),  N(SEEK_DATA),
                                         N(SEEK_HOLE), FLAG_END};

const struct flag_name fcntl_cmd_names[] = {
    N(F_DUPFD),           N(F_GETFD),
    N(F_SETFD),           N(F_GETFL),
    N(F_SETFL),           N(F_GETLK),
    N(F_SETLK),           N(F_SETLKW),
    N(F_SETOWN),          N(F_GETOWN),
    N(F_SETSIG),          N(F_GETSIG),
    N(F_OFD_GETLK),       N(F_OFD_SETLK),
    N(F_OFD_SETLKW),      N(F_SETLEASE),
    N(F_GETLEASE),        N(F_NOTIFY),
    N(F_DUPFD_CLOEXEC),   N(F_SETPIPE_SZ),
    N(F_GETPIPE_SZ),      N(F_ADD_SEALS),
    N(F_GET_SEALS),       N(F_SETOWN_EX),
    N(F_GETOWN_EX),       {17, "F_GETOWNER_UIDS"},
    {1029, "F_CANCELLK"}, FLAG_END};

const struct flag_name ioctl_names[] = {
    N(TCGETS),
    {TCSETS, "SNDCTL_TMR_START or TCSETS"},
    {TCSETSW, "SNDCTL_TMR_STOP or TCSETSW"},
    {TCSETSF, "SNDCTL_TMR_CONTINUE or TCSETSF"},
    N(TIOCGWINSZ),
    N(TIOCSWINSZ),
    N(FIONREAD),
    N(FIONBIO),
    N(FIOASYNC),
    N(FIOQSIZE),
    {2, "FIGETBSZ"},
    N(TIOCGPGRP),
    N(TIOCSPGRP),
    N(TIOCSCTTY),
    N(FIOCLEX),
    N(FIONCLEX),
    N(TCFLSH),
    N(TCXONC),
    N(TIOCGPTN),
    N(TIOCSPTLCK),
    N(TIOCGSID),
    N(TIOCNOTTY),
    N(TIOCGPTPEER),
    N(TIOCOUTQ),
    N(TIOCEXCL),
    N(TIOCNXCL),
    N(TIOCGEXCL),
    N(TIOCGETD),
    N(TIOCSETD),
    N(TCSBRK),
    N(TCSBRKP),
    {0x8905, "SIOCATMARK"},
    {0x8910, "SIOCGIFNAME"},
    {0x8912, "SIOCGIFCONF"},
    {0x8913, "SIOCGIFFLAGS"},
    {0x8915, "SIOCGIFADDR"},
    {0x8917, "SIOCGIFDSTADDR"},
    {0x8919, "SIOCGIFBRDADDR"},
    {0x891b, "SIOCGIFNETMASK"},
    {0x891d, "SIOCGIFMETRIC"},
    {0x8921, "SIOCGIFMTU"},
    {0x8927, "SIOCGIFHWADDR"},
    {0x8933, "SIOCGIFINDEX"},
    {0x8942, "SIOCGIFTXQLEN"},
    FLAG_END};

const struct flag_name rlimit_names[] = {
    N(RLIMIT_CPU),      N(RLIMIT_FSIZE),  N(RLIMIT_DATA),
    N(RLIMIT_STACK),    N(RLIMIT_CORE),   N(RLIMIT_RSS),
    N(RLIMIT_NPROC),    N(RLIMIT_NOFILE), N(RLIMIT_MEMLOCK),
    N(RLIMIT_AS),       N(RLIMIT_LOCKS),  N(RLIMIT_SIGPENDING),
    N(RLIMIT_MSGQUEUE), N(RLIMIT_NICE),   N(RLIMIT_RTPRIO),
    N(RLIMIT_RTTIME),   FLAG_END};

const struct flag_name clock_names[] = {N(CLOCK_REALTIME),
                                        N(CLOCK_MONOTONIC),
                                        N(CLOCK_PROCESS_CPUTIME_ID),
                                        N(CLOCK_THREAD_CPUTIME_ID),
                                        N(CLOCK_MONOTONIC_RAW),
                                        N(CLOCK_REALTIME_COARSE),
                                        N(CLOCK_MONOTONIC_COARSE),
                                        N(CLOCK_BOOTTIME),
                                        N(CLOCK_REALTIME_ALARM),
                                        N(CLOCK_BOOTTIME_ALARM),
                                        {10, "CLOCK_SGI_CYCLE"},
                                        N(CLOCK_TAI),
                                        FLAG_END};

const struct flag_name sighow_names[] = {N(SIG_BLOCK), N(SIG_UNBLOCK),
                                         N(SIG_SETMASK), FLAG_END};

const struct flag_name sa_flag_names[] = {{0x04000000, "SA_RESTORER"},
                                          N(SA_ONSTACK),
                                          N(SA_RESTART),
                                          N(SA_NODEFER),
                                          N(SA_RESETHAND),
                                          N(SA_SIGINFO),
                                          N(SA_NOCLDSTOP),
                                          N(SA_NOCLDWAIT),
                                          FLAG_END};

const struct flag_name ss_flag_names[] = {
    N(SS_ONSTACK), N(SS_DISABLE), {1u << 31, "SS_AUTODISARM"}, FLAG_END};

const struct flag_name futex_op_names[] = {
    N(FUTEX_WAIT),           N(FUTEX_WAKE),          N(FUTEX_FD),
    N(FUTEX_REQUEUE),        N(FUTEX_CMP_REQUEUE),   N(FUTEX_WAKE_OP),
    N(FUTEX_LOCK_PI),        N(FUTEX_UNLOCK_PI),     N(FUTEX_TRYLOCK_PI),
    N(FUTEX_WAIT_BITSET),    N(FUTEX_WAKE_BITSET),   N(FUTEX_WAIT_REQUEUE_PI),
    N(FUTEX_CMP_REQUEUE_PI), {13, "FUTEX_LOCK_PI2"}, FLAG_END};

const struct flag_name arch_prctl_names[] = {
    {0x1001, "ARCH_SET_GS"},       {0x1002, "ARCH_SET_FS"},
    {0x1003, "ARCH_GET_FS"},       {0x1004, "ARCH_GET_GS"},
    {0x1011, "ARCH_GET_CPUID"},    {0x1012, "ARCH_SET_CPUID"},
    {0x2001, "ARCH_MAP_VDSO_X32"}, {0x2002, "ARCH_MAP_VDSO_32"},
    {0x2003, "ARCH_MAP_VDSO_64"},  FLAG_END};

const struct flag_name xattr_flag_names[] = {
    {1, "XATTR_CREATE"}, {2, "XATTR_REPLACE"}, FLAG_END};

const struct flag_name grnd_names[] = {
    {1, "GRND_NONBLOCK"}, {2, "GRND_RANDOM"}, {4, "GRND_INSECURE"}, FLAG_END};

/* STATX_ALL and STATX_BASIC_STATS are printed in place of their parts. */
const struct flag_name statx_mask_names[] = {{0xfff, "STATX_ALL"},
                                             {0x7ff, "STATX_BASIC_STATS"},
                                             {0x1, "STATX_TYPE"},
                                             {0x2, "STATX_MODE"},
                                             {0x4, "STATX_NLINK"},
                                             {0x8, "STATX_UID"},
                                             {0x10, "STATX_GID"},
                                             {0x20, "STATX_ATIME"},
                                             {0x40, "STATX_MTIME"},
                                             {0x80, "STATX_CTIME"},
                                             {0x100, "STATX_INO"},
                                             {0x200, "STATX_SIZE"},
                                             {0x400, "STATX_BLOCKS"},
                                             {0x800, "STATX_BTIME"},
                                             {0x1000, "STATX_MNT_ID"},
                                             {0x2000, "STATX_DIOALIGN"},
                                             FLAG_END};

const struct flag_name statx_sync_names[] = {
    {0x2000, "AT_STATX_FORCE_SYNC"}, {0x4000, "AT_STATX_DONT_SYNC"}, FLAG_END};

const struct flag_name rusage_who_names[] = {N(RUSAGE_SELF), N(RUSAGE_CHILDREN),
                                             N(RUSAGE_THREAD), FLAG_END};

const struct flag_name sock_type_names[] = {
    {1, "SOCK_STREAM"},    {2, "SOCK_DGRAM"},
    {3, "SOCK_RAW"},       {4, "SOCK_RDM"},
    {5, "SOCK_SEQPACKET"}, {6, "SOCK_DCCP"},
    {10, "SOCK_PACKET"},   FLAG_END};

const struct flag_name sock_flag_names[] = {
    {02000000, "SOCK_CLOEXEC"}, {04000, "SOCK_NONBLOCK"}, FLAG_END};
