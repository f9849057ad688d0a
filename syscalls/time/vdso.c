/* The vDSO mapping (arch/x86/entry/vdso/vma.c): [vvar] (4 pages),
 * [vvar_vclock] (2 pages) and [vdso] (2 pages), in one top-down range, so
 * that every later mmap lands where it lands on Linux 6.x. The image is
 * roms/vdso, built from source and embedded in emu. */
#include <errno.h>
#include <sys/mman.h>

#include "../process.h"
#include "roms.h"

#define VVAR_PAGES 4
#define VCLOCK_PAGES 2
#define VDSO_PAGES 2

static int map_kind(struct process *p, uint64_t addr, uint64_t pages,
                    int kind) {
  int64_t r = mm_map(p, addr, pages * PAGE_SIZE, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  if (r < 0)
    return (int)r;
  vma_find(&p->mm->vmas, addr)->kind = kind;
  return 0;
}

int vdso_map(struct process *p) {
  const struct rom *image = rom_find("vdso");
  if (!image || image->size > VDSO_PAGES * PAGE_SIZE)
    return -ENOEXEC;
  uint64_t total = (VVAR_PAGES + VCLOCK_PAGES + VDSO_PAGES) * PAGE_SIZE;
  uint64_t base = mm_find_free(p, total);
  if (!base)
    return -ENOMEM;
  uint64_t vclock = base + VVAR_PAGES * PAGE_SIZE;
  uint64_t vdso = vclock + VCLOCK_PAGES * PAGE_SIZE;
  int e = map_kind(p, base, VVAR_PAGES, VMA_VVAR);
  if (!e)
    e = map_kind(p, vclock, VCLOCK_PAGES, VMA_VVAR_VCLOCK);
  if (!e)
    e = map_kind(p, vdso, VDSO_PAGES, VMA_VDSO);
  if (!e)
    e = copy_to_guest(&p->mmu, vdso, image->data, image->size);
  if (!e)
    e = mm_protect(p, base, vdso - base, PROT_READ);
  if (!e)
    e = mm_protect(p, vdso, VDSO_PAGES * PAGE_SIZE, PROT_READ | PROT_EXEC);
  if (e)
    return e;
  p->mm->vdso_base = vdso;
  return 0;
}

bool vdso_contains(struct process *p, uint64_t rip) {
  return p->mm->vdso_base && rip >= p->mm->vdso_base &&
         rip < p->mm->vdso_base + VDSO_PAGES * PAGE_SIZE;
}

/* lib/vdso/gettimeofday.c: clock_gettime and clock_getres serve the
 * high-resolution clocks (REALTIME, MONOTONIC, BOOTTIME, TAI), the
 * coarse ones and MONOTONIC_RAW; any other id, a CPU clock among them,
 * falls back to the system call. */
bool vdso_answers(uint64_t nr, const uint64_t a[6]) {
  if (nr != 228 && nr != 229) /* clock_gettime, clock_getres */
    return true;
  uint32_t clock = (uint32_t)a[0];
  const uint32_t served =
      1u << 0 | 1u << 1 | 1u << 4 | 1u << 5 | 1u << 6 | 1u << 7 | 1u << 11;
  return clock < 32 && (served >> clock & 1);
}
