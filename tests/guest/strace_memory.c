/* Memory calls as strace prints them (its -O2 build runs under
 * strace_compare.sh), and the errors Linux gives for their flags: mmap
 * types and flags (MAP_SHARED_VALIDATE refuses anonymous memory and
 * unknown flags), memfd flags and seals, msync flags, mremap grown,
 * shrunk and moved to a fixed address, madvise advice (unknown ones are
 * EINVAL), MADV_POPULATE_WRITE and mincore's residency, the mlock
 * family, mprotect's PROT_GROWSDOWN/UP and membarrier. Only results and
 * errno names are printed (the addresses are in the trace, which emu's
 * layout reproduces). */
#define _GNU_SOURCE /* strerrorname_np, mremap, memfd_create */
#include <errno.h>
#include <fcntl.h>
#include <linux/membarrier.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PG 4096

static void show(const char *what, long r) {
  if (r < 0)
    printf("%-34s -1 %s\n", what, strerrorname_np(errno));
  else
    printf("%-34s %ld\n", what, r);
}

static void show_map(const char *what, void *m) {
  show(what, m == MAP_FAILED ? -1 : 0);
}

static void mmaps(void) {
  show_map("mmap type 0 (MAP_FILE), fd 99",
           mmap(NULL, PG, PROT_READ, 0, 99, 0));
  show_map(
      "mmap SHARED_VALIDATE anonymous",
      mmap(NULL, PG, PROT_READ, MAP_SHARED_VALIDATE | MAP_ANONYMOUS, -1, 0));
  show_map("mmap prot 0x10000", mmap(NULL, PG, PROT_READ | 0x10000,
                                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  void *m = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE | MAP_STACK, -1, 0);
  show_map("mmap POPULATE|STACK", m);
  munmap(m, 2 * PG);
  m = mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN, -1,
           0);
  show_map("mmap GROWSDOWN", m);
  munmap(m, PG);
}

static void memfd(void) {
  int fd = memfd_create("strace-memory", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  show("memfd_create CLOEXEC|ALLOW_SEALING", fd);
  show("memfd_create 0x100", memfd_create("x", 0x100));
  show("ftruncate", ftruncate(fd, PG));
  show_map("mmap SHARED_VALIDATE|0x800000 file",
           mmap(NULL, PG, PROT_READ, MAP_SHARED_VALIDATE | 0x800000, fd, 0));
  char *m = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  show_map("mmap SHARED file", m);
  show("msync SYNC", msync(m, PG, MS_SYNC));
  show("msync ASYNC|INVALIDATE", msync(m, PG, MS_ASYNC | MS_INVALIDATE));
  show("msync SYNC|ASYNC", msync(m, PG, MS_SYNC | MS_ASYNC));
  show("msync 0x63", msync(m, PG, 0x63));
  show("msync unaligned", msync(m + 1, PG, MS_SYNC));
  munmap(m, PG);
  show("F_ADD_SEALS SHRINK|GROW",
       fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW));
  show("F_GET_SEALS", fcntl(fd, F_GET_SEALS));
  show("F_ADD_SEALS 0x100", fcntl(fd, F_ADD_SEALS, 0x100));
  close(fd);
}

static void remaps(void) {
  char *a = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  memset(a, 'x', 4 * PG);
  char *b = mremap(a, 4 * PG, 8 * PG, MREMAP_MAYMOVE);
  show_map("mremap grow MAYMOVE", b);
  char *c = mremap(b, 8 * PG, 2 * PG, 0);
  show_map("mremap shrink", c);
  char *target = c + 64 * PG;
  char *d = mremap(c, 2 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, target);
  show("mremap FIXED: at the target", d == target);
  printf("contents kept: %d\n", d != MAP_FAILED && d[0] == 'x' && d[PG] == 'x');
  show_map("mremap FIXED overlapping",
           mremap(d, PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, d + PG));
  show_map("mremap FIXED without MAYMOVE",
           mremap(d, PG, PG, MREMAP_FIXED, d + 16 * PG));
  show_map("mremap flags 0x63", mremap(d, PG, PG, 0x63));
  munmap(d, 4 * PG);
}

static void advice(void) {
  static const int advices[] = {MADV_NORMAL,
                                MADV_RANDOM,
                                MADV_SEQUENTIAL,
                                MADV_WILLNEED,
                                MADV_DONTNEED,
                                MADV_FREE,
                                MADV_DONTFORK,
                                MADV_DOFORK,
                                MADV_DONTDUMP,
                                MADV_DODUMP,
                                MADV_WIPEONFORK,
                                MADV_KEEPONFORK,
                                99,
                                -1};
  char *m = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  for (unsigned k = 0; k < sizeof advices / sizeof *advices; k++) {
    char what[32];
    snprintf(what, sizeof what, "madvise %d", advices[k]);
    show(what, madvise(m, 4 * PG, advices[k]));
  }
  show("madvise unaligned", madvise(m + 1, PG, MADV_NORMAL));
  /* Residency: pages 0 and 2 touched, then all of them populated. */
  unsigned char vec[4];
  m[0] = 1;
  m[2 * PG] = 1;
  show("mincore", mincore(m, 4 * PG, vec));
  printf("resident %d %d %d %d\n", vec[0], vec[1], vec[2], vec[3]);
  show("mincore unaligned", mincore(m + 1, PG, vec));
  show("mincore bad vector", mincore(m, PG, (unsigned char *)8));
  show("mlock", mlock(m, PG));
  show("munlock", munlock(m, PG));
  show("mlock2 ONFAULT", syscall(SYS_mlock2, m, PG, MLOCK_ONFAULT));
  show("mlock2 8", syscall(SYS_mlock2, m, PG, 8));
  show("munlock", munlock(m, PG));
  show("mlockall FUTURE", mlockall(MCL_FUTURE));
  show("munlockall", munlockall());
  show("mlockall 0", mlockall(0));
  show("mlockall ONFAULT", mlockall(MCL_ONFAULT));
  show("mlockall 8", mlockall(8));
  show("mprotect READ", mprotect(m, PG, PROT_READ));
  show("mprotect GROWSDOWN", mprotect(m, PG, PROT_READ | PROT_GROWSDOWN));
  show("mprotect GROWSUP", mprotect(m, PG, PROT_READ | PROT_GROWSUP));
  show("mprotect 0x100", mprotect(m, PG, 0x100));
  munmap(m, 4 * PG);
  show("mlock unmapped", mlock(m, PG));
  show("mincore unmapped", mincore(m, PG, vec));
}

static void barriers(void) {
  long query = syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
  show("membarrier QUERY", query < 0 ? -1 : 0);
  show(
      "membarrier REGISTER_PRIVATE_EXPEDITED",
      syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0));
  show("membarrier PRIVATE_EXPEDITED",
       syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0));
  show("membarrier 99", syscall(SYS_membarrier, 99, 0, 0));
}

int main(void) {
  mmaps();
  memfd();
  remaps();
  advice();
  barriers();
  return 0;
}
