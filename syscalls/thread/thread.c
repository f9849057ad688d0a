/* Threads: clone with CLONE_VM | CLONE_THREAD. Each guest thread runs on
 * a host thread of emu's process (real parallelism), as its own virtual
 * CPU: its own struct cpu and decoded-block cache, its own TLB over the
 * shared page tables (mmu/shootdown.c). Guest tids are the host tids.
 *
 * The emulated kernel is entered by one thread at a time: the kernel
 * lock is taken when guest code traps and released when it runs again,
 * and around every host call that sleeps. Thread-local state (signal
 * mask, pending signals) is the task's; what the process shares is
 * behind the task's pointers (process.h). */
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../process.h"
#include "../strace.h"
#include "thread_internal.h"

#define MAX_THREADS MMU_MAX_CPUS

static pthread_mutex_t big_lock = PTHREAD_MUTEX_INITIALIZER;

void kernel_lock(void) { pthread_mutex_lock(&big_lock); }
void kernel_unlock(void) { pthread_mutex_unlock(&big_lock); }

bool kernel_lock_within(long ms) {
  struct timespec at;
  clock_gettime(CLOCK_REALTIME, &at);
  at.tv_nsec += ms * 1000000;
  at.tv_sec += at.tv_nsec / 1000000000;
  at.tv_nsec %= 1000000000;
  return pthread_mutex_timedlock(&big_lock, &at) == 0;
}

/* The live tasks of this process. Changed under the kernel lock; the
 * host signal handler reads it without (thread_interrupt_all), so a
 * task's memory is never freed, only reused (the spare list). */
static struct process *tasks[MAX_THREADS];
static int ntasks;
static struct process *spare;

static __thread struct process *this_task;

struct process *thread_self(void) {
  return this_task;
}

int thread_count(void) { return __atomic_load_n(&ntasks, __ATOMIC_RELAXED); }

struct process *thread_find(int tid) {
  for (int k = 0; k < ntasks; k++)
    if (tasks[k]->tid == tid)
      return tasks[k];
  return NULL;
}

static void add_task(struct process *t) {
  __atomic_store_n(&tasks[ntasks], t, __ATOMIC_RELEASE);
  __atomic_store_n(&ntasks, ntasks + 1, __ATOMIC_RELEASE);
}

struct process *thread_find_index(int k) {
  return tasks[k];
}

void thread_recycle(struct process *t) {
  *(struct process **)t = spare;
  spare = t;
}

void thread_remove(struct process *t) {
  for (int k = 0; k < ntasks; k++)
    if (tasks[k] == t) {
      __atomic_store_n(&tasks[k], tasks[ntasks - 1], __ATOMIC_RELEASE);
      __atomic_store_n(&ntasks, ntasks - 1, __ATOMIC_RELEASE);
      return;
    }
}

static void lock_queue(struct code_queue *q) {
  while (__atomic_exchange_n(&q->lock, 1, __ATOMIC_ACQUIRE))
    continue;
}

static void unlock_queue(struct code_queue *q) {
  __atomic_store_n(&q->lock, 0, __ATOMIC_RELEASE);
}

/* A page whose decoded code thread o must drop before it runs guest
 * code again (all of its code when the queue overflows). */
static void code_queue_push(struct process *o, uint64_t page) {
  struct code_queue *q = &o->code_queue;
  lock_queue(q);
  if (q->n < CODE_QUEUE_PAGES)
    q->pages[q->n++] = page;
  else
    q->flush = true;
  unlock_queue(q);
}

static void kick_cpu(void *ctx) {
  struct cpu *c = ctx;
  c->interrupt = 1;
  c->run_until = 0;
}

static void attach_kick(struct process *t) {
  t->mmu.kick = kick_cpu;
  t->mmu.kick_ctx = &t->cpu;
}

/* The kernel changed a page (unmapped, remapped, reprotected, written by
 * a system call): this thread's decoded blocks of it go at once, other
 * threads' before they run guest code again — and a thread running guest
 * code is stopped at its next block boundary to see to it. */
static void thread_code_changed(void *ctx, uint64_t page) {
  struct process *t = ctx;
  cpu_invalidate_code(&t->cpu, page);
  for (int k = 0; k < ntasks; k++) {
    struct process *o = tasks[k];
    if (o == t || !cpu_holds_code(&o->cpu, page))
      continue;
    code_queue_push(o, page);
    kick_cpu(&o->cpu);
  }
}

