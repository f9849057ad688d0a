/* Identity and information calls: uname, the ids, the thread registration
 * calls glibc makes at start (set_tid_address, set_robust_list, rseq),
 * resource limits, usage, random bytes and the CPU set. */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "../fs.h"
#include "../syscall_table.h"

int64_t sys_uname(struct process *p, const uint64_t a[6]) {
  struct utsname u;
  if (uname(&u) < 0)
    return -errno;
  /* The guest runs on an emulated x86-64 whatever the host is. */
  strcpy(u.machine, "x86_64");
  return copy_to_guest(&p->mmu, a[0], &u, sizeof u) < 0 ? -EFAULT : 0;
}

int64_t sys_getpid(struct process *p, const uint64_t a[6]) {
  (void)a;
  return p->pid;
}

int64_t sys_gettid(struct process *p, const uint64_t a[6]) {
  (void)a;
  return p->tid;
}

/* Credentials are the host process's: emu runs the guest as itself. */
#define HOST_ID(name)                                                          \
  int64_t sys_##name(struct process *p, const uint64_t a[6]) {                 \
    (void)p;                                                                   \
    (void)a;                                                                   \
    return fs_host_ret(syscall(SYS_##name));                                   \
  }
HOST_ID(getuid)
HOST_ID(geteuid)
HOST_ID(getgid)
HOST_ID(getegid)
#undef HOST_ID

/* A pid argument: 0 and our own pid mean us. Another pid is the host's
 * to find (another guest process is a host process too). */
static bool is_self(struct process *p, uint64_t pid) {
  return (int)pid == 0 || (int)pid == p->pid;
}

static int64_t get_res_ids(struct process *p, const uint64_t a[6], long nr) {
  uint32_t ids[3];
  if (syscall(nr, &ids[0], &ids[1], &ids[2]) < 0)
    return -errno;
  for (int k = 0; k < 3; k++)
    if (copy_to_guest(&p->mmu, a[k], &ids[k], 4) < 0)
      return -EFAULT;
  return 0;
}

int64_t sys_getresuid(struct process *p, const uint64_t a[6]) {
  return get_res_ids(p, a, SYS_getresuid);
}

int64_t sys_getresgid(struct process *p, const uint64_t a[6]) {
  return get_res_ids(p, a, SYS_getresgid);
}

int64_t sys_getgroups(struct process *p, const uint64_t a[6]) {
  static gid_t groups[65536];
  int size = (int)a[0];
  if (size < 0)
    return -EINVAL;
  int n = getgroups(0, NULL);
  if (n < 0)
    return -errno;
  if (size == 0)
    return n;
  if (size < n)
    return -EINVAL;
  n = getgroups(n, groups);
  if (n < 0)
    return -errno;
  return copy_to_guest(&p->mmu, a[1], groups, (size_t)n * sizeof *groups) < 0
             ? -EFAULT
             : n;
}

int64_t sys_set_tid_address(struct process *p, const uint64_t a[6]) {
  p->clear_child_tid = a[0];
  return p->tid;
}

int64_t sys_set_robust_list(struct process *p, const uint64_t a[6]) {
  if (a[1] != 24) /* sizeof(struct robust_list_head) */
    return -EINVAL;
  p->robust_list = a[0];
  p->robust_len = a[1];
  return 0;
}

/* get_robust_list (kernel/futex/syscalls.c): the head a task of this
 * process registered, and its length. A task of another process is
 * another emu, whose guest list this one cannot see: EPERM, as for a
 * task the caller may not inspect; ESRCH when the host has no such
 * task. */
int64_t sys_get_robust_list(struct process *p, const uint64_t a[6]) {
  int pid = (int)a[0];
  struct process *t = pid ? thread_find(pid) : p;
  if (pid < 0)
    return -ESRCH;
  if (!t)
    return kill(pid, 0) < 0 && errno == ESRCH ? -ESRCH : -EPERM;
  uint64_t len = 24; /* sizeof(struct robust_list_head) */
  if (copy_to_guest(&p->mmu, a[2], &len, sizeof len) < 0 ||
      copy_to_guest(&p->mmu, a[1], &t->robust_list, 8) < 0)
    return -EFAULT;
  return 0;
}

/* personality (kernel/exec_domain.c): any value is taken as it is
 * (set_personality); 0xffffffff only asks. The old persona is the
 * answer. */
int64_t sys_personality(struct process *p, const uint64_t a[6]) {
  uint32_t old = p->personality;
  if ((uint32_t)a[0] != 0xffffffff)
    p->personality = (uint32_t)a[0];
  return old;
}

/* rseq registration (kernel/rseq.c): the area must be 32-byte aligned
 * and at least 32 bytes. On return to user space Linux stores the CPU
 * number in cpu_id_start and cpu_id (node_id, mm_cid after them); the
 * emulated machine has one CPU, number 0. */
int64_t sys_rseq(struct process *p, const uint64_t a[6]) {
  uint64_t addr = a[0], len = (uint32_t)a[1];
  uint32_t flags = (uint32_t)a[2];
  if (flags & ~1u)
    return -EINVAL;
  if (flags & 1) { /* RSEQ_FLAG_UNREGISTER */
    if (!p->rseq_addr || p->rseq_addr != addr)
      return -EINVAL;
    p->rseq_addr = 0;
    return 0;
  }
  if (p->rseq_addr)
    return p->rseq_addr == addr ? -EBUSY : -EINVAL;
  if ((addr & 31) || len < 32)
    return -EINVAL;
  uint32_t ids[2] = {0, 0};
  uint32_t node_cid[2] = {0, 0};
  if (copy_to_guest(&p->mmu, addr, ids, sizeof ids) < 0 ||
      copy_to_guest(&p->mmu, addr + 20, node_cid, sizeof node_cid) < 0)
    return -EFAULT;
  p->rseq_addr = addr;
  return 0;
}

/* Resource limits are the guest's own: they start as the host's, with
 * the stack Linux gives a fresh process (8 MiB, no hard limit) and no
 * more descriptors than the guest table holds. */
static struct rlimit guest_limits[RLIM_NLIMITS];
static bool limits_ready;

static void limits_init(void) {
  if (limits_ready)
    return;
  for (int k = 0; k < RLIM_NLIMITS; k++)
    getrlimit(k, &guest_limits[k]);
  guest_limits[RLIMIT_STACK].rlim_cur = 8192 * 1024;
  guest_limits[RLIMIT_STACK].rlim_max = RLIM_INFINITY;
  if (guest_limits[RLIMIT_NOFILE].rlim_cur > FD_MAX)
    guest_limits[RLIMIT_NOFILE].rlim_cur = FD_MAX;
  if (guest_limits[RLIMIT_NOFILE].rlim_max > FD_MAX)
    guest_limits[RLIMIT_NOFILE].rlim_max = FD_MAX;
  limits_ready = true;
}

uint64_t rlimit_cur(int resource) {
  limits_init();
  return guest_limits[resource].rlim_cur;
}

static int64_t do_prlimit(struct process *p, uint64_t res, uint64_t new_addr,
                          uint64_t old_addr) {
  struct rlimit nl;
  limits_init();
  if (res >= RLIM_NLIMITS)
    return -EINVAL;
  if (new_addr) {
    if (copy_from_guest(&p->mmu, &nl, new_addr, sizeof nl) < 0)
      return -EFAULT;
    if (nl.rlim_cur > nl.rlim_max)
      return -EINVAL;
    if (res == RLIMIT_NOFILE && nl.rlim_max > FD_MAX)
      return -EPERM; /* above fs.nr_open for this table */
  }
  if (old_addr && copy_to_guest(&p->mmu, old_addr, &guest_limits[res],
                                sizeof guest_limits[res]) < 0)
    return -EFAULT;
  if (new_addr)
    guest_limits[res] = nl;
  return 0;
}

/* Another process's limits are its host process's: a guest process's
 * own table starts from them (limits_init). */
int64_t sys_prlimit64(struct process *p, const uint64_t a[6]) {
  if (is_self(p, a[0]))
    return do_prlimit(p, a[1], a[2], a[3]);
  struct rlimit nl, ol;
  if (a[2] && copy_from_guest(&p->mmu, &nl, a[2], sizeof nl) < 0)
    return -EFAULT;
  if (syscall(SYS_prlimit64, (pid_t)a[0], (int)a[1], a[2] ? &nl : NULL,
              a[3] ? &ol : NULL) < 0)
    return -errno;
  return a[3] && copy_to_guest(&p->mmu, a[3], &ol, sizeof ol) < 0 ? -EFAULT : 0;
}

int64_t sys_getrlimit(struct process *p, const uint64_t a[6]) {
  return do_prlimit(p, a[0], 0, a[1]);
}

int64_t sys_setrlimit(struct process *p, const uint64_t a[6]) {
  return do_prlimit(p, a[0], a[1], 0);
}

/* --deterministic: a splitmix64 stream from the seed. */
static uint64_t random_state;
static bool random_seeded;

static uint64_t next_random(struct process *p) {
  if (!random_seeded) {
    random_state = p->opt ? p->opt->seed : 0;
    random_seeded = true;
  }
  uint64_t z = (random_state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

int64_t sys_getrandom(struct process *p, const uint64_t a[6]) {
  uint8_t buf[256];
  if (a[2] & ~7ull || (a[2] & 6) == 6) /* GRND_RANDOM|GRND_INSECURE */
    return -EINVAL;
  /* Linux returns at most 32 MiB per call; emu fills 256 at a time. */
  uint64_t len = a[1] > (32u << 20) ? (32u << 20) : a[1];
  uint64_t done = 0;
  while (done < len) {
    size_t n = len - done < sizeof buf ? (size_t)(len - done) : sizeof buf;
    if (p->opt && p->opt->deterministic) {
      for (size_t k = 0; k < n; k += 8) {
        uint64_t r = next_random(p);
        memcpy(buf + k, &r, n - k < 8 ? n - k : 8);
      }
    } else {
      ssize_t r = getrandom(buf, n, (unsigned)a[2]);
      if (r < 0)
        return done ? (int64_t)done : -errno;
      n = (size_t)r;
    }
    if (copy_to_guest(&p->mmu, a[0] + done, buf, n) < 0)
      return done ? (int64_t)done : -EFAULT;
    done += n;
  }
  return (int64_t)done;
}

int64_t sys_sysinfo(struct process *p, const uint64_t a[6]) {
  struct sysinfo s;
  if (sysinfo(&s) < 0)
    return -errno;
  if (p->opt && p->opt->deterministic) {
    /* The host's load and free memory change from run to run: a
     * deterministic machine is idle, its uptime is its virtual boot
     * clock, and its free memory what the guest has not taken. */
    uint64_t used = p->mmu.space->frames_used * 4096ull / s.mem_unit;
    s.uptime = time_now_ns(p, CLOCK_BOOTTIME) / 1000000000;
    memset(s.loads, 0, sizeof s.loads);
    s.freeram = s.totalram > used ? s.totalram - used : 0;
    s.sharedram = s.bufferram = 0;
    s.freeswap = s.totalswap;
    s.procs = (unsigned short)thread_count();
  }
  return copy_to_guest(&p->mmu, a[0], &s, sizeof s) < 0 ? -EFAULT : 0;
}

/* Guest threads are host threads: a thread that yields lets the host
 * run another (a spinning thread waits for one that may share its
 * core). */
int64_t sys_sched_yield(struct process *p, const uint64_t a[6]) {
  (void)a;
  if (det_threads(p)) {
    det_yield(p); /* --deterministic: the quantum ends here */
    return 0;
  }
  kernel_unlock();
  sched_yield();
  kernel_lock();
  return 0;
}

/* The CPUs the guest's threads run on are the host's: its mask of the
 * task (guest tids are host tids), as many bytes as the host kernel's
 * cpumask, which Linux returns. */
int64_t sys_sched_getaffinity(struct process *p, const uint64_t a[6]) {
  uint8_t mask[512];
  pid_t tid = a[0] == 0 ? (pid_t)p->tid : (pid_t)a[0];
  size_t len = a[1] < sizeof mask ? (size_t)a[1] : sizeof mask;
  long n = syscall(SYS_sched_getaffinity, tid, len, mask);
  if (n < 0)
    return -errno;
  return copy_to_guest(&p->mmu, a[2], mask, (size_t)n) < 0 ? -EFAULT : n;
}

/* Honoured by the host for the task's host thread (or another task). */
int64_t sys_sched_setaffinity(struct process *p, const uint64_t a[6]) {
  uint8_t mask[512] = {0};
  pid_t tid = a[0] == 0 ? (pid_t)p->tid : (pid_t)a[0];
  size_t len = a[1] < sizeof mask ? (size_t)a[1] : sizeof mask;
  if (copy_from_guest(&p->mmu, mask, a[2], len) < 0)
    return -EFAULT;
  long r = syscall(SYS_sched_setaffinity, tid, len, mask);
  return r < 0 ? -errno : r;
}
