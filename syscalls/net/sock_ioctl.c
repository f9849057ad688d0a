/* The socket requests of ioctl (net/socket.c sock_ioctl, net/core/
 * dev_ioctl.c): the interface queries glibc's if_nametoindex,
 * if_indextoname and programs like ifconfig make, on struct ifreq (the
 * host's layout, copied in and out), and SIOCGIFCONF, whose struct
 * ifconf points at a guest buffer. They answer about the host's
 * interfaces: emu adds no network of its own. The requests that change
 * an interface are not passed on: -ENOTTY, as for any request emu does
 * not know. */
#include <errno.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdlib.h>
#include <sys/ioctl.h>

#include "net.h"

/* SIOCGIFCONF: {int len; char *buf} with the guest's buffer. */
static int64_t ifconf(struct process *p, int h, uint64_t addr) {
  struct {
    int32_t len, pad;
    uint64_t buf;
  } g;
  if (copy_from_guest(&p->mmu, &g, addr, sizeof g) < 0)
    return -EFAULT;
  struct ifconf ic = {.ifc_len = g.len < 0 ? 0 : g.len};
  if (ic.ifc_len > 65536)
    ic.ifc_len = 65536;
  if (g.buf) {
    ic.ifc_buf = calloc(1, ic.ifc_len ? (size_t)ic.ifc_len : 1);
    if (!ic.ifc_buf)
      return -ENOMEM;
  }
  int64_t r = ioctl(h, SIOCGIFCONF, &ic) < 0 ? -errno : 0;
  if (!r && g.buf && ic.ifc_len &&
      copy_to_guest(&p->mmu, g.buf, ic.ifc_buf, (size_t)ic.ifc_len) < 0)
    r = -EFAULT;
  g.len = ic.ifc_len;
  if (!r && copy_to_guest(&p->mmu, addr, &g, sizeof g.len) < 0)
    r = -EFAULT;
  free(ic.ifc_buf);
  return r;
}

bool sock_ioctl(struct process *p, int h, uint64_t req, uint64_t addr,
                int64_t *ret) {
  size_t size;
  switch (req) {
  case SIOCGIFNAME:
  case SIOCGIFFLAGS:
  case SIOCGIFADDR:
  case SIOCGIFDSTADDR:
  case SIOCGIFBRDADDR:
  case SIOCGIFNETMASK:
  case SIOCGIFMETRIC:
  case SIOCGIFMTU:
  case SIOCGIFHWADDR:
  case SIOCGIFINDEX:
  case SIOCGIFTXQLEN: size = sizeof(struct ifreq); break;
  case SIOCATMARK: size = sizeof(int); break;
  case SIOCGIFCONF: *ret = ifconf(p, h, addr); return true;
  default: return false;
  }
  uint8_t buf[sizeof(struct ifreq)];
  if (copy_from_guest(&p->mmu, buf, addr, size) < 0) {
    *ret = -EFAULT;
    return true;
  }
  if (ioctl(h, req, buf) < 0)
    *ret = -errno;
  else
    *ret = copy_to_guest(&p->mmu, addr, buf, size) < 0 ? -EFAULT : 0;
  return true;
}
