/* /proc/self as the guest must see it: cmdline and environ are its argv
 * and envp strings (where execve put them, as stat's arg_start..env_end
 * say), auxv is the vector its startup read, comm follows PR_SET_NAME,
 * and stat's host fields (parent, group, session) are the host's, since
 * a guest process is a host process. Only relations are printed. Its
 * trace shows the parent's pid in the stat line (tests/CMakeLists.txt). */
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <unistd.h>

extern char **environ;

static ssize_t slurp(const char *path, char *buf, size_t size) {
  int fd = open(path, O_RDONLY);
  if (fd < 0)
    return -1;
  ssize_t got = 0, n;
  while ((n = read(fd, buf + got, size - 1 - (size_t)got)) > 0)
    got += n;
  close(fd);
  buf[got] = 0;
  return got;
}

static void cmdline(int argc, char **argv) {
  static char buf[65536];
  ssize_t n = slurp("/proc/self/cmdline", buf, sizeof buf);
  ssize_t want = 0;
  for (int k = 0; k < argc; k++)
    want += (ssize_t)strlen(argv[k]) + 1;
  printf("cmdline: %zd bytes, argv's %zd, same bytes %d\n", n, want,
         n == want && memcmp(buf, argv[0], (size_t)n) == 0);
  for (ssize_t k = 0; k < n; k++)
    putchar(buf[k] ? buf[k] : '|');
  putchar('\n');
  n = slurp("/proc/self/environ", buf, sizeof buf);
  want = 0;
  int envc = 0;
  for (char **e = environ; *e; e++, envc++)
    want += (ssize_t)strlen(*e) + 1;
  printf("environ: %d vars, same bytes %d\n", envc,
         n == want && envc && memcmp(buf, environ[0], (size_t)n) == 0);
}

static void auxv(void) {
  static Elf64_auxv_t v[64];
  ssize_t n = slurp("/proc/self/auxv", (char *)v, sizeof v);
  int pairs = (int)(n / (ssize_t)sizeof *v), ok = 1, seen = 0;
  for (int k = 0; k < pairs && v[k].a_type != AT_NULL; k++) {
    if (v[k].a_type == AT_PHDR || v[k].a_type == AT_ENTRY ||
        v[k].a_type == AT_PAGESZ || v[k].a_type == AT_RANDOM ||
        v[k].a_type == AT_UID) {
      ok &= v[k].a_un.a_val == getauxval(v[k].a_type);
      seen++;
    }
  }
  printf("auxv: ends with AT_NULL %d, %d checked entries agree %d\n",
         pairs > 0 && v[pairs - 1].a_type == AT_NULL, seen, ok);
}

static void stat_line(int argc, char **argv) {
  static char buf[4096];
  slurp("/proc/self/stat", buf, sizeof buf);
  char *close_paren = strrchr(buf, ')');
  *close_paren = 0;
  printf("stat comm: %s\n", strchr(buf, '(') + 1);
  unsigned long long f[53] = {0};
  f[1] = strtoull(buf, NULL, 10);
  char *s = close_paren + 2;
  char state = *s;
  s += 1;
  for (int k = 4; k <= 52 && *s; k++)
    f[k] = strtoull(s, &s, 10);
  char **last_env = environ;
  while (last_env[1])
    last_env++;
  printf("stat: pid %d, state %c, ppid %d, pgrp %d, session %d\n",
         f[1] == (unsigned long long)getpid(), state,
         f[4] == (unsigned long long)getppid(),
         f[5] == (unsigned long long)getpgrp(),
         f[6] == (unsigned long long)getsid(0));
  printf("stat: threads %llu, vsize > 0 %d, rss > 0 %d\n", f[20], f[23] > 0,
         f[24] > 0);
  printf("stat: arg_start is argv[0] %d, arg_end %d, env_start %d, "
         "env_end %d\n",
         f[48] == (unsigned long long)(uintptr_t)argv[0],
         f[49] == (unsigned long long)(uintptr_t)(argv[argc - 1] +
                                                  strlen(argv[argc - 1]) + 1),
         f[50] == (unsigned long long)(uintptr_t)environ[0],
         f[51] == (unsigned long long)(uintptr_t)(*last_env +
                                                  strlen(*last_env) + 1));
  printf("stat: code below data %d, brk %d\n", f[26] < f[27] && f[27] <= f[45],
         f[47] >= f[46]);
}

int main(int argc, char **argv) {
  cmdline(argc, argv);
  auxv();
  stat_line(argc, argv);
  prctl(PR_SET_NAME, "renamed");
  stat_line(argc, argv);
  static char comm[64];
  slurp("/proc/self/comm", comm, sizeof comm);
  printf("comm: %s", comm);
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/comm", getppid());
  ssize_t n = slurp(path, comm, sizeof comm);
  printf("parent's comm: %zd bytes, %s", n, comm);
  return 0;
}
