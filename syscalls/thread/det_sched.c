/* --deterministic with threads: the guest's threads still have their
 * host threads, but exactly one runs at a time, and which one runs, and
 * for how long, depends only on the guest: a thread runs a quantum of
 * DET_QUANTUM instructions (or until it blocks, yields or ends), then
 * hands the baton to the next runnable thread in creation order. The
 * holder keeps the kernel lock while it runs guest code. Every wait that
 * another guest thread can end is emu's own: futex waits are FIFO queues
 * (a wake makes its waiters runnable in order), sleeps and timeouts are
 * deadlines on the virtual clock, which is one timeline for the process
 * (a thread takes the baton at the time its predecessor gave it up: a
 * uniprocessor's clock), and polls look at their host descriptors at
 * every hand-over. So a program whose threads meet through memory,
 * futexes, pipes and the like repeats its output, --strace and --stats
 * byte for byte. Only when nothing can run does a wait sleep on the host
 * (a read of a terminal, a wait for a child): the thread gives the baton
 * up and joins again at the holder's next quantum end, so input from
 * outside stays as deterministic as its arrival. */
#include <errno.h>
#include <linux/futex.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../process.h"
#include "thread_internal.h"

#define DET_QUANTUM 20000

/* Who may run (NULL: nobody, the next thread that wakes from a host
 * sleep takes it). Under the kernel lock. */
static struct process *baton;
static uint64_t timeline; /* the process's virtual time, in cycles */

struct det_waiter {
  struct process *t;
  uint32_t *word;   /* a futex word; NULL for a sleep or a poll */
  uint32_t **words; /* futex_waitv's words (nwords), or NULL */
  int nwords;
  uint32_t bitset;
  /* A poll: true when its host descriptors are ready (looked at, never
   * consumed, at every hand-over). */
  bool (*ready)(void *ctx);
  void *ctx;
  uint64_t guest_mask; /* the signals the wait is not ended by */
  bool pi, handed;     /* a PI lock's waiter; the lock handed to it */
  uint64_t deadline;   /* on the timeline; UINT64_MAX: none */
  int64_t result;      /* 0 when woken or ready, -ETIMEDOUT, -EINTR, -EAGAIN */
  bool queued;
  struct det_waiter *next;
};
static struct det_waiter *queue_head;

/* Threads back from a host sleep that want in: the baton's holder lets
 * them register at its quantum's end (det_maybe_switch), so when they
 * join depends on the guest's instruction count, not on where the
 * holder happened to be. */
static uint32_t arriving;

bool det_threads(const struct process *p) {
  return p->opt && p->opt->deterministic && thread_count() > 1;
}

static bool runnable(const struct process *t) {
  return !t->det_blocked && !t->host_sleeping;
}

