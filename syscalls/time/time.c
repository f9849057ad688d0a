/* Clocks, sleeps and CPU usage. Normally the host's clocks; with
 * --deterministic every clock is derived from the cycle counter so two
 * runs see the same times: one cycle is one nanosecond of a virtual
 * clock that starts at a fixed date. */
#include <errno.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

#include "../fs.h"
#include "../syscall_table.h"

/* 2024-01-01T00:00:00Z: the realtime clock of a deterministic run. */
#define VIRTUAL_EPOCH 1704067200ll
/* A deterministic machine booted 100 s before the program started. */
#define VIRTUAL_UPTIME_NS 100000000000ll
#define CLOCK_TICKS 100 /* USER_HZ */

static bool deterministic(struct process *p) {
  return p->opt && p->opt->deterministic;
}

/* Current time of clock `id` in ns, or -EINVAL for an unknown clock. */
static int clock_now(struct process *p, int id, struct timespec *ts) {
  if (!deterministic(p))
    return clock_gettime(id, ts) < 0 ? -errno : 0;
  int64_t ns = (int64_t)p->cpu.cycles;
  switch (id) {
  case CLOCK_REALTIME:
  case CLOCK_REALTIME_COARSE:
  case CLOCK_TAI:
    ts->tv_sec = VIRTUAL_EPOCH + ns / 1000000000;
    ts->tv_nsec = ns % 1000000000;
    return 0;
  case CLOCK_MONOTONIC:
  case CLOCK_MONOTONIC_RAW:
  case CLOCK_MONOTONIC_COARSE:
  case CLOCK_BOOTTIME:
    ns += VIRTUAL_UPTIME_NS;
    /* fall through */
  case CLOCK_PROCESS_CPUTIME_ID:
  case CLOCK_THREAD_CPUTIME_ID:
    ts->tv_sec = ns / 1000000000;
    ts->tv_nsec = ns % 1000000000;
    return 0;
  default: return -EINVAL;
  }
}

