/* Waiting on the host, interruptibly: a guest call that blocks (a pipe
 * read, a sleep, pause, poll, a wait for children) must wake when a
 * signal for the guest arrives, and must not miss one that arrives just
 * before it goes to sleep. So the asynchronous host signals are blocked
 * (host_wait_begin), the guest's pending signals and the caller's own
 * condition are checked, and the host call that sleeps unblocks them
 * atomically (ppoll, pselect6 and sigtimedwait take the mask to wait
 * under): a signal that came after the check is then pending on the
 * host and ends the sleep at once. See process.h for the pattern. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>

#include "../process.h"

#define BIT(sig) (1ull << ((sig)-1))

void host_wait_begin(struct process *p, sigset_t *wait_mask) {
  sigprocmask(SIG_BLOCK, host_signals_set(), wait_mask);
  host_signals_take(p);
}

void host_wait_end(struct process *p, const sigset_t *wait_mask) {
  host_signals_take(p);
  sigprocmask(SIG_SETMASK, wait_mask, NULL);
}

bool host_wait_signalled(struct process *p, uint64_t guest_mask) {
  host_signals_take(p);
  guest_mask &= ~(BIT(SIGKILL) | BIT(SIGSTOP));
  /* Another thread's exit_group or execve ends the wait as a SIGKILL
   * would. */
  return (sigqueue_pending(p) & ~guest_mask) != 0 || thread_must_stop(p);
}

static int64_t to_ns(const struct timespec *t) {
  return t->tv_sec * 1000000000ll + t->tv_nsec;
}

static struct timespec from_ns(int64_t ns) {
  if (ns < 0)
    ns = 0;
  return (struct timespec){ns / 1000000000, ns % 1000000000};
}

static int64_t now_ns(int clock) {
  struct timespec t;
  clock_gettime(clock, &t);
  return to_ns(&t);
}

/* --deterministic: a wait for descriptors is a wait on the virtual
 * timeline while other guest threads run (det_sched.c), readiness looked
 * at on every hand-over; it sleeps on the host only when nothing else
 * can run, and a timeout slept out moves the virtual clock on by it, as
 * a sleep does. Returns 1 (ready: the real call, without a timeout,
 * follows), 0 (timed out), -EINTR, or 2 (sleep on the host until *end,
 * a cycle count; UINT64_MAX: no timeout). */
enum { DET_READY = 1, DET_HOST = 2 };
static int det_wait(struct process *p, bool (*ready)(void *ctx), void *ctx,
                    const struct timespec *timeout, uint64_t guest_mask,
                    uint64_t *end) {
  *end = timeout ? p->cpu.cycles + (uint64_t)to_ns(timeout) : UINT64_MAX;
  /* A timerfd's expiry before the end (timerfd.c) is a deadline on the
   * timeline too, once per wait: the timerfd may not be among what is
   * waited for, and a periodic one would move time on for ever. */
  bool timerfd_seen = false;
  for (;;) {
    if (host_wait_signalled(p, guest_mask))
      return -EINTR;
    timerfd_expire(p);
    if (ready(ctx))
      return DET_READY;
    if (p->cpu.cycles >= *end)
      return 0;
    uint64_t until = *end, tf = timerfd_budget(p);
    if (!timerfd_seen && tf != UINT64_MAX && p->cpu.cycles + tf < until) {
      until = p->cpu.cycles + tf;
      timerfd_seen = true;
    }
    if (!det_threads(p)) {
      if (until == *end)
        return DET_HOST;
      p->cpu.cycles = until; /* nothing else runs: time jumps to it */
      continue;
    }
    int64_t left = until == UINT64_MAX ? -1 : (int64_t)(until - p->cpu.cycles);
    int64_t r = det_poll_wait(p, ready, ctx, left, guest_mask);
    if (r == -ETIMEDOUT && until == *end)
      return 0;
    if (r == -EINTR || r == -EAGAIN)
      return r == -EINTR ? -EINTR : DET_HOST;
  }
}

/* What is left of the wait on the host, after det_wait said DET_HOST. */
static const struct timespec *det_host_timeout(struct process *p, uint64_t end,
                                               struct timespec *left) {
  if (end == UINT64_MAX)
    return NULL;
  *left = from_ns(end > p->cpu.cycles ? (int64_t)(end - p->cpu.cycles) : 0);
  return left;
}

/* A host wait that timed out took its time on the virtual clock too. */
static void det_timed_out(struct process *p, uint64_t end) {
  if (end != UINT64_MAX && p->cpu.cycles < end)
    p->cpu.cycles = end;
}

struct poll_set {
  struct pollfd *fds;
  nfds_t n;
};

static bool pollfds_ready(void *ctx) {
  struct poll_set *s = ctx;
  return poll(s->fds, s->n, 0) != 0;
}

static const struct timespec zero_timeout;

int host_ppoll(struct process *p, struct pollfd *fds, nfds_t n,
               const struct timespec *timeout, uint64_t guest_mask) {
  uint64_t det_end = UINT64_MAX;
  struct timespec det_left;
  bool det = p->opt && p->opt->deterministic;
  if (det) {
    struct poll_set s = {fds, n};
    int d = det_wait(p, pollfds_ready, &s, timeout, guest_mask, &det_end);
    if (d == 0 || d == -EINTR)
      return d;
    timeout = d == DET_READY ? &zero_timeout
                             : det_host_timeout(p, det_end, &det_left);
  }
  int64_t deadline = timeout ? now_ns(CLOCK_MONOTONIC) + to_ns(timeout) : 0;
  sigset_t mask;
  int r;
  host_wait_begin(p, &mask);
  for (;;) {
    if (host_wait_signalled(p, guest_mask)) {
      r = -EINTR;
      break;
    }
    struct timespec left;
    if (timeout)
      left = from_ns(deadline - now_ns(CLOCK_MONOTONIC));
    thread_sleep_begin(p);
    r = ppoll(fds, n, timeout ? &left : NULL, &mask);
    int e = errno;
    thread_sleep_end(p);
    errno = e;
    if (r >= 0 || errno != EINTR) {
      r = r < 0 ? -errno : r;
      break;
    }
  }
  host_wait_end(p, &mask);
  if (det && r == 0)
    det_timed_out(p, det_end);
  return r;
}

