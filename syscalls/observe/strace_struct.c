/* Printers for the structures system calls read and write, in strace
 * 6.1's abbreviated (non -v) form. Guest layouts are the x86-64 kernel's,
 * which glibc's types match on this host except where noted. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysinfo.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <time.h>

#include "strace_internal.h"

void st_stat(struct process *p, uint64_t addr) {
  struct stat s;
  if (!st_fetch(p, addr, &s, sizeof s))
    return;
  st_puts(p, "{st_mode=");
  st_mode(p, s.st_mode);
  if (S_ISCHR(s.st_mode) || S_ISBLK(s.st_mode))
    st_printf(p, ", st_rdev=makedev(%#x, %#x)", major(s.st_rdev),
              minor(s.st_rdev));
  else
    st_printf(p, ", st_size=%lld", (long long)s.st_size);
  st_puts(p, ", ...}");
}

void st_statfs(struct process *p, uint64_t addr) {
  static const struct flag_name magics[] = {
      {0xef53, "EXT2_SUPER_MAGIC"},
      {0x01021994, "TMPFS_MAGIC"},
      {0x9fa0, "PROC_SUPER_MAGIC"},
      {0x62656572, "SYSFS_MAGIC"},
      {0x794c7630, "OVERLAYFS_SUPER_MAGIC"},
      {0x1cd1, "DEVPTS_SUPER_MAGIC"},
      {0x58465342, "XFS_SUPER_MAGIC"},
      {0x9123683e, "BTRFS_SUPER_MAGIC"},
      {0x6969, "NFS_SUPER_MAGIC"},
      {0x65735546, "FUSE_SUPER_MAGIC"},
      {0x63677270, "CGROUP2_SUPER_MAGIC"},
      {0x4d44, "MSDOS_SUPER_MAGIC"},
      FLAG_END};
  static const struct flag_name st_flags_names[] = {
      {0x20, "ST_VALID"},         {1, "ST_RDONLY"},
      {2, "ST_NOSUID"},           {4, "ST_NODEV"},
      {8, "ST_NOEXEC"},           {16, "ST_SYNCHRONOUS"},
      {64, "ST_MANDLOCK"},        {0x400, "ST_NOATIME"},
      {0x800, "ST_NODIRATIME"},   {0x1000, "ST_RELATIME"},
      {0x2000, "ST_NOSYMFOLLOW"}, FLAG_END};
  struct statfs s;
  if (!st_fetch(p, addr, &s, sizeof s))
    return;
  st_puts(p, "{f_type=");
  st_xlat(p, magics, (uint64_t)s.f_type, NULL);
  st_printf(p,
            ", f_bsize=%ld, f_blocks=%lu, f_bfree=%lu, f_bavail=%lu, "
            "f_files=%lu, f_ffree=%lu, f_fsid={val=[%#x, %#x]}, "
            "f_namelen=%ld, f_frsize=%ld, f_flags=",
            (long)s.f_bsize, (unsigned long)s.f_blocks,
            (unsigned long)s.f_bfree, (unsigned long)s.f_bavail,
            (unsigned long)s.f_files, (unsigned long)s.f_ffree,
            (unsigned)s.f_fsid.__val[0], (unsigned)s.f_fsid.__val[1],
            (long)s.f_namelen, (long)s.f_frsize);
  st_flags_x(p, st_flags_names, (uint64_t)s.f_flags, "ST_???");
  st_puts(p, "}");
}

void st_statx(struct process *p, uint64_t addr) {
  static const struct flag_name attrs[] = {
      {0x4, "STATX_ATTR_COMPRESSED"},    {0x10, "STATX_ATTR_IMMUTABLE"},
      {0x20, "STATX_ATTR_APPEND"},       {0x40, "STATX_ATTR_NODUMP"},
      {0x800, "STATX_ATTR_ENCRYPTED"},   {0x1000, "STATX_ATTR_AUTOMOUNT"},
      {0x2000, "STATX_ATTR_MOUNT_ROOT"}, {0x100000, "STATX_ATTR_VERITY"},
      {0x200000, "STATX_ATTR_DAX"},      FLAG_END};
  struct statx s;
  if (!st_fetch(p, addr, &s, sizeof s))
    return;
  st_puts(p, "{stx_mask=");
  st_flags_x(p, statx_mask_names, s.stx_mask, "STATX_???");
  st_puts(p, ", stx_attributes=");
  st_flags_x(p, attrs, s.stx_attributes, "STATX_ATTR_???");
  st_puts(p, ", stx_mode=");
  st_mode(p, s.stx_mode);
  st_printf(p, ", stx_size=%llu, ...}", (unsigned long long)s.stx_size);
}

/* strace prints limits above 1024 that are multiples of it as N*1024
 * (print_rlim64_t): 1024 itself is "1024". */
