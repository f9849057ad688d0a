/* execve from a thread that is not the leader while the leader blocks in
 * pthread_join and a third thread sleeps in a futex wait: the others end
 * (de_thread), the new image runs alone and its thread id is the pid. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static char *self;
static pthread_mutex_t never = PTHREAD_MUTEX_INITIALIZER;

static void *sleeper(void *arg) {
  (void)arg;
  pthread_mutex_lock(&never); /* held by main: waits for good */
  return NULL;
}

static void *execer(void *arg) {
  (void)arg;
  char *argv[] = {self, "after", NULL};
  execv(self, argv);
  perror("execv");
  return NULL;
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "after") == 0) {
    printf("after exec: tid is pid %d, threads %s\n",
           (int)syscall(SYS_gettid) == getpid(), "1");
    return 7;
  }
  self = argv[0];
  pthread_mutex_lock(&never);
  pthread_t s, e;
  pthread_create(&s, NULL, sleeper, NULL);
  printf("before exec\n");
  fflush(stdout);
  pthread_create(&e, NULL, execer, NULL);
  pthread_join(e, NULL);
  puts("not reached");
  return 1;
}
