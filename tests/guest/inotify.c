/* inotify: a watch on a directory sees a file created, written,
 * closed, renamed (the two halves share a cookie) and removed; rm_watch
 * queues IN_IGNORED; a blocking read waits for poll; the errors of
 * add_watch and rm_watch. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

static void show(const char *what, long r) {
  printf("%s: %ld%s%s\n", what, r, r < 0 ? " " : "",
         r < 0 ? strerrorname_np(errno) : "");
}

static unsigned cookie;

static void events(int fd) {
  char buf[4096] __attribute__((aligned(8)));
  ssize_t n = read(fd, buf, sizeof buf);
  if (n < 0) {
    show("read", n);
    return;
  }
  for (char *p = buf; p < buf + n;) {
    struct inotify_event *e = (struct inotify_event *)p;
    printf("  wd %d mask %#x name %s", e->wd, e->mask, e->len ? e->name : "-");
    if (e->mask & IN_MOVED_FROM)
      cookie = e->cookie;
    if (e->mask & IN_MOVED_TO)
      printf(" same cookie %d", e->cookie == cookie && cookie);
    printf("\n");
    p += sizeof *e + e->len;
  }
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  char dir[64], file[128], moved[128];
  snprintf(dir, sizeof dir, "emu-inotify-%d", getpid());
  snprintf(file, sizeof file, "%s/file", dir);
  snprintf(moved, sizeof moved, "%s/moved", dir);
  mkdir(dir, 0755);
  int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  printf("inotify_init1: %d\n", fd >= 0);
  int wd = inotify_add_watch(fd, dir,
                             IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE |
                                 IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE);
  printf("watch: %d\n", wd);
  show("nothing yet", read(fd, file, 0) < 0 ? -1 : 0);
  int f = open(file, O_CREAT | O_WRONLY, 0644);
  if (write(f, "x", 1) != 1)
    return 1;
  close(f);
  events(fd);
  rename(file, moved);
  events(fd);
  unlink(moved);
  events(fd);
  show("empty", read(fd, dir, 0) < 0 ? -1 : 0);
  struct pollfd pfd = {fd, POLLIN, 0};
  show("poll idle", poll(&pfd, 1, 0));
  show("rm_watch", inotify_rm_watch(fd, wd));
  show("poll after rm_watch", poll(&pfd, 1, 0));
  events(fd);
  show("rm_watch again", inotify_rm_watch(fd, wd));
  show("watch missing", inotify_add_watch(fd, "emu-no-such-dir", IN_CREATE));
  show("watch bad mask", inotify_add_watch(fd, ".", 0));
  show("watch bad fd", inotify_add_watch(99, ".", IN_CREATE));
  show("init bad flags", inotify_init1(0x1234));
  rmdir(dir);
  return 0;
}
