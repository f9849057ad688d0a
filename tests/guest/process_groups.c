/* Process groups and sessions without fork: the ids are the host's (a
 * guest process is a host process), so emu must give Linux's answers
 * and errors, for itself and for its parent. The test starts as a
 * process that is not a group leader (compare.sh runs it under timeout,
 * which leads the group), so setsid succeeds. No pid is printed, only
 * relations. Its trace names the parent's pid and group, which differ
 * between the native and emulated runs (tests/CMakeLists.txt). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static void show(const char *what, long r) {
  if (r < 0)
    printf("%s: %s\n", what, strerrorname_np(errno));
  else
    printf("%s: ok\n", what);
}

static void ids(void) {
  pid_t me = getpid(), parent = getppid();
  printf("getpgrp == getpgid(0): %d\n", getpgrp() == getpgid(0));
  printf("getpgid(self) == getpgid(0): %d\n", getpgid(me) == getpgid(0));
  printf("getsid(self) == getsid(0): %d\n", getsid(me) == getsid(0));
  printf("parent's session is mine: %d\n", getsid(parent) == getsid(0));
  printf("parent's group is mine: %d\n", getpgid(parent) == getpgrp());
  show("getpgid(no such pid)", getpgid(0x3ffffff0));
  show("getsid(no such pid)", getsid(0x3ffffff0));
  show("getpgid(-1)", getpgid(-1));
  show("setpgid(0, -1)", setpgid(0, -1));
  show("setpgid(parent, 0)", setpgid(parent, 0));
  /* Other calls that take a pid accept the parent's, as Linux does. */
  errno = 0;
  int nice_parent = getpriority(PRIO_PROCESS, parent);
  show("getpriority(parent)", errno ? -1 : 0);
  printf("parent's nice is mine: %d\n",
         nice_parent == getpriority(PRIO_PROCESS, 0));
  show("getpriority(no such pid)",
       getpriority(PRIO_PROCESS, 0x3ffffff0) == -1 ? -1 : 0);
  struct rlimit rl, mine;
  show("prlimit(parent, RLIMIT_NOFILE)",
       prlimit(parent, RLIMIT_NOFILE, NULL, &rl));
  getrlimit(RLIMIT_CORE, &mine);
  show("prlimit(no such pid)", prlimit(0x3ffffff0, RLIMIT_CORE, NULL, &rl));
  show("sched_getscheduler(parent)", sched_getscheduler(parent));
  struct sched_param sp;
  show("sched_getparam(parent)", sched_getparam(parent, &sp));
  cpu_set_t set;
  show("sched_getaffinity(parent)",
       sched_getaffinity(parent, sizeof set, &set));
  show("sched_getaffinity(no such pid)",
       sched_getaffinity(0x3ffffff0, sizeof set, &set));
}

static void new_session(void) {
  pid_t me = getpid();
  if (getpgrp() == me) {
    printf("skip: setsid: started as a group leader\n");
    return;
  }
  pid_t sid = setsid();
  printf("setsid: %s\n", sid == me ? "new session" : strerrorname_np(errno));
  printf("pgrp == pid: %d, sid == pid: %d\n", getpgrp() == me, getsid(0) == me);
  show("setsid again", setsid());
  show("setpgid(0, 0) as leader", setpgid(0, 0));
  show("setpgid(0, parent's group)", setpgid(0, getpgid(getppid())));
  printf("parent's session is mine: %d\n", getsid(getppid()) == getsid(0));
}

int main(void) {
  ids();
  new_session();
  return 0;
}
