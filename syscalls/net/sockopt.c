/* getsockopt and setsockopt: the host socket's options, every level and
 * name passed on, so that what Linux accepts, refuses (ENOPROTOOPT,
 * EINVAL, EPERM...) and answers is the host kernel's. The value is
 * copied between guest and host; the few options whose value holds a
 * guest pointer or a descriptor number are translated: a classic BPF
 * program (SO_ATTACH_FILTER, SO_ATTACH_REUSEPORT_CBPF), an eBPF program
 * descriptor (SO_ATTACH_BPF, SO_ATTACH_REUSEPORT_EBPF), the pidfd
 * SO_PEERPIDFD gives. TCP_ZEROCOPY_RECEIVE, which maps socket pages
 * into the caller, is refused with EINVAL, as Linux refuses an address
 * that is not such a mapping. */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>

#include "../syscall_table.h"
#include "net.h"

/* The largest value copied either way (SO_PEERSEC, SO_PEERGROUPS and
 * TCP_INFO are far smaller). */
#define OPT_MAX 65536
#ifndef SO_PEERPIDFD
#define SO_PEERPIDFD 77
#endif
#ifndef TCP_ZEROCOPY_RECEIVE
#define TCP_ZEROCOPY_RECEIVE 35
#endif

/* struct sock_fprog as the guest lays it out. */
struct guest_fprog {
  uint16_t len;
  uint16_t pad[3];
  uint64_t filter;
};

static int64_t attach_filter(struct process *p, int h, int name, uint64_t addr,
                             int len) {
  struct guest_fprog g;
  if (len < (int)sizeof g)
    return -EINVAL;
  if (copy_from_guest(&p->mmu, &g, addr, sizeof g) < 0)
    return -EFAULT;
  if (g.len == 0 || g.len > BPF_MAXINSNS)
    return -EINVAL;
  struct sock_filter *code = calloc(g.len, sizeof *code);
  if (!code)
    return -ENOMEM;
  int64_t r = 0;
  if (copy_from_guest(&p->mmu, code, g.filter, g.len * sizeof *code) < 0)
    r = -EFAULT;
  struct sock_fprog host = {g.len, code};
  if (!r && setsockopt(h, SOL_SOCKET, name, &host, sizeof host) < 0)
    r = -errno;
  free(code);
  return r;
}

int64_t sys_setsockopt(struct process *p, const uint64_t a[6]) {
  int h = fd_host(p, (int)a[0]);
  if (h < 0)
    return h;
  int level = (int)a[1], name = (int)a[2], len = (int)a[4];
  if (len < 0)
    return -EINVAL;
  if (level == SOL_SOCKET &&
      (name == SO_ATTACH_FILTER || name == SO_ATTACH_REUSEPORT_CBPF))
    return attach_filter(p, h, name, a[3], len);
  size_t n = len < OPT_MAX ? (size_t)len : OPT_MAX;
  uint8_t *val = calloc(1, n ? n : 1);
  if (!val)
    return -ENOMEM;
  int64_t r = 0;
  if (n && copy_from_guest(&p->mmu, val, a[3], n) < 0)
    r = -EFAULT;
  if (!r && level == SOL_SOCKET &&
      (name == SO_ATTACH_BPF || name == SO_ATTACH_REUSEPORT_EBPF) &&
      n >= sizeof(int)) {
    int fd;
    memcpy(&fd, val, sizeof fd);
    fd = fd_host(p, fd);
    if (fd < 0)
      r = -EBADF;
    memcpy(val, &fd, sizeof fd);
  }
  if (!r && setsockopt(h, level, name, n ? val : NULL, (socklen_t)n) < 0)
    r = -errno;
  free(val);
  return r;
}

int64_t sys_getsockopt(struct process *p, const uint64_t a[6]) {
  int h = fd_host(p, (int)a[0]);
  if (h < 0)
    return h;
  int level = (int)a[1], name = (int)a[2], len;
  if (copy_from_guest(&p->mmu, &len, a[4], sizeof len) < 0)
    return -EFAULT;
  if (len < 0)
    return -EINVAL;
  if (level == SOL_TCP && name == TCP_ZEROCOPY_RECEIVE)
    return -EINVAL;
  socklen_t n = len < OPT_MAX ? (socklen_t)len : OPT_MAX;
  uint8_t *val = calloc(1, n ? n : 1);
  if (!val)
    return -ENOMEM;
  int64_t r = 0;
  if (getsockopt(h, level, name, val, &n) < 0) {
    r = -errno;
  } else if (level == SOL_SOCKET && name == SO_PEERPIDFD && n >= sizeof(int)) {
    int fd;
    memcpy(&fd, val, sizeof fd);
    fd = fd_install(p, fd, FD_CLOEXEC, 0);
    if (fd < 0)
      r = fd;
    memcpy(val, &fd, sizeof fd);
  }
  int out = (int)n;
  if (!r && n && copy_to_guest(&p->mmu, a[3], val, n) < 0)
    r = -EFAULT;
  /* ERANGE (SO_PEERSEC, SO_PEERGROUPS) tells the length needed too. */
  if ((!r || r == -ERANGE) &&
      copy_to_guest(&p->mmu, a[4], &out, sizeof out) < 0)
    r = -EFAULT;
  free(val);
  return r;
}
