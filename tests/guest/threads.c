/* pthreads as programs use them: create and join with results, a mutex
 * and atomics under contention, a condition variable queue, a barrier,
 * thread-local storage, a timed wait that times out, detached threads
 * and a semaphore, a robust mutex whose owner dies, and exit_group from
 * a thread while the main thread blocks in join. Every line is the same
 * natively however the threads are scheduled. */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define THREADS 4
#define ROUNDS 20000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long plain_counter;
static atomic_long atomic_counter;
static __thread long tls_value = 7;

static void *square(void *arg) {
  intptr_t n = (intptr_t)arg;
  tls_value = n * 100;
  return (void *)(n * n + tls_value);
}

static void *hammer(void *arg) {
  (void)arg;
  for (int i = 0; i < ROUNDS; i++) {
    pthread_mutex_lock(&lock);
    plain_counter++;
    pthread_mutex_unlock(&lock);
    atomic_fetch_add(&atomic_counter, 1);
  }
  return NULL;
}

/* A bounded queue with two condition variables. */
#define QSIZE 8
static int queue[QSIZE], qhead, qtail, qcount;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER;

static void *producer(void *arg) {
  (void)arg;
  for (int i = 1; i <= 1000; i++) {
    pthread_mutex_lock(&lock);
    while (qcount == QSIZE)
      pthread_cond_wait(&not_full, &lock);
    queue[qtail] = i;
    qtail = (qtail + 1) % QSIZE;
    qcount++;
    pthread_cond_signal(&not_empty);
    pthread_mutex_unlock(&lock);
  }
  return NULL;
}

static void *consumer(void *arg) {
  long sum = 0;
  for (int i = 0; i < 500; i++) {
    pthread_mutex_lock(&lock);
    while (qcount == 0)
      pthread_cond_wait(&not_empty, &lock);
    sum += queue[qhead];
    qhead = (qhead + 1) % QSIZE;
    qcount--;
    pthread_cond_signal(&not_full);
    pthread_mutex_unlock(&lock);
  }
  *(long *)arg = sum;
  return NULL;
}

static pthread_barrier_t barrier;
static atomic_int arrived;

static void *at_barrier(void *arg) {
  (void)arg;
  atomic_fetch_add(&arrived, 1);
  int r = pthread_barrier_wait(&barrier);
  /* Everyone arrived before anyone left. */
  return (void *)(intptr_t)(atomic_load(&arrived) == THREADS &&
                            (r == 0 || r == PTHREAD_BARRIER_SERIAL_THREAD));
}

static sem_t done;
static atomic_int detached_ran;

static void *detached(void *arg) {
  (void)arg;
  atomic_fetch_add(&detached_ran, 1);
  sem_post(&done);
  return NULL;
}

static pthread_mutex_t robust;

static void *die_holding(void *arg) {
  (void)arg;
  pthread_mutex_lock(&robust);
  return NULL; /* exits with the robust mutex held */
}

static void *exit_group_from_thread(void *arg) {
  (void)arg;
  fflush(stdout);
  exit(3);
}

int main(void) {
  pthread_t t[THREADS];
  for (intptr_t i = 0; i < THREADS; i++)
    pthread_create(&t[i], NULL, square, (void *)i);
  for (int i = 0; i < THREADS; i++) {
    void *r;
    pthread_join(t[i], &r);
    printf("join %d: %ld\n", i, (long)(intptr_t)r);
  }
  printf("main tls %ld\n", tls_value);

  for (int i = 0; i < THREADS; i++)
    pthread_create(&t[i], NULL, hammer, NULL);
  for (int i = 0; i < THREADS; i++)
    pthread_join(t[i], NULL);
  printf("mutex counter %ld, atomic counter %ld (want %d)\n", plain_counter,
         (long)atomic_load(&atomic_counter), THREADS * ROUNDS);

  long sums[2];
  pthread_t prod, cons[2];
  pthread_create(&prod, NULL, producer, NULL);
  for (int i = 0; i < 2; i++)
    pthread_create(&cons[i], NULL, consumer, &sums[i]);
  pthread_join(prod, NULL);
  for (int i = 0; i < 2; i++)
    pthread_join(cons[i], NULL);
  printf("queue sum %ld\n", sums[0] + sums[1]);

  pthread_barrier_init(&barrier, NULL, THREADS);
  for (int i = 0; i < THREADS; i++)
    pthread_create(&t[i], NULL, at_barrier, NULL);
  int ok = 0;
  for (int i = 0; i < THREADS; i++) {
    void *r;
    pthread_join(t[i], &r);
    ok += (int)(intptr_t)r;
  }
  printf("barrier ok %d\n", ok);

  pthread_mutex_lock(&lock);
  struct timespec deadline;
  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_nsec += 20000000;
  if (deadline.tv_nsec >= 1000000000) {
    deadline.tv_sec++;
    deadline.tv_nsec -= 1000000000;
  }
  int r = pthread_cond_timedwait(&not_empty, &lock, &deadline);
  pthread_mutex_unlock(&lock);
  printf("timedwait: %s\n", strerror(r));

  sem_init(&done, 0, 0);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  for (int i = 0; i < THREADS; i++) {
    pthread_t d;
    pthread_create(&d, &attr, detached, NULL);
  }
  for (int i = 0; i < THREADS; i++)
    sem_wait(&done);
  printf("detached ran %d\n", atomic_load(&detached_ran));

  pthread_mutexattr_t ma;
  pthread_mutexattr_init(&ma);
  pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
  pthread_mutex_init(&robust, &ma);
  pthread_t owner;
  pthread_create(&owner, NULL, die_holding, NULL);
  pthread_join(owner, NULL);
  r = pthread_mutex_lock(&robust);
  printf("robust lock after owner died: %s\n", strerror(r));
  if (r == EOWNERDEAD)
    pthread_mutex_consistent(&robust);
  pthread_mutex_unlock(&robust);

  fflush(stdout);
  pthread_t ender;
  pthread_create(&ender, NULL, exit_group_from_thread, NULL);
  pthread_join(ender, NULL);
  puts("not reached");
  return 0;
}