static void st_rlim_value(struct process *p, uint64_t v) {
  if (v == ~0ull)
    st_puts(p, "RLIM64_INFINITY");
  else if (v > 1024 && v % 1024 == 0)
    st_printf(p, "%llu*1024", (unsigned long long)(v / 1024));
  else
    st_printf(p, "%llu", (unsigned long long)v);
}

void st_rlimit(struct process *p, uint64_t addr) {
  uint64_t r[2];
  if (!st_fetch(p, addr, r, sizeof r))
    return;
  st_puts(p, "{rlim_cur=");
  st_rlim_value(p, r[0]);
  st_puts(p, ", rlim_max=");
  st_rlim_value(p, r[1]);
  st_puts(p, "}");
}

void st_timespec(struct process *p, uint64_t addr) {
  struct timespec t;
  if (st_fetch(p, addr, &t, sizeof t))
    st_printf(p, "{tv_sec=%lld, tv_nsec=%ld}", (long long)t.tv_sec, t.tv_nsec);
}

void st_timeval(struct process *p, uint64_t addr) {
  struct timeval t;
  if (st_fetch(p, addr, &t, sizeof t))
    st_printf(p, "{tv_sec=%lld, tv_usec=%ld}", (long long)t.tv_sec,
              (long)t.tv_usec);
}

/* struct itimerval: two timevals (setitimer, getitimer). */
void st_itimerval(struct process *p, uint64_t addr) {
  struct timeval t[2];
  if (!st_fetch(p, addr, t, sizeof t))
    return;
  st_printf(p,
            "{it_interval={tv_sec=%lld, tv_usec=%ld}, "
            "it_value={tv_sec=%lld, tv_usec=%ld}}",
            (long long)t[0].tv_sec, (long)t[0].tv_usec, (long long)t[1].tv_sec,
            (long)t[1].tv_usec);
}

/* strace's sprinttime_ex: the local date of sec, with the fraction
 * (part, `width` digits) only when not zero and the zone's offset; NULL
 * for the epoch itself or a fraction out of range (no comment then). */
const char *st_date(char buf[64], long long sec, unsigned long long part,
                    unsigned long long max, int width) {
  if ((!sec && !part) || part > max)
    return NULL;
  time_t t = (time_t)sec;
  struct tm tm;
  if (!localtime_r(&t, &tm))
    return NULL;
  size_t n = strftime(buf, 64, "%Y-%m-%dT%H:%M:%S", &tm);
  if (!n)
    return NULL;
  if (part)
    n += (size_t)snprintf(buf + n, 64 - n, ".%0*llu", width, part);
  return n < 64 && strftime(buf + n, 64 - n, "%z", &tm) ? buf : NULL;
}

/* utimensat's pair: UTIME_NOW/UTIME_OMIT by name, other times with the
 * date strace adds as a comment. */
void st_utimens(struct process *p, uint64_t addr) {
  struct timespec t[2];
  if (!st_fetch(p, addr, t, sizeof t))
    return;
  st_puts(p, "[");
  for (int k = 0; k < 2; k++) {
    if (k)
      st_puts(p, ", ");
    if (t[k].tv_nsec == UTIME_NOW) {
      st_puts(p, "UTIME_NOW");
      continue;
    }
    if (t[k].tv_nsec == UTIME_OMIT) {
      st_puts(p, "UTIME_OMIT");
      continue;
    }
    char buf[64];
    const char *date = st_date(buf, t[k].tv_sec,
                               (unsigned long long)t[k].tv_nsec, 999999999, 9);
    st_printf(p, "{tv_sec=%lld, tv_nsec=%ld}", (long long)t[k].tv_sec,
              t[k].tv_nsec);
    if (date)
      st_printf(p, " /* %s */", date);
  }
  st_puts(p, "]");
}

void st_utsname(struct process *p, uint64_t addr) {
  struct utsname u;
  if (!st_fetch(p, addr, &u, sizeof u))
    return;
  st_puts(p, "{sysname=");
  st_quote(p, (const uint8_t *)u.sysname, strnlen(u.sysname, 65), 0, false);
  st_puts(p, ", nodename=");
  st_quote(p, (const uint8_t *)u.nodename, strnlen(u.nodename, 65), 0, false);
  st_puts(p, ", ...}");
}

/* The kernel's struct sigaction on x86-64: handler, flags, restorer,
 * mask (arch/x86/include/uapi/asm/signal.h). */
void st_sigaction(struct process *p, uint64_t addr) {
  struct guest_sigaction sa;
  if (!st_fetch(p, addr, &sa, sizeof sa))
    return;
  st_puts(p, "{sa_handler=");
  if (sa.handler == 0)
    st_puts(p, "SIG_DFL");
  else if (sa.handler == 1)
    st_puts(p, "SIG_IGN");
  else
    st_printf(p, "%#llx", (unsigned long long)sa.handler);
  st_puts(p, ", sa_mask=");
  st_sigset(p, sa.mask);
  st_puts(p, ", sa_flags=");
  st_flags_x(p, sa_flag_names, sa.flags, "SA_???");
  if (sa.flags & GUEST_SA_RESTORER) {
    st_puts(p, ", sa_restorer=");
    st_ptr(p, sa.restorer);
  }
  st_puts(p, "}");
}

