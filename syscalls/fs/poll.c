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

#include "../process.h"
#include "../syscall_table.h"

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

/* -EINTR when a signal outside guest_mask interrupted the wait. */
static int64_t do_poll(struct process *p, uint64_t ufds, uint64_t nfds,
                       const struct timespec *timeout, uint64_t guest_mask) {
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
    int n = host_ppoll(p, h, nfds, invalid ? &(struct timespec){0, 0} : timeout,
                       guest_mask);
    if (n < 0) {
      r = n;
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

/* poll interrupted by a signal that runs no handler resumes through
 * restart_syscall with what is left of its timeout (fs/select.c:
 * do_restart_poll). */
static int64_t poll_until(struct process *p, const uint64_t a[6],
                          const struct timespec *deadline) {
  struct timespec left, *timeout = NULL;
  if (deadline) {
    struct timespec now = monotonic_now();
    int64_t ns = (deadline->tv_sec - now.tv_sec) * 1000000000 +
                 (deadline->tv_nsec - now.tv_nsec);
    if (ns < 0)
      ns = 0;
    left = (struct timespec){ns / 1000000000, ns % 1000000000};
    timeout = &left;
  }
  int64_t r = do_poll(p, a[0], a[1], timeout, p->sigmask);
  if (r != -EINTR)
    return r;
  p->restart.nr = 7;
  for (int k = 0; k < 6; k++)
    p->restart.a[k] = a[k];
  p->restart.clock = deadline ? CLOCK_MONOTONIC : -1;
  if (deadline)
    p->restart.deadline = *deadline;
  return -ERESTART_RESTARTBLOCK;
}

int64_t sys_poll(struct process *p, const uint64_t a[6]) {
  int ms = (int)a[2];
  if (ms < 0)
    return poll_until(p, a, NULL);
  struct timespec now = monotonic_now();
  int64_t ns = now.tv_nsec + (int64_t)(ms % 1000) * 1000000;
  struct timespec deadline = {now.tv_sec + ms / 1000 + ns / 1000000000,
                              ns % 1000000000};
  return poll_until(p, a, &deadline);
}

int64_t poll_resume(struct process *p) {
  struct restart_block *b = &p->restart;
  return poll_until(p, b->a, b->clock < 0 ? NULL : &b->deadline);
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
  /* A signal pending or arriving and left unblocked by the temporary
   * mask interrupts the wait, and is delivered under that mask. */
  uint64_t mask = p->sigmask;
  if (a[3]) {
    if (a[4] != 8)
      return -EINVAL;
    if (copy_from_guest(&p->mmu, &mask, a[3], sizeof mask) < 0)
      return -EFAULT;
  }
  struct timespec start = monotonic_now();
  int64_t r = do_poll(p, a[0], a[1], a[2] ? &ts : NULL, mask);
  if (r == -EINTR) {
    signal_wait_interrupted(p, mask);
    return -ERESTARTNOHAND;
  }
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
                         struct timespec *timeout, uint64_t guest_mask) {
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
  fd_set *sets[3] = {&host[0], &host[1], &host[2]};
  int n = host_pselect(p, host_max + 1, sets, timeout, guest_mask);
  if (n < 0)
    return n;
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
  int64_t r = do_select(p, a, a[4] ? &ts : NULL, p->sigmask);
  if (r == -EINTR)
    return -ERESTARTNOHAND;
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
  uint64_t mask = p->sigmask;
  if (a[5]) {
    uint64_t pair[2];
    if (copy_from_guest(&p->mmu, pair, a[5], sizeof pair) < 0)
      return -EFAULT;
    if (pair[0]) {
      if (pair[1] != 8)
        return -EINVAL;
      if (copy_from_guest(&p->mmu, &mask, pair[0], sizeof mask) < 0)
        return -EFAULT;
    }
  }
  struct timespec start = monotonic_now();
  int64_t r = do_select(p, a, a[4] ? &ts : NULL, mask);
  if (r == -EINTR) {
    signal_wait_interrupted(p, mask);
    return -ERESTARTNOHAND;
  }
  if (a[4] && r >= 0)
    put_timespec(p, a[4], remaining(p, ts, start, r));
  return r;
}
