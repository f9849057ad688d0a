/* How threads end: exit (one thread: CLONE_CHILD_CLEARTID's word cleared
 * and woken, the robust futexes it holds released) and the group's end
 * (exit_group, a fatal signal, the last thread's exit), which stops every
 * other thread (Linux's do_group_exit and zap_other_threads). */
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../process.h"
#include "../strace.h"
#include "thread_internal.h"

static uint32_t group_done; /* futex: the leader waits for the end */

void thread_exit_fork_child(void) { group_done = 0; }

/* The host address of an aligned guest word, faulting it in. */
static uint32_t *word_host(struct process *p, uint64_t addr) {
  uint32_t v;
  if ((addr & 3) || copy_from_guest(&p->mmu, &v, addr, sizeof v) < 0)
    return NULL;
  uint64_t paddr;
  if (mmu_translate(&p->mmu, addr, MMU_WRITE, &paddr))
    return NULL;
  return (uint32_t *)mmu_phys(&p->mmu, paddr);
}

static void futex_wake_word(struct process *p, uint64_t addr) {
  uint32_t *w = word_host(p, addr);
  if (w && det_threads(p)) {
    det_futex_wake(w, FUTEX_BITSET_MATCH_ANY, 1);        /* emu's own queues */
    syscall(SYS_futex, w, FUTEX_WAKE, 1, NULL, NULL, 0); /* other processes */
  } else if (w) {
    syscall(SYS_futex, w, FUTEX_WAKE, 1, NULL, NULL, 0);
    syscall(SYS_futex, w, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
  }
}

/* exit_robust_list (kernel/futex/core.c): each futex on the list that
 * this thread owns gets FUTEX_OWNER_DIED, and one waiter is woken. */
#define ROBUST_LIST_LIMIT 2048
static void release_robust(struct process *p) {
  struct {
    uint64_t next;
    int64_t offset;
    uint64_t pending;
  } head;
  if (!p->robust_list ||
      copy_from_guest(&p->mmu, &head, p->robust_list, sizeof head) < 0)
    return;
  uint64_t entry = head.next;
  for (int n = 0; n < ROBUST_LIST_LIMIT && entry != p->robust_list; n++) {
    uint64_t next;
    if (copy_from_guest(&p->mmu, &next, entry & ~1ull, sizeof next) < 0)
      return;
    uint64_t uaddr = (entry & ~1ull) + (uint64_t)head.offset;
    if (entry != head.pending) {
      uint32_t *w = word_host(p, uaddr);
      uint32_t old = w ? __atomic_load_n(w, __ATOMIC_SEQ_CST) : 0;
      while (w && (old & FUTEX_TID_MASK) == (uint32_t)p->tid) {
        uint32_t nv = (old & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
        if (__atomic_compare_exchange_n(w, &old, nv, false, __ATOMIC_SEQ_CST,
                                        __ATOMIC_SEQ_CST)) {
          if (old & FUTEX_WAITERS)
            futex_wake_word(p, uaddr);
          break;
        }
      }
    }
    entry = next;
  }
}

void thread_release_shared(struct process *t) {
  if (t->files && --t->files->refs == 0) {
    for (int k = 0; k < FD_MAX; k++)
      if (t->files->fds[k].host_fd >= 0)
        fd_close(t, k);
    free(t->files);
  }
  if (t->fs && --t->fs->refs == 0)
    free(t->fs);
  if (t->sighand)
    t->sighand->refs--;
  t->files = NULL;
  t->fs = NULL;
}

void thread_group_exit(struct process *p, int status, int sig) {
  struct signal_shared *s = p->sig;
  if (s->group_exit)
    return;
  s->group_exit = true;
  s->group_status = status;
  s->group_signal = sig;
  for (int k = 0; k < thread_count(); k++) {
    struct process *t = thread_find_index(k);
    if (t != p)
      thread_kick(t);
  }
  __atomic_store_n(&group_done, 1, __ATOMIC_RELEASE);
  syscall(SYS_futex, &group_done, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

/* mm_release: the word at clear_child_tid becomes 0 and a joiner wakes. */
static void clear_child_tid(struct process *p) {
  if (!p->clear_child_tid)
    return;
  uint32_t zero = 0;
  if (copy_to_guest(&p->mmu, p->clear_child_tid, &zero, sizeof zero) == 0)
    futex_wake_word(p, p->clear_child_tid);
}

/* strace -f's line for a thread that ends: its own exit status, or the
 * group's end that took it. */
static void trace_thread_end(struct process *p) {
  if (!p->opt || !p->opt->strace)
    return;
  struct signal_shared *s = p->sig;
  if (s->group_exit && s->group_signal)
    strace_killed(p, s->group_signal);
  else
    strace_exited(p, s->group_exit ? s->group_status : p->exit_status);
}

static _Noreturn void end_host_thread(struct process *p) {
  trace_thread_end(p);
  struct signal_shared *s = p->sig;
  s->ended.instret += p->cpu.instret;
  s->ended.cycles += p->cpu.cycles - p->start_cycles;
  s->ended.tlb_hits += p->mmu.stats.tlb_hits;
  s->ended.tlb_misses += p->mmu.stats.tlb_misses;
  s->ended.page_walks += p->mmu.stats.page_walks;
  s->ended.cycles -= p->det_skipped;
  bool det = det_threads(p);
  thread_remove(p);
  if (det)
    det_leave(p);
  mmu_detach(&p->mmu);
  cpu_destroy(&p->cpu);
  free(p->pending.q); /* signals sent to the thread that it never took */
  p->pending = (struct sigpending_queue){0};
  strace_thread_done();
  thread_release_shared(p);
  if (p->thread->own_opt)
    free(p->opt);
  free(p->thread);
  thread_recycle(p);
  kernel_unlock();
  pthread_exit(NULL);
}

/* The leader's host thread is emu's main thread: out of the process's
 * threads (a zombie leader), it waits for the group to end. */
static void leader_waits(struct process *p) {
  bool det = det_threads(p);
  thread_remove(p);
  if (det)
    det_leave(p);
  mmu_detach(&p->mmu);
  kernel_unlock();
  while (!__atomic_load_n(&group_done, __ATOMIC_ACQUIRE))
    syscall(SYS_futex, &group_done, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
  kernel_lock();
}

void thread_exec_zap(struct process *p) {
  if (thread_count() <= 1)
    return;
  p->sig->exec_zapper = p;
  for (int k = 0; k < thread_count(); k++) {
    struct process *t = thread_find_index(k);
    if (t != p)
      thread_kick(t);
  }
  while (thread_count() > 1) {
    thread_sleep_begin(p);
    sched_yield();
    thread_sleep_end(p);
  }
  p->sig->exec_zapper = NULL;
  /* The execing thread becomes the leader as far as the guest sees:
   * its tid is the pid (de_thread's exchange_tids). */
  p->tid = p->pid;
}

void thread_finish(struct process *p) {
  if (p->sig->exec_zapper && p->sig->exec_zapper != p && !p->sig->group_exit) {
    if (!p->thread->leader)
      end_host_thread(p);
    leader_waits(p);
  } else if (!p->sig->group_exit && p->exited) {
    if (p->exit_thread && thread_count() > 1) {
      release_robust(p);
      clear_child_tid(p);
      if (!p->thread->leader)
        end_host_thread(p);
      leader_waits(p);
    } else {
      thread_group_exit(p, p->exit_status, p->fatal_signal);
    }
  }
  if (!p->thread->leader)
    end_host_thread(p);
  /* The others end first, as Linux's group exit reaps them before the
   * leader (their strace -f lines come before its own); a thread stuck
   * in a host call that no signal ends is not waited for past a
   * second. */
  for (int n = 0; thread_count() > 1 && n < 1000; n++) {
    thread_sleep_begin(p);
    usleep(1000);
    thread_sleep_end(p);
  }
  /* The leader returns to main with the kernel lock, which it keeps:
   * no other thread enters the kernel while emu finishes. */
  p->exit_status = p->sig->group_status;
  p->fatal_signal = p->sig->group_signal;
}
