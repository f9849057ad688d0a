/* Memory protection keys on a CPU without PKU (emu's model: CPUID has
 * neither PKU nor OSPKE), as Linux answers there: the first pkey_alloc
 * is EINVAL (it takes key 0 and cannot program it), later ones ENOSPC;
 * no key can be freed; pkey_mprotect is mprotect with key -1 and EINVAL
 * with any other. A host with PKU answers otherwise: the runner says so
 * (EMU_TEST_HOST_PKU, tests/scripts/common.sh) and both runs skip. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static void show(const char *what, long r) {
  if (r < 0)
    printf("%-28s -1 %s\n", what, strerrorname_np(errno));
  else
    printf("%-28s %ld\n", what, r);
}

int main(void) {
  const char *pku = getenv("EMU_TEST_HOST_PKU");
  if (pku && strcmp(pku, "1") == 0) {
    printf("SKIP: the host CPU has protection keys, the model none\n");
    return 77;
  }
  show("pkey_alloc flags 1", syscall(SYS_pkey_alloc, 1, 0));
  show("pkey_alloc access 4", syscall(SYS_pkey_alloc, 0, 4));
  show("pkey_alloc", syscall(SYS_pkey_alloc, 0, PKEY_DISABLE_WRITE));
  show("pkey_alloc again", syscall(SYS_pkey_alloc, 0, 0));
  show("pkey_alloc flags 1 again", syscall(SYS_pkey_alloc, 1, 0));
  for (int k = -1; k < 3; k++) {
    char what[32];
    snprintf(what, sizeof what, "pkey_free %d", k);
    show(what, syscall(SYS_pkey_free, k));
  }
  char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  m[0] = 1;
  show("pkey_mprotect -1", syscall(SYS_pkey_mprotect, m, 4096, PROT_READ, -1));
  show("pkey_mprotect 0", syscall(SYS_pkey_mprotect, m, 4096, PROT_READ, 0));
  show("pkey_mprotect 1", syscall(SYS_pkey_mprotect, m, 4096, PROT_READ, 1));
  show("pkey_mprotect 1 unaligned",
       syscall(SYS_pkey_mprotect, m + 1, 4096, PROT_READ, 1));
  show("pkey_mprotect 1 length 0",
       syscall(SYS_pkey_mprotect, m, 0, PROT_READ, 1));
  show("pkey_mprotect -1 unmapped",
       syscall(SYS_pkey_mprotect, m + 8192, 4096, PROT_READ, -1));
  printf("read after: %d\n", m[0]);
  return 0;
}
