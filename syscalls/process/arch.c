/* arch_prctl(2): the FS and GS bases, which glibc uses for TLS. */
#include <asm/prctl.h>
#include <errno.h>

#include "../core_handlers.h"
#include "../process.h"

static bool canonical(uint64_t a) {
  return (uint64_t)((int64_t)(a << 16) >> 16) == a;
}

int64_t sys_arch_prctl(struct process *p, const uint64_t a[6]) {
  uint64_t v;
  switch (a[0]) {
  case ARCH_SET_FS:
  case ARCH_SET_GS:
    /* Linux refuses bases at or above TASK_SIZE with EPERM. */
    if (!canonical(a[1]) || a[1] >= USER_TOP)
      return -EPERM;
    /* The selector goes to 0 with the new base (do_arch_prctl_64). */
    if (a[0] == ARCH_SET_FS) {
      p->cpu.fs_base = a[1];
      p->cpu.fs_sel = 0;
    } else {
      p->cpu.gs_base = a[1];
      p->cpu.gs_sel = 0;
    }
    return 0;
  case ARCH_GET_FS:
  case ARCH_GET_GS:
    v = a[0] == ARCH_GET_FS ? p->cpu.fs_base : p->cpu.gs_base;
    return copy_to_guest(&p->mmu, a[1], &v, sizeof v);
  default: return -EINVAL;
  }
}
