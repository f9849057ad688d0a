/* Signals that reach emu's host process from outside (kill, a terminal's
 * ^C, SIGCHLD, the host timers that carry the guest's itimers and POSIX
 * timers) are the guest's: a host handler records each with its siginfo
 * in a ring and stops the CPU at the next block boundary; the run loop
 * (or a wait in host_wait.c) moves them into the guest's pending queues,
 * where signal_check delivers them as it delivers any other.
 *
 * The ring has one producer, the handler, and one consumer that runs
 * with the asynchronous signals blocked (host_signals_take), all on one
 * thread: the handler never runs while the consumer does, and handlers
 * do not nest (sa_mask holds every forwarded signal). */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "../process.h"
#include "../strace.h"
#include "../thread/thread_internal.h"

#define RING_SIZE 256
#define BIT(sig) (1ull << ((sig)-1))

/* With threads, the handler may run on any of them at once (sa_mask
 * only keeps it from nesting on one), and the consumer is whichever
 * thread holds the kernel lock: the ring takes a spinlock, which a
 * consumer holds only with the signals blocked on its own thread. */
struct ring_entry {
  siginfo_t si;
  int tid; /* the host thread it arrived on (thread-directed ones) */
};
static struct ring_entry ring[RING_SIZE];
static unsigned ring_head, ring_tail;
static int ring_lock;
static sigset_t async_set;
__thread sigjmp_buf *volatile host_signal_jump;

static void lock_ring(void) {
  while (__atomic_exchange_n(&ring_lock, 1, __ATOMIC_ACQUIRE))
    continue;
}

static void unlock_ring(void) {
  __atomic_store_n(&ring_lock, 0, __ATOMIC_RELEASE);
}

/* The faults of emu's own code stay emu's: a real one (si_code > 0)
 * would fault again on return. Sent by a process, they are the guest's. */
static bool is_fault(int sig) {
  return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE ||
         sig == SIGTRAP;
}

static bool is_kick(const siginfo_t *si) {
  return si->si_signo == THREAD_KICK_SIGNAL && si->si_code == SI_QUEUE &&
         si->si_pid == getpid() &&
         (uint64_t)(uintptr_t)si->si_value.sival_ptr == THREAD_KICK_VALUE;
}

static void on_host_signal(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  if (is_fault(sig) && si->si_code > 0) {
    signal(sig, SIG_DFL); /* emu's own crash: die of it on return */
    return;
  }
  struct process *self = thread_self();
  if (is_kick(si)) {
    if (self) {
      self->cpu.interrupt = 1;
      self->cpu.run_until = 0;
    }
  } else {
    lock_ring();
    unsigned h = ring_head;
    if (h - ring_tail < RING_SIZE) {
      ring[h % RING_SIZE].si = *si;
      ring[h % RING_SIZE].tid = self ? self->tid : 0;
      ring_head = h + 1;
    }
    unlock_ring();
    thread_interrupt_all();
  }
  /* A sleep with no mask argument (futex.c) armed this: leave it. */
  sigjmp_buf *j = host_signal_jump;
  if (j) {
    host_signal_jump = NULL;
    siglongjmp(*j, 1);
  }
}

void host_signals_init(struct process *p) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_host_signal;
  /* No SA_RESTART: a host call that blocks must return EINTR so that
   * its guest call can be interrupted. */
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&async_set);
  for (int sig = 1; sig < NSIG; sig++)
    if (sig != SIGKILL && sig != SIGSTOP && (sig < 32 || sig >= SIGRTMIN))
      sigaddset(&async_set, sig);
  sa.sa_mask = async_set;
  for (int sig = 1; sig < NSIG; sig++)
    if (sigismember(&async_set, sig))
      sigaction(sig, &sa, NULL);
  (void)p;
  ring_head = ring_tail = 0;
  sigprocmask(SIG_UNBLOCK, &async_set, NULL);
}

const sigset_t *host_signals_set(void) { return &async_set; }

/* do_notify_parent: when the parent's SIGCHLD action is SIG_IGN or has
 * SA_NOCLDWAIT, a child is reaped as it dies and wait finds none
 * (ECHILD). The host reaps emu's children for the guest when emu's own
 * action has SA_NOCLDWAIT; emu keeps its handler (never SIG_IGN), so a
 * wait sleeping in sigsuspend still wakes when the last child dies. */
void host_signals_child_action(const struct process *p) {
  const struct guest_sigaction *g = &p->sighand->sigactions[SIGCHLD - 1];
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_host_signal;
  sa.sa_flags = SA_SIGINFO;
  sa.sa_mask = async_set;
  if (g->handler == (uint64_t)SIG_IGN || (g->flags & SA_NOCLDWAIT))
    sa.sa_flags |= SA_NOCLDWAIT;
  sigaction(SIGCHLD, &sa, NULL);
}

