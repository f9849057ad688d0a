/* prctl's per-process switches: the name (comm) the guest sets is what
 * PR_GET_NAME and /proc/self/comm show; the parent-death
 * signal, subreaping and dumpability are the host process's own (a guest
 * process is a host process), read back through prctl. (/proc/self/stat
 * names the parent, which differs under strace: proc_self.c reads it.) */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

static void read_file(const char *path, char *buf, size_t size) {
  int fd = open(path, O_RDONLY);
  ssize_t n = fd < 0 ? -1 : read(fd, buf, size - 1);
  buf[n < 0 ? 0 : n] = 0;
  if (fd >= 0)
    close(fd);
}

static void show_name(const char *when) {
  char name[16] = {0}, comm[64];
  prctl(PR_GET_NAME, name);
  read_file("/proc/self/comm", comm, sizeof comm);
  printf("%s: PR_GET_NAME \"%s\", comm \"%.*s\"\n", when, name,
         (int)strcspn(comm, "\n"), comm);
}

int main(void) {
  prctl(PR_SET_NAME, "worker-1");
  show_name("after set");
  prctl(PR_SET_NAME, "a-name-longer-than-fifteen-bytes");
  show_name("long name");

  int sig = -1;
  printf("PR_GET_PDEATHSIG: %d", prctl(PR_GET_PDEATHSIG, &sig));
  printf(" [%d]\n", sig);
  printf("PR_SET_PDEATHSIG SIGTERM: %d\n", prctl(PR_SET_PDEATHSIG, SIGTERM));
  prctl(PR_GET_PDEATHSIG, &sig);
  printf("now [%d]\n", sig);
  errno = 0;
  printf("PR_SET_PDEATHSIG 65: %d %s\n", prctl(PR_SET_PDEATHSIG, 65),
         strerror(errno));
  prctl(PR_SET_PDEATHSIG, 0);

  int v = -1;
  prctl(PR_GET_CHILD_SUBREAPER, &v);
  printf("subreaper [%d]\n", v);
  printf("PR_SET_CHILD_SUBREAPER 1: %d\n", prctl(PR_SET_CHILD_SUBREAPER, 1));
  prctl(PR_GET_CHILD_SUBREAPER, &v);
  printf("subreaper [%d]\n", v);

  printf("dumpable %d\n", prctl(PR_GET_DUMPABLE));
  printf("PR_SET_DUMPABLE 0: %d\n", prctl(PR_SET_DUMPABLE, 0));
  printf("dumpable %d\n", prctl(PR_GET_DUMPABLE));
  errno = 0;
  printf("PR_SET_DUMPABLE 2: %d %s\n", prctl(PR_SET_DUMPABLE, 2),
         strerror(errno));
  prctl(PR_SET_DUMPABLE, 1);
  printf("dumpable %d\n", prctl(PR_GET_DUMPABLE));
  return 0;
}
