/* strace's forms for epoll and eventfd (strace 6.1: epoll.c, eventfd.c,
 * xlat/epollevents.in, xlat/epollctls.in, xlat/efd_flags.in). */
#include <sys/epoll.h>
#include <sys/eventfd.h>

#include "strace_internal.h"

static const struct flag_name epoll_event_names[] = {
    {EPOLLIN, "EPOLLIN"},
    {EPOLLPRI, "EPOLLPRI"},
    {EPOLLOUT, "EPOLLOUT"},
    {EPOLLERR, "EPOLLERR"},
    {EPOLLHUP, "EPOLLHUP"},
    {0x20, "EPOLLNVAL"},
    {EPOLLRDNORM, "EPOLLRDNORM"},
    {EPOLLRDBAND, "EPOLLRDBAND"},
    {EPOLLWRNORM, "EPOLLWRNORM"},
    {EPOLLWRBAND, "EPOLLWRBAND"},
    {EPOLLMSG, "EPOLLMSG"},
    {EPOLLRDHUP, "EPOLLRDHUP"},
    {EPOLLEXCLUSIVE, "EPOLLEXCLUSIVE"},
    {EPOLLWAKEUP, "EPOLLWAKEUP"},
    {EPOLLONESHOT, "EPOLLONESHOT"},
    {EPOLLET, "EPOLLET"},
    FLAG_END};

static const struct flag_name epoll_op_names[] = {
    {EPOLL_CTL_ADD, "EPOLL_CTL_ADD"},
    {EPOLL_CTL_DEL, "EPOLL_CTL_DEL"},
    {EPOLL_CTL_MOD, "EPOLL_CTL_MOD"},
    FLAG_END};

static const struct flag_name epoll_create_names[] = {
    {EPOLL_CLOEXEC, "EPOLL_CLOEXEC"}, FLAG_END};

static const struct flag_name efd_names[] = {{EFD_SEMAPHORE, "EFD_SEMAPHORE"},
                                             {EFD_CLOEXEC, "EFD_CLOEXEC"},
                                             {EFD_NONBLOCK, "EFD_NONBLOCK"},
                                             FLAG_END};

void st_epoll_create_flags(struct process *p, uint64_t v) {
  st_flags_x(p, epoll_create_names, v & 0xffffffffull, "EPOLL_???");
}

void st_epoll_op(struct process *p, uint64_t v) {
  st_xlat(p, epoll_op_names, v & 0xffffffffull, "EPOLL_CTL_???");
}

void st_efd_flags(struct process *p, uint64_t v) {
  st_flags_x(p, efd_names, v & 0xffffffffull, "EFD_???");
}

static void one_event(struct process *p, const struct epoll_event *e) {
  st_puts(p, "{events=");
  st_flags_x(p, epoll_event_names, e->events, "EPOLL???");
  st_printf(p, ", data={u32=%u, u64=%llu}}", (unsigned)e->data.u64,
            (unsigned long long)e->data.u64);
}

void st_epoll_event(struct process *p, uint64_t addr) {
  struct epoll_event e;
  if (st_fetch(p, addr, &e, sizeof e))
    one_event(p, &e);
}

/* strace shows at most 32 elements of an array (its default -s... no:
 * max_strlen's array limit), then "...". */
#define ARRAY_MAX 32

void st_epoll_events(struct process *p, uint64_t addr, int64_t n) {
  st_puts(p, "[");
  for (int64_t k = 0; k < n; k++) {
    if (k == ARRAY_MAX) {
      st_puts(p, ", ...");
      break;
    }
    struct epoll_event e;
    if (!st_fetch(p, addr + (uint64_t)k * sizeof e, &e, sizeof e))
      break;
    if (k)
      st_puts(p, ", ");
    one_event(p, &e);
  }
  st_puts(p, "]");
}
