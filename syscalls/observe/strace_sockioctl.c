/* strace 6.1's forms for the socket ioctls emu passes on (sock.c):
 * struct ifreq by request, SIOCGIFCONF's ifconf with its array of
 * ifreqs, SIOCATMARK's int. */
#include <linux/sockios.h>
#include <net/if.h>
#include <string.h>

#include "strace_net.h"

#define N(x)                                                                   \
  { x, #x }

static const struct flag_name iff_names[] = {N(IFF_UP),
                                             N(IFF_BROADCAST),
                                             N(IFF_DEBUG),
                                             N(IFF_LOOPBACK),
                                             N(IFF_POINTOPOINT),
                                             N(IFF_NOTRAILERS),
                                             N(IFF_RUNNING),
                                             N(IFF_NOARP),
                                             N(IFF_PROMISC),
                                             N(IFF_ALLMULTI),
                                             N(IFF_MASTER),
                                             N(IFF_SLAVE),
                                             N(IFF_MULTICAST),
                                             N(IFF_PORTSEL),
                                             N(IFF_AUTOMEDIA),
                                             N(IFF_DYNAMIC),
                                             {1 << 16, "IFF_LOWER_UP"},
                                             {1 << 17, "IFF_DORMANT"},
                                             {1 << 18, "IFF_ECHO"},
                                             FLAG_END};

static const struct flag_name arphrd_names[] = {{0, "ARPHRD_NETROM"},
                                                {1, "ARPHRD_ETHER"},
                                                {772, "ARPHRD_LOOPBACK"},
                                                {776, "ARPHRD_SIT"},
                                                {778, "ARPHRD_IPGRE"},
                                                {0xfffe, "ARPHRD_NONE"},
                                                FLAG_END};

/* SIOCGIFCONF's struct ifconf as the caller gave it. */
static _Thread_local struct {
  bool read;
  int32_t len;
  uint64_t buf;
} st_ifc;

void st_sock_ioctl_enter(struct process *p, const uint64_t a[6]) {
  struct {
    int32_t len, pad;
    uint64_t buf;
  } ifc;
  st_ifc.read = a[1] == SIOCGIFCONF &&
                copy_from_guest(&p->mmu, &ifc, a[2], sizeof ifc) == 0;
  st_ifc.len = ifc.len;
  st_ifc.buf = ifc.buf;
}

static void name(struct process *p, const struct ifreq *r) {
  st_puts(p, "ifr_name=");
  st_quote(p, (const uint8_t *)r->ifr_name,
           strnlen(r->ifr_name, sizeof r->ifr_name), QUOTE_PLAIN, false);
}

static void ifreq_value(struct process *p, unsigned long cmd,
                        const struct ifreq *r) {
  switch (cmd) {
  case SIOCGIFADDR:
    st_puts(p, "ifr_addr=");
    st_sockaddr_bytes(p, &r->ifr_addr, sizeof r->ifr_addr);
    break;
  case SIOCGIFDSTADDR:
    st_puts(p, "ifr_dstaddr=");
    st_sockaddr_bytes(p, &r->ifr_dstaddr, sizeof r->ifr_dstaddr);
    break;
  case SIOCGIFBRDADDR:
    st_puts(p, "ifr_broadaddr=");
    st_sockaddr_bytes(p, &r->ifr_broadaddr, sizeof r->ifr_broadaddr);
    break;
  case SIOCGIFNETMASK:
    st_puts(p, "ifr_netmask=");
    st_sockaddr_bytes(p, &r->ifr_netmask, sizeof r->ifr_netmask);
    break;
  case SIOCGIFHWADDR: {
    const uint8_t *d = (const uint8_t *)r->ifr_hwaddr.sa_data;
    st_puts(p, "ifr_hwaddr={sa_family=");
    st_xlat(p, arphrd_names, r->ifr_hwaddr.sa_family, "ARPHRD_???");
    st_printf(p, ", sa_data=%02x:%02x:%02x:%02x:%02x:%02x}", d[0], d[1], d[2],
              d[3], d[4], d[5]);
    break;
  }
  case SIOCGIFFLAGS:
    st_puts(p, "ifr_flags=");
    st_flags_x(p, iff_names, (uint16_t)r->ifr_flags, "IFF_???");
    break;
  case SIOCGIFINDEX: st_printf(p, "ifr_ifindex=%d", r->ifr_ifindex); break;
  case SIOCGIFMETRIC: st_printf(p, "ifr_metric=%d", r->ifr_metric); break;
  case SIOCGIFMTU: st_printf(p, "ifr_mtu=%d", r->ifr_mtu); break;
  case SIOCGIFTXQLEN: st_printf(p, "ifr_qlen=%d", r->ifr_qlen); break;
  case SIOCGIFNAME: name(p, r); break;
  default: break;
  }
}

static void ifc_len(struct process *p, int len) {
  st_printf(p, "%d", len);
  unsigned n = (unsigned)len / sizeof(struct ifreq);
  if (len > 0 && n * sizeof(struct ifreq) == (unsigned)len)
    st_printf(p, " /* %u * sizeof(struct ifreq) */", n);
}

static void ifconf(struct process *p, uint64_t addr, int64_t ret) {
  struct {
    int32_t len, pad;
    uint64_t buf;
  } ifc;
  if (!st_ifc.read) {
    st_ptr(p, addr);
    return;
  }
  st_puts(p, "{ifc_len=");
  bool got = copy_from_guest(&p->mmu, &ifc, addr, sizeof ifc) == 0;
  if (st_ifc.buf)
    ifc_len(p, st_ifc.len);
  if (got && st_ifc.buf && st_ifc.len != ifc.len)
    st_puts(p, " => ");
  if (got && (!st_ifc.buf || st_ifc.len != ifc.len))
    ifc_len(p, ifc.len);
  if (!got || !st_ifc.buf || ret < 0) {
    st_puts(p, ", ifc_buf=");
    st_ptr(p, st_ifc.buf);
    st_puts(p, "}");
    return;
  }
  st_puts(p, ", ifc_buf=[");
  unsigned n = (unsigned)ifc.len / sizeof(struct ifreq);
  for (unsigned k = 0; k < n; k++) {
    struct ifreq r;
    if (k == STRACE_STRLEN) {
      st_puts(p, ", ...");
      break;
    }
    if (copy_from_guest(&p->mmu, &r, ifc.buf + k * sizeof r, sizeof r) < 0)
      break;
    st_puts(p, k ? ", {" : "{");
    name(p, &r);
    st_puts(p, ", ifr_addr=");
    st_sockaddr_bytes(p, &r.ifr_addr, sizeof r.ifr_addr);
    st_puts(p, "}");
  }
  st_puts(p, "]}");
}

bool st_sock_ioctl_arg(struct process *p, uint64_t cmd, uint64_t addr,
                       int64_t ret) {
  struct ifreq r;
  switch (cmd) {
  case SIOCGIFCONF: ifconf(p, addr, ret); return true;
  case SIOCATMARK: {
    int v;
    if (ret < 0)
      st_ptr(p, addr);
    else if (st_fetch(p, addr, &v, sizeof v))
      st_printf(p, "[%d]", v);
    return true;
  }
  case SIOCGIFADDR:
  case SIOCGIFBRDADDR:
  case SIOCGIFDSTADDR:
  case SIOCGIFFLAGS:
  case SIOCGIFHWADDR:
  case SIOCGIFINDEX:
  case SIOCGIFMETRIC:
  case SIOCGIFMTU:
  case SIOCGIFNAME:
  case SIOCGIFNETMASK:
  case SIOCGIFTXQLEN:
    if (!st_fetch(p, addr, &r, sizeof r))
      return true;
    st_puts(p, "{");
    if (cmd == SIOCGIFNAME)
      st_printf(p, "ifr_ifindex=%d", r.ifr_ifindex);
    else
      name(p, &r);
    if (ret >= 0) {
      st_puts(p, ", ");
      ifreq_value(p, cmd, &r);
    }
    st_puts(p, "}");
    return true;
  default: return false;
  }
}