struct select_set {
  int nfds;
  fd_set *sets[3];
  fd_set want[3];
};

static bool selected_ready(void *ctx) {
  struct select_set *s = ctx;
  for (int k = 0; k < 3; k++)
    *s->sets[k] = s->want[k];
  int r =
      pselect(s->nfds, s->sets[0], s->sets[1], s->sets[2], &zero_timeout, NULL);
  for (int k = 0; k < 3 && r == 0; k++)
    *s->sets[k] = s->want[k]; /* as the real call will want them */
  return r != 0;
}

int host_pselect(struct process *p, int nfds, fd_set *sets[3],
                 const struct timespec *timeout, uint64_t guest_mask) {
  uint64_t det_end = UINT64_MAX;
  struct timespec det_left;
  bool det = p->opt && p->opt->deterministic;
  if (det) {
    struct select_set s = {nfds, {sets[0], sets[1], sets[2]}, {}};
    for (int k = 0; k < 3; k++)
      s.want[k] = *sets[k];
    int d = det_wait(p, selected_ready, &s, timeout, guest_mask, &det_end);
    if (d == 0) {
      for (int k = 0; k < 3; k++)
        FD_ZERO(sets[k]);
      return 0;
    }
    if (d == -EINTR)
      return d;
    timeout = d == DET_READY ? &zero_timeout
                             : det_host_timeout(p, det_end, &det_left);
  }
  int64_t deadline = timeout ? now_ns(CLOCK_MONOTONIC) + to_ns(timeout) : 0;
  fd_set saved[3];
  for (int s = 0; s < 3; s++)
    saved[s] = *sets[s];
  sigset_t mask;
  int r;
  host_wait_begin(p, &mask);
  for (;;) {
    if (host_wait_signalled(p, guest_mask)) {
      r = -EINTR;
      break;
    }
    struct timespec left;
    if (timeout)
      left = from_ns(deadline - now_ns(CLOCK_MONOTONIC));
    thread_sleep_begin(p);
    r = pselect(nfds, sets[0], sets[1], sets[2], timeout ? &left : NULL, &mask);
    int e = errno;
    thread_sleep_end(p);
    errno = e;
    if (r >= 0 || errno != EINTR) {
      r = r < 0 ? -errno : r;
      break;
    }
    for (int s = 0; s < 3; s++) /* pselect left them undefined */
      *sets[s] = saved[s];
  }
  host_wait_end(p, &mask);
  if (det && r == 0)
    det_timed_out(p, det_end);
  return r;
}

/* Regular files and block devices never block indefinitely, nor does a
 * descriptor opened O_NONBLOCK (its call fails with EAGAIN instead). */
static bool may_block(int host_fd) {
  struct stat st;
  if (fstat(host_fd, &st) < 0 || S_ISREG(st.st_mode) || S_ISBLK(st.st_mode) ||
      S_ISDIR(st.st_mode))
    return false;
  int fl = fcntl(host_fd, F_GETFL);
  return fl >= 0 && !(fl & O_NONBLOCK);
}

int host_wait_fd(struct process *p, int host_fd, short events) {
  if (!may_block(host_fd))
    return 0;
  struct pollfd pfd = {host_fd, events, 0};
  int r = host_ppoll(p, &pfd, 1, NULL, p->sigmask);
  return r == -EINTR ? r : 0;
}

/* The CPU-time clocks do not advance while emu sleeps on the host, so
 * a deadline on them is slept for with the host's own clock_nanosleep,
 * which a signal interrupts (EINTR) but not atomically. */
static bool is_cpu_clock(int clock) {
  return clock == CLOCK_PROCESS_CPUTIME_ID ||
         clock == CLOCK_THREAD_CPUTIME_ID || clock < 0;
}

int host_sleep_until(struct process *p, int clock,
                     const struct timespec *deadline) {
  int64_t end = to_ns(deadline);
  sigset_t mask;
  int r = 0;
  host_wait_begin(p, &mask);
  for (;;) {
    if (host_wait_signalled(p, p->sigmask)) {
      r = -EINTR;
      break;
    }
    int64_t left = end - now_ns(clock);
    if (left <= 0)
      break;
    if (is_cpu_clock(clock)) {
      sigprocmask(SIG_SETMASK, &mask, NULL);
      thread_sleep_begin(p);
      int e = clock_nanosleep(clock, TIMER_ABSTIME, deadline, NULL);
      thread_sleep_end(p);
      sigprocmask(SIG_BLOCK, host_signals_set(), NULL);
      if (e && e != EINTR) {
        r = -e;
        break;
      }
      continue;
    }
    struct timespec t = from_ns(left);
    thread_sleep_begin(p);
    ppoll(NULL, 0, &t, &mask);
    thread_sleep_end(p);
  }
  host_wait_end(p, &mask);
  return r;
}

void host_wait_signal(struct process *p, uint64_t guest_mask) {
  sigset_t mask;
  host_wait_begin(p, &mask);
  while (!host_wait_signalled(p, guest_mask)) {
    thread_sleep_begin(p);
    sigsuspend(&mask);
    thread_sleep_end(p);
  }
  host_wait_end(p, &mask);
}
