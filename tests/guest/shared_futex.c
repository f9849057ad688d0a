/* Futexes on MAP_SHARED memory between processes (glibc's
 * process-shared semaphores, mutexes and condition variables are built
 * on them): a raw FUTEX_WAIT woken by the other process, EAGAIN and
 * ETIMEDOUT, a semaphore ping-pong, a robust-free pshared mutex and
 * condvar hand-off. The result never depends on who runs first. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long futex(uint32_t *w, int op, uint32_t val, const struct timespec *t) {
  return syscall(SYS_futex, w, op, val, t, NULL, 0);
}

struct shared {
  uint32_t word;
  sem_t ping, pong;
  pthread_mutex_t lock;
  pthread_cond_t cond;
  int turn, count;
};

static void raw_futex(struct shared *s) {
  struct timespec short_wait = {0, 1000000};
  errno = 0;
  printf("wait on a changed value: %ld %s\n",
         futex(&s->word, FUTEX_WAIT, 1, NULL), strerrorname_np(errno));
  printf("wait with a timeout: %ld %s\n",
         futex(&s->word, FUTEX_WAIT, 0, &short_wait), strerrorname_np(errno));
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    /* Woken by the parent's store and wake, whenever they come. */
    while (__atomic_load_n(&s->word, __ATOMIC_SEQ_CST) == 0)
      futex(&s->word, FUTEX_WAIT, 0, NULL);
    _exit(s->word == 1 ? 0 : 1);
  }
  __atomic_store_n(&s->word, 1, __ATOMIC_SEQ_CST);
  futex(&s->word, FUTEX_WAKE, 1, NULL);
  int st;
  waitpid(c, &st, 0);
  printf("child woken, saw the store: %d\n", WIFEXITED(st) && !WEXITSTATUS(st));
}

static void semaphores(struct shared *s) {
  sem_init(&s->ping, 1, 0);
  sem_init(&s->pong, 1, 0);
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    for (int k = 0; k < 200; k++) {
      sem_wait(&s->ping);
      s->count++;
      sem_post(&s->pong);
    }
    _exit(0);
  }
  for (int k = 0; k < 200; k++) {
    sem_post(&s->ping);
    sem_wait(&s->pong);
  }
  waitpid(c, NULL, 0);
  printf("semaphore ping-pong: %d round trips\n", s->count);
}

static void mutex_and_cond(struct shared *s) {
  pthread_mutexattr_t ma;
  pthread_mutexattr_init(&ma);
  pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
  pthread_mutex_init(&s->lock, &ma);
  pthread_condattr_t ca;
  pthread_condattr_init(&ca);
  pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
  pthread_cond_init(&s->cond, &ca);
  s->turn = 0;
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    for (int k = 0; k < 100; k++) {
      pthread_mutex_lock(&s->lock);
      while (s->turn != 1)
        pthread_cond_wait(&s->cond, &s->lock);
      s->turn = 0;
      pthread_cond_signal(&s->cond);
      pthread_mutex_unlock(&s->lock);
    }
    _exit(0);
  }
  for (int k = 0; k < 100; k++) {
    pthread_mutex_lock(&s->lock);
    s->turn = 1;
    pthread_cond_signal(&s->cond);
    while (s->turn != 0)
      pthread_cond_wait(&s->cond, &s->lock);
    pthread_mutex_unlock(&s->lock);
  }
  int st;
  waitpid(c, &st, 0);
  printf("mutex and condition variable hand-off: child %s\n",
         WIFEXITED(st) && !WEXITSTATUS(st) ? "done" : "failed");
}

int main(void) {
  struct shared *s = mmap(NULL, sizeof *s, PROT_READ | PROT_WRITE,
                          MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (s == MAP_FAILED)
    return 1;
  raw_futex(s);
  semaphores(s);
  mutex_and_cond(s);
  return 0;
}