/* From guest code (no kernel lock): this CPU stored into a page another
 * CPU holds code from. Every other thread drops the page's blocks at its
 * next block boundary, before it could run them again. */
static void thread_remote_code_write(void *ctx, uint64_t page) {
  struct process *t = ctx;
  int n = __atomic_load_n(&ntasks, __ATOMIC_ACQUIRE);
  for (int k = 0; k < n && k < MAX_THREADS; k++) {
    struct process *o = __atomic_load_n(&tasks[k], __ATOMIC_ACQUIRE);
    if (!o || o == t)
      continue;
    code_queue_push(o, page);
    kick_cpu(&o->cpu);
  }
}

void thread_code_hook_attach(struct process *t) {
  t->mmu.code_write_hook = thread_code_changed;
  t->mmu.code_hook_ctx = t;
  t->cpu.remote_code_write = thread_remote_code_write;
  t->cpu.remote_ctx = t;
}

void thread_init_leader(struct process *p) {
  static struct thread_link leader_link;
  memset(&leader_link, 0, sizeof leader_link);
  leader_link.leader = true;
  p->thread = &leader_link;
  ntasks = 0;
  add_task(p);
  this_task = p;
  attach_kick(p);
  thread_code_hook_attach(p);
  kernel_lock(); /* the leader starts in the kernel (kernel_run) */
}

void thread_fork_child(struct process *p) {
  /* Only the forking thread lives on in the child (Linux's fork copies
   * the calling thread alone). Its link becomes the child's leader. */
  p->thread->leader = true;
  ntasks = 0;
  add_task(p);
  p->mmu.space->ncpus = 1;
  p->mmu.space->cpus[0] = &p->mmu;
  p->mmu.space->cpus_lock = 0;
  p->code_queue.lock = p->code_queue.n = 0;
  p->code_queue.flush = false;
  memset(&p->sig->ended, 0, sizeof p->sig->ended);
  thread_exit_fork_child();
}

static void send_kick(struct process *t);

void thread_interrupt_all(void) {
  int n = __atomic_load_n(&ntasks, __ATOMIC_ACQUIRE);
  for (int k = 0; k < n && k < MAX_THREADS; k++) {
    struct process *t = __atomic_load_n(&tasks[k], __ATOMIC_ACQUIRE);
    if (!t)
      continue;
    kick_cpu(&t->cpu);
    /* The host chose this thread for the signal; one asleep in a host
     * call (a wait4, a poll) may be the one it is for. */
    if (t != this_task && t->host_sleeping)
      send_kick(t);
  }
}

void thread_sleep_begin(struct process *p) {
  p->host_sleeping = 1;
  if (det_threads(p))
    det_sleep_begin(p);
  kernel_unlock();
}

void thread_sleep_end(struct process *p) {
  bool det = p->opt && p->opt->deterministic;
  if (det)
    det_arriving();
  kernel_lock();
  p->host_sleeping = 0;
  if (det)
    det_sleep_end(p);
}

void thread_kick(struct process *t) {
  kick_cpu(&t->cpu);
  if (det_threads(t))
    det_kick(t);
  if (t != this_task)
    send_kick(t);
}

/* Async-signal-safe: the host signal handler sends it too. */
static void send_kick(struct process *t) {
  /* The host call it may sleep in ends with EINTR; the handler knows the
   * kick by its value and forwards nothing (host_signal.c). */
  siginfo_t si;
  memset(&si, 0, sizeof si);
  si.si_signo = THREAD_KICK_SIGNAL;
  si.si_code = SI_QUEUE;
  si.si_pid = getpid();
  si.si_uid = getuid();
  si.si_value.sival_ptr = (void *)THREAD_KICK_VALUE;
  syscall(SYS_rt_tgsigqueueinfo, getpid(), t->tid, THREAD_KICK_SIGNAL, &si);
}

void thread_stop_others(struct process *p) {
  for (int k = 0; k < ntasks; k++)
    if (tasks[k] != p)
      thread_kick(tasks[k]);
  for (int k = 0; k < ntasks; k++)
    for (int n = 0; tasks[k] != p && n < 100000 &&
                    __atomic_load_n(&tasks[k]->mmu.in_user, __ATOMIC_SEQ_CST);
         n++)
      usleep(10);
}

