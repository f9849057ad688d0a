/* poll, ppoll, select and pselect6 over the host's: guest descriptors are
 * translated to host ones, the host waits, and the results come back in
 * the guest's numbering (fs/select.c semantics: an unopened descriptor is
 * POLLNVAL for poll and EBADF for select). */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>

#include "process.h"
#include "syscall_table.h"

struct guest_pollfd {
  int32_t fd;
  int16_t events, revents;
};

/* What is left of a timeout, given back by ppoll, pselect6 and select
 * (fs/select.c: poll_select_finish), from the host's monotonic clock. A
 * --deterministic run waits no host time it could observe: what is left
 * is all of it when the call returned ready, none after a timeout. */
static struct timespec monotonic_now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t;
}

static struct timespec remaining(struct process *p, struct timespec timeout,
                                 struct timespec start, int64_t ret) {
  if (ret == 0)
    return (struct timespec){0, 0};
  if (p->opt && p->opt->deterministic)
    return timeout;
  struct timespec now = monotonic_now();
  int64_t left = (timeout.tv_sec - (now.tv_sec - start.tv_sec)) * 1000000000 +
                 (timeout.tv_nsec - (now.tv_nsec - start.tv_nsec));
  if (left < 0)
    left = 0;
  return (struct timespec){left / 1000000000, left % 1000000000};
}

/* Written back only after a successful wait or a timeout; a fault here
 * is ignored, as Linux does. */
static void put_timespec(struct process *p, uint64_t addr, struct timespec t) {
  int64_t v[2] = {t.tv_sec, t.tv_nsec};
  (void)copy_to_guest(&p->mmu, addr, v, sizeof v);
}

static int64_t do_poll(struct process *p, uint64_t ufds, uint64_t nfds,
                       const struct timespec *timeout) {
  if (nfds > FD_MAX)
    return -EINVAL;
  struct guest_pollfd *g = calloc(nfds ? nfds : 1, sizeof *g);
  struct pollfd *h = calloc(nfds ? nfds : 1, sizeof *h);
  int64_t r = (!g || !h) ? -ENOMEM : 0;
  if (!r && copy_from_guest(&p->mmu, g, ufds, nfds * sizeof *g) < 0)
    r = -EFAULT;
  for (uint64_t k = 0; !r && k < nfds; k++) {
    h[k].fd = g[k].fd < 0 ? -1 : fd_host(p, g[k].fd);
    h[k].events = g[k].events;
  }
  if (!r) {
    /* A descriptor the guest does not have is POLLNVAL, counted ready;
     * the host must not see it (it may be one of emu's own). */
    int invalid = 0;
    for (uint64_t k = 0; k < nfds; k++)
      if (g[k].fd >= 0 && h[k].fd < 0)
        invalid++;
    int n = ppoll(h, nfds, invalid ? &(struct timespec){0, 0} : timeout, NULL);
    if (n < 0) {
      r = -errno;
    } else {
      r = 0;
      for (uint64_t k = 0; k < nfds; k++) {
        g[k].revents = g[k].fd < 0 ? 0 : h[k].fd < 0 ? POLLNVAL : h[k].revents;
        r += g[k].revents != 0;
      }
      if (copy_to_guest(&p->mmu, ufds, g, nfds * sizeof *g) < 0)
        r = -EFAULT;
    }
  }
  free(g);
  free(h);
  return r;
}

int64_t sys_poll(struct process *p, const uint64_t a[6]) {
  int ms = (int)a[2];
  struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};
  return do_poll(p, a[0], a[1], ms < 0 ? NULL : &ts);
}

static int read_timespec(struct process *p, uint64_t addr,
                         struct timespec *ts) {
  int64_t v[2];
  if (copy_from_guest(&p->mmu, v, addr, sizeof v) < 0)
    return -EFAULT;
  if (v[0] < 0 || v[1] < 0 || v[1] >= 1000000000)
    return -EINVAL;
  ts->tv_sec = v[0];
  ts->tv_nsec = v[1];
  return 0;
}

int64_t sys_ppoll(struct process *p, const uint64_t a[6]) {
  struct timespec ts;
  if (a[2]) {
    int e = read_timespec(p, a[2], &ts);
    if (e)
      return e;
  }
  /* A signal pending and left unblocked by the temporary mask interrupts
   * the wait at once, and is delivered under that mask. (emu has no
   * asynchronous signal sources, so nothing can arrive during the host
   * wait itself.) */
  if (a[3]) {
    uint64_t mask;
    if (a[4] != 8)
      return -EINVAL;
    if (copy_from_guest(&p->mmu, &mask, a[3], sizeof mask) < 0)
      return -EFAULT;
    if (signal_wait_interrupted(p, mask))
      return -ERESTARTNOHAND;
  }
  struct timespec start = monotonic_now();
  int64_t r = do_poll(p, a[0], a[1], a[2] ? &ts : NULL);
  if (a[2] && r >= 0)
    put_timespec(p, a[2], remaining(p, ts, start, r));
  return r;
}

