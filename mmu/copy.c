/* The kernel's only way into guest memory. Each page is translated as a
 * user access; a fault is offered to the kernel's fault handler (demand
 * paging from inside a system call, like Linux's fixup path) and becomes
 * -EFAULT when it cannot be resolved. */
#include <errno.h>
#include <string.h>

#include "mmu.h"

static void *guest_page(struct mmu *m, uint64_t addr, enum mmu_access kind) {
  uint64_t paddr;
  for (int attempt = 0; attempt < 2; attempt++) {
    uint32_t err = mmu_translate(m, addr, kind, &paddr);
    if (!err)
      return mmu_phys(m, paddr);
    if (err & PFERR_NONCANONICAL || !m->fault_handler ||
        !m->fault_handler(m->fault_ctx, addr, err))
      return NULL;
  }
  return NULL;
}

static size_t chunk(uint64_t addr, size_t n) {
  size_t room = PAGE_SIZE - (addr & ~PAGE_MASK);
  return n < room ? n : room;
}

int copy_from_guest(struct mmu *m, void *dst, uint64_t src, size_t n) {
  uint8_t *out = dst;
  while (n) {
    size_t k = chunk(src, n);
    void *p = guest_page(m, src, MMU_READ);
    if (!p)
      return -EFAULT;
    memcpy(out, p, k);
    out += k, src += k, n -= k;
  }
  return 0;
}

int copy_to_guest(struct mmu *m, uint64_t dst, const void *src, size_t n) {
  const uint8_t *in = src;
  while (n) {
    size_t k = chunk(dst, n);
    void *p = guest_page(m, dst, MMU_WRITE);
    if (!p)
      return -EFAULT;
    memcpy(p, in, k);
    if (m->code_write_hook)
      m->code_write_hook(m->code_hook_ctx, dst & PAGE_MASK);
    in += k, dst += k, n -= k;
  }
  return 0;
}

long strncpy_from_guest(struct mmu *m, char *dst, uint64_t src, size_t max) {
  size_t len = 0;
  while (len < max) {
    size_t k = chunk(src + len, max - len);
    const char *p = guest_page(m, src + len, MMU_READ);
    if (!p)
      return -EFAULT;
    const char *nul = memchr(p, 0, k);
    size_t take = nul ? (size_t)(nul - p) : k;
    memcpy(dst + len, p, take);
    len += take;
    if (nul) {
      dst[len] = 0;
      return (long)len;
    }
  }
  if (max)
    dst[max - 1] = 0;
  return -ENAMETOOLONG;
}
