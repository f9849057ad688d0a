/* get_mempolicy and set_mempolicy (mm/mempolicy.c). A guest thread is a
 * host thread and guest memory is emu's, so the policy is the host
 * thread's own: set in and asked of the host kernel, which also checks
 * every argument in Linux's order. Only addresses differ: an
 * MPOL_F_ADDR address is a guest one, asked about at the host address
 * of its frame (the node its page is on), or, for a page not present,
 * at any address of guest memory (its policy is the same default: emu
 * never mbinds); one outside the guest's mappings is asked about at an
 * address the host never maps, so the host's own checks come first and
 * then its EFAULT. */
#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../process.h"
#include "../syscall_table.h"

#define MPOL_F_NODE 1
#define MPOL_F_ADDR 2
/* Below mmap_min_addr: never mapped, so the host's access faults. */
#define HOST_BAD_ADDR ((void *)0x1000)
/* copy_nodes_to_user and get_nodes refuse masks longer than a page. */
#define NODEMASK_MAX 4096

/* Bytes of a mask of maxnode bits as the kernel reads or writes it:
 * maxnode - 1 bits in whole longs. */
static uint64_t nodemask_bytes(uint64_t maxnode) {
  return maxnode ? (maxnode - 1 + 63) / 64 * 8 : 0;
}

/* The host address standing for guest address addr (MPOL_F_ADDR). */
static void *host_address(struct process *p, uint64_t addr, bool node) {
  if (!vma_find(&p->mm->vmas, addr))
    return HOST_BAD_ADDR;
  /* MPOL_F_NODE looks the page up, faulting it in (lookup_node). */
  if (node && !mmu_pte(&p->mmu, addr) &&
      fault_handle(p, addr, PFERR_U) != FAULT_OK)
    return HOST_BAD_ADDR;
  uint64_t pte = mmu_pte(&p->mmu, addr);
  if (!pte)
    return p->mmu.phys;
  return (char *)mmu_phys(&p->mmu, pte & PTE_ADDR) + (addr & ~PAGE_MASK);
}

int64_t sys_get_mempolicy(struct process *p, const uint64_t a[6]) {
  uint64_t mode_at = a[0], mask_at = a[1], maxnode = a[2];
  unsigned long flags = a[4];
  void *addr = flags & MPOL_F_ADDR ? host_address(p, a[3], flags & MPOL_F_NODE)
                                   : (void *)(uintptr_t)a[3];
  uint64_t mask[NODEMASK_MAX / 8];
  uint64_t bytes = nodemask_bytes(maxnode);
  int mode = 0;
  /* A longer mask is the host's EINVAL before it writes any. */
  long r = syscall(SYS_get_mempolicy, mode_at ? &mode : NULL,
                   mask_at ? mask : NULL, maxnode, addr, flags);
  if (r < 0)
    return -errno;
  if (mode_at && copy_to_guest(&p->mmu, mode_at, &mode, sizeof mode) < 0)
    return -EFAULT;
  if (mask_at && bytes &&
      copy_to_guest(&p->mmu, mask_at, mask,
                    bytes < sizeof mask ? bytes : sizeof mask) < 0)
    return -EFAULT;
  return r;
}

int64_t sys_set_mempolicy(struct process *p, const uint64_t a[6]) {
  uint64_t mask_at = a[1], maxnode = a[2];
  uint64_t mask[NODEMASK_MAX / 8];
  uint64_t bytes = nodemask_bytes(maxnode);
  const void *nodes = mask_at ? mask : NULL;
  /* Too long, or unreadable: the host refuses it after checking the
   * mode, as Linux orders the two. */
  if (mask_at && bytes &&
      (bytes > sizeof mask ||
       copy_from_guest(&p->mmu, mask, mask_at, bytes) < 0))
    nodes = HOST_BAD_ADDR;
  long r = syscall(SYS_set_mempolicy, (int)a[0], nodes, maxnode);
  return r < 0 ? -errno : r;
}