/* The guest's fd_set words for nfds descriptors. */
static int read_set(struct process *p, uint64_t addr, int nfds, uint64_t *set) {
  memset(set, 0, FD_MAX / 8);
  return addr
             ? copy_from_guest(&p->mmu, set, addr, (size_t)(nfds + 63) / 64 * 8)
             : 0;
}

static int64_t do_select(struct process *p, const uint64_t a[6],
                         struct timespec *timeout) {
  int nfds = (int)a[0];
  if (nfds < 0 || nfds > FD_MAX)
    return -EINVAL;
  uint64_t in[3][FD_MAX / 64];
  for (int s = 0; s < 3; s++)
    if (read_set(p, a[1 + s], nfds, in[s]) < 0)
      return -EFAULT;
  fd_set host[3];
  int host_max = -1;
  for (int s = 0; s < 3; s++)
    FD_ZERO(&host[s]);
  for (int fd = 0; fd < nfds; fd++) {
    for (int s = 0; s < 3; s++) {
      if (!((in[s][fd / 64] >> (fd % 64)) & 1))
        continue;
      int h = fd_host(p, fd);
      if (h < 0)
        return -EBADF;
      if (h >= FD_SETSIZE)
        return -EINVAL;
      FD_SET(h, &host[s]);
      if (h > host_max)
        host_max = h;
    }
  }
  int n = pselect(host_max + 1, &host[0], &host[1], &host[2], timeout, NULL);
  if (n < 0)
    return -errno;
  int64_t ready = 0;
  for (int s = 0; s < 3; s++) {
    uint64_t out[FD_MAX / 64] = {0};
    for (int fd = 0; fd < nfds; fd++)
      if (((in[s][fd / 64] >> (fd % 64)) & 1) &&
          FD_ISSET(fd_host(p, fd), &host[s])) {
        out[fd / 64] |= 1ull << (fd % 64);
        ready++;
      }
    if (a[1 + s] &&
        copy_to_guest(&p->mmu, a[1 + s], out, (size_t)(nfds + 63) / 64 * 8) < 0)
      return -EFAULT;
  }
  return ready;
}

int64_t sys_select(struct process *p, const uint64_t a[6]) {
  struct timespec ts;
  if (a[4]) {
    int64_t tv[2];
    if (copy_from_guest(&p->mmu, tv, a[4], sizeof tv) < 0)
      return -EFAULT;
    if (tv[0] < 0 || tv[1] < 0)
      return -EINVAL;
    ts.tv_sec = tv[0] + tv[1] / 1000000;
    ts.tv_nsec = (tv[1] % 1000000) * 1000;
  }
  struct timespec start = monotonic_now();
  int64_t r = do_select(p, a, a[4] ? &ts : NULL);
  if (a[4] && r >= 0) {
    struct timespec left = remaining(p, ts, start, r);
    int64_t tv[2] = {left.tv_sec, left.tv_nsec / 1000};
    (void)copy_to_guest(&p->mmu, a[4], tv, sizeof tv);
  }
  return r;
}

int64_t sys_pselect6(struct process *p, const uint64_t a[6]) {
  struct timespec ts;
  if (a[4]) {
    int e = read_timespec(p, a[4], &ts);
    if (e)
      return e;
  }
  /* The sixth argument: {const sigset_t *mask, size_t size}. */
  if (a[5]) {
    uint64_t pair[2], mask;
    if (copy_from_guest(&p->mmu, pair, a[5], sizeof pair) < 0)
      return -EFAULT;
    if (pair[0]) {
      if (pair[1] != 8)
        return -EINVAL;
      if (copy_from_guest(&p->mmu, &mask, pair[0], sizeof mask) < 0)
        return -EFAULT;
      if (signal_wait_interrupted(p, mask))
        return -ERESTARTNOHAND;
    }
  }
  struct timespec start = monotonic_now();
  int64_t r = do_select(p, a, a[4] ? &ts : NULL);
  if (a[4] && r >= 0)
    put_timespec(p, a[4], remaining(p, ts, start, r));
  return r;
}
