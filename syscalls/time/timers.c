/* The guest's timers: alarm, setitimer/getitimer and the POSIX timers.
 * Normally the host's: ITIMER_REAL, VIRTUAL and PROF are emu's own host
 * itimers (emu's CPU time is the guest's) and their SIGALRM, SIGVTALRM
 * and SIGPROF (SI_KERNEL) reach the guest as any host signal does
 * (host_signal.c); a POSIX timer is a host POSIX timer whose SI_TIMER
 * siginfo is renamed with the guest timer's id and value. With
 * --deterministic the itimers are deadlines on the cycle counter (the
 * virtual clocks of time.c: one cycle is one nanosecond, of real and CPU
 * time alike), checked between CPU runs, so runs repeat. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "../process.h"
#include "../syscall_table.h"

/* Marks a host timer's sigev_value as one of the guest's, by slot. */
#define TIMER_TAG 0x454d5500000000ull
#define TIMER_TAG_MASK 0xffffffff00000000ull
#define NS 1000000000ll

static bool deterministic(struct process *p) {
  return p->opt && p->opt->deterministic;
}

/* --- the itimers ---------------------------------------------------- */

static const int itimer_signal[3] = {SIGALRM, SIGVTALRM, SIGPROF};

static int64_t tv_ns(const struct timeval *tv) {
  return tv->tv_sec * NS + tv->tv_usec * 1000;
}

static struct timeval ns_tv(uint64_t ns) {
  /* Linux rounds what is left up to a microsecond, never to zero. */
  uint64_t us = (ns + 999) / 1000;
  return (struct timeval){(time_t)(us / 1000000), (long)(us % 1000000)};
}

static void virtual_get(struct process *p, int which, struct itimerval *v) {
  uint64_t now = p->cpu.cycles, next = p->sig->timers.cycles[which].next;
  v->it_interval = ns_tv(p->sig->timers.cycles[which].interval);
  v->it_value = next ? ns_tv(next > now ? next - now : 1) : (struct timeval){0};
}

static void virtual_set(struct process *p, int which,
                        const struct itimerval *v) {
  int64_t value = tv_ns(&v->it_value);
  p->sig->timers.cycles[which].next =
      value ? p->cpu.cycles + (uint64_t)value : 0;
  p->sig->timers.cycles[which].interval = (uint64_t)tv_ns(&v->it_interval);
}

static int itimer_get(struct process *p, int which, struct itimerval *v) {
  if (which < 0 || which > 2)
    return -EINVAL;
  if (deterministic(p)) {
    virtual_get(p, which, v);
    return 0;
  }
  return getitimer(which, v) < 0 ? -errno : 0;
}

static int itimer_set(struct process *p, int which, const struct itimerval *v,
                      struct itimerval *old) {
  if (which < 0 || which > 2)
    return -EINVAL;
  if (!deterministic(p))
    return setitimer(which, v, old) < 0 ? -errno : 0;
  if (v->it_value.tv_usec < 0 || v->it_value.tv_usec >= 1000000 ||
      v->it_interval.tv_usec < 0 || v->it_interval.tv_usec >= 1000000 ||
      v->it_value.tv_sec < 0 || v->it_interval.tv_sec < 0)
    return -EINVAL;
  virtual_get(p, which, old);
  virtual_set(p, which, v);
  return 0;
}

int64_t sys_getitimer(struct process *p, const uint64_t a[6]) {
  struct itimerval v;
  int r = itimer_get(p, (int)a[0], &v);
  if (r < 0)
    return r;
  return copy_to_guest(&p->mmu, a[1], &v, sizeof v) < 0 ? -EFAULT : 0;
}

/* A NULL new value disarms (kernel/time/itimer.c, since Linux 5.x). */
int64_t sys_setitimer(struct process *p, const uint64_t a[6]) {
  struct itimerval v, old;
  memset(&v, 0, sizeof v);
  if (a[1] && copy_from_guest(&p->mmu, &v, a[1], sizeof v) < 0)
    return -EFAULT;
  int r = itimer_set(p, (int)a[0], &v, &old);
  if (r < 0)
    return r;
  if (a[2] && copy_to_guest(&p->mmu, a[2], &old, sizeof old) < 0)
    return -EFAULT;
  return 0;
}

/* alarm_setitimer: what was left, rounded to the nearest second (and
 * at least 1 when something was). */
