/* The set*id calls are the process's own on the host: each result and
 * errno, and the ids after them, compared with a native run. The
 * irreversible ones (dropping root) run in a child. Whatever user runs
 * the suite, both runs see the same answers. */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/wait.h>
#include <unistd.h>

static void show(const char *what, int r) {
  uid_t ru, eu, su;
  gid_t rg, eg, sg;
  getresuid(&ru, &eu, &su);
  getresgid(&rg, &eg, &sg);
  printf("%-28s %d %s  uid %u/%u/%u gid %u/%u/%u\n", what, r,
         r < 0 ? strerrorname_np(errno) : "-", ru, eu, su, rg, eg, sg);
}

int main(void) {
  uid_t uid = getuid();
  gid_t gid = getgid();
  show("setresuid(-1, uid, -1)", setresuid((uid_t)-1, uid, (uid_t)-1));
  show("setresgid(-1, gid, -1)", setresgid((gid_t)-1, gid, (gid_t)-1));
  show("setreuid(uid, uid)", setreuid(uid, uid));
  show("setregid(gid, gid)", setregid(gid, gid));
  show("setfsuid(uid) previous", setfsuid(uid) == (int)uid ? 0 : -2);
  show("setfsgid(gid) previous", setfsgid(gid) == (int)gid ? 0 : -2);
  gid_t groups[64];
  int n = getgroups(64, groups);
  show("setgroups(same)", setgroups((size_t)n, groups));
  show("setgroups(-1)", (int)syscall(116, -1, groups));
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    show("setgid(65534)", setgid(65534));
    show("setuid(65534)", setuid(65534));
    show("setuid(0) after", setuid(0));
    show("setresuid(0, 0, 0) after", setresuid(0, 0, 0));
    show("setgroups(0) after", setgroups(0, NULL));
    fflush(stdout);
    _exit(0);
  }
  int st;
  waitpid(c, &st, 0);
  show("parent keeps its ids", 0);
  return 0;
}