void thread_wake_for_signal(struct process *p, int sig) {
  uint64_t bit = 1ull << (sig - 1);
  for (int k = 0; k < ntasks; k++)
    if (tasks[k] != p && !(tasks[k]->sigmask & bit))
      thread_kick(tasks[k]);
}

void thread_to_user(struct process *p) {
  struct code_queue *q = &p->code_queue;
  if (__atomic_load_n(&q->n, __ATOMIC_ACQUIRE) || q->flush) {
    lock_queue(q);
    if (q->flush)
      cpu_forget_code(&p->cpu);
    else
      for (int k = 0; k < q->n; k++)
        cpu_invalidate_code(&p->cpu, q->pages[k]);
    q->n = 0;
    q->flush = false;
    unlock_queue(q);
  }
  /* Deterministic: the baton's holder keeps the lock as it runs. */
  p->det_holding = det_threads(p);
  if (!p->det_holding)
    kernel_unlock();
  mmu_enter_user(&p->mmu);
}

void thread_from_user(struct process *p) {
  mmu_leave_user(&p->mmu);
  if (!p->det_holding)
    kernel_lock();
}

/* --- creation --- */

struct start {
  struct process *t;
  bool unshare_files, unshare_fs;
  uint32_t ready; /* futex: 1 when t->tid is known, 2 on failure */
};

