/* The pending-signal queues (kernel/signal.c): __send_signal_locked
 * queues, dequeue_signal takes in Linux's order, flush_sigqueue_mask
 * discards. One queue is the thread's (tkill, tgkill, faults), one the
 * process's (kill, sigqueue); a signal can be pending in both. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "../process.h"

#define K_SIGRTMIN 32
#define BIT(sig) (1ull << ((sig)-1))
/* Delivered before any other pending signal (kernel/signal.c:
 * SYNCHRONOUS_MASK): a fault must reach its handler first. */
#define SYNCHRONOUS_MASK                                                       \
  (BIT(SIGSEGV) | BIT(SIGBUS) | BIT(SIGILL) | BIT(SIGTRAP) | BIT(SIGFPE) |     \
   BIT(SIGSYS))

static int queued_total(const struct process *p) {
  return p->pending.n + p->sig->shared_pending.n;
}

static bool push(struct sigpending_queue *q, const struct guest_siginfo *info) {
  if (q->n == q->cap) {
    int cap = q->cap ? q->cap * 2 : 8;
    struct guest_siginfo *nq = realloc(q->q, (size_t)cap * sizeof *nq);
    if (!nq)
      return false;
    q->q = nq;
    q->cap = cap;
  }
  q->q[q->n++] = *info;
  return true;
}

int sigqueue_send(struct process *p, const struct guest_siginfo *info,
                  bool to_thread) {
  int sig = info->signo;
  struct sigpending_queue *q =
      to_thread ? &p->pending : &p->sig->shared_pending;
  /* legacy_queue: a standard signal already pending is not queued again. */
  if (sig < K_SIGRTMIN && (q->mask & BIT(sig)))
    return 0;
  /* __sigqueue_alloc: real-time signals count against RLIMIT_SIGPENDING;
   * standard ones from kill or the kernel (si_code >= 0) may exceed it. */
  bool override = sig < K_SIGRTMIN && info->code >= 0;
  bool room =
      override || (uint64_t)queued_total(p) < rlimit_cur(RLIMIT_SIGPENDING);
  /* Over the limit, sigqueue fails; other senders lose only the
   * siginfo (the signal is still pending). SIGKILL needs none. */
  if ((sig == SIGKILL || !room || !push(q, info)) && sig >= K_SIGRTMIN &&
      info->code != SI_USER)
    return -EAGAIN;
  q->mask |= BIT(sig);
  signalfd_notify(p);
  return 0;
}

/* collect_signal: the first queued instance of sig, and whether another
 * remains; a signal pending without a queued siginfo reads as SI_USER
 * from pid 0. */
static void collect(struct sigpending_queue *q, int sig,
                    struct guest_siginfo *info) {
  int first = -1;
  bool more = false;
  for (int k = 0; k < q->n; k++) {
    if (q->q[k].signo != sig)
      continue;
    if (first < 0)
      first = k;
    else {
      more = true;
      break;
    }
  }
  if (!more)
    q->mask &= ~BIT(sig);
  if (first < 0) {
    memset(info, 0, sizeof *info);
    info->signo = sig;
    info->code = SI_USER;
    return;
  }
  *info = q->q[first];
  memmove(&q->q[first], &q->q[first + 1],
          (size_t)(q->n - first - 1) * sizeof *q->q);
  q->n--;
}

/* next_signal: a synchronous signal first, then the lowest number. */
static int next_signal(uint64_t ready) {
  uint64_t sync = ready & SYNCHRONOUS_MASK;
  if (sync)
    ready = sync;
  return ready ? __builtin_ctzll(ready) + 1 : 0;
}

int sigqueue_dequeue(struct process *p, uint64_t blocked,
                     struct guest_siginfo *info) {
  struct sigpending_queue *q = &p->pending;
  int sig = next_signal(q->mask & ~blocked);
  if (!sig) {
    q = &p->sig->shared_pending;
    sig = next_signal(q->mask & ~blocked);
  }
  if (sig) {
    collect(q, sig, info);
    signalfd_notify(p);
  }
  return sig;
}

static void flush_queue(struct sigpending_queue *q, uint64_t set) {
  int kept = 0;
  for (int k = 0; k < q->n; k++)
    if (!(set & BIT(q->q[k].signo)))
      q->q[kept++] = q->q[k];
  q->n = kept;
  q->mask &= ~set;
}

void sigqueue_flush(struct process *p, uint64_t set) {
  flush_queue(&p->pending, set);
  flush_queue(&p->sig->shared_pending, set);
  signalfd_notify(p);
}

void sigqueue_free(struct process *p) {
  free(p->pending.q);
  free(p->sig->shared_pending.q);
  memset(&p->pending, 0, sizeof p->pending);
  memset(&p->sig->shared_pending, 0, sizeof p->sig->shared_pending);
}
