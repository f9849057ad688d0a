/* timerfd_create, timerfd_settime, timerfd_gettime on emu's clock.
 * Normally emu's clocks are the host's, and so is the timerfd: a host
 * timerfd in the guest's table, read, polled and waited on as any host
 * descriptor. With --deterministic the clocks are the cycle counter
 * (time.c), so a timerfd is emu's own (fs/signalfd.c does the same for
 * signals): an expiry in cycles, and a host eventfd that is readable
 * once it has passed. The CPU stops at the expiry (timerfd_budget), and
 * a wait with nothing else to wake it moves the virtual clock on to the
 * expiry (host_wait.c: det_wait), as a deterministic sleep does: two runs see
 * the same expirations at the same instructions. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "../fs.h"
#include "../syscall_table.h"

#define NS 1000000000ll

struct vtimer {
  struct fd_special base; /* first: the descriptor table holds this */
  int clock;
  uint64_t next;     /* the next expiry, in cycles (0: disarmed) */
  uint64_t interval; /* cycles */
  uint64_t ticks;    /* expirations not read yet */
  int notify;        /* emu's own reference to the eventfd */
  bool ready;
  struct vtimer *link;
};

static struct vtimer *all;

static bool deterministic(struct process *p) {
  return p->opt && p->opt->deterministic;
}

/* Count the expirations up to now into ticks (hrtimer_forward). */
static void advance(struct vtimer *t, uint64_t now) {
  if (!t->next || now < t->next)
    return;
  uint64_t n = 1;
  if (t->interval)
    n += (now - t->next) / t->interval;
  t->ticks += n;
  t->next = t->interval ? t->next + n * t->interval : 0;
}

static void set_ready(struct vtimer *t, bool ready) {
  if (ready == t->ready)
    return;
  uint64_t v = 1;
  if (ready) {
    if (write(t->notify, &v, sizeof v) != sizeof v)
      return;
  } else {
    struct pollfd pfd = {t->notify, POLLIN, 0};
    if (poll(&pfd, 1, 0) == 1 && read(t->notify, &v, sizeof v) != sizeof v)
      return;
  }
  t->ready = ready;
}

void timerfd_expire(struct process *p) {
  for (struct vtimer *t = all; t; t = t->link) {
    advance(t, p->cpu.cycles);
    set_ready(t, t->ticks != 0);
  }
}

uint64_t timerfd_budget(struct process *p) {
  uint64_t left = UINT64_MAX;
  for (struct vtimer *t = all; t; t = t->link)
    if (t->next) {
      uint64_t l = t->next > p->cpu.cycles ? t->next - p->cpu.cycles : 0;
      if (l < left)
        left = l;
    }
  return left;
}

static int64_t vtimer_read(struct process *p, struct fd_special *base, int h,
                           uint64_t buf, uint64_t len) {
  struct vtimer *t = (struct vtimer *)base;
  if (len < sizeof(uint64_t))
    return -EINVAL;
  advance(t, p->cpu.cycles);
  while (!t->ticks) {
    int fl = fcntl(h, F_GETFL);
    if (fl >= 0 && (fl & O_NONBLOCK))
      return -EAGAIN;
    if (t->next) {
      /* A blocking read sleeps to the expiry on the virtual clock
       * (other threads run meanwhile: time_sleep). */
      uint64_t ns = t->next > p->cpu.cycles ? t->next - p->cpu.cycles : 0;
      struct timespec req = {(time_t)(ns / NS), (long)(ns % NS)};
      if (time_sleep(p, CLOCK_MONOTONIC, 0, &req, NULL) == -EINTR)
        return -ERESTARTSYS;
      advance(t, p->cpu.cycles);
      continue;
    }
    /* Disarmed: until another thread arms it, or a signal. */
    struct pollfd pfd = {h, POLLIN, 0};
    if (host_ppoll(p, &pfd, 1, NULL, p->sigmask) == -EINTR)
      return -ERESTARTSYS;
    advance(t, p->cpu.cycles);
  }
  uint64_t v = t->ticks;
  if (copy_to_guest(&p->mmu, buf, &v, sizeof v) < 0)
    return -EFAULT;
  t->ticks = 0;
  timerfd_expire(p);
  return sizeof v;
}

static void vtimer_release(struct fd_special *base) {
  struct vtimer *t = (struct vtimer *)base;
  for (struct vtimer **at = &all; *at; at = &(*at)->link)
    if (*at == t) {
      *at = t->link;
      break;
    }
  close(t->notify);
  free(t);
}

static const struct fd_special_ops vtimer_ops = {vtimer_read, vtimer_release};

static bool timerfd_clock(int clock) {
  return clock == CLOCK_REALTIME || clock == CLOCK_MONOTONIC ||
         clock == CLOCK_BOOTTIME || clock == CLOCK_REALTIME_ALARM ||
         clock == CLOCK_BOOTTIME_ALARM;
}

