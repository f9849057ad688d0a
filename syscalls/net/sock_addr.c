/* Socket addresses between guest and host (net/socket.c:
 * move_addr_to_kernel, move_addr_to_user). Every family has the same
 * layout in both, so an address is copied as bytes; an AF_UNIX path is
 * resolved by the host against the cwd, which is the guest's. */
#include <errno.h>

#include "net.h"

int sock_addr_in(struct process *p, uint64_t addr, int64_t len,
                 struct sockaddr_storage *out) {
  if (len < 0 || len > (int64_t)sizeof *out)
    return -EINVAL;
  if (len && copy_from_guest(&p->mmu, out, addr, (size_t)len) < 0)
    return -EFAULT;
  return 0;
}

int sock_addr_len(struct process *p, uint64_t len_addr, int *len) {
  if (copy_from_guest(&p->mmu, len, len_addr, sizeof *len) < 0)
    return -EFAULT;
  return *len < 0 ? -EINVAL : 0;
}

int sock_addr_out(struct process *p, const void *sa, uint32_t len,
                  uint64_t addr, uint64_t len_addr) {
  int ulen;
  int e = sock_addr_len(p, len_addr, &ulen);
  if (e)
    return e;
  uint32_t n = (uint32_t)ulen < len ? (uint32_t)ulen : len;
  if (n && copy_to_guest(&p->mmu, addr, sa, n) < 0)
    return -EFAULT;
  int klen = (int)len;
  return copy_to_guest(&p->mmu, len_addr, &klen, sizeof klen) < 0 ? -EFAULT : 0;
}
