/* execve and execveat from a child: what crosses an exec (descriptors
 * without close-on-exec, ignored signals, the blocked mask, pending
 * signals) and what does not (close-on-exec descriptors, handlers), #!
 * scripts, failures that leave the caller running with Linux's errno,
 * and execveat's forms (AT_EMPTY_PATH, a directory descriptor,
 * AT_SYMLINK_NOFOLLOW). The program re-executes itself: argv[1] says
 * which part runs. Paths are printed relative to a scratch directory. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
static char self[PATH_MAX], scratch[64];

static void show_status(const char *what, int st) {
  if (WIFEXITED(st))
    printf("%s: exited %d\n", what, WEXITSTATUS(st));
  else if (WIFSIGNALED(st))
    printf("%s: killed by %s\n", what, sigabbrev_np(WTERMSIG(st)));
  else
    printf("%s: status %#x\n", what, st);
}

static void on_usr1(int sig) { (void)sig; }

/* The image after the exec: report what it inherited. */
static int after(int argc, char **argv) {
  int keep = atoi(argv[2]), gone = atoi(argv[3]);
  printf("after exec: argc %d\n", argc);
  printf("  kept fd open: %d\n", fcntl(keep, F_GETFD) >= 0);
  printf("  close-on-exec fd: %s\n",
         fcntl(gone, F_GETFD) < 0 ? strerrorname_np(errno) : "open");
  struct sigaction sa;
  sigaction(SIGUSR1, NULL, &sa);
  printf("  SIGUSR1 (was handled): %s\n",
         sa.sa_handler == SIG_DFL ? "SIG_DFL" : "other");
  sigaction(SIGUSR2, NULL, &sa);
  printf("  SIGUSR2 (was ignored): %s\n",
         sa.sa_handler == SIG_IGN ? "SIG_IGN" : "other");
  sigset_t mask, pending;
  sigprocmask(SIG_SETMASK, NULL, &mask);
  sigpending(&pending);
  printf("  SIGINT blocked %d, pending %d\n", sigismember(&mask, SIGINT),
         sigismember(&pending, SIGINT));
  return 0;
}

/* The exec'd image of execveat: its AT_EXECFN and argv. */
static int at_image(int argc, char **argv) {
  const char *fn = (const char *)getauxval(AT_EXECFN);
  printf("execveat image: argc %d argv[1] %s AT_EXECFN %s\n", argc, argv[1],
         fn ? fn : "(none)");
  return 0;
}

/* Run body in a child and show how it ended. */
static void in_child(const char *what, void (*body)(void)) {
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    body();
    fflush(stdout);
    _exit(0);
  }
  int st;
  waitpid(c, &st, 0);
  show_status(what, st);
}

static void inherit(void) {
  int keep = open("/dev/null", O_RDONLY);
  int gone = open("/dev/null", O_RDONLY | O_CLOEXEC);
  signal(SIGUSR1, on_usr1);
  signal(SIGUSR2, SIG_IGN);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigprocmask(SIG_BLOCK, &set, NULL);
  raise(SIGINT);
  char k[16], g[16];
  snprintf(k, sizeof k, "%d", keep);
  snprintf(g, sizeof g, "%d", gone);
  char *args[] = {self, "after", k, g, NULL};
  execve(self, args, environ);
  printf("execve: %s\n", strerrorname_np(errno));
}

static void write_file(const char *name, const char *text, mode_t mode) {
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/%s", scratch, name);
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
  if (fd < 0 || write(fd, text, strlen(text)) < 0)
    printf("cannot write %s\n", name);
  close(fd);
  chmod(path, mode);
}

static void script(void) {
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/script", scratch);
  char *args[] = {"script-argv0", "one", NULL};
  execve(path, args, environ);
  printf("execve script: %s\n", strerrorname_np(errno));
}

/* The image a #! line runs: interpreter, its argument, the script,
 * then the old argv without argv[0]. */
static int script_image(int argc, char **argv) {
  printf("#! image: argc %d, argv[1] %s, script %s, then %s\n", argc, argv[1],
         basename(argv[2]), argc > 3 ? argv[3] : "-");
  return 0;
}

