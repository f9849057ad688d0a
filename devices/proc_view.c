/* The published view of this guest process (proc_view.h). Files are
 * written whole to a temporary name and renamed, so a reader never sees
 * half of one. A directory is believed only while the host process of
 * that pid is the one that wrote it: its start time (field 22 of the
 * host's /proc/PID/stat) is recorded beside the files, so a pid reused
 * after an emu died without cleaning up (SIGKILL) is never trusted; such
 * leftovers are swept when a later emu first publishes. */
#include "proc_view.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../syscalls/fs.h"
#include "../syscalls/process.h"
#include "proc.h"

static struct proc_image image;
static int published_pid; /* whose directory this process owns */

static const char *const view_files[] = {"start", "cmdline", "environ", "maps",
                                         "exe",   "execed",  "status",  NULL};

/* The places every emu process of a user agrees on, whatever
 * environment its guest runs with: /dev/shm/emu-UID, a tmpfs on Linux
 * distributions (publishing there costs a quarter of what it costs on a
 * disk-backed /tmp: 0.3 against 1.2 ms here), else /tmp/emu-UID. A
 * writer uses the first it can make its own; a reader looks in both. */
static const char *const view_roots[] = {"/dev/shm", "/tmp", NULL};
static const char *own_root; /* where this process publishes */

static void base_dir(const char *root, uid_t uid, char *buf, size_t len) {
  snprintf(buf, len, "%s/emu-%u", root, (unsigned)uid);
}

static void view_dir(const char *root, uid_t uid, int pid, char *buf,
                     size_t len) {
  char base[64];
  base_dir(root, uid, base, sizeof base);
  snprintf(buf, len, "%s/%d", base, pid);
}

/* Field 22 of /proc/PID/stat, the start time in clock ticks since boot:
 * with the pid it names one host process for ever. 0 when gone. */
static unsigned long long host_start_time(int pid) {
  char path[64], buf[1024];
  snprintf(path, sizeof path, "/proc/%d/stat", pid);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return 0;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0)
    return 0;
  buf[n] = 0;
  char *s = strrchr(buf, ')');
  if (!s)
    return 0;
  s++;
  for (int field = 3; field < 22 && s; field++) /* s is before field 3 */
    s = strchr(s + 1, ' ');
  return s ? strtoull(s + 1, NULL, 10) : 0;
}

static int write_file(const char *dir, const char *name, const void *data,
                      size_t len) {
  char tmp[300], path[300];
  if (strlen(dir) + strlen(name) + 8 > sizeof tmp)
    return -1;
  snprintf(tmp, sizeof tmp, "%.200s/.%.80s.tmp", dir, name);
  snprintf(path, sizeof path, "%.200s/%.80s", dir, name);
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    return -1;
  bool ok = write(fd, data, len) == (ssize_t)len;
  close(fd);
  return ok && rename(tmp, path) == 0 ? 0 : -1;
}

static void remove_dir(const char *dir) {
  /* Usually there is nothing to remove (a first publish clears its pid's
   * name and its .new name): one call instead of fifteen each. */
  if (rmdir(dir) == 0 || errno != ENOTEMPTY)
    return;
  char path[256];
  for (int k = 0; view_files[k]; k++) {
    snprintf(path, sizeof path, "%.120s/%.40s", dir, view_files[k]);
    unlink(path);
  }
  if (rmdir(dir) == 0 || errno != ENOTEMPTY)
    return;
  /* write_file's temporary names, left by an emu killed while writing:
   * the directory could never go, and every emu would try. */
  for (int k = 0; view_files[k]; k++) {
    snprintf(path, sizeof path, "%.120s/.%.40s.tmp", dir, view_files[k]);
    unlink(path);
  }
  rmdir(dir);
}

/* Is dir the published view of the live process pid? */
static bool dir_is_live(const char *dir, int pid) {
  char path[256], buf[32];
  snprintf(path, sizeof path, "%.120s/start", dir);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0)
    return false;
  buf[n] = 0;
  unsigned long long start = host_start_time(pid);
  return start && strtoull(buf, NULL, 10) == start;
}

