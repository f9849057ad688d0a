/* More of what pthreads programs do, compared with the native run:
 * reader-writer locks, thread-specific data and its destructors,
 * cancellation of a thread asleep in nanosleep, a process-directed
 * signal taken by the one thread that does not block it, a priority-
 * inheritance mutex (FUTEX_LOCK_PI), 1,000 threads created and joined,
 * and atomics stress: 4 threads x 10^6 of lock add, xadd, cmpxchg and
 * cmpxchg16b on shared counters, whose totals must be exact. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define WORKERS 4
#define ROUNDS 1000000

/* --- rwlock: readers share, a writer excludes them --- */
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static long shared_value;
static atomic_int readers_inside, max_readers;

static void *reader(void *arg) {
  (void)arg;
  long seen = 0;
  for (int i = 0; i < 2000; i++) {
    pthread_rwlock_rdlock(&rw);
    int n = atomic_fetch_add(&readers_inside, 1) + 1;
    int m = atomic_load(&max_readers);
    while (n > m && !atomic_compare_exchange_weak(&max_readers, &m, n))
      ;
    seen = shared_value;
    atomic_fetch_sub(&readers_inside, 1);
    pthread_rwlock_unlock(&rw);
  }
  return (void *)seen;
}

static void *writer(void *arg) {
  for (int i = 0; i < 1000; i++) {
    pthread_rwlock_wrlock(&rw);
    if (atomic_load(&readers_inside) != 0)
      puts("FAIL: a reader inside while writing");
    shared_value++;
    pthread_rwlock_unlock(&rw);
  }
  return arg;
}

/* --- thread-specific data: each thread's destructor runs at its exit --- */
static pthread_key_t key;
static atomic_long destroyed_sum;

static void destroy(void *v) { atomic_fetch_add(&destroyed_sum, (long)v); }

static void *keeper(void *arg) {
  pthread_setspecific(key, arg);
  return pthread_getspecific(key);
}

/* --- cancellation of a sleeping thread, with a cleanup handler --- */
static atomic_int cleaned;
static void cleanup(void *arg) { atomic_store(&cleaned, *(int *)arg); }

static void *sleeper(void *arg) {
  static int tag = 42;
  pthread_cleanup_push(cleanup, &tag);
  struct timespec ts = {30, 0};
  nanosleep(&ts, NULL); /* a cancellation point */
  pthread_cleanup_pop(0);
  return arg;
}

/* --- a process signal goes to the one thread that does not block it --- */
static atomic_long handled_by;
static void on_usr1(int sig) {
  (void)sig;
  atomic_store(&handled_by, (long)syscall(SYS_gettid));
}

static atomic_long taker_tid;
static atomic_int taker_ready;
static void *taker(void *arg) {
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGUSR1);
  pthread_sigmask(SIG_UNBLOCK, &s, NULL);
  atomic_store(&taker_tid, (long)syscall(SYS_gettid));
  atomic_store(&taker_ready, 1);
  /* Polled, not pause(): a signal taken between the check and pause()
   * would leave pause() waiting forever (natively too, in a narrower
   * window: under emu on a loaded machine a run hung, CI 2026-12-03). */
  while (!atomic_load(&handled_by))
    usleep(1000);
  return arg;
}

/* --- priority inheritance --- */
static pthread_mutex_t pi;
static long pi_count;
static void *pi_worker(void *arg) {
  for (int i = 0; i < 20000; i++) {
    pthread_mutex_lock(&pi);
    pi_count++;
    pthread_mutex_unlock(&pi);
  }
  return arg;
}

/* --- 1,000 threads --- */
static void *tiny(void *arg) { return (void *)((long)arg * 2); }

/* --- atomics stress --- */
static long add_counter, xadd_counter, cas_counter;
static _Alignas(16) unsigned __int128 wide_counter;