static int64_t vtimer_create(struct process *p, int clock, int flags) {
  if (!timerfd_clock(clock))
    return -EINVAL;
  /* The alarm clocks read as their base clocks (time.c). */
  if (clock == CLOCK_REALTIME_ALARM)
    clock = CLOCK_REALTIME;
  if (clock == CLOCK_BOOTTIME_ALARM)
    clock = CLOCK_BOOTTIME;
  struct vtimer *t = calloc(1, sizeof *t);
  if (!t)
    return -ENOMEM;
  int h = eventfd(0, EFD_CLOEXEC | (flags & TFD_NONBLOCK ? EFD_NONBLOCK : 0));
  t->notify = h < 0 ? -1 : fcntl(h, F_DUPFD_CLOEXEC, 3);
  if (t->notify < 0) {
    int e = errno;
    if (h >= 0)
      close(h);
    free(t);
    return -e;
  }
  int g = fd_install(p, h, flags & TFD_CLOEXEC ? FD_CLOEXEC : 0, 0);
  if (g < 0) {
    close(t->notify);
    free(t);
    return g;
  }
  t->base.ops = &vtimer_ops;
  t->clock = clock;
  t->link = all;
  all = t;
  fd_set_special(p, g, &t->base);
  return g;
}

int64_t sys_timerfd_create(struct process *p, const uint64_t a[6]) {
  int clock = (int)a[0], flags = (int)a[1];
  if (flags & ~(TFD_CLOEXEC | TFD_NONBLOCK))
    return -EINVAL;
  if (deterministic(p))
    return vtimer_create(p, clock, flags);
  int h = timerfd_create(clock, flags | TFD_CLOEXEC);
  if (h < 0)
    return -errno;
  return fd_install(p, h, flags & TFD_CLOEXEC ? FD_CLOEXEC : 0, 0);
}

static struct vtimer *vtimer_of(struct process *p, int fd) {
  struct fd_special *s = fd_special(p, fd);
  return s && s->ops == &vtimer_ops ? (struct vtimer *)s : NULL;
}

static uint64_t ns_of(const struct timespec *t) {
  return (uint64_t)t->tv_sec * NS + (uint64_t)t->tv_nsec;
}

static struct timespec ts_of(uint64_t ns) {
  return (struct timespec){(time_t)(ns / NS), (long)(ns % NS)};
}

static void vtimer_get(struct process *p, struct vtimer *t,
                       struct itimerspec *v) {
  advance(t, p->cpu.cycles);
  v->it_interval = ts_of(t->interval);
  v->it_value = ts_of(t->next ? t->next - p->cpu.cycles : 0);
}

static bool bad_ts(const struct timespec *t) {
  return t->tv_sec < 0 || t->tv_nsec < 0 || t->tv_nsec >= NS;
}

static int64_t vtimer_set(struct process *p, struct vtimer *t, int flags,
                          const struct itimerspec *v, struct itimerspec *old) {
  vtimer_get(p, t, old);
  t->ticks = 0;
  t->interval = ns_of(&v->it_interval);
  t->next = 0;
  if (v->it_value.tv_sec || v->it_value.tv_nsec) {
    uint64_t when = ns_of(&v->it_value);
    if (flags & TFD_TIMER_ABSTIME) {
      uint64_t n = (uint64_t)time_now_ns(p, t->clock);
      when = when > n ? when - n : 0;
    }
    t->next = p->cpu.cycles + (when ? when : 1);
  }
  timerfd_expire(p);
  return 0;
}

int64_t sys_timerfd_settime(struct process *p, const uint64_t a[6]) {
  int h = fd_host(p, (int)a[0]);
  if (h < 0)
    return h;
  int flags = (int)a[1];
  if (flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET))
    return -EINVAL;
  struct itimerspec v, old;
  if (copy_from_guest(&p->mmu, &v, a[2], sizeof v) < 0)
    return -EFAULT;
  if (bad_ts(&v.it_value) || bad_ts(&v.it_interval))
    return -EINVAL;
  struct vtimer *t = vtimer_of(p, (int)a[0]);
  int64_t r;
  if (t)
    r = vtimer_set(p, t, flags, &v, &old);
  else
    r = timerfd_settime(h, flags, &v, &old) < 0 ? -errno : 0;
  if (!r && a[3] && copy_to_guest(&p->mmu, a[3], &old, sizeof old) < 0)
    r = -EFAULT;
  return r;
}

int64_t sys_timerfd_gettime(struct process *p, const uint64_t a[6]) {
  int h = fd_host(p, (int)a[0]);
  if (h < 0)
    return h;
  struct itimerspec v;
  struct vtimer *t = vtimer_of(p, (int)a[0]);
  if (t)
    vtimer_get(p, t, &v);
  else if (timerfd_gettime(h, &v) < 0)
    return -errno;
  return copy_to_guest(&p->mmu, a[1], &v, sizeof v) < 0 ? -EFAULT : 0;
}