static void sweep_stale(const char *base) {
  DIR *d = opendir(base);
  if (!d)
    return;
  struct dirent *e;
  char dir[128];
  while ((e = readdir(d)) != NULL) {
    char *end;
    /* .PID.new: a directory own_dir was making when its emu died */
    bool making = e->d_name[0] == '.';
    const char *name = e->d_name + making;
    long pid = strtol(name, &end, 10);
    if (end == name || (making ? strcmp(end, ".new") : *end) || pid == getpid())
      continue;
    snprintf(dir, sizeof dir, "%.60s/%.40s", base, e->d_name);
    if (making ? !host_start_time((int)pid) : !dir_is_live(dir, (int)pid))
      remove_dir(dir);
  }
  closedir(d);
}

static void remove_own(void) {
  if (published_pid && published_pid == getpid()) {
    char dir[128];
    view_dir(own_root, getuid(), published_pid, dir, sizeof dir);
    remove_dir(dir);
  }
}

/* Is root/emu-UID a directory of ours (made now if missing)? */
static bool base_is_ours(const char *root) {
  char base[64];
  struct stat st;
  base_dir(root, getuid(), base, sizeof base);
  if (mkdir(base, 0700) < 0 && errno != EEXIST)
    return false;
  /* Someone else's directory (or a link) there is not ours to fill. */
  return lstat(base, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == getuid();
}

/* Our directory in root, made whole: false when root refuses. */
static bool make_own_dir(struct process *p, const char *root, const char *dir) {
  char base[64];
  base_dir(root, getuid(), base, sizeof base);
  static bool swept;
  if (!swept) {
    swept = true;
    sweep_stale(base);
  }
  remove_dir(dir); /* a dead process's files under our pid */
  /* Made whole under a name no sweeper reads, then renamed into place:
   * another emu's sweep must never find it without its start time (it
   * took a fresh child's view away, and setpgid's EACCES with it). */
  char tmp[128];
  snprintf(tmp, sizeof tmp, "%.60s/.%d.new", base, p->pid);
  remove_dir(tmp);
  if (mkdir(tmp, 0700) < 0)
    return false;
  char start[32];
  int n = snprintf(start, sizeof start, "%llu\n", host_start_time(p->pid));
  if (write_file(tmp, "start", start, (size_t)n) < 0 || rename(tmp, dir) < 0) {
    remove_dir(tmp);
    return false;
  }
  return true;
}

/* Our directory, made when first needed in the first root that takes
 * it (the one already chosen first); false when none does. */
static bool own_dir(struct process *p, char *dir, size_t len) {
  if (published_pid == p->pid) {
    view_dir(own_root, getuid(), p->pid, dir, len);
    return true;
  }
  const char *tries[4] = {own_root};
  int n = own_root != NULL;
  for (int k = 0; view_roots[k]; k++)
    if (view_roots[k] != own_root)
      tries[n++] = view_roots[k];
  for (int k = 0; k < n; k++) {
    const char *root = tries[k];
    if (!base_is_ours(root))
      continue;
    view_dir(root, getuid(), p->pid, dir, len);
    if (!make_own_dir(p, root, dir))
      continue;
    static bool registered;
    if (!registered && atexit(remove_own) == 0)
      registered = true;
    own_root = root;
    published_pid = p->pid;
    return true;
  }
  return false;
}

/* A range of guest memory (argv or envp strings) into the view. */
static void publish_range(struct process *p, const char *dir, const char *name,
                          uint64_t start, uint64_t end) {
  size_t len = end > start && end - start < (8u << 20) ? end - start : 0;
  char *buf = malloc(len ? len : 1);
  if (!buf)
    return;
  if (len && copy_from_guest(&p->mmu, buf, start, len) < 0)
    len = 0;
  write_file(dir, name, buf, len);
  free(buf);
}

static void publish_maps(struct process *p, const char *dir) {
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  if (!f)
    return;
  proc_maps(p, f);
  fclose(f);
  write_file(dir, "maps", text, len);
  free(text);
}

void proc_view_publish(struct process *p) {
  char dir[128], path[256];
  prctl_comm(p); /* names the host thread after a new image */
  if (!own_dir(p, dir, sizeof dir))
    return;
  publish_range(p, dir, "cmdline", image.arg_start, image.arg_end);
  publish_range(p, dir, "environ", image.env_start, image.env_end);
  publish_maps(p, dir);
  char tmp[256];
  snprintf(tmp, sizeof tmp, "%.120s/.exe.tmp", dir);
  snprintf(path, sizeof path, "%.120s/exe", dir);
  unlink(tmp);
  if (p->mm->exe_path[0] && symlink(p->mm->exe_path, tmp) == 0)
    rename(tmp, path);
}

void proc_view_exec(struct process *p, const struct proc_image *img) {
  image = *img;
  /* The marker first: a parent that sees the new cmdline must also see
   * that the exec happened (setpgid's EACCES). */
  char dir[128];
  if (published_pid == p->pid) {
    view_dir(own_root, getuid(), p->pid, dir, sizeof dir);
    write_file(dir, "execed", "", 0);
  }
  proc_view_publish(p);
  if (published_pid == p->pid) {
    view_dir(own_root, getuid(), p->pid, dir, sizeof dir);
    write_file(dir, "execed", "", 0);
  }
}

const struct proc_image *proc_view_image(void) { return &image; }

/* The parent publishes its child's view before fork returns to it, so
 * that no reader — the parent first of all — ever finds the child
 * without one (it would see emu's own cmdline). At fork the child's
 * view is the parent's. */
void proc_view_fork_parent(struct process *p, int child) {
  int pid = p->pid, published = published_pid;
  p->pid = child;
  published_pid = 0;
  proc_view_publish(p);
  p->pid = pid;
  published_pid = published;
}

void proc_view_fork_child(struct process *p) {
  char dir[128];
  /* Normally the parent made it already; the parent's stays its own. */
  published_pid = 0;
  if (own_root) {
    view_dir(own_root, getuid(), p->pid, dir, sizeof dir);
    published_pid = dir_is_live(dir, p->pid) ? p->pid : 0;
  }
  if (!published_pid)
    proc_view_publish(p);
}

/* The directory of pid when it is a live emu process's, else false. */
static bool live_view(int pid, char *dir, size_t len) {
  char proc[32];
  struct stat st;
  snprintf(proc, sizeof proc, "/proc/%d", pid);
  if (pid <= 0 || stat(proc, &st) < 0)
    return false;
  for (int k = 0; view_roots[k]; k++) {
    char base[64];
    struct stat bs;
    base_dir(view_roots[k], st.st_uid, base, sizeof base);
    if (lstat(base, &bs) < 0 || !S_ISDIR(bs.st_mode) || bs.st_uid != st.st_uid)
      continue;
    view_dir(view_roots[k], st.st_uid, pid, dir, len);
    if (dir_is_live(dir, pid))
      return true;
  }
  return false;
}

bool proc_view_child_execed(struct process *p, int pid) {
  char dir[128], path[256];
  char stat_path[64];
  (void)p;
  if (!live_view(pid, dir, sizeof dir))
    return false;
  /* Only a child: Linux's test is for the caller's own children. */
  snprintf(stat_path, sizeof stat_path, "/proc/%d/stat", pid);
  FILE *f = fopen(stat_path, "re");
  int ppid = -1;
  if (f) {
    char buf[1024];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    char *s = strrchr(buf, ')');
    if (s)
      sscanf(s + 1, " %*c %d", &ppid);
    fclose(f);
  }
  snprintf(path, sizeof path, "%.120s/execed", dir);
  return ppid == getpid() && access(path, F_OK) == 0;
}

int proc_view_open(int pid, const char *name) {
  char dir[128], path[256];
  if (!live_view(pid, dir, sizeof dir))
    return -1;
  snprintf(path, sizeof path, "%.120s/%.40s", dir, name);
  return open(path, O_RDONLY | O_CLOEXEC);
}

int proc_view_exe(int pid, char *buf, size_t len) {
  char dir[128], path[256];
  if (!live_view(pid, dir, sizeof dir))
    return -1;
  snprintf(path, sizeof path, "%.120s/exe", dir);
  ssize_t n = readlink(path, buf, len);
  return n < 0 ? -1 : (int)n;
}
