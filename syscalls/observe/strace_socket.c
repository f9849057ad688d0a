/* strace 6.1's forms for the socket calls (net.c, sockaddr.c): socket
 * addresses of each family, socket types, protocols, levels and option
 * names, MSG_* flags, and the arguments that are read on entry and
 * printed on exit (a length the caller gave and the kernel changed is
 * "[16 => 28]"). */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>

#include "../strace.h"
#include "../syscall_table.h"
#include "strace_net.h"

/* What the entry half read for the exit half, per task. */
#define MMSG_MAX 1024 /* IOV_MAX: strace reads no more */
static _Thread_local struct {
  bool have_len; /* the caller's length was readable */
  int ulen;
  /* recvmmsg: each message's msg_namelen and the timeout on entry */
  int namelens[MMSG_MAX];
  unsigned n_namelens;
  enum { TIMEOUT_NULL, TIMEOUT_BAD, TIMEOUT_SET } timeout;
  struct timespec ts;
} st_net;

/* --- constants ---------------------------------------------------------- */

void st_sock_type(struct process *p, uint64_t v) {
  v &= 0xffffffffull;
  const char *name = st_lookup(sock_type_names, v & 0xf);
  if (name) {
    st_puts(p, name);
    v &= ~0xfull;
    if (!v)
      return;
    st_puts(p, "|");
  }
  st_flags_x(p, sock_flag_names, v, "SOCK_???");
}

void st_sock_proto(struct process *p, uint64_t domain, uint64_t v) {
  switch (domain) {
  case AF_INET:
  case AF_INET6: st_xlat(p, inet_proto_names, v, "IPPROTO_???"); break;
  case AF_NETLINK: st_xlat(p, netlink_proto_names, v, "NETLINK_???"); break;
  default: st_printf(p, "%u", (unsigned)v); break;
  }
}

void st_msg_flags(struct process *p, uint64_t v) {
  st_flags_x(p, msg_flag_names, v & 0xffffffffull, "MSG_???");
}

void st_sock_level(struct process *p, uint64_t level) {
  st_xlat(p, sol_names, level & 0xffffffffull, "SOL_??");
}

void st_sockopt_name(struct process *p, uint64_t level, uint64_t name,
                     bool get) {
  unsigned lv = (unsigned)level, n = (unsigned)name;
  for (const struct sockopt_level *l = sockopt_levels; l->common; l++) {
    if ((unsigned)l->level != lv)
      continue;
    const struct flag_name *special = get ? l->get : l->set;
    const char *s = special ? st_lookup(special, n) : NULL;
    if (!s)
      s = st_lookup(l->common, n);
    if (s)
      st_puts(p, s);
    else
      st_printf(p, "%#x /* %s */", n, l->unknown);
    return;
  }
  st_printf(p, "%u", n);
}

/* --- addresses ---------------------------------------------------------- */

static void sockaddr_un(struct process *p, const uint8_t *buf, int len) {
  const struct sockaddr_un *u = (const void *)buf;
  int n = len > (int)sizeof *u ? (int)sizeof *u : len;
  int path_len = n - 2;
  st_puts(p, "sun_path=");
  if (u->sun_path[0]) {
    /* up to its NUL, within the length given */
    size_t k = strnlen(u->sun_path, (size_t)path_len);
    st_quote(p, (const uint8_t *)u->sun_path, k, QUOTE_PLAIN, false);
  } else {
    st_puts(p, "@");
    st_quote(p, (const uint8_t *)u->sun_path + 1, (size_t)(path_len - 1),
             QUOTE_PLAIN, false);
  }
}

static void sockaddr_in(struct process *p, const uint8_t *buf) {
  const struct sockaddr_in *s = (const void *)buf;
  char text[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &s->sin_addr, text, sizeof text);
  st_printf(p, "sin_port=htons(%u), sin_addr=inet_addr(\"%s\")",
            ntohs(s->sin_port), text);
}

