/* --strace -f: the state every tracing task of one run shares, so that
 * their lines interleave as strace -f's do. A guest process is a host
 * process (a forked emu) and a guest thread a host thread, but strace is
 * one tracer that sees them all: which task's line is open (printed up
 * to its entry, waiting for the call to return) is its printing_tcp.
 * Here that is one page of MAP_SHARED memory made before the first fork,
 * so every emu process of the run and every thread in it sees it, with a
 * lock taken around each write to the trace.
 *
 * The lock is a futex word holding the holder's host tid. A holder can
 * die holding it (SIGKILL while it formats a line) or be stopped (a
 * SIGSTOP to its group): a waiter sleeps in short slices and takes the
 * lock over when the holder is gone, dead, a zombie or stopped, and after
 * a few seconds in any case, so tracing never blocks a run forever. (A
 * process-shared robust pthread mutex needs glibc's own fork to keep its
 * tid and robust list right; emu forks with the raw clone system call.) */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "strace_internal.h"

struct strace_shared {
  atomic_int lock;     /* host tid of the holder, 0 when free */
  atomic_uint turns;   /* acquisitions so far: a waiter sees progress */
  atomic_int waiters;  /* tasks sleeping on `lock` (unlock wakes them) */
  atomic_int open_tid; /* the task whose line is open in the output */
  /* Tasks being traced, strace's nprocs: on stderr a line is marked
   * "[pid N] " only while there are two or more. */
  atomic_int tasks;
};

/* Until strace_follow_init (and in unit tests): this process's own. */
static struct strace_shared local_state = {.tasks = 1};
static struct strace_shared *shared = &local_state;

/* The host tid, cached per thread; a forked child resets it. */
static _Thread_local int self_tid;

int st_self(void) {
  if (!self_tid)
    self_tid = (int)syscall(SYS_gettid);
  return self_tid;
}

void st_self_forget(void) { self_tid = 0; }

void strace_follow_init(void) {
  if (shared != &local_state)
    return;
  void *page = mmap(NULL, sizeof *shared, PROT_READ | PROT_WRITE,
                    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  /* Without it each process keeps its own state: lines stay whole, only
   * the unfinished marks between processes are lost. */
  if (page == MAP_FAILED)
    return;
  shared = page;
  atomic_store(&shared->tasks, 1);
}

int st_tasks(void) { return atomic_load(&shared->tasks); }

void st_tasks_add(int n) { atomic_fetch_add(&shared->tasks, n); }

/* How long a waiter sleeps before it looks at the holder again, and how
 * long one holding may last before it is taken over in any case. A line
 * takes microseconds to write. */
#define SLICE_NS (20 * 1000 * 1000ll)
#define GIVE_UP_NS (3 * 1000 * 1000 * 1000ll)

static long long now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000000000ll + t.tv_nsec;
}

/* Is the task that holds the lock unable ever to release it soon? */
static bool holder_gone(int tid) {
  if (kill(tid, 0) < 0 && errno == ESRCH)
    return true;
  char path[64], buf[256];
  snprintf(path, sizeof path, "/proc/%d/stat", tid);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return errno == ENOENT;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0)
    return false;
  buf[n] = 0;
  /* "pid (comm) S ...": the state follows the last ')'. */
  char *paren = NULL;
  for (char *c = buf; *c; c++)
    if (*c == ')')
      paren = c;
  if (!paren || !paren[1] || !paren[2])
    return false;
  char state = paren[2];
  return state == 'Z' || state == 'X' || state == 'T' || state == 't';
}

static bool take(int *holder, int me) {
  if (!atomic_compare_exchange_strong(&shared->lock, holder, me))
    return false;
  atomic_fetch_add(&shared->turns, 1);
  return true;
}

void st_lock(void) {
  int me = st_self();
  /* The holding being timed: a new holder or a new turn of the same one
   * is progress, and starts the clock again. (Counting wake-ups instead
   * took the lock from live holders under contention:
   * unit.test_strace_follow under load.) */
  int watched = 0;
  unsigned watched_turn = 0;
  long long since = 0;
  for (;;) {
    int holder = 0;
    if (take(&holder, me))
      return;
    /* The lock is never held across guest code: taking it twice is a
     * bug in the tracer. */
    assert(holder != me);
    unsigned turn = atomic_load(&shared->turns);
    long long t = now_ns();
    if (holder != watched || turn != watched_turn) {
      watched = holder;
      watched_turn = turn;
      since = t;
    } else if (t - since >= GIVE_UP_NS ||
               (t - since >= SLICE_NS && holder_gone(holder))) {
      if (take(&holder, me))
        return;
      continue;
    }
    struct timespec slice = {0, SLICE_NS};
    atomic_fetch_add(&shared->waiters, 1);
    syscall(SYS_futex, &shared->lock, FUTEX_WAIT, holder, &slice, NULL, 0);
    atomic_fetch_sub(&shared->waiters, 1);
  }
}

void st_unlock(void) {
  atomic_store(&shared->lock, 0);
  if (atomic_load(&shared->waiters))
    syscall(SYS_futex, &shared->lock, FUTEX_WAKE, 1, NULL, NULL, 0);
}

int st_open_tid(void) { return atomic_load(&shared->open_tid); }

void st_set_open_tid(int tid) { atomic_store(&shared->open_tid, tid); }