int64_t sys_alarm(struct process *p, const uint64_t a[6]) {
  if (!deterministic(p))
    return alarm((unsigned)a[0]);
  struct itimerval v = {{0, 0}, {(time_t)(uint32_t)a[0], 0}}, old;
  itimer_set(p, ITIMER_REAL, &v, &old);
  if (!old.it_value.tv_sec && !old.it_value.tv_usec)
    return 0;
  return old.it_value.tv_sec + (old.it_value.tv_usec >= 500000) +
         (!old.it_value.tv_sec && old.it_value.tv_usec < 500000);
}

uint64_t timers_budget(struct process *p) {
  if (!deterministic(p))
    return UINT64_MAX;
  uint64_t left = timerfd_budget(p);
  for (int k = 0; k < 3; k++) {
    uint64_t next = p->sig->timers.cycles[k].next;
    if (next && next - p->cpu.cycles < left)
      left = next > p->cpu.cycles ? next - p->cpu.cycles : 0;
  }
  /* Instructions cost a cycle or more: a quarter of the cycles left
   * never runs past the deadline by much, and the runs converge on it. */
  return left == UINT64_MAX ? left : left / 4 + 1;
}

void timers_expire(struct process *p) {
  if (!deterministic(p))
    return;
  timerfd_expire(p);
  for (int k = 0; k < 3; k++) {
    uint64_t *next = &p->sig->timers.cycles[k].next;
    uint64_t interval = p->sig->timers.cycles[k].interval;
    if (!*next || p->cpu.cycles < *next)
      continue;
    struct guest_siginfo info;
    memset(&info, 0, sizeof info);
    info.signo = itimer_signal[k];
    info.code = SI_KERNEL;
    sigqueue_send(p, &info, false);
    /* Periods missed while the signal was pending collapse into one. */
    if (!interval)
      *next = 0;
    else
      while (*next <= p->cpu.cycles)
        *next += interval;
  }
}

/* --- POSIX timers ----------------------------------------------------- */

/* struct sigevent as the guest lays it out (64 bytes). */
struct guest_sigevent {
  uint64_t value;
  int32_t signo, notify;
  int32_t tid;
  int32_t pad[11];
};

static struct guest_timer *timer_of(struct process *p, uint64_t id) {
  for (int k = 0; k < GUEST_TIMER_MAX; k++)
    if (p->sig->timers.posix[k].used &&
        (uint64_t)p->sig->timers.posix[k].id == id)
      return &p->sig->timers.posix[k];
  return NULL;
}

/* Linux numbers a process's timers from a counter (posix_timer_add): the
 * next id not in use at or after the last one given, from 0 again after
 * INT_MAX; an id is not reused at once after timer_delete. */
static int next_timer_id(struct process *p) {
  struct timer_state *ts = &p->sig->timers;
  for (;;) {
    int id = ts->next_id;
    ts->next_id = id == INT32_MAX ? 0 : id + 1;
    if (!timer_of(p, (uint64_t)id))
      return id;
  }
}

/* A free slot holds the host timer; the guest's id is the next of its
 * counter. */
int64_t sys_timer_create(struct process *p, const uint64_t a[6]) {
  struct guest_sigevent ev;
  int slot = 0;
  while (slot < GUEST_TIMER_MAX && p->sig->timers.posix[slot].used)
    slot++;
  if (slot == GUEST_TIMER_MAX)
    return -EAGAIN;
  if (a[1]) {
    if (copy_from_guest(&p->mmu, &ev, a[1], sizeof ev) < 0)
      return -EFAULT;
  } else { /* SIGEV_SIGNAL, SIGALRM, si_value = the timer id (below) */
    memset(&ev, 0, sizeof ev);
    ev.notify = SIGEV_SIGNAL;
    ev.signo = SIGALRM;
  }
  if (ev.notify != SIGEV_SIGNAL && ev.notify != SIGEV_NONE &&
      ev.notify != SIGEV_THREAD_ID)
    return -EINVAL;
  if (ev.notify != SIGEV_NONE && (ev.signo < 1 || ev.signo > 64))
    return -EINVAL;
  if (ev.notify == SIGEV_THREAD_ID && ev.tid != p->tid)
    return -EINVAL;
  struct sigevent host;
  memset(&host, 0, sizeof host);
  host.sigev_notify = ev.notify;
  host.sigev_signo = ev.signo;
  host.sigev_value.sival_ptr = (void *)(uintptr_t)(TIMER_TAG | (unsigned)slot);
  if (ev.notify == SIGEV_THREAD_ID)
    host._sigev_un._tid = gettid();
  struct guest_timer *t = &p->sig->timers.posix[slot];
  if (timer_create((clockid_t)a[0], &host, &t->host) < 0)
    return -errno;
  int32_t id = next_timer_id(p);
  if (copy_to_guest(&p->mmu, a[2], &id, sizeof id) < 0) {
    timer_delete(t->host);
    return -EFAULT;
  }
  if (!a[1])
    ev.value = (uint64_t)id;
  t->used = true;
  t->id = id;
  t->notify = ev.notify;
  t->signo = ev.signo;
  t->value = ev.value;
  return 0;
}

