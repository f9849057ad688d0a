/* epoll and eventfd on the host's: an epoll instance and an eventfd are
 * host descriptors in the guest's table. epoll_ctl names the watched
 * descriptor by its host number, and the 64-bit `data` the guest gives
 * travels through the host kernel untouched, so epoll_wait hands back
 * exactly what the guest stored (EPOLLET, EPOLLONESHOT, EPOLLEXCLUSIVE,
 * EEXIST, ENOENT, ELOOP and the rest are the host's). A wait sleeps as
 * every host wait does (host_wait.c): without the kernel lock, ended by
 * a guest signal with EINTR. struct epoll_event is packed on x86-64
 * (12 bytes), in the guest as on the host. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>

#include "../fs.h"
#include "../syscall_table.h"

#define EP_MAX_EVENTS (0x7fffffff / (int)sizeof(struct epoll_event))

static int64_t install(struct process *p, int host, bool cloexec) {
  if (host < 0)
    return -errno;
  return fd_install(p, host, cloexec ? FD_CLOEXEC : 0, 0);
}

int64_t sys_epoll_create(struct process *p, const uint64_t a[6]) {
  if ((int)a[0] <= 0)
    return -EINVAL;
  return install(p, epoll_create1(0), false);
}

int64_t sys_epoll_create1(struct process *p, const uint64_t a[6]) {
  if (a[0] & ~(uint64_t)EPOLL_CLOEXEC)
    return -EINVAL;
  return install(p, epoll_create1(EPOLL_CLOEXEC), (a[0] & EPOLL_CLOEXEC) != 0);
}

int64_t sys_epoll_ctl(struct process *p, const uint64_t a[6]) {
  int ep = fd_host(p, (int)a[0]);
  if (ep < 0)
    return ep;
  int fd = fd_host(p, (int)a[2]);
  if (fd < 0)
    return fd;
  struct epoll_event ev = {0};
  /* EPOLL_CTL_DEL takes no event (Linux reads none). */
  if ((int)a[1] != EPOLL_CTL_DEL &&
      copy_from_guest(&p->mmu, &ev, a[3], sizeof ev) < 0)
    return -EFAULT;
  return epoll_ctl(ep, (int)a[1], fd, &ev) < 0 ? -errno : 0;
}

/* The wait of epoll_wait, epoll_pwait and epoll_pwait2: timeout NULL
 * for none; guest_mask is the mask in force while it sleeps. */
static int64_t wait_events(struct process *p, int epfd, uint64_t events,
                           int max, const struct timespec *timeout,
                           uint64_t guest_mask) {
  int ep = fd_host(p, epfd);
  if (ep < 0)
    return ep;
  if (max <= 0 || max > EP_MAX_EVENTS)
    return -EINVAL;
  /* Linux checks the whole buffer is writable first (ep_events_available
   * aside): EFAULT before any wait. */
  int n = max > 1024 ? 1024 : max;
  struct epoll_event *buf = calloc((size_t)n, sizeof *buf);
  if (!buf)
    return -ENOMEM;
  int64_t r;
  if (copy_to_guest(&p->mmu, events, buf, (size_t)n * sizeof *buf) < 0) {
    free(buf);
    return -EFAULT;
  }
  struct pollfd pfd = {ep, POLLIN, 0};
  for (;;) {
    /* Readiness through ppoll (which sleeps as host waits do), then the
     * events without sleeping; another waiter may take them first. */
    r = host_ppoll(p, &pfd, 1, timeout, guest_mask);
    if (r <= 0)
      break;
    r = epoll_wait(ep, buf, n, 0);
    if (r != 0 || (timeout && timeout->tv_sec == 0 && timeout->tv_nsec == 0))
      break;
  }
  if (r < 0 && r != -EINTR)
    r = -errno;
  if (r > 0 && copy_to_guest(&p->mmu, events, buf, (size_t)r * sizeof *buf) < 0)
    r = -EFAULT;
  free(buf);
  return r;
}

static struct timespec *ms_timeout(int ms, struct timespec *t) {
  if (ms < 0)
    return NULL;
  *t = (struct timespec){ms / 1000, (long)(ms % 1000) * 1000000};
  return t;
}

int64_t sys_epoll_wait(struct process *p, const uint64_t a[6]) {
  struct timespec t;
  return wait_events(p, (int)a[0], a[1], (int)a[2], ms_timeout((int)a[3], &t),
                     p->sigmask);
}

/* The sigmask of epoll_pwait/pwait2, as ppoll's: in force during the
 * wait and, when a signal ends it, for that signal's delivery. */
static int64_t pwait(struct process *p, const uint64_t a[6],
                     const struct timespec *timeout) {
  uint64_t mask = p->sigmask;
  if (a[4]) {
    if (a[5] != 8)
      return -EINVAL;
    if (copy_from_guest(&p->mmu, &mask, a[4], sizeof mask) < 0)
      return -EFAULT;
  }
  int64_t r = wait_events(p, (int)a[0], a[1], (int)a[2], timeout, mask);
  if (r == -EINTR && a[4] && signal_wait_interrupted(p, mask))
    return -EINTR;
  return r;
}

int64_t sys_epoll_pwait(struct process *p, const uint64_t a[6]) {
  struct timespec t;
  return pwait(p, a, ms_timeout((int)a[3], &t));
}

int64_t sys_epoll_pwait2(struct process *p, const uint64_t a[6]) {
  struct timespec t;
  if (a[3]) {
    if (copy_from_guest(&p->mmu, &t, a[3], sizeof t) < 0)
      return -EFAULT;
    if (t.tv_sec < 0 || t.tv_nsec < 0 || t.tv_nsec >= 1000000000)
      return -EINVAL;
  }
  return pwait(p, a, a[3] ? &t : NULL);
}

int64_t sys_eventfd2(struct process *p, const uint64_t a[6]) {
  int flags = (int)a[1];
  if (flags & ~(EFD_CLOEXEC | EFD_NONBLOCK | EFD_SEMAPHORE))
    return -EINVAL;
  return install(p, eventfd((unsigned)a[0], flags | EFD_CLOEXEC),
                 (flags & EFD_CLOEXEC) != 0);
}

int64_t sys_eventfd(struct process *p, const uint64_t a[6]) {
  return install(p, eventfd((unsigned)a[0], EFD_CLOEXEC), false);
}
