/* mlock, mlock2, munlock, mlockall, munlockall against Linux: locking
 * populates the pages (mincore sees them resident, except with
 * MLOCK_ONFAULT), the locked size shows in /proc/self/status VmLck,
 * holes are ENOMEM, bad flags EINVAL, a forked child starts unlocked,
 * MCL_FUTURE locks later mappings. RLIMIT_MEMLOCK is the caller's (both
 * runs are the same user: root has CAP_IPC_LOCK). */
#define _GNU_SOURCE /* strerrorname_np, mlock2 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096

static void show(const char *what, long r) {
  if (r < 0)
    printf("%-30s -1 %s\n", what, strerrorname_np(errno));
  else
    printf("%-30s %ld\n", what, r);
}

static long vmlck_kb(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long kb = -1;
  while (f && fgets(line, sizeof line, f))
    if (sscanf(line, "VmLck: %ld kB", &kb) == 1)
      break;
  if (f)
    fclose(f);
  return kb;
}

static void resident(const char *what, void *addr, size_t pages) {
  unsigned char vec[16];
  long r = syscall(SYS_mincore, addr, pages * PAGE, vec);
  printf("%-30s", what);
  if (r < 0) {
    printf(" -1 %s\n", strerrorname_np(errno));
    return;
  }
  for (size_t k = 0; k < pages; k++)
    printf(" %d", vec[k] & 1);
  printf("\n");
}

int main(void) {
  char *m = mmap(NULL, 8 * PAGE, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  munmap(m + 6 * PAGE, PAGE); /* a hole at page 6 */
  resident("untouched", m, 4);
  show("mlock 2 pages (unaligned)", mlock(m + 100, PAGE));
  resident("after mlock", m, 4);
  printf("VmLck %ld kB\n", vmlck_kb());
  show("mlock2 ONFAULT page 2..3",
       syscall(SYS_mlock2, m + 2 * PAGE, 2 * PAGE, 1));
  resident("after mlock2 ONFAULT", m, 4);
  printf("VmLck %ld kB\n", vmlck_kb());
  m[3 * PAGE] = 1;
  resident("after a write", m, 4);
  show("mlock2 flags 2", syscall(SYS_mlock2, m, PAGE, 2));
  show("mlock over the hole", mlock(m + 5 * PAGE, 2 * PAGE));
  show("mlock length 0", mlock(m, 0));
  show("munlock page 1", munlock(m + PAGE, PAGE));
  printf("VmLck %ld kB\n", vmlck_kb());
  show("munlock over the hole", munlock(m + 5 * PAGE, 2 * PAGE));
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    printf("child VmLck %ld kB\n", vmlck_kb());
    return 0;
  }
  waitpid(pid, NULL, 0);
  show("munlock all 8", munlock(m, 6 * PAGE));
  printf("VmLck %ld kB\n", vmlck_kb());
  char *none = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  show("mlock PROT_NONE", mlock(none, PAGE));
  munlock(none, PAGE);
  show("mlockall 0", mlockall(0));
  show("mlockall ONFAULT alone", mlockall(MCL_ONFAULT));
  show("mlockall 8", mlockall(8));
  show("mlockall FUTURE", mlockall(MCL_FUTURE));
  char *later = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  resident("mapped after MCL_FUTURE", later, 2);
  show("munlockall", munlockall());
  char *after = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  resident("mapped after munlockall", after, 2);
  char *locked = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
  resident("MAP_LOCKED", locked, 2);
  printf("VmLck %ld kB\n", vmlck_kb());
  munmap(locked, 2 * PAGE);
  printf("VmLck after munmap %ld kB\n", vmlck_kb());
  return 0;
}