int64_t sys_timer_settime(struct process *p, const uint64_t a[6]) {
  struct guest_timer *t = timer_of(p, a[0]);
  struct itimerspec v, old;
  if (!a[2])
    return -EINVAL;
  if (copy_from_guest(&p->mmu, &v, a[2], sizeof v) < 0)
    return -EFAULT;
  if (!t)
    return -EINVAL;
  if (timer_settime(t->host, (int)a[1] & TIMER_ABSTIME, &v, &old) < 0)
    return -errno;
  if (a[3] && copy_to_guest(&p->mmu, a[3], &old, sizeof old) < 0)
    return -EFAULT;
  return 0;
}

int64_t sys_timer_gettime(struct process *p, const uint64_t a[6]) {
  struct guest_timer *t = timer_of(p, a[0]);
  struct itimerspec v;
  if (!t)
    return -EINVAL;
  if (timer_gettime(t->host, &v) < 0)
    return -errno;
  return copy_to_guest(&p->mmu, a[1], &v, sizeof v) < 0 ? -EFAULT : 0;
}

int64_t sys_timer_getoverrun(struct process *p, const uint64_t a[6]) {
  struct guest_timer *t = timer_of(p, a[0]);
  if (!t)
    return -EINVAL;
  return t->overrun;
}

static void delete_timer(struct guest_timer *t) {
  timer_delete(t->host);
  t->used = false;
}

int64_t sys_timer_delete(struct process *p, const uint64_t a[6]) {
  struct guest_timer *t = timer_of(p, a[0]);
  if (!t)
    return -EINVAL;
  delete_timer(t);
  return 0;
}

/* A timer has one signal queued at most (its preallocated sigqueue in
 * Linux): an expiry while it is still pending counts as an overrun. */
static struct guest_siginfo *queued_for(struct sigpending_queue *q, int id) {
  for (int k = 0; k < q->n; k++)
    if (q->q[k].code == SI_TIMER && q->q[k].u.kill.pid == id)
      return &q->q[k];
  return NULL;
}

bool timers_host_signal(struct process *p, struct guest_siginfo *info) {
  uint64_t tag = info->u.kill.value;
  if ((tag & TIMER_TAG_MASK) != TIMER_TAG)
    return true; /* another process's sigqueue that looks like a timer */
  unsigned slot = tag & 0xffff;
  if (slot >= GUEST_TIMER_MAX || !p->sig->timers.posix[slot].used)
    return false;
  struct guest_timer *t = &p->sig->timers.posix[slot];
  if (t->signo != info->signo)
    return false;
  int id = t->id;
  info->u.kill.pid = id; /* si_timerid */
  info->u.kill.value = t->value;
  struct guest_siginfo *queued = queued_for(&p->sig->shared_pending, id);
  if (!queued)
    queued = queued_for(&p->pending, id);
  if (queued) {
    queued->u.kill.uid += 1 + info->u.kill.uid; /* si_overrun */
    t->overrun = (int)queued->u.kill.uid;
    return false;
  }
  t->overrun = (int)info->u.kill.uid;
  return true;
}

void timers_exec(struct process *p) {
  for (int k = 0; k < GUEST_TIMER_MAX; k++)
    if (p->sig->timers.posix[k].used)
      delete_timer(&p->sig->timers.posix[k]);
}

void timers_fork_child(struct process *p) {
  memset(&p->sig->timers, 0, sizeof p->sig->timers);
}