static void sockaddr_in6(struct process *p, const uint8_t *buf, int len) {
  const struct sockaddr_in6 *s = (const void *)buf;
  char text[INET6_ADDRSTRLEN];
  inet_ntop(AF_INET6, &s->sin6_addr, text, sizeof text);
  st_printf(p,
            "sin6_port=htons(%u), sin6_flowinfo=htonl(%u), "
            "inet_pton(AF_INET6, \"%s\", &sin6_addr)",
            ntohs(s->sin6_port), ntohl(s->sin6_flowinfo), text);
  if (len > (int)offsetof(struct sockaddr_in6, sin6_scope_id))
    st_printf(p, ", sin6_scope_id=%u", s->sin6_scope_id);
}

static void sockaddr_nl(struct process *p, const uint8_t *buf) {
  const struct sockaddr_nl *s = (const void *)buf;
  if (s->nl_pad)
    st_printf(p, "nl_pad=%#x, ", s->nl_pad);
  st_printf(p, "nl_pid=%d, nl_groups=%#08x", (int)s->nl_pid, s->nl_groups);
}

void st_sockaddr_bytes(struct process *p, const void *sa, int len) {
  const uint8_t *buf = sa;
  uint16_t family;
  memcpy(&family, buf, sizeof family);
  st_puts(p, "{sa_family=");
  st_xlat(p, af_names, family, "AF_???");
  if (len > 2) {
    st_puts(p, ", ");
    if (family == AF_UNIX && len >= 3)
      sockaddr_un(p, buf, len);
    else if (family == AF_INET && len >= (int)sizeof(struct sockaddr_in))
      sockaddr_in(p, buf);
    else if (family == AF_INET6 &&
             len >= (int)offsetof(struct sockaddr_in6, sin6_scope_id))
      sockaddr_in6(p, buf, len);
    else if (family == AF_NETLINK && len >= (int)sizeof(struct sockaddr_nl))
      sockaddr_nl(p, buf);
    else {
      st_puts(p, "sa_data=");
      st_quote(p, buf + 2, (size_t)(len - 2), QUOTE_PLAIN, false);
    }
  }
  st_puts(p, "}");
}

void st_sockaddr(struct process *p, uint64_t addr, int len) {
  if (len < 2) {
    st_ptr(p, addr);
    return;
  }
  uint8_t buf[sizeof(struct sockaddr_storage) + 1] = {0};
  if (len > (int)sizeof(struct sockaddr_storage))
    len = sizeof(struct sockaddr_storage);
  if (!addr || copy_from_guest(&p->mmu, buf, addr, (size_t)len) < 0) {
    st_ptr(p, addr);
    return;
  }
  st_sockaddr_bytes(p, buf, len);
}

/* "[16]" or "[16 => 28]" */
static void st_len_changed(struct process *p, int before, int after) {
  if (before != after)
    st_printf(p, "[%d => %d]", before, after);
  else
    st_printf(p, "[%d]", after);
}

/* --- getsockopt and setsockopt values ------------------------------------ */

/* SOL_SOCKET options strace 6.1 prints as an int (its "int-like" list). */
static bool so_int_like(unsigned name) {
  static const unsigned names[] = {SO_DEBUG,
                                   SO_REUSEADDR,
                                   SO_DONTROUTE,
                                   SO_BROADCAST,
                                   SO_SNDBUF,
                                   SO_RCVBUF,
                                   SO_KEEPALIVE,
                                   SO_OOBINLINE,
                                   SO_NO_CHECK,
                                   SO_PRIORITY,
                                   SO_BSDCOMPAT,
                                   SO_REUSEPORT,
                                   SO_PASSCRED,
                                   SO_RCVLOWAT,
                                   SO_SNDLOWAT,
                                   SO_DETACH_FILTER,
                                   29 /* TIMESTAMP_OLD */,
                                   SO_ACCEPTCONN,
                                   SO_SNDBUFFORCE,
                                   SO_RCVBUFFORCE,
                                   SO_PASSSEC,
                                   35 /* TIMESTAMPNS_OLD */,
                                   SO_MARK,
                                   37 /* TIMESTAMPING_OLD */,
                                   SO_RXQ_OVFL,
                                   SO_WIFI_STATUS,
                                   SO_PEEK_OFF,
                                   SO_NOFCS,
                                   SO_LOCK_FILTER,
                                   SO_SELECT_ERR_QUEUE,
                                   SO_BUSY_POLL,
                                   SO_INCOMING_CPU,
                                   SO_CNX_ADVICE,
                                   SO_INCOMING_NAPI_ID,
                                   SO_ZEROCOPY,
                                   63 /* TIMESTAMP_NEW */,
                                   64 /* TIMESTAMPNS_NEW */,
                                   65 /* TIMESTAMPING_NEW */,
                                   68 /* DETACH_REUSEPORT_BPF */,
                                   69 /* PREFER_BUSY_POLL */,
                                   70 /* BUSY_POLL_BUDGET */,
                                   73 /* RESERVE_MEM */,
                                   75 /* RCVMARK */};
  for (size_t k = 0; k < sizeof names / sizeof *names; k++)
    if (names[k] == name)
      return true;
  return false;
}

