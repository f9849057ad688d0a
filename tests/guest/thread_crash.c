/* A thread dies of SIGSEGV while another spins in guest code without a
 * system call and the leader waits in pthread_join: the whole process
 * dies of the signal (status 139), the spinning thread stopped at its
 * next block boundary. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *spin(void *arg) {
  for (;;)
    __asm__ volatile("" ::: "memory");
  return arg;
}

static volatile int *volatile bad_address = (volatile int *)8;

static void *crash(void *arg) {
  usleep(20000);
  *bad_address = 1;
  return arg;
}

int main(void) {
  pthread_t s, c;
  printf("start\n");
  fflush(stdout);
  pthread_create(&s, NULL, spin, NULL);
  pthread_create(&c, NULL, crash, NULL);
  pthread_join(c, NULL);
  puts("not reached");
  return 0;
}