void host_signals_fork_child(struct process *p) {
  ring_head = ring_tail = 0;
  ring_lock = 0;
  p->cpu.interrupt = 0;
}

/* Linux's prepare_signal and sig_ignored: SIGCONT discards pending stop
 * signals and a stop signal a pending SIGCONT; a signal the guest ignores
 * (and does not block) is dropped at once, so it never interrupts. */
static bool guest_wants(struct process *p, int sig) {
  const uint64_t stops =
      BIT(SIGSTOP) | BIT(SIGTSTP) | BIT(SIGTTIN) | BIT(SIGTTOU);
  if (sig == SIGCONT)
    sigqueue_flush(p, stops);
  else if (stops & BIT(sig))
    sigqueue_flush(p, BIT(SIGCONT));
  /* Blocked, it stays pending; traced (--strace stands for ptrace),
   * sig_ignored keeps it too, so that strace sees it. */
  if ((p->sigmask & BIT(sig)) || (p->opt && p->opt->strace))
    return true;
  uint64_t h = p->sighand->sigactions[sig - 1].handler;
  if (h == (uint64_t)SIG_IGN)
    return false;
  return !(h == (uint64_t)SIG_DFL && signal_default_ignored(sig));
}

/* do_notify_parent(_cldstop): a parent whose SIGCHLD action is SIG_IGN
 * gets no SIGCHLD from its children; one with SA_NOCLDSTOP none for a
 * stop or a continue. The host sent them because emu's own action says
 * neither (host_signals_child_action). */
static bool unwanted_child_signal(const struct process *p,
                                  const struct guest_siginfo *info) {
  const struct guest_sigaction *a = &p->sighand->sigactions[SIGCHLD - 1];
  if (info->signo != SIGCHLD || info->code <= 0)
    return false;
  if (a->handler == (uint64_t)SIG_IGN)
    return true;
  return (info->code == CLD_STOPPED || info->code == CLD_CONTINUED) &&
         (a->flags & SA_NOCLDSTOP);
}

static void forward(struct process *p, const siginfo_t *si, int tid) {
  struct guest_siginfo info;
  memcpy(&info, si, sizeof info); /* the x86-64 layout is the guest's */
  int sig = info.signo;
  if (sig < 1 || sig > 64 || unwanted_child_signal(p, &info))
    return;
  if (info.code == SI_TIMER && !timers_host_signal(p, &info))
    return; /* a host timer of emu's own, or a deleted guest timer */
  /* SIGPIPE and SIGXFSZ from a write go to the writing thread. */
  bool to_thread = (sig == SIGPIPE || sig == SIGXFSZ) && info.code == SI_USER &&
                   info.u.kill.pid == p->pid;
  struct process *t = to_thread ? thread_find(tid) : NULL;
  if (!t)
    t = p;
  if (!guest_wants(t, sig))
    return;
  sigqueue_send(t, &info, to_thread);
  if (!to_thread)
    thread_wake_for_signal(t, sig);
}

void host_signals_take(struct process *p) {
  p->cpu.interrupt = 0;
  for (;;) {
    lock_ring();
    if (ring_tail == ring_head) {
      unlock_ring();
      return;
    }
    struct ring_entry e = ring[ring_tail % RING_SIZE];
    ring_tail = ring_tail + 1;
    unlock_ring();
    forward(p, &e.si, e.tid);
  }
}

void host_signals_drain(struct process *p) {
  sigset_t old;
  sigprocmask(SIG_BLOCK, &async_set, &old);
  host_signals_take(p);
  sigprocmask(SIG_SETMASK, &old, NULL);
}

/* A stop signal's default action: emu stops as the guest would, by the
 * same signal at its default disposition (so the parent's wait sees
 * WSTOPSIG, and an orphaned process group discards it as Linux does),
 * until SIGCONT, which the handler then records for the guest. */
void host_signal_stop(struct process *p, int sig) {
  struct sigaction dfl, old;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  sigaction(sig, &dfl, &old);
  sigset_t one, saved;
  sigemptyset(&one);
  sigaddset(&one, sig);
  sigprocmask(SIG_UNBLOCK, &one, &saved);
  if (p->opt && p->opt->strace)
    strace_stopped(p, sig);
  raise(sig);
  sigprocmask(SIG_SETMASK, &saved, NULL);
  if (sig != SIGSTOP)
    sigaction(sig, &old, NULL);
}