static void *stress(void *arg) {
  for (long i = 0; i < ROUNDS; i++) {
    switch (i & 3) {
    case 0: __asm__ volatile("lock addq $1, %0" : "+m"(add_counter)); break;
    case 1: {
      long one = 1;
      __asm__ volatile("lock xaddq %0, %1" : "+r"(one), "+m"(xadd_counter));
      break;
    }
    case 2: {
      long old = __atomic_load_n(&cas_counter, __ATOMIC_RELAXED);
      while (!__atomic_compare_exchange_n(&cas_counter, &old, old + 1, false,
                                          __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
        ;
      break;
    }
    default: {
      uint64_t lo = (uint64_t)wide_counter, hi = (uint64_t)(wide_counter >> 64);
      for (;;) {
        uint64_t nlo = lo + 1, nhi = hi + (nlo == 0);
        unsigned char ok;
        __asm__ volatile("lock cmpxchg16b %1; sete %0"
                         : "=q"(ok), "+m"(wide_counter), "+a"(lo), "+d"(hi)
                         : "b"(nlo), "c"(nhi)
                         : "cc");
        if (ok)
          break;
      }
    }
    }
  }
  return arg;
}

int main(void) {
  pthread_t t[WORKERS + 1];

  for (int i = 0; i < WORKERS; i++)
    pthread_create(&t[i], NULL, reader, NULL);
  pthread_create(&t[WORKERS], NULL, writer, NULL);
  for (int i = 0; i <= WORKERS; i++)
    pthread_join(t[i], NULL);
  printf("rwlock: value %ld, readers at once %s\n", shared_value,
         atomic_load(&max_readers) >= 1 ? ">= 1" : "0");

  pthread_key_create(&key, destroy);
  for (long i = 0; i < WORKERS; i++)
    pthread_create(&t[i], NULL, keeper, (void *)(i + 1));
  long got = 0;
  for (int i = 0; i < WORKERS; i++) {
    void *r;
    pthread_join(t[i], &r);
    got += (long)r;
  }
  printf("tsd: got %ld, destructors summed %ld\n", got,
         atomic_load(&destroyed_sum));

  pthread_t s;
  pthread_create(&s, NULL, sleeper, NULL);
  usleep(20000);
  pthread_cancel(s);
  void *res;
  pthread_join(s, &res);
  printf("cancel: %s, cleanup %d\n",
         res == PTHREAD_CANCELED ? "canceled" : "not canceled",
         atomic_load(&cleaned));

  /* Every thread blocks SIGUSR1 but the taker. */
  signal(SIGUSR1, on_usr1);
  sigset_t block;
  sigemptyset(&block);
  sigaddset(&block, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &block, NULL);
  pthread_t tk;
  pthread_create(&tk, NULL, taker, NULL);
  while (!atomic_load(&taker_ready))
    usleep(1000);
  kill(getpid(), SIGUSR1);
  pthread_join(tk, NULL);
  printf("signal: taken by the unblocking thread: %s\n",
         atomic_load(&handled_by) == atomic_load(&taker_tid) ? "yes" : "no");

  pthread_mutexattr_t ma;
  pthread_mutexattr_init(&ma);
  pthread_mutexattr_setprotocol(&ma, PTHREAD_PRIO_INHERIT);
  pthread_mutex_init(&pi, &ma);
  for (int i = 0; i < 2; i++)
    pthread_create(&t[i], NULL, pi_worker, NULL);
  for (int i = 0; i < 2; i++)
    pthread_join(t[i], NULL);
  printf("pi mutex: %ld\n", pi_count);

  long sum = 0, failed = 0;
  for (long i = 0; i < 1000; i++) {
    pthread_t one;
    if (pthread_create(&one, NULL, tiny, (void *)i)) {
      failed++;
      continue;
    }
    void *r;
    pthread_join(one, &r);
    sum += (long)r;
  }
  printf("1000 threads: sum %ld, failed %ld\n", sum, failed);

  for (int i = 0; i < WORKERS; i++)
    pthread_create(&t[i], NULL, stress, NULL);
  for (int i = 0; i < WORKERS; i++)
    pthread_join(t[i], NULL);
  printf("atomics: add %ld xadd %ld cmpxchg %ld cmpxchg16b %llu (each of %d)\n",
         add_counter, xadd_counter, cas_counter,
         (unsigned long long)wide_counter, WORKERS * ROUNDS / 4);
  return 0;
}