int64_t time_now_ns(struct process *p, int clock) {
  struct timespec ts;
  if (clock_now(p, clock, &ts) < 0)
    return 0;
  return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

int64_t sys_clock_gettime(struct process *p, const uint64_t a[6]) {
  struct timespec ts;
  int r = clock_now(p, (int)a[0], &ts);
  if (r < 0)
    return r;
  return copy_to_guest(&p->mmu, a[1], &ts, sizeof ts) < 0 ? -EFAULT : 0;
}

int64_t sys_clock_getres(struct process *p, const uint64_t a[6]) {
  struct timespec ts;
  if (clock_getres((int)a[0], &ts) < 0)
    return -errno;
  if (!a[1])
    return 0;
  return copy_to_guest(&p->mmu, a[1], &ts, sizeof ts) < 0 ? -EFAULT : 0;
}

/* The host's clocks are the guest's: the host checks the clock (EINVAL
 * for one that cannot be set), the time and the privilege (EPERM). */
int64_t sys_clock_settime(struct process *p, const uint64_t a[6]) {
  struct timespec ts;
  if (copy_from_guest(&p->mmu, &ts, a[1], sizeof ts) < 0)
    return -EFAULT;
  return clock_settime((clockid_t)a[0], &ts) < 0 ? -errno : 0;
}

int64_t sys_gettimeofday(struct process *p, const uint64_t a[6]) {
  struct timespec ts;
  clock_now(p, CLOCK_REALTIME, &ts);
  struct timeval tv = {ts.tv_sec, ts.tv_nsec / 1000};
  if (a[0] && copy_to_guest(&p->mmu, a[0], &tv, sizeof tv) < 0)
    return -EFAULT;
  if (a[1]) { /* struct timezone: Linux keeps it zero unless set */
    int tz[2] = {0, 0};
    if (copy_to_guest(&p->mmu, a[1], tz, sizeof tz) < 0)
      return -EFAULT;
  }
  return 0;
}

int64_t sys_time(struct process *p, const uint64_t a[6]) {
  struct timespec ts;
  clock_now(p, CLOCK_REALTIME, &ts);
  int64_t t = ts.tv_sec;
  if (a[0] && copy_to_guest(&p->mmu, a[0], &t, sizeof t) < 0)
    return -EFAULT;
  return t;
}

static int64_t ns_of(const struct timespec *t) {
  return t->tv_sec * 1000000000ll + t->tv_nsec;
}

/* The absolute deadline of a sleep on the host's clock. */
static int sleep_deadline(int clock, int flags, const struct timespec *req,
                          struct timespec *deadline) {
  if (flags & TIMER_ABSTIME) {
    *deadline = *req;
    return 0;
  }
  struct timespec now;
  if (clock_gettime(clock, &now) < 0)
    return -errno;
  int64_t ns = ns_of(&now) + ns_of(req);
  *deadline = (struct timespec){ns / 1000000000, ns % 1000000000};
  return 0;
}

/* Until the deadline, or a signal for the guest (-EINTR, with what is
 * left of it in *rem). */
static int sleep_until(struct process *p, int clock,
                       const struct timespec *deadline, struct timespec *rem) {
  int r = host_sleep_until(p, clock, deadline);
  if (r == -EINTR && rem) {
    struct timespec now;
    clock_gettime(clock, &now);
    int64_t left = ns_of(deadline) - ns_of(&now);
    if (left < 0)
      left = 0;
    *rem = (struct timespec){left / 1000000000, left % 1000000000};
  }
  return r;
}

int time_clock_now(struct process *p, int id, struct timespec *ts) {
  return clock_now(p, id, ts);
}

/* A sleep: the host really sleeps, interruptibly (host_wait.c), unless
 * deterministic, where the virtual clock simply moves on by the
 * requested time. Returns 0 or -errno (EINTR with *rem set). */
int time_sleep(struct process *p, int clock, int flags,
               const struct timespec *req, struct timespec *rem) {
  if (!deterministic(p)) {
    struct timespec deadline;
    int r = sleep_deadline(clock, flags, req, &deadline);
    return r < 0 ? r : sleep_until(p, clock, &deadline, rem);
  }
  struct timespec now;
  int r = clock_now(p, clock, &now);
  if (r < 0)
    return r;
  int64_t ns = req->tv_sec * 1000000000ll + req->tv_nsec;
  if (flags & TIMER_ABSTIME)
    ns -= now.tv_sec * 1000000000ll + now.tv_nsec;
  if (ns <= 0)
    return 0;
  if (!det_threads(p)) {
    p->cpu.cycles += (uint64_t)ns;
    return 0;
  }
  /* Other threads run meanwhile, on the same timeline (det_sched.c). */
  uint64_t left;
  if (det_sleep(p, ns, &left) == 0)
    return 0;
  if (rem)
    *rem = (struct timespec){(time_t)(left / 1000000000),
                             (long)(left % 1000000000)};
  return -EINTR;
}

/* An interrupted sleep (kernel/time/hrtimer.c: do_nanosleep): a
 * relative one writes what is left and resumes through restart_syscall
 * unless a handler runs; an absolute one simply starts again. */
static int64_t interrupted(struct process *p, const uint64_t a[6], uint64_t nr,
                           int clock, int flags,
                           const struct timespec *deadline, uint64_t rem_addr,
                           const struct timespec *rem) {
  if (flags & TIMER_ABSTIME)
    return -ERESTARTNOHAND;
  if (rem_addr && copy_to_guest(&p->mmu, rem_addr, rem, sizeof *rem) < 0)
    return -EFAULT;
  p->restart.nr = nr;
  for (int k = 0; k < 6; k++)
    p->restart.a[k] = a[k];
  p->restart.clock = clock;
  p->restart.deadline = *deadline;
  return -ERESTART_RESTARTBLOCK;
}

static int64_t do_sleep(struct process *p, const uint64_t a[6], uint64_t nr,
                        int clock, int flags, uint64_t req_addr,
                        uint64_t rem_addr) {
  struct timespec req, rem = {0, 0}, deadline;
  if (copy_from_guest(&p->mmu, &req, req_addr, sizeof req) < 0)
    return -EFAULT;
  if (req.tv_sec < 0 || req.tv_nsec < 0 || req.tv_nsec >= 1000000000)
    return -EINVAL;
  if (deterministic(p)) {
    /* Only with threads can a signal end a virtual sleep; a handler
     * runs, so no restart: EINTR and what is left (hrtimer_nanosleep). */
    int d = time_sleep(p, clock, flags, &req, &rem);
    if (d == -EINTR && !(flags & TIMER_ABSTIME) && rem_addr &&
        copy_to_guest(&p->mmu, rem_addr, &rem, sizeof rem) < 0)
      return -EFAULT;
    return d;
  }
  int r = sleep_deadline(clock, flags, &req, &deadline);
  if (r == 0)
    r = sleep_until(p, clock, &deadline, &rem);
  if (r == -EINTR)
    return interrupted(p, a, nr, clock, flags, &deadline, rem_addr, &rem);
  return r;
}

int64_t time_resume_sleep(struct process *p) {
  struct restart_block *b = &p->restart;
  struct timespec rem = {0, 0};
  uint64_t rem_addr = b->nr == 35 ? b->a[1] : b->a[3];
  int r = sleep_until(p, b->clock, &b->deadline, &rem);
  if (r == -EINTR)
    return interrupted(p, b->a, b->nr, b->clock, 0, &b->deadline, rem_addr,
                       &rem);
  return r;
}

int64_t sys_nanosleep(struct process *p, const uint64_t a[6]) {
  return do_sleep(p, a, 35, CLOCK_MONOTONIC, 0, a[0], a[1]);
}

int64_t sys_clock_nanosleep(struct process *p, const uint64_t a[6]) {
  return do_sleep(p, a, 230, (int)a[0], (int)a[1], a[2], a[3]);
}

/* CPU time: the host's (emu's own time is the guest's), or cycles. */
static void cpu_time(struct process *p, struct timeval *user,
                     struct timeval *sys) {
  if (deterministic(p)) {
    uint64_t us = p->cpu.cycles / 1000;
    *user = (struct timeval){(time_t)(us / 1000000), (long)(us % 1000000)};
    *sys = (struct timeval){0, 0};
    return;
  }
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  *user = ru.ru_utime;
  *sys = ru.ru_stime;
}

int64_t sys_getrusage(struct process *p, const uint64_t a[6]) {
  int who = (int)a[0];
  struct rusage ru = {0};
  if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN && who != RUSAGE_THREAD)
    return -EINVAL;
  if (who != RUSAGE_CHILDREN) { /* emu runs no children */
    cpu_time(p, &ru.ru_utime, &ru.ru_stime);
    ru.ru_minflt = (long)p->sig->stats.page_faults;
  }
  return copy_to_guest(&p->mmu, a[1], &ru, sizeof ru) < 0 ? -EFAULT : 0;
}

int64_t sys_times(struct process *p, const uint64_t a[6]) {
  struct timeval user, sys;
  struct timespec up;
  cpu_time(p, &user, &sys);
  struct tms t = {
      .tms_utime = user.tv_sec * CLOCK_TICKS + user.tv_usec / 10000,
      .tms_stime = sys.tv_sec * CLOCK_TICKS + sys.tv_usec / 10000,
  };
  if (a[0] && copy_to_guest(&p->mmu, a[0], &t, sizeof t) < 0)
    return -EFAULT;
  if (!deterministic(p)) {
    /* Linux's value is jiffies since boot offset by INITIAL_JIFFIES;
     * the host's own answer has exactly that shape. */
    struct tms host;
    return (int64_t)times(&host);
  }
  clock_now(p, CLOCK_MONOTONIC, &up);
  return (int64_t)(up.tv_sec * CLOCK_TICKS + up.tv_nsec / 10000000);
}
