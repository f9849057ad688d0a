/* /proc/self/status of a threaded process: Threads counts them, and
 * the thread's identity lines are the host thread's (a guest thread is
 * one): Cpus_allowed/Mems_allowed (what sched_getaffinity and
 * get_mempolicy answer), capabilities, no_new_privs, seccomp; Groups
 * with the kernel's trailing space. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static pthread_barrier_t started;

static void *idle(void *arg) {
  (void)arg;
  pthread_barrier_wait(&started);
  pause();
  return NULL;
}

static void show_status(const char *when) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[4096];
  while (f && fgets(line, sizeof line, f))
    if (!strncmp(line, "Threads:", 8) || !strncmp(line, "Cpus_allowed", 12) ||
        !strncmp(line, "Mems_allowed_list", 17) || !strncmp(line, "Cap", 3) ||
        !strncmp(line, "NoNewPrivs", 10) || !strncmp(line, "Seccomp:", 8) ||
        !strncmp(line, "Groups:", 7))
      printf("%s: %s", when, line);
  if (f)
    fclose(f);
}

int main(void) {
  show_status("one thread");
  pthread_barrier_init(&started, NULL, 4);
  pthread_t t[3];
  for (int k = 0; k < 3; k++)
    pthread_create(&t[k], NULL, idle, NULL);
  pthread_barrier_wait(&started);
  show_status("four threads");
  cpu_set_t set;
  sched_getaffinity(0, sizeof set, &set);
  printf("sched_getaffinity: %d CPUs\n", CPU_COUNT(&set));
  return 0;
}
