/* A task's attributes that are the host's (a guest thread is a host
 * thread): I/O priority, capabilities, scheduling attributes with
 * struct sched_attr's size rules, and the robust-list head emu keeps
 * per task. Values are printed as the host gives them (both runs are
 * the same user on the same host); errors by name. */
#define _GNU_SOURCE /* strerrorname_np */
#include <errno.h>
#include <linux/capability.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define BAD_ADDRESS ((void *)8)
#define IOPRIO_VALUE(class, data) (((class) << 13) | (data))

static void show(const char *what, long r) {
  if (r < 0)
    printf("%-30s -1 %s\n", what, strerrorname_np(errno));
  else
    printf("%-30s %ld\n", what, r);
}

static void ioprio(void) {
  show("ioprio_get", syscall(SYS_ioprio_get, 1, 0));
  show("ioprio_set BE 4", syscall(SYS_ioprio_set, 1, 0, IOPRIO_VALUE(2, 4)));
  show("ioprio_get", syscall(SYS_ioprio_get, 1, 0));
  show("ioprio_get own pid", syscall(SYS_ioprio_get, 1, getpid()));
  show("ioprio_set BE 7", syscall(SYS_ioprio_set, 1, 0, IOPRIO_VALUE(2, 7)));
  show("ioprio_get", syscall(SYS_ioprio_get, 1, 0));
  show("ioprio_set class 9", syscall(SYS_ioprio_set, 1, 0, IOPRIO_VALUE(9, 0)));
  show("ioprio_get which 7", syscall(SYS_ioprio_get, 7, 0));
  show("ioprio_get no pid", syscall(SYS_ioprio_get, 1, 0x3fffffff));
}

static void caps(void) {
  struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct d[2], again[2];
  show("capget v3", syscall(SYS_capget, &h, d));
  printf("effective == permitted: %d\n",
         d[0].effective == d[0].permitted && d[1].effective == d[1].permitted);
  show("capset same", syscall(SYS_capset, &h, d));
  show("capget again", syscall(SYS_capget, &h, again));
  printf("unchanged: %d\n", memcmp(d, again, sizeof d) == 0);
  h.version = 0x12345678;
  show("capget bad version", syscall(SYS_capget, &h, d));
  printf("version written back: %#x\n", h.version);
  h.version = 0x12345678;
  show("capget bad version NULL", syscall(SYS_capget, &h, NULL));
  printf("version written back: %#x\n", h.version);
  h.version = _LINUX_CAPABILITY_VERSION_1;
  show("capget v1", syscall(SYS_capget, &h, d));
  h.version = _LINUX_CAPABILITY_VERSION_3;
  show("capget bad header", syscall(SYS_capget, BAD_ADDRESS, d));
  show("capget bad data", syscall(SYS_capget, &h, BAD_ADDRESS));
  h.pid = -1;
  show("capget pid -1", syscall(SYS_capget, &h, d));
  h.pid = 1;
  show("capset other pid", syscall(SYS_capset, &h, d));
  h.pid = 0;
  show("capset bad data", syscall(SYS_capset, &h, BAD_ADDRESS));
}

static void robust(void) {
  void *head = NULL;
  size_t len = 0;
  show("get_robust_list 0", syscall(SYS_get_robust_list, 0, &head, &len));
  printf("len %zu, head set: %d\n", len, head != NULL);
  void *own = head;
  head = NULL;
  show("get_robust_list own tid",
       syscall(SYS_get_robust_list, gettid(), &head, &len));
  printf("same head: %d\n", head == own);
  show("get_robust_list -1", syscall(SYS_get_robust_list, -1, &head, &len));
  show("get_robust_list bad len",
       syscall(SYS_get_robust_list, 0, &head, BAD_ADDRESS));
  show("get_robust_list bad head",
       syscall(SYS_get_robust_list, 0, BAD_ADDRESS, &len));
}

struct attr {
  uint32_t size, policy;
  uint64_t flags;
  int32_t nice;
  uint32_t priority;
  uint64_t runtime, deadline, period;
  uint32_t util_min, util_max;
};

static void sched_attrs(void) {
  struct attr a;
  memset(&a, 0xff, sizeof a);
  show("sched_getattr", syscall(SYS_sched_getattr, 0, &a, sizeof a, 0));
  printf("size %u policy %u nice %d priority %u\n", a.size, a.policy, a.nice,
         a.priority);
  show("sched_getattr VER0", syscall(SYS_sched_getattr, 0, &a, 48, 0));
  show("sched_getattr size 47", syscall(SYS_sched_getattr, 0, &a, 47, 0));
  show("sched_getattr flags 1", syscall(SYS_sched_getattr, 0, &a, 56, 1));
  show("sched_getattr NULL", syscall(SYS_sched_getattr, 0, NULL, 56, 0));
  show("sched_getattr bad", syscall(SYS_sched_getattr, 0, BAD_ADDRESS, 56, 0));
  show("sched_getattr pid -1", syscall(SYS_sched_getattr, -1, &a, 56, 0));
  memset(&a, 0, sizeof a);
  a.size = sizeof a;
  a.nice = 3;
  show("sched_setattr nice 3", syscall(SYS_sched_setattr, 0, &a, 0));
  show("getpriority", syscall(SYS_getpriority, 0, 0));
  a.size = 0; /* means VER0 */
  a.nice = 4;
  show("sched_setattr size 0", syscall(SYS_sched_setattr, 0, &a, 0));
  show("getpriority", syscall(SYS_getpriority, 0, 0));
  static uint8_t big[128];
  memcpy(big, &a, sizeof a);
  uint32_t size = sizeof big;
  memcpy(big, &size, 4);
  show("sched_setattr 128, zero tail", syscall(SYS_sched_setattr, 0, big, 0));
  big[100] = 1;
  show("sched_setattr 128, tail set", syscall(SYS_sched_setattr, 0, big, 0));
  memcpy(&size, big, 4);
  printf("size written back: %u\n", size);
  a.size = 20;
  show("sched_setattr size 20", syscall(SYS_sched_setattr, 0, &a, 0));
  a.size = sizeof a;
  show("sched_setattr flags 1", syscall(SYS_sched_setattr, 0, &a, 1));
  show("sched_setattr NULL", syscall(SYS_sched_setattr, 0, NULL, 0));
  show("sched_setattr bad", syscall(SYS_sched_setattr, 0, BAD_ADDRESS, 0));
  a.policy = 77;
  show("sched_setattr policy 77", syscall(SYS_sched_setattr, 0, &a, 0));
}

int main(void) {
  ioprio();
  caps();
  robust();
  sched_attrs();
  return 0;
}
