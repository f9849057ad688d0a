/* Memory protection keys on the modelled CPU, which has no PKU (CPUID
 * advertises neither PKU nor OSPKE): Linux's answers there
 * (mm/mprotect.c, arch/x86/include/asm/pkeys.h). arch_max_pkey() is 1
 * and the mm's allocation map and execute-only key start at zero
 * (mm_alloc), so key 0 is never "allocated" for the user interfaces:
 * the first pkey_alloc takes key 0, fails to program it (EINVAL,
 * arch_set_user_pkey_access without OSPKE) and cannot give it back;
 * every later one finds the map full (ENOSPC). */
#include <errno.h>
#include <sys/mman.h>

#include "../core_handlers.h"
#include "../process.h"
#include "../syscall_table.h"

#define PKEY_ACCESS_MASK 3 /* PKEY_DISABLE_ACCESS | PKEY_DISABLE_WRITE */

int64_t sys_pkey_alloc(struct process *p, const uint64_t a[6]) {
  if (a[0] || (a[1] & ~(uint64_t)PKEY_ACCESS_MASK))
    return -EINVAL;
  if (p->mm->pkey0_taken)
    return -ENOSPC;
  p->mm->pkey0_taken = true;
  return -EINVAL;
}

/* No key is ever allocated (mm_pkey_is_allocated). */
int64_t sys_pkey_free(struct process *p, const uint64_t a[6]) {
  (void)p;
  (void)a;
  return -EINVAL;
}

/* pkey -1 is mprotect; any other key fails after mprotect's own first
 * checks (do_mprotect_pkey). */
int64_t sys_pkey_mprotect(struct process *p, const uint64_t a[6]) {
  if ((int)a[3] == -1)
    return sys_mprotect(p, a);
  uint64_t start = a[0], prot = a[2];
  uint64_t grows = PROT_GROWSDOWN | PROT_GROWSUP;
  if ((prot & grows) == grows || (start & ~PAGE_MASK))
    return -EINVAL;
  if (!a[1])
    return 0;
  uint64_t len = (a[1] + PAGE_SIZE - 1) & PAGE_MASK;
  if (start + len <= start)
    return -ENOMEM;
  return -EINVAL;
}
