/* strace 6.1's forms for signalfd, timerfd, inotify and the splice
 * family (signalfd.c, time.c, inotify.c, io.c and their xlat tables). */
#include <inttypes.h>
#include <time.h>

#include "strace_net.h"

static const struct flag_name sfd_names[] = {
    {02000000, "SFD_CLOEXEC"}, {04000, "SFD_NONBLOCK"}, FLAG_END};

static const struct flag_name tfd_names[] = {{1, "TFD_TIMER_ABSTIME"},
                                             {2, "TFD_TIMER_CANCEL_ON_SET"},
                                             {02000000, "TFD_CLOEXEC"},
                                             {04000, "TFD_NONBLOCK"},
                                             FLAG_END};

static const struct flag_name inotify_names[] = {
    {0x00000001, "IN_ACCESS"},
    {0x00000002, "IN_MODIFY"},
    {0x00000004, "IN_ATTRIB"},
    {0x00000008, "IN_CLOSE_WRITE"},
    {0x00000010, "IN_CLOSE_NOWRITE"},
    {0x00000020, "IN_OPEN"},
    {0x00000040, "IN_MOVED_FROM"},
    {0x00000080, "IN_MOVED_TO"},
    {0x00000100, "IN_CREATE"},
    {0x00000200, "IN_DELETE"},
    {0x00000400, "IN_DELETE_SELF"},
    {0x00000800, "IN_MOVE_SELF"},
    {0x00002000, "IN_UNMOUNT"},
    {0x00004000, "IN_Q_OVERFLOW"},
    {0x00008000, "IN_IGNORED"},
    {0x01000000, "IN_ONLYDIR"},
    {0x02000000, "IN_DONT_FOLLOW"},
    {0x04000000, "IN_EXCL_UNLINK"},
    {0x10000000, "IN_MASK_CREATE"},
    {0x20000000, "IN_MASK_ADD"},
    {0x40000000, "IN_ISDIR"},
    {0x80000000, "IN_ONESHOT"},
    FLAG_END};

static const struct flag_name inotify_init_names[] = {
    {04000, "IN_NONBLOCK"}, {02000000, "IN_CLOEXEC"}, FLAG_END};

static const struct flag_name splice_names[] = {{1, "SPLICE_F_MOVE"},
                                                {2, "SPLICE_F_NONBLOCK"},
                                                {4, "SPLICE_F_MORE"},
                                                {8, "SPLICE_F_GIFT"},
                                                FLAG_END};

void st_sfd_flags(struct process *p, uint64_t v) {
  st_flags_x(p, sfd_names, v & 0xffffffffull, "SFD_???");
}

void st_tfd_flags(struct process *p, uint64_t v) {
  st_flags_x(p, tfd_names, v & 0xffffffffull, "TFD_???");
}

void st_inotify_mask(struct process *p, uint64_t v) {
  st_flags_x(p, inotify_names, v & 0xffffffffull, "IN_???");
}

void st_inotify_init_flags(struct process *p, uint64_t v) {
  st_flags_x(p, inotify_init_names, v & 0xffffffffull, "IN_???");
}

void st_splice_flags(struct process *p, uint64_t v) {
  st_flags_x(p, splice_names, v & 0xffffffffull, "SPLICE_F_???");
}

void st_itimerspec(struct process *p, uint64_t addr) {
  struct timespec t[2];
  if (!st_fetch(p, addr, t, sizeof t))
    return;
  st_printf(p,
            "{it_interval={tv_sec=%lld, tv_nsec=%ld}, "
            "it_value={tv_sec=%lld, tv_nsec=%ld}}",
            (long long)t[0].tv_sec, t[0].tv_nsec, (long long)t[1].tv_sec,
            t[1].tv_nsec);
}

/* printnum_int64: NULL, [N], or the address when unreadable. */
void st_int64_in(struct process *p, uint64_t addr) {
  int64_t v;
  if (st_fetch(p, addr, &v, sizeof v))
    st_printf(p, "[%" PRId64 "]", v);
}