static void failing(void) {
  int canary = 1234;
  char path[PATH_MAX];
  char *args[] = {"x", NULL};
  struct {
    const char *what, *name;
  } cases[] = {
      {"missing file", "missing"},
      {"no execute permission", "not-executable"},
      {"a directory", "."},
      {"neither ELF nor #!", "garbage"},
      {"#! to a missing interpreter", "bad-interp"},
      {"a path through a file", "garbage/x"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    snprintf(path, sizeof path, "%s/%s", scratch, cases[i].name);
    int r = execve(path, args, environ);
    printf("execve %s: %d %s\n", cases[i].what, r, strerrorname_np(errno));
  }
  /* One string over MAX_ARG_STRLEN (32 pages). */
  size_t big = 33 * 4096;
  char *s = malloc(big);
  memset(s, 'a', big - 1);
  s[big - 1] = 0;
  char *bigargs[] = {self, s, NULL};
  int r = execve(self, bigargs, environ);
  printf("execve a huge argument: %d %s\n", r, strerrorname_np(errno));
  free(s);
  r = execve(self, (char *[]){self, NULL}, (char *[]){(char *)1, NULL});
  printf("execve a bad envp string: %d %s\n", r, strerrorname_np(errno));
  printf("caller intact: canary %d\n", canary);
}

static int raw_execveat(int dirfd, const char *path, char *const argv[],
                        char *const envp[], int flags) {
  return (int)syscall(SYS_execveat, dirfd, path, argv, envp, flags);
}

static void at_empty_path(void) {
  int fd = open(self, O_RDONLY);
  char *args[] = {self, "at", "AT_EMPTY_PATH", NULL};
  raw_execveat(fd, "", args, environ, AT_EMPTY_PATH);
  printf("execveat AT_EMPTY_PATH: %s\n", strerrorname_np(errno));
}

static void at_o_path(void) {
  int fd = open(self, O_PATH);
  char *args[] = {self, "at", "O_PATH", NULL};
  raw_execveat(fd, "", args, environ, AT_EMPTY_PATH);
  printf("execveat O_PATH: %s\n", strerrorname_np(errno));
}

static void at_dirfd(void) {
  char dir[PATH_MAX];
  snprintf(dir, sizeof dir, "%s", self);
  int d = open(dirname(dir), O_RDONLY | O_DIRECTORY);
  char base[PATH_MAX];
  snprintf(base, sizeof base, "%s", self);
  char *args[] = {self, "at", "dirfd", NULL};
  raw_execveat(d, basename(base), args, environ, 0);
  printf("execveat dirfd: %s\n", strerrorname_np(errno));
}

static void at_errors(void) {
  char *args[] = {self, "at", "error", NULL};
  char link[PATH_MAX];
  snprintf(link, sizeof link, "%s/link", scratch);
  symlink(self, link);
  int r = raw_execveat(AT_FDCWD, link, args, environ, AT_SYMLINK_NOFOLLOW);
  printf("execveat symlink, AT_SYMLINK_NOFOLLOW: %d %s\n", r,
         strerrorname_np(errno));
  r = raw_execveat(AT_FDCWD, self, args, environ, 0x4000);
  printf("execveat unknown flag: %d %s\n", r, strerrorname_np(errno));
  r = raw_execveat(AT_FDCWD, "", args, environ, 0);
  printf("execveat empty path without AT_EMPTY_PATH: %d %s\n", r,
         strerrorname_np(errno));
  r = raw_execveat(99, "", args, environ, AT_EMPTY_PATH);
  printf("execveat bad fd: %d %s\n", r, strerrorname_np(errno));
  int f = open(self, O_RDONLY);
  r = raw_execveat(f, "x", args, environ, 0);
  printf("execveat relative to a file: %d %s\n", r, strerrorname_np(errno));
  r = raw_execveat(AT_FDCWD, self, args, environ, AT_SYMLINK_NOFOLLOW);
  printf("execveat a plain file, AT_SYMLINK_NOFOLLOW: %s\n",
         strerrorname_np(errno));
}

int main(int argc, char **argv) {
  if (argc > 1 && !strcmp(argv[1], "after"))
    return after(argc, argv);
  if (argc > 1 && !strcmp(argv[1], "at"))
    return at_image(argc, argv);
  if (argc > 1 && !strcmp(argv[1], "from-script"))
    return script_image(argc, argv);
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (!realpath(argv[0], self))
    return 1;
  /* Named by the pid, which strace_compare.sh normalizes. */
  snprintf(scratch, sizeof scratch, "/tmp/exec_child.%d", (int)getpid());
  if (mkdir(scratch, 0700))
    return 1;
  char line[PATH_MAX + 32];
  snprintf(line, sizeof line, "#!%s from-script\n", self);
  write_file("script", line, 0755);
  write_file("not-executable", line, 0644);
  write_file("garbage", "\001\002\003 not a program\n", 0755);
  write_file("bad-interp", "#!/nonexistent/interpreter\n", 0755);
  in_child("inherit", inherit);
  in_child("script", script);
  in_child("failing", failing);
  in_child("AT_EMPTY_PATH", at_empty_path);
  in_child("O_PATH", at_o_path);
  in_child("dirfd", at_dirfd);
  in_child("execveat errors", at_errors);
  const char *names[] = {"script", "not-executable", "garbage", "bad-interp",
                         "link"};
  char path[PATH_MAX];
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    snprintf(path, sizeof path, "%s/%s", scratch, names[i]);
    unlink(path);
  }
  rmdir(scratch);
  return 0;
}
