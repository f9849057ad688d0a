/* strace 6.1's forms for descriptor and file calls (fcntl.c, file.c,
 * fallocate.c, mknod.c and their xlat tables): fcntl's third argument
 * and result by command, flock's operation, fallocate's mode, mknod's
 * mode and device. */
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "../strace.h"
#include "strace_internal.h"

#define N(x)                                                                   \
  { x, #x }

static const struct flag_name fd_flag_names[] = {N(FD_CLOEXEC), FLAG_END};

static const struct flag_name lock_type_names[] = {N(F_RDLCK), N(F_WRLCK),
                                                   N(F_UNLCK), FLAG_END};

static const struct flag_name seal_names[] = {N(F_SEAL_SEAL),
                                              N(F_SEAL_SHRINK),
                                              N(F_SEAL_GROW),
                                              N(F_SEAL_WRITE),
                                              {0x10, "F_SEAL_FUTURE_WRITE"},
                                              FLAG_END};

static const struct flag_name notify_names[] = {
    N(DN_ACCESS), N(DN_MODIFY), N(DN_CREATE),    N(DN_DELETE),
    N(DN_RENAME), N(DN_ATTRIB), N(DN_MULTISHOT), FLAG_END};

static const struct flag_name owner_type_names[] = {
    N(F_OWNER_TID), N(F_OWNER_PID), N(F_OWNER_PGRP), FLAG_END};

/* struct f_owner_ex: {type=F_OWNER_PID, pid=N}. */
static void st_owner_ex(struct process *p, uint64_t addr) {
  struct {
    int32_t type, pid;
  } o;
  if (!st_fetch(p, addr, &o, sizeof o))
    return;
  st_puts(p, "{type=");
  st_xlat(p, owner_type_names, (uint32_t)o.type, "F_OWNER_???");
  st_printf(p, ", pid=%d}", o.pid);
}

bool st_fcntl_has_arg(uint64_t cmd) {
  switch ((unsigned)cmd) {
  case F_GETFD:
  case F_GETFL:
  case F_GETOWN:
  case F_GETSIG:
  case F_GETLEASE:
  case F_GETPIPE_SZ:
  case F_GET_SEALS: return false;
  default: return true;
  }
}

bool st_fcntl_arg_is_out(uint64_t cmd) {
  unsigned c = (unsigned)cmd;
  return c == F_GETLK || c == F_OFD_GETLK || c == F_GETOWN_EX;
}

/* The third argument as the command reads it; a command strace does not
 * know shows it in hex. */
void st_fcntl_arg(struct process *p, uint64_t cmd, uint64_t v, int64_t ret) {
  switch ((unsigned)cmd) {
  case F_SETFD: st_flags_x(p, fd_flag_names, v, "FD_???"); return;
  case F_SETOWN:
  case F_SETPIPE_SZ:
  case F_DUPFD:
  case F_DUPFD_CLOEXEC: st_printf(p, "%d", (int)v); return;
  case F_SETFL: st_open_flags(p, v); return;
  case F_SETLK:
  case F_SETLKW:
  case F_OFD_SETLK:
  case F_OFD_SETLKW: st_flock(p, v, false); return;
  case F_GETLK:
  case F_OFD_GETLK: ret < 0 ? st_ptr(p, v) : st_flock(p, v, true); return;
  case F_SETOWN_EX: st_owner_ex(p, v); return;
  case F_GETOWN_EX: ret < 0 ? st_ptr(p, v) : st_owner_ex(p, v); return;
  case F_NOTIFY: st_flags_x(p, notify_names, v, "DN_???"); return;
  case F_SETLEASE: st_xlat(p, lock_type_names, v, "F_???"); return;
  case F_ADD_SEALS: st_flags_x(p, seal_names, v, "F_SEAL_???"); return;
  case F_SETSIG: st_signal(p, (int)v); return;
  default: st_printf(p, "%#llx", (unsigned long long)v); return;
  }
}

/* The result of the F_GET* commands that strace explains. False: a
 * plain number. */
bool st_fcntl_result(struct process *p, uint64_t cmd, int64_t ret) {
  switch ((unsigned)cmd) {
  case F_GETFD:
    if (!ret)
      return false;
    st_printf(p, "%#llx (flags ", (unsigned long long)ret);
    st_flags(p, fd_flag_names, (uint64_t)ret, NULL);
    st_puts(p, ")");
    return true;
  case F_GETFL:
    st_printf(p, "%#llx (flags ", (unsigned long long)ret);
    st_open_flags(p, (uint64_t)ret);
    st_puts(p, ")");
    return true;
  case F_GETLEASE: {
    const char *name = st_lookup(lock_type_names, (uint64_t)ret);
    st_printf(p, "%#llx", (unsigned long long)ret);
    if (name)
      st_printf(p, " (%s)", name);
    return true;
  }
  case F_GET_SEALS:
    if (!ret)
      return false;
    st_printf(p, "%#llx (seals ", (unsigned long long)ret);
    st_flags(p, seal_names, (uint64_t)ret, NULL);
    st_puts(p, ")");
    return true;
  case F_GETSIG:
    if (!ret || !strace_signal_name((int)ret))
      return false;
    st_printf(p, "%lld (%s)", (long long)ret, strace_signal_name((int)ret));
    return true;
  default: return false;
  }
}

void st_flock_op(struct process *p, uint64_t v) {
  static const struct flag_name t[] = {
      {1, "LOCK_SH"},    {2, "LOCK_EX"},      {4, "LOCK_NB"},
      {8, "LOCK_UN"},    {32, "LOCK_MAND"},   {192, "LOCK_RW"},
      {64, "LOCK_READ"}, {128, "LOCK_WRITE"}, FLAG_END};
  st_flags_x(p, t, v, "LOCK_???");
}

void st_fallocate_mode(struct process *p, uint64_t v) {
  static const struct flag_name t[] = {
      {0x01, "FALLOC_FL_KEEP_SIZE"},     {0x02, "FALLOC_FL_PUNCH_HOLE"},
      {0x04, "FALLOC_FL_NO_HIDE_STALE"}, {0x08, "FALLOC_FL_COLLAPSE_RANGE"},
      {0x10, "FALLOC_FL_ZERO_RANGE"},    {0x20, "FALLOC_FL_INSERT_RANGE"},
      {0x40, "FALLOC_FL_UNSHARE_RANGE"}, FLAG_END};
  st_flags_x(p, t, (uint32_t)v, "FALLOC_FL_???");
}

/* mknod's mode (type and permissions) and, for a device, its number. */
void st_mknod(struct process *p, uint64_t mode, uint64_t dev) {
  uint32_t m = (uint32_t)mode;
  st_mode(p, m);
  if (S_ISCHR(m) || S_ISBLK(m))
    st_printf(p, ", makedev(%#x, %#x)", major(dev), minor(dev));
}
