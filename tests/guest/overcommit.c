/* Linux's default overcommit heuristic (vm.overcommit_memory=0,
 * mm/util.c __vm_enough_memory): one allocation larger than RAM + swap
 * fails with ENOMEM, but only memory the kernel accounts: private
 * writable mappings, shared anonymous ones, the brk, a private mapping
 * made writable by mprotect, an accounted mapping grown by mremap.
 * MAP_NORESERVE, read-only and PROT_NONE private mappings and shared
 * file mappings are not accounted (mm/mmap.c accountable_mapping).
 * Every request is 1 TiB, so the outcomes are the same on any host with
 * less RAM + swap than that; only outcomes are printed. An argument N
 * makes the requests N MiB instead (scripts/mem_limit.sh runs it so
 * under emu --mem-limit, smaller than N). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static size_t big = 1ull << 40; /* the request: 1 TiB */

static void *map(const char *what, size_t len, int prot, int flags, int fd) {
  void *p = mmap(NULL, len, prot, flags, fd, 0);
  printf("%-44s %s\n", what, p == MAP_FAILED ? strerrorname_np(errno) : "ok");
  return p == MAP_FAILED ? NULL : p;
}

static void unmap(void *p, size_t len) {
  if (p)
    munmap(p, len);
}

static void check(const char *what, int r) {
  printf("%-44s %s\n", what, r ? strerrorname_np(errno) : "ok");
}

static void anonymous(void) {
  const int priv = MAP_PRIVATE | MAP_ANONYMOUS;
  void *p = map("private rw", big, PROT_READ | PROT_WRITE, priv, -1);
  unmap(p, big);
  p = map("private rw, MAP_NORESERVE", big, PROT_READ | PROT_WRITE,
          priv | MAP_NORESERVE, -1);
  if (p) {
    /* Only touched pages cost memory: the first and the last. */
    ((volatile char *)p)[0] = 1;
    ((volatile char *)p)[big - 1] = 2;
    printf("%-44s %d %d\n", "  touched first and last page",
           ((volatile char *)p)[0], ((volatile char *)p)[big - 1]);
  }
  unmap(p, big);
  p = map("private read-only", big, PROT_READ, priv, -1);
  unmap(p, big);
  p = map("private PROT_NONE", big, PROT_NONE, priv, -1);
  if (p) {
    check("  mprotect rw, all of it", mprotect(p, big, PROT_READ | PROT_WRITE));
    check("  mprotect rw, one page", mprotect(p, 4096, PROT_READ | PROT_WRITE));
    ((volatile char *)p)[0] = 1;
    check("  mprotect rw, the rest",
          mprotect((char *)p + 4096, big - 4096, PROT_READ | PROT_WRITE));
  }
  unmap(p, big);
  p = map("private PROT_NONE, MAP_NORESERVE", big, PROT_NONE,
          priv | MAP_NORESERVE, -1);
  if (p)
    check("  mprotect rw", mprotect(p, big, PROT_READ | PROT_WRITE));
  unmap(p, big);
  p = map("shared anonymous read-only", big, PROT_READ,
          MAP_SHARED | MAP_ANONYMOUS, -1);
  unmap(p, big);
  p = map("shared anonymous, MAP_NORESERVE", big, PROT_READ | PROT_WRITE,
          MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1);
  unmap(p, big);
  p = map("private rw, 1 MiB", 1 << 20, PROT_READ | PROT_WRITE, priv, -1);
  unmap(p, 1 << 20);
  void *m = malloc(big);
  printf("%-44s %s\n", "malloc", m ? "ok" : "NULL");
  free(m);
}

/* Where Linux places a large file mapping depends on the file system
 * (ext4 aligns it for huge pages, tmpfs does not), so the file mappings
 * go at a fixed address, over a reservation that is not accounted: the
 * charge is the whole mapping, as without one. */
static void map_file_fixed(const char *what, int prot, int flags, int fd) {
  void *at = mmap(NULL, big, PROT_NONE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (at == MAP_FAILED) {
    printf("%-44s no room\n", what);
    return;
  }
  void *p = mmap(at, big, prot, flags | MAP_FIXED, fd, 0);
  printf("%-44s %s\n", what, p == MAP_FAILED ? strerrorname_np(errno) : "ok");
  munmap(at, big);
}

static void files(void) {
  /* A nameless scratch file, so that traces show no random name. */
  int fd = open("/tmp", O_TMPFILE | O_RDWR, 0600);
  if (fd < 0 || ftruncate(fd, 4096) != 0) {
    printf("no scratch file\n");
    return;
  }
  map_file_fixed("file private rw", PROT_READ | PROT_WRITE, MAP_PRIVATE, fd);
  map_file_fixed("file private read-only", PROT_READ, MAP_PRIVATE, fd);
  map_file_fixed("file shared rw", PROT_READ | PROT_WRITE, MAP_SHARED, fd);
  close(fd);
  void *p;
  fd = open("/dev/zero", O_RDWR);
  p = map("/dev/zero private rw", big, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd);
  unmap(p, big);
  p = map("/dev/zero shared", big, PROT_READ | PROT_WRITE, MAP_SHARED, fd);
  unmap(p, big);
  close(fd);
}

static void brk_and_mremap(void) {
  char *old = sbrk(0);
  int r = brk(old + big);
  printf("%-44s %s, break moved %d\n", "brk up by the request",
         r ? strerrorname_np(errno) : "ok", (char *)sbrk(0) != old);
  r = brk(old + (1 << 20));
  printf("%-44s %s, break moved %d\n", "brk up by 1 MiB",
         r ? strerrorname_np(errno) : "ok", (char *)sbrk(0) != old);
  brk(old);

  const int priv = MAP_PRIVATE | MAP_ANONYMOUS;
  void *p = map("private rw, one page", 4096, PROT_READ | PROT_WRITE, priv, -1);
  void *q = mremap(p, 4096, big, MREMAP_MAYMOVE);
  printf("%-44s %s\n", "  mremap to the request",
         q == MAP_FAILED ? strerrorname_np(errno) : "ok");
  unmap(q == MAP_FAILED ? p : q, q == MAP_FAILED ? 4096 : big);
  p = map("private rw, one page, MAP_NORESERVE", 4096, PROT_READ | PROT_WRITE,
          priv | MAP_NORESERVE, -1);
  q = mremap(p, 4096, big, MREMAP_MAYMOVE);
  printf("%-44s %s\n", "  mremap to the request",
         q == MAP_FAILED ? strerrorname_np(errno) : "ok");
  unmap(q == MAP_FAILED ? p : q, q == MAP_FAILED ? 4096 : big);
  p = map("private read-only, one page", 4096, PROT_READ, priv, -1);
  q = mremap(p, 4096, big, MREMAP_MAYMOVE);
  printf("%-44s %s\n", "  mremap to the request",
         q == MAP_FAILED ? strerrorname_np(errno) : "ok");
  unmap(q == MAP_FAILED ? p : q, q == MAP_FAILED ? 4096 : big);
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (argc > 1)
    big = strtoull(argv[1], NULL, 0) << 20;
  anonymous();
  files();
  brk_and_mremap();
  return 0;
}
