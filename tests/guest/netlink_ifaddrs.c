/* AF_NETLINK route sockets and the interface queries built on them and
 * on ioctl: getifaddrs (RTM_GETLINK and RTM_GETADDR dumps),
 * if_nameindex, if_nametoindex/if_indextoname (SIOCGIFINDEX,
 * SIOCGIFNAME), SIOCGIFFLAGS/ADDR/MTU/CONF, and a dump read by hand
 * with the kernel's sockaddr_nl as the source. Only the loopback
 * interface is looked at: every Linux host has it, up, as 127.0.0.1. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static void ifaddrs(void) {
  struct ifaddrs *ifa;
  if (getifaddrs(&ifa) < 0) {
    printf("getifaddrs: %s\n", strerrorname_np(errno));
    return;
  }
  int packet = 0, inet = 0;
  for (struct ifaddrs *i = ifa; i; i = i->ifa_next) {
    if (strcmp(i->ifa_name, "lo") || !i->ifa_addr)
      continue;
    if (i->ifa_addr->sa_family == AF_PACKET)
      packet = 1;
    if (i->ifa_addr->sa_family == AF_INET) {
      char b[INET_ADDRSTRLEN];
      inet_ntop(AF_INET, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, b,
                sizeof b);
      printf("lo inet %s, up %d, loopback %d\n", b, !!(i->ifa_flags & IFF_UP),
             !!(i->ifa_flags & IFF_LOOPBACK));
      inet = 1;
    }
  }
  printf("lo link %d, inet %d\n", packet, inet);
  freeifaddrs(ifa);
}

static void names(void) {
  unsigned index = if_nametoindex("lo");
  printf("if_nametoindex lo: %d\n", index > 0);
  char name[IF_NAMESIZE] = "";
  printf("if_indextoname: %s\n", if_indextoname(index, name));
  printf("if_nametoindex nosuch: %u\n", if_nametoindex("nosuch0"));
  struct if_nameindex *ni = if_nameindex();
  int found = 0;
  for (struct if_nameindex *n = ni; n && n->if_index; n++)
    found |= !strcmp(n->if_name, "lo") && n->if_index == index;
  printf("if_nameindex has lo: %d\n", found);
  if_freenameindex(ni);
}

static void ioctls(void) {
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  struct ifreq r;
  memset(&r, 0, sizeof r);
  strcpy(r.ifr_name, "lo");
  int rc = ioctl(s, SIOCGIFFLAGS, &r);
  printf("SIOCGIFFLAGS %d: up %d loopback %d\n", rc, !!(r.ifr_flags & IFF_UP),
         !!(r.ifr_flags & IFF_LOOPBACK));
  rc = ioctl(s, SIOCGIFADDR, &r);
  printf("SIOCGIFADDR %d: %s\n", rc,
         inet_ntoa(((struct sockaddr_in *)&r.ifr_addr)->sin_addr));
  rc = ioctl(s, SIOCGIFMTU, &r);
  printf("SIOCGIFMTU %d: positive %d\n", rc, r.ifr_mtu > 0);
  strcpy(r.ifr_name, "nosuch0");
  rc = ioctl(s, SIOCGIFINDEX, &r);
  printf("SIOCGIFINDEX nosuch: %d %s\n", rc, strerrorname_np(errno));
  char buf[8192];
  struct ifconf ic = {.ifc_len = sizeof buf, .ifc_buf = buf};
  rc = ioctl(s, SIOCGIFCONF, &ic);
  int lo = 0;
  for (int k = 0; k < ic.ifc_len / (int)sizeof(struct ifreq); k++)
    lo |= !strcmp(ic.ifc_req[k].ifr_name, "lo");
  printf("SIOCGIFCONF %d: has lo %d\n", rc, lo);
  ic = (struct ifconf){.ifc_len = 0, .ifc_buf = NULL};
  rc = ioctl(s, SIOCGIFCONF, &ic);
  printf("SIOCGIFCONF size %d: whole records %d\n", rc,
         ic.ifc_len > 0 && ic.ifc_len % (int)sizeof(struct ifreq) == 0);
  close(s);
}

/* RTM_GETLINK by hand: the kernel (nl_pid 0) answers our port. */
static void dump(void) {
  int s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  struct sockaddr_nl me = {.nl_family = AF_NETLINK};
  printf("bind: %d\n", bind(s, (struct sockaddr *)&me, sizeof me));
  socklen_t ml = sizeof me;
  getsockname(s, (struct sockaddr *)&me, &ml);
  printf("port is pid %d\n", me.nl_pid == (unsigned)getpid());
  struct {
    struct nlmsghdr h;
    struct ifinfomsg i;
  } req = {.h = {.nlmsg_len = sizeof req,
                 .nlmsg_type = RTM_GETLINK,
                 .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
                 .nlmsg_seq = 1},
           .i = {.ifi_family = AF_UNSPEC}};
  struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
  printf("sendto: %d\n",
         sendto(s, &req, sizeof req, 0, (struct sockaddr *)&kernel,
                sizeof kernel) == sizeof req);
  static char buf[65536];
  int done = 0, lo = 0, seq_ok = 1, from_kernel = 1;
  while (!done) {
    struct sockaddr_nl from;
    struct iovec iov = {buf, sizeof buf};
    struct msghdr m = {.msg_name = &from,
                       .msg_namelen = sizeof from,
                       .msg_iov = &iov,
                       .msg_iovlen = 1};
    ssize_t n = recvmsg(s, &m, 0);
    if (n <= 0)
      break;
    from_kernel &= from.nl_pid == 0;
    for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, n);
         h = NLMSG_NEXT(h, n)) {
      seq_ok &= h->nlmsg_seq == 1;
      if (h->nlmsg_type == NLMSG_DONE) {
        done = 1;
        break;
      }
      if (h->nlmsg_type != RTM_NEWLINK)
        continue;
      struct ifinfomsg *ifi = NLMSG_DATA(h);
      int len = (int)(h->nlmsg_len - NLMSG_LENGTH(sizeof *ifi));
      for (struct rtattr *a = IFLA_RTA(ifi); RTA_OK(a, len);
           a = RTA_NEXT(a, len))
        if (a->rta_type == IFLA_IFNAME && !strcmp(RTA_DATA(a), "lo"))
          lo = (ifi->ifi_flags & IFF_LOOPBACK) != 0;
    }
  }
  printf("dump done %d, lo %d, seq %d, from kernel %d\n", done, lo, seq_ok,
         from_kernel);
  close(s);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  ifaddrs();
  names();
  ioctls();
  dump();
  return 0;
}
