/* strace 6.1's forms for the older time-setting calls and the RWF_*
 * flags (utime.c, utimes.c, print_timeval.c, io.c): utime's struct
 * utimbuf, utimes' and futimesat's two timevals, each with its date. */
#include <sys/time.h>
#include <sys/uio.h>

#include "strace_internal.h"

/* {actime=N / * date * /, modtime=N / * date * /} */
void st_utimbuf(struct process *p, uint64_t addr) {
  int64_t t[2];
  if (!st_fetch(p, addr, t, sizeof t))
    return;
  static const char *const names[2] = {"actime", "modtime"};
  st_puts(p, "{");
  for (int k = 0; k < 2; k++) {
    char buf[64];
    const char *date = st_date(buf, t[k], 0, 0, 0);
    st_printf(p, "%s%s=%lld", k ? ", " : "", names[k], (long long)t[k]);
    if (date)
      st_printf(p, " /* %s */", date);
  }
  st_puts(p, "}");
}

/* [{tv_sec=N, tv_usec=N} / * date * /, {...}] */
void st_timeval_pair(struct process *p, uint64_t addr) {
  struct timeval t[2];
  if (!st_fetch(p, addr, t, sizeof t))
    return;
  st_puts(p, "[");
  for (int k = 0; k < 2; k++) {
    char buf[64];
    unsigned long long usec = (unsigned long long)t[k].tv_usec;
    const char *date = st_date(buf, t[k].tv_sec, usec, 999999, 6);
    st_printf(p, "%s{tv_sec=%lld, tv_usec=%llu}", k ? ", " : "",
              (long long)t[k].tv_sec, usec);
    if (date)
      st_printf(p, " /* %s */", date);
  }
  st_puts(p, "]");
}

void st_rwf_flags(struct process *p, uint64_t v) {
  static const struct flag_name t[] = {
      {0x01, "RWF_HIPRI"},  {0x02, "RWF_DSYNC"},  {0x04, "RWF_SYNC"},
      {0x08, "RWF_NOWAIT"}, {0x10, "RWF_APPEND"}, FLAG_END};
  st_flags_x(p, t, (uint32_t)v, "RWF_???");
}

void st_iovec_addrs(struct process *p, uint64_t addr, uint64_t count) {
  struct iovec v;
  if (!addr || (count && copy_from_guest(&p->mmu, &v, addr, sizeof v) < 0)) {
    st_ptr(p, addr);
    return;
  }
  st_puts(p, "[");
  for (uint64_t k = 0; k < count; k++) {
    if (k == STRACE_STRLEN ||
        copy_from_guest(&p->mmu, &v, addr + k * sizeof v, sizeof v) < 0) {
      st_puts(p, ", ...");
      break;
    }
    st_puts(p, k ? ", {iov_base=" : "{iov_base=");
    st_ptr(p, (uint64_t)(uintptr_t)v.iov_base);
    st_printf(p, ", iov_len=%zu}", v.iov_len);
  }
  st_puts(p, "]");
}