/* Make t able to take the baton (it waits in det_wait_turn). */
static void give(struct process *t) {
  baton = t;
  if (t) {
    __atomic_add_fetch(&t->det_turn, 1, __ATOMIC_RELEASE);
    syscall(SYS_futex, &t->det_turn, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
  }
}

/* The next runnable thread after p in creation order, p itself last. */
static struct process *next_runnable(struct process *p) {
  int n = thread_count(), at = -1;
  for (int k = 0; k < n; k++)
    if (thread_find_index(k) == p)
      at = k;
  for (int k = 1; k <= n; k++) {
    struct process *t = thread_find_index((at + k + n) % n);
    if (runnable(t) && !(t == p && p->exited))
      return t;
  }
  return NULL;
}

static void wake_waiter(struct det_waiter *w, int64_t result) {
  for (struct det_waiter **l = &queue_head; *l; l = &(*l)->next)
    if (*l == w) {
      *l = w->next;
      break;
    }
  w->queued = false;
  w->result = result;
  w->t->det_blocked = false;
}

static bool any_runnable(void) {
  for (int k = 0; k < thread_count(); k++)
    if (runnable(thread_find_index(k)))
      return true;
  return false;
}

/* At every hand-over: polls whose descriptors became ready wake; with
 * nobody runnable, time moves on to the earliest deadline, as an idle
 * CPU's clock does, and with no deadline at all the polls go to sleep
 * on the host (-EAGAIN): only input from outside can wake them. */
static void wake_due(void) {
  for (struct det_waiter *w = queue_head, *next; w; w = next) {
    next = w->next;
    if (w->ready && w->ready(w->ctx))
      wake_waiter(w, 0);
  }
  if (any_runnable())
    goto expire;
  uint64_t first = UINT64_MAX;
  for (struct det_waiter *w = queue_head; w; w = w->next)
    if (w->deadline < first)
      first = w->deadline;
  if (first != UINT64_MAX) {
    if (first > timeline)
      timeline = first;
  } else {
    for (struct det_waiter *w = queue_head, *next; w; w = next) {
      next = w->next;
      if (w->ready)
        wake_waiter(w, -EAGAIN);
    }
  }
expire:
  for (struct det_waiter *w = queue_head, *next; w; w = next) {
    next = w->next;
    if (w->deadline <= timeline)
      wake_waiter(w, -ETIMEDOUT);
  }
}

/* A parked waiter that a signal from outside (or a group exit) should
 * end: its wait ends with -EINTR and, if nobody holds the baton, it
 * takes it. */
static void check_interrupt(struct process *p, struct det_waiter *w) {
  if (!w || !w->queued || !host_wait_signalled(p, w->guest_mask))
    return;
  wake_waiter(w, -EINTR);
  if (!baton)
    give(p);
}

/* Wait, without the kernel lock, until the baton is this thread's. */
static void wait_turn(struct process *p, struct det_waiter *w) {
  while (__atomic_load_n(&baton, __ATOMIC_ACQUIRE) != p) {
    uint32_t seen = __atomic_load_n(&p->det_turn, __ATOMIC_ACQUIRE);
    kernel_unlock();
    if (__atomic_load_n(&baton, __ATOMIC_ACQUIRE) != p)
      syscall(SYS_futex, &p->det_turn, FUTEX_WAIT_PRIVATE, seen, NULL, NULL, 0);
    kernel_lock();
    check_interrupt(p, w);
  }
  if (timeline > p->cpu.cycles) {
    p->det_skipped += timeline - p->cpu.cycles; /* others ran meanwhile */
    p->cpu.cycles = timeline;
  }
  p->det_quantum_end = p->cpu.instret + DET_QUANTUM;
}

static void hand_over(struct process *p) {
  timeline = p->cpu.cycles > timeline ? p->cpu.cycles : timeline;
  wake_due();
  give(next_runnable(p));
}

void det_start(struct process *t) {
  kernel_lock();
  wait_turn(t, NULL);
}

void det_first(struct process *p) {
  baton = p;
  timeline = p->cpu.cycles;
  p->det_quantum_end = p->cpu.instret + DET_QUANTUM;
}

uint64_t det_budget(struct process *p, uint64_t budget) {
  if (!det_threads(p))
    return budget;
  uint64_t left = p->det_quantum_end > p->cpu.instret
                      ? p->det_quantum_end - p->cpu.instret
                      : 1;
  return left < budget ? left : budget;
}

void det_maybe_switch(struct process *p) {
  /* A thread on its way out keeps the baton until det_leave. */
  if (!det_threads(p) || p->cpu.instret < p->det_quantum_end || p->exited ||
      thread_must_stop(p))
    return;
  /* Let the threads back from host sleeps in first. */
  for (uint32_t n; (n = __atomic_load_n(&arriving, __ATOMIC_ACQUIRE));) {
    kernel_unlock();
    syscall(SYS_futex, &arriving, FUTEX_WAIT_PRIVATE, n, NULL, NULL, 0);
    kernel_lock();
  }
  hand_over(p);
  wait_turn(p, NULL);
}

void det_yield(struct process *p) {
  p->det_quantum_end = p->cpu.instret;
  det_maybe_switch(p);
}

void det_sleep_begin(struct process *p) {
  hand_over(p); /* p is host_sleeping now: not runnable */
}

void det_arriving(void) { __atomic_add_fetch(&arriving, 1, __ATOMIC_RELEASE); }

void det_sleep_end(struct process *p) {
  if (!__atomic_sub_fetch(&arriving, 1, __ATOMIC_RELEASE))
    syscall(SYS_futex, &arriving, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
  if (!det_threads(p))
    return;
  if (!baton)
    give(p);
  wait_turn(p, NULL);
}

void det_leave(struct process *p) { hand_over(p); }

void det_kick(struct process *t) {
  for (struct det_waiter *w = queue_head; w; w = w->next)
    if (w->t == t) {
      if ((sigqueue_pending(t) & ~w->guest_mask) || thread_must_stop(t))
        wake_waiter(w, -EINTR);
      return;
    }
}

/* Queue w (FIFO), give the baton away, and wait for a wake, a deadline
 * on the timeline, readiness, or a signal; then for the baton again. */
static int64_t block(struct process *p, struct det_waiter *w,
                     int64_t timeout_ns) {
  w->t = p;
  w->deadline = UINT64_MAX;
  if (timeout_ns >= 0)
    w->deadline = p->cpu.cycles + (uint64_t)timeout_ns;
  w->queued = true;
  struct det_waiter **l = &queue_head;
  while (*l)
    l = &(*l)->next;
  *l = w;
  p->det_blocked = true;
  hand_over(p);
  wait_turn(p, w);
  if (w->queued)
    wake_waiter(w, -EINTR);
  return w->result;
}

int64_t det_futex_wait(struct process *p, uint32_t *word, uint32_t val,
                       uint32_t bitset, int64_t timeout_ns) {
  if (__atomic_load_n(word, __ATOMIC_SEQ_CST) != val)
    return -EAGAIN;
  struct det_waiter w = {
      .word = word, .bitset = bitset, .guest_mask = p->sigmask};
  return block(p, &w, timeout_ns);
}

int64_t det_sleep(struct process *p, int64_t ns, uint64_t *left_ns) {
  struct det_waiter w = {.guest_mask = p->sigmask};
  uint64_t start = p->cpu.cycles;
  int64_t r = block(p, &w, ns);
  uint64_t slept = p->cpu.cycles - start;
  *left_ns = r == -EINTR && (uint64_t)ns > slept ? (uint64_t)ns - slept : 0;
  return r == -EINTR ? -EINTR : 0;
}

int64_t det_poll_wait(struct process *p, bool (*ready)(void *ctx), void *ctx,
                      int64_t timeout_ns, uint64_t guest_mask) {
  struct det_waiter w = {.ready = ready, .ctx = ctx, .guest_mask = guest_mask};
  return block(p, &w, timeout_ns);
}

int64_t det_futex_wake(uint32_t *word, uint32_t bitset, int n) {
  int woken = 0;
  for (struct det_waiter *w = queue_head, *next; w && woken < n; w = next) {
    next = w->next;
    if (w->word == word && (w->bitset & bitset)) {
      wake_waiter(w, 0);
      woken++;
    }
    for (int k = 0; k < w->nwords && w->queued && woken < n; k++)
      if (w->words[k] == word) {
        wake_waiter(w, k); /* futex_waitv returns the word's index */
        woken++;
      }
  }
  return woken;
}

int64_t det_futex_requeue(uint32_t *word, uint32_t *to, int wake, int move) {
  int woken = (int)det_futex_wake(word, FUTEX_BITSET_MATCH_ANY, wake);
  int moved = 0;
  for (struct det_waiter *w = queue_head; w && moved < move; w = w->next)
    if (w->word == word) {
      w->word = to;
      moved++;
    }
  return woken + moved;
}

/* Priority-inheritance locks (kernel/futex/pi.c) on emu's queues: the
 * word holds the owner's tid; a waiter sets FUTEX_WAITERS and queues;
 * an unlock hands the lock straight to the first waiter, as Linux does
 * (the word becomes its tid, FUTEX_WAITERS kept while others wait). */
static bool others_wait(uint32_t *word, const struct det_waiter *except) {
  for (struct det_waiter *w = queue_head; w; w = w->next)
    if (w->word == word && w != except)
      return true;
  return false;
}

int64_t det_futex_lock_pi(struct process *p, uint32_t *word, bool try,
                          int64_t timeout_ns) {
  uint32_t tid = (uint32_t)p->tid;
  for (;;) {
    uint32_t v = __atomic_load_n(word, __ATOMIC_SEQ_CST);
    if ((v & FUTEX_TID_MASK) == tid)
      return -EDEADLK;
    if (!(v & FUTEX_TID_MASK)) {
      /* Free, or its owner died: take it, keeping FUTEX_OWNER_DIED. */
      uint32_t nv = (v & FUTEX_OWNER_DIED) | tid |
                    (others_wait(word, NULL) ? FUTEX_WAITERS : 0);
      if (__atomic_compare_exchange_n(word, &v, nv, false, __ATOMIC_SEQ_CST,
                                      __ATOMIC_SEQ_CST))
        return 0;
      continue;
    }
    if (try)
      return -EBUSY;
    if (!(v & FUTEX_WAITERS) &&
        !__atomic_compare_exchange_n(word, &v, v | FUTEX_WAITERS, false,
                                     __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
      continue;
    struct det_waiter w = {.word = word,
                           .bitset = FUTEX_BITSET_MATCH_ANY,
                           .pi = true,
                           .guest_mask = p->sigmask};
    int64_t r = block(p, &w, timeout_ns);
    if (r == 0 && w.handed)
      return 0;
    if (r == -ETIMEDOUT)
      return r;
    if (r == -EINTR) /* the handler runs, then the lock is tried again */
      return -ERESTARTNOINTR;
    if (timeout_ns >= 0 && p->cpu.cycles >= w.deadline)
      return -ETIMEDOUT;
    if (timeout_ns >= 0)
      timeout_ns = (int64_t)(w.deadline - p->cpu.cycles);
  }
}

int64_t det_futex_unlock_pi(struct process *p, uint32_t *word) {
  uint32_t v = __atomic_load_n(word, __ATOMIC_SEQ_CST);
  if ((v & FUTEX_TID_MASK) != (uint32_t)p->tid)
    return -EPERM;
  struct det_waiter *next = NULL;
  for (struct det_waiter *w = queue_head; w && !next; w = w->next)
    if (w->word == word && w->pi)
      next = w;
  if (!next) {
    __atomic_store_n(word, 0, __ATOMIC_SEQ_CST);
    return 0;
  }
  uint32_t nv =
      (uint32_t)next->t->tid | (others_wait(word, next) ? FUTEX_WAITERS : 0);
  __atomic_store_n(word, nv, __ATOMIC_SEQ_CST);
  next->handed = true;
  wake_waiter(next, 0);
  return 0;
}

/* futex_waitv: one waiter on several words; a wake on any of them ends
 * it with that word's index. */
int64_t det_futex_waitv(struct process *p, uint32_t **words,
                        const uint32_t *vals, int n, int64_t timeout_ns) {
  for (int k = 0; k < n; k++)
    if (__atomic_load_n(words[k], __ATOMIC_SEQ_CST) != vals[k])
      return -EAGAIN;
  struct det_waiter w = {.words = words, .nwords = n, .guest_mask = p->sigmask};
  return block(p, &w, timeout_ns);
}