static void *thread_main(void *arg) {
  struct start *s = arg;
  struct process *t = s->t;
  this_task = t;
  int err = 0;
  if (s->unshare_files && unshare(CLONE_FILES) < 0)
    err = 1;
  if (s->unshare_fs && unshare(CLONE_FS) < 0)
    err = 1;
  t->tid = (int)gettid();
  __atomic_store_n(&s->ready, err ? 2 : 1, __ATOMIC_RELEASE);
  syscall(SYS_futex, &s->ready, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
  if (err)
    return NULL;
  /* The creator holds the kernel lock until its clone returns. */
  if (t->opt && t->opt->deterministic)
    det_start(t);
  else
    kernel_lock();
  pthread_sigmask(SIG_UNBLOCK, host_signals_set(), NULL);
  kernel_run(t);
  return NULL; /* not reached: thread_finish ends the host thread */
}

static struct process *new_task(void) {
  struct process *t = spare;
  if (t) {
    spare = *(struct process **)t;
    return t;
  }
  return malloc(sizeof *t);
}

static struct files *copy_files(const struct files *f) {
  struct files *n = malloc(sizeof *n);
  if (!n)
    return NULL;
  *n = *f;
  n->refs = 1;
  for (int k = 0; k < FD_MAX; k++)
    if (n->fds[k].path)
      n->fds[k].path = strdup(n->fds[k].path);
  fd_special_copied(n);
  return n;
}

/* The architectural state a new thread starts with: its creator's. */
static void copy_cpu_state(struct cpu *d, const struct cpu *s) {
  memcpy(d->gpr, s->gpr, sizeof d->gpr);
  d->rip = s->rip;
  d->rflags = s->rflags;
  d->flags = s->flags;
  d->fs_base = s->fs_base;
  d->gs_base = s->gs_base;
  d->es_sel = s->es_sel;
  d->ds_sel = s->ds_sel;
  d->fs_sel = s->fs_sel;
  d->gs_sel = s->gs_sel;
  memcpy(d->xmm, s->xmm, sizeof d->xmm);
  d->mxcsr = s->mxcsr;
  d->fpu = s->fpu;
  d->cycles = s->cycles; /* the CPUs' TSCs are in step */
  d->rng_state = s->rng_state ^ 0x9e3779b97f4a7c15ull * (s->instret + 1);
  d->trace = s->trace;
  d->trace_hook = s->trace_hook;
  d->trace_ctx = s->trace_ctx;
}

int64_t thread_clone(struct process *p, const struct guest_clone_args *k) {
  uint64_t f = k->flags;
  /* A thread shares the address space and dispositions; emu's threads
   * are host threads, so a task sharing memory without being a thread
   * (CLONE_VM without CLONE_THREAD, not vfork) has no host form. */
  if (!(f & CLONE_THREAD))
    return -ENOSYS;
  if (ntasks >= MAX_THREADS)
    return -EAGAIN;
  struct process *t = new_task();
  if (!t)
    return -ENOMEM;
  memset(t, 0, sizeof *t);
  if (mmu_attach(&t->mmu, &p->mmu) < 0) {
    thread_recycle(t);
    return -EAGAIN;
  }
  cpu_init(&t->cpu, &t->mmu);
  cpu_share_code_space(&t->cpu, &p->cpu);
  copy_cpu_state(&t->cpu, &p->cpu);
  t->mmu.fault_ctx = t;
  attach_kick(t);
  thread_code_hook_attach(t);
  t->mm = p->mm;
  t->sig = p->sig;
  t->sighand = p->sighand;
  t->sighand->refs++;
  if (f & CLONE_FILES) {
    t->files = p->files;
    t->files->refs++;
  } else {
    t->files = copy_files(p->files);
  }
  if (f & CLONE_FS) {
    t->fs = p->fs;
    t->fs->refs++;
  } else if ((t->fs = malloc(sizeof *t->fs)) != NULL) {
    *t->fs = *p->fs;
    t->fs->refs = 1;
  }
  t->pid = p->pid;
  t->ppid = p->ppid;
  t->sigmask = p->sigmask;
  t->personality = p->personality; /* copy_process: dup_task_struct */
  t->altstack.flags = SS_DISABLE;  /* copy_process: sas_ss_reset for CLONE_VM */
  memcpy(t->exec_name, p->exec_name, sizeof t->exec_name);
  t->vfork_fd = -1;
  t->clear_child_tid = (f & CLONE_CHILD_CLEARTID) ? k->child_tid : 0;
  t->thread = calloc(1, sizeof *t->thread);
  t->opt = p->opt;
  if (t->thread && p->opt && !p->opt->follow &&
      (t->opt = malloc(sizeof *t->opt)) != NULL) {
    /* Without -f only the first thread is traced, as by strace. */
    *t->opt = *p->opt;
    t->opt->strace = t->opt->trace = false;
    t->cpu.trace = false;
    t->thread->own_opt = true;
  }
  t->cpu.gpr[RAX] = 0;
  if (k->stack)
    t->cpu.gpr[RSP] = k->stack + k->stack_size;
  if (f & CLONE_SETTLS)
    t->cpu.fs_base = k->tls;

  struct start s = {t, !(f & CLONE_FILES), !(f & CLONE_FS), 0};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_attr_setstacksize(&attr, 8u << 20);
  /* The new host thread starts with the forwarded signals blocked, until
   * it knows its task (thread_main). */
  sigset_t saved;
  pthread_sigmask(SIG_BLOCK, host_signals_set(), &saved);
  pthread_t host;
  int e = (t->files && t->fs && t->thread && (t->opt || !p->opt))
              ? pthread_create(&host, &attr, thread_main, &s)
              : ENOMEM;
  pthread_sigmask(SIG_SETMASK, &saved, NULL);
  pthread_attr_destroy(&attr);
  if (!e) {
    while (__atomic_load_n(&s.ready, __ATOMIC_ACQUIRE) == 0)
      syscall(SYS_futex, &s.ready, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
    if (s.ready == 2)
      e = ENOMEM;
  }
  if (e) {
    thread_release_shared(t);
    mmu_detach(&t->mmu);
    cpu_destroy(&t->cpu);
    if (t->thread && t->thread->own_opt)
      free(t->opt);
    free(t->thread);
    thread_recycle(t);
    return e == EAGAIN ? -EAGAIN : -ENOMEM;
  }
  if (p->opt && p->opt->deterministic && thread_count() == 1)
    det_first(p); /* from now on one thread runs at a time */
  add_task(t);
  t->start_cycles = t->cpu.cycles;
  p->sig->ended.threads++;
  uint32_t tid = (uint32_t)t->tid;
  if (f & CLONE_CHILD_SETTID)
    copy_to_guest(&p->mmu, k->child_tid, &tid, sizeof tid);
  if (f & CLONE_PARENT_SETTID)
    copy_to_guest(&p->mmu, k->parent_tid, &tid, sizeof tid);
  strace_thread_started(p, t);
  return t->tid;
}