static void st_int_at(struct process *p, uint64_t addr) {
  int v;
  if (st_fetch(p, addr, &v, sizeof v))
    st_printf(p, "[%d]", v);
}

/* Not inlined: gcc 12 at -O2/-O3 reports a false -Wdangling-pointer for
 * this local when st_linger is inlined into st_net_arg's switch. */
__attribute__((noinline)) static void st_linger(struct process *p,
                                                uint64_t addr, int len) {
  int32_t v[2]; /* l_onoff, l_linger */
  if (len > (int)sizeof v)
    len = sizeof v;
  if (!st_fetch(p, addr, v, (size_t)len))
    return;
  st_printf(p, "{l_onoff=%d", (int)v[0]);
  if (len >= 8)
    st_printf(p, ", l_linger=%d", (int)v[1]);
  st_puts(p, "}");
}

static void st_ucred(struct process *p, uint64_t addr, int len) {
  uint32_t v[3];
  if (len > (int)sizeof v)
    len = sizeof v;
  if (!st_fetch(p, addr, v, (size_t)len))
    return;
  static const char *const fields[] = {"pid", "uid", "gid"};
  st_puts(p, "{");
  for (int k = 0; k < 3 && (k + 1) * 4 <= len; k++)
    st_printf(p, "%s%s=%d", k ? ", " : "", fields[k], (int)v[k]);
  st_puts(p, "}");
}

static void st_sockopt_get(struct process *p, const uint64_t a[6], int ulen,
                           int rlen) {
  uint64_t addr = a[3];
  unsigned level = (unsigned)a[1], name = (unsigned)a[2];
  if (ulen <= 0 || rlen <= 0 || !addr) {
    st_ptr(p, addr);
    return;
  }
  if (level == SOL_SOCKET) {
    switch (name) {
    case SO_LINGER: st_linger(p, addr, rlen); return;
    case SO_PEERCRED: st_ucred(p, addr, rlen); return;
    case SO_ERROR:
      if (rlen < 4) {
        st_guest_buf(p, addr, (uint64_t)rlen, QUOTE_FORCE_HEX);
      } else {
        uint32_t e;
        if (!st_fetch(p, addr, &e, sizeof e))
          return;
        const char *n = e ? strace_errno_name((int)e) : NULL;
        if (n)
          st_printf(p, "[%s]", n);
        else
          st_printf(p, "[%u]", e);
      }
      return;
    default:
      if (so_int_like(name)) {
        if (rlen >= 4)
          st_int_at(p, addr);
        else
          st_guest_buf(p, addr, (uint64_t)rlen, QUOTE_FORCE_HEX);
        return;
      }
    }
  } else if (level == SOL_NETLINK) {
    st_int_at(p, addr);
    return;
  }
  if (rlen == 4)
    st_int_at(p, addr);
  else
    st_guest_buf(p, addr, (uint64_t)rlen, QUOTE_PLAIN);
}