void st_sigset_at(struct process *p, uint64_t addr, uint64_t size) {
  uint64_t set = 0;
  if (size != 8) {
    st_ptr(p, addr);
    return;
  }
  if (st_fetch(p, addr, &set, sizeof set))
    st_sigset(p, set);
}

void st_stack(struct process *p, uint64_t addr) {
  stack_t s;
  if (!st_fetch(p, addr, &s, sizeof s))
    return;
  st_puts(p, "{ss_sp=");
  st_ptr(p, (uint64_t)(uintptr_t)s.ss_sp);
  st_puts(p, ", ss_flags=");
  st_flags_x(p, ss_flag_names, (uint32_t)s.ss_flags, "SS_???");
  st_printf(p, ", ss_size=%zu}", s.ss_size);
}

void st_iovec(struct process *p, uint64_t addr, uint64_t count, int64_t limit) {
  if (!addr) {
    st_puts(p, "NULL");
    return;
  }
  st_puts(p, "[");
  for (uint64_t k = 0; k < count; k++) {
    struct iovec v;
    if (k == STRACE_STRLEN) {
      st_puts(p, ", ...");
      break;
    }
    if (copy_from_guest(&p->mmu, &v, addr + k * sizeof v, sizeof v) < 0) {
      if (k)
        st_puts(p, ", ...");
      else
        st_ptr(p, addr);
      break;
    }
    uint64_t len = v.iov_len;
    if (limit >= 0 && (uint64_t)limit < len)
      len = (uint64_t)limit;
    st_puts(p, k ? ", {iov_base=" : "{iov_base=");
    st_guest_buf(p, (uint64_t)(uintptr_t)v.iov_base, len, QUOTE_PLAIN);
    st_printf(p, ", iov_len=%zu}", v.iov_len);
    if (limit >= 0)
      limit -= (int64_t)len;
  }
  st_puts(p, "]");
}

void st_sysinfo(struct process *p, uint64_t addr) {
  struct sysinfo s;
  if (!st_fetch(p, addr, &s, sizeof s))
    return;
  st_printf(p,
            "{uptime=%ld, loads=[%lu, %lu, %lu], totalram=%lu, freeram=%lu, "
            "sharedram=%lu, bufferram=%lu, totalswap=%lu, freeswap=%lu, "
            "procs=%u, totalhigh=%lu, freehigh=%lu, mem_unit=%u}",
            s.uptime, s.loads[0], s.loads[1], s.loads[2], s.totalram, s.freeram,
            s.sharedram, s.bufferram, s.totalswap, s.freeswap,
            (unsigned)s.procs, s.totalhigh, s.freehigh, s.mem_unit);
}

void st_tms(struct process *p, uint64_t addr) {
  struct tms t;
  if (st_fetch(p, addr, &t, sizeof t))
    st_printf(p,
              "{tms_utime=%ld, tms_stime=%ld, tms_cutime=%ld, "
              "tms_cstime=%ld}",
              (long)t.tms_utime, (long)t.tms_stime, (long)t.tms_cutime,
              (long)t.tms_cstime);
}

void st_rusage(struct process *p, uint64_t addr) {
  struct rusage r;
  if (st_fetch(p, addr, &r, sizeof r))
    st_printf(p,
              "{ru_utime={tv_sec=%ld, tv_usec=%ld}, ru_stime={tv_sec=%ld, "
              "tv_usec=%ld}, ...}",
              (long)r.ru_utime.tv_sec, (long)r.ru_utime.tv_usec,
              (long)r.ru_stime.tv_sec, (long)r.ru_stime.tv_usec);
}

void st_flock(struct process *p, uint64_t addr, bool with_pid) {
  static const struct flag_name types[] = {
      {0, "F_RDLCK"}, {1, "F_WRLCK"}, {2, "F_UNLCK"}, FLAG_END};
  struct {
    int16_t type, whence;
    int64_t start, len;
    int32_t pid;
  } f;
  if (!st_fetch(p, addr, &f, sizeof f))
    return;
  st_puts(p, "{l_type=");
  st_xlat(p, types, (uint16_t)f.type, NULL);
  st_puts(p, ", l_whence=");
  st_xlat(p, whence_names, (uint16_t)f.whence, NULL);
  st_printf(p, ", l_start=%lld, l_len=%lld", (long long)f.start,
            (long long)f.len);
  if (with_pid)
    st_printf(p, ", l_pid=%d", f.pid);
  st_puts(p, "}");
}