static void st_sockopt_set(struct process *p, const uint64_t a[6]) {
  uint64_t addr = a[3];
  unsigned level = (unsigned)a[1], name = (unsigned)a[2];
  int len = (int)a[4];
  if (addr && level == SOL_SOCKET) {
    if (name == SO_LINGER) {
      if (len < 8)
        st_ptr(p, addr);
      else
        st_linger(p, addr, 8);
      return;
    }
    if (so_int_like(name)) {
      if (len < 4)
        st_ptr(p, addr);
      else
        st_int_at(p, addr);
      return;
    }
  } else if (addr && level == SOL_NETLINK) {
    if (len < 4)
      st_ptr(p, addr);
    else
      st_int_at(p, addr);
    return;
  }
  if (len == 4) {
    if (!addr)
      st_puts(p, "NULL");
    else
      st_int_at(p, addr);
  } else {
    st_guest_buf(p, addr, (uint64_t)(int64_t)len, QUOTE_PLAIN);
  }
}

/* --- entry and exit ---------------------------------------------------- */

static bool read_int(struct process *p, uint64_t addr, int *v) {
  return addr && copy_from_guest(&p->mmu, v, addr, sizeof *v) == 0;
}

void st_net_enter(struct process *p, int kind, const uint64_t a[6], int i) {
  switch (kind) {
  case A_SOCKNAME_OUT:
  case A_SOCKNAME_FROM:
    st_net.have_len = a[i] && read_int(p, a[i + 1], &st_net.ulen);
    break;
  case A_SOCKOPT_OUT:
    st_net.have_len = read_int(p, a[i + 1], &st_net.ulen);
    break;
  case A_MSGHDR_OUT:
    st_net.have_len = a[i] && st_msghdr_namelen(p, a[i], &st_net.ulen);
    break;
  case A_MMSGHDR_RECV: {
    unsigned vlen =
        (unsigned)a[i + 1] > MMSG_MAX ? MMSG_MAX : (unsigned)a[i + 1];
    st_net.n_namelens = 0;
    for (unsigned k = 0; k < vlen; k++)
      if (!st_msghdr_namelen(p, a[i] + 64ull * k,
                             &st_net.namelens[st_net.n_namelens++])) {
        st_net.n_namelens--;
        break;
      }
    if (!a[4])
      st_net.timeout = TIMEOUT_NULL;
    else if (copy_from_guest(&p->mmu, &st_net.ts, a[4], sizeof st_net.ts) < 0)
      st_net.timeout = TIMEOUT_BAD;
    else
      st_net.timeout = TIMEOUT_SET;
    break;
  }
  default: break;
  }
}

static void st_saved_timeout(struct process *p, uint64_t addr) {
  if (st_net.timeout == TIMEOUT_SET)
    st_printf(p, "{tv_sec=%lld, tv_nsec=%ld}", (long long)st_net.ts.tv_sec,
              st_net.ts.tv_nsec);
  else
    st_ptr(p, addr);
}

void st_recvmmsg_result(struct process *p, const uint64_t a[6], int64_t ret) {
  st_printf(p, "%lld", (long long)ret);
  if (ret == 0) {
    st_puts(p, " (Timeout)");
  } else if (a[4]) {
    st_puts(p, " (left ");
    st_timespec(p, a[4]);
    st_puts(p, ")");
  }
}

bool st_net_is_out(struct process *p, int kind, const uint64_t a[6], int i) {
  (void)p, (void)a, (void)i;
  switch (kind) {
  case A_SOCKNAME_OUT:
  case A_SOCKOPT_OUT:
  case A_MSGHDR_OUT: return st_net.have_len;
  case A_SOCKNAME_FROM:
  case A_SOCKBUF_OUT:
  case A_MMSGHDR_SEND:
  case A_MMSGHDR_RECV: return true;
  default: return false;
  }
}

/* accept, getsockname, getpeername (decode_sockname). */
static void st_sockname(struct process *p, const uint64_t a[6], int i,
                        int64_t ret, bool exiting) {
  int rlen;
  if (!exiting) {
    st_ptr(p, a[i]);
    st_puts(p, ", ");
    st_ptr(p, a[i + 1]);
    return;
  }
  if (ret < 0 || !read_int(p, a[i + 1], &rlen)) {
    st_ptr(p, a[i]);
    st_printf(p, ", [%d]", st_net.ulen);
    return;
  }
  st_sockaddr(p, a[i], st_net.ulen > rlen ? rlen : st_net.ulen);
  st_puts(p, ", ");
  st_len_changed(p, st_net.ulen, rlen);
}

/* recvfrom's source: its own rules for what could not be read. */
static void st_sockname_from(struct process *p, const uint64_t a[6], int i,
                             int64_t ret) {
  int rlen;
  if (!a[i] || !read_int(p, a[i + 1], &rlen)) {
    st_ptr(p, a[i]);
    st_puts(p, ", ");
    st_ptr(p, a[i + 1]);
    return;
  }
  if (ret < 0) {
    st_ptr(p, a[i]);
    st_printf(p, ", [%d]", st_net.ulen);
    return;
  }
  st_sockaddr(p, a[i], st_net.ulen > rlen ? rlen : st_net.ulen);
  st_puts(p, ", ");
  st_len_changed(p, st_net.ulen, rlen);
}

static void st_sockopt_out(struct process *p, const uint64_t a[6], int64_t ret,
                           bool exiting) {
  int rlen;
  if (!exiting) {
    st_ptr(p, a[3]);
    st_puts(p, ", ");
    st_ptr(p, a[4]);
    return;
  }
  if (ret < 0 || !read_int(p, a[4], &rlen)) {
    st_ptr(p, a[3]);
    st_printf(p, ", [%d]", st_net.ulen);
    return;
  }
  st_sockopt_get(p, a, st_net.ulen, rlen);
  st_puts(p, ", ");
  st_len_changed(p, st_net.ulen, rlen);
}

void st_net_arg(struct process *p, int kind, const uint64_t a[6], int i,
                int64_t ret) {
  uint64_t v = a[i];
  bool exiting = st_net_is_out(p, kind, a, i);
  switch (kind) {
  case A_SOCKADDR_IN: st_sockaddr(p, v, (int)a[i + 1]); break;
  case A_SOCKNAME_OUT: st_sockname(p, a, i, ret, exiting); break;
  case A_SOCKNAME_FROM: st_sockname_from(p, a, i, ret); break;
  case A_ACCEPT_FLAGS: st_flags_x(p, sock_flag_names, v, "SOCK_???"); break;
  case A_MSG_FLAGS: st_msg_flags(p, v); break;
  case A_SOCKBUF_OUT:
    if (ret < 0)
      st_ptr(p, v);
    else
      st_guest_buf(p, v, (uint64_t)ret < a[i + 1] ? (uint64_t)ret : a[i + 1],
                   QUOTE_PLAIN);
    break;
  case A_SOCKOPT_LEVEL: st_sock_level(p, v); break;
  case A_SOCKOPT_NAME_GET: st_sockopt_name(p, a[1], v, true); break;
  case A_SOCKOPT_NAME_SET: st_sockopt_name(p, a[1], v, false); break;
  case A_SOCKOPT_IN: st_sockopt_set(p, a); break;
  case A_SOCKOPT_OUT: st_sockopt_out(p, a, ret, exiting); break;
  case A_MSGHDR_IN: st_msghdr(p, v, -1, -1); break;
  case A_MSGHDR_OUT:
    if (!exiting)
      st_ptr(p, v);
    else if (ret < 0)
      st_printf(p, "{msg_namelen=%d}", st_net.ulen);
    else
      st_msghdr(p, v, st_net.ulen, ret);
    break;
  case A_MMSGHDR_SEND:
    st_mmsghdrs(p, v, (unsigned)a[2], ret > 0 ? (unsigned)ret : 0, false, NULL,
                0);
    break;
  case A_MMSGHDR_RECV:
    if (ret < 0)
      st_ptr(p, v);
    else
      st_mmsghdrs(p, v, (unsigned)ret, (unsigned)ret, true, st_net.namelens,
                  st_net.n_namelens);
    break;
  case A_RECVMMSG_TIMEOUT: st_saved_timeout(p, v); break;
  case A_SHUTDOWN_HOW: {
    static const struct flag_name t[] = {{SHUT_RD, "SHUT_RD"},
                                         {SHUT_WR, "SHUT_WR"},
                                         {SHUT_RDWR, "SHUT_RDWR"},
                                         FLAG_END};
    st_xlat(p, t, v & 0xffffffffull, "SHUT_???");
    break;
  }
  default: st_printf(p, "%#llx", (unsigned long long)v); break;
  }
}
