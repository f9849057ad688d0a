/* Sockets in one process, one call after another (so that the whole
 * trace compares with strace's, ports aside): socketpairs of the three
 * AF_UNIX types with SCM_RIGHTS and SCM_CREDENTIALS, an AF_UNIX path
 * and an abstract name, TCP and UDP on 127.0.0.1 (ports chosen by the
 * kernel), IPv6 on ::1 when the host has it, sendmmsg/recvmmsg,
 * read/write/readv/writev on sockets, options, SO_RCVTIMEO, and the
 * errors Linux gives for bad arguments. Prints nothing that differs
 * between runs (no ports, pids, inode numbers). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

static void show(const char *what, long r) {
  printf("%s: %ld%s%s\n", what, r, r < 0 ? " " : "",
         r < 0 ? strerrorname_np(errno) : "");
}

static struct sockaddr_in loopback(int port) {
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

/* A file descriptor through a stream socketpair, and credentials. */
static void unix_pairs(void) {
  int sv[2], pf[2];
  show("socketpair stream", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
  if (pipe(pf) < 0)
    return;
  char data[16] = "fd!";
  struct iovec iov = {data, 3};
  union {
    struct cmsghdr h;
    char b[CMSG_SPACE(2 * sizeof(int))];
  } u;
  memset(&u, 0, sizeof u);
  struct msghdr m = {.msg_iov = &iov,
                     .msg_iovlen = 1,
                     .msg_control = u.b,
                     .msg_controllen = sizeof u.b};
  struct cmsghdr *c = CMSG_FIRSTHDR(&m);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(2 * sizeof(int));
  memcpy(CMSG_DATA(c), pf, sizeof pf);
  show("sendmsg rights", sendmsg(sv[0], &m, MSG_NOSIGNAL));
  close(pf[0]);
  close(pf[1]);
  memset(&u, 0, sizeof u);
  iov.iov_len = sizeof data;
  show("recvmsg rights", recvmsg(sv[1], &m, MSG_CMSG_CLOEXEC));
  c = CMSG_FIRSTHDR(&m);
  int got[2] = {-1, -1};
  if (c && c->cmsg_type == SCM_RIGHTS)
    memcpy(got, CMSG_DATA(c), sizeof got);
  printf("received fds %d %d, cloexec %d, flags %#x\n", got[0], got[1],
         fcntl(got[0], F_GETFD), m.msg_flags);
  show("write through received", write(got[1], "pipe", 4));
  char buf[64] = {0};
  show("read through received", read(got[0], buf, sizeof buf));
  printf("data %s\n", buf);
  close(got[0]);
  close(got[1]);

  /* A control buffer too small: the fds that do not fit are closed. */
  if (pipe(pf) < 0)
    return;
  memset(&u, 0, sizeof u);
  iov.iov_len = 3;
  m.msg_controllen = sizeof u.b;
  c = CMSG_FIRSTHDR(&m);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(2 * sizeof(int));
  memcpy(CMSG_DATA(c), pf, sizeof pf);
  show("sendmsg rights again", sendmsg(sv[0], &m, 0));
  close(pf[0]);
  close(pf[1]);
  m.msg_controllen = CMSG_LEN(sizeof(int));
  show("recvmsg short control", recvmsg(sv[1], &m, 0));
  printf("ctrunc %d, len %zu\n", !!(m.msg_flags & MSG_CTRUNC),
         (size_t)m.msg_controllen);
  memcpy(got, CMSG_DATA(CMSG_FIRSTHDR(&m)), sizeof(int));
  close(got[0]);

  int one = 1;
  show("SO_PASSCRED",
       setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof one));
  show("send", send(sv[0], "cred", 4, 0));
  union {
    struct cmsghdr h;
    char b[CMSG_SPACE(sizeof(struct ucred))];
  } cu;
  m.msg_control = cu.b;
  m.msg_controllen = sizeof cu.b;
  iov.iov_len = sizeof data;
  show("recvmsg creds", recvmsg(sv[1], &m, 0));
  struct ucred cr;
  memcpy(&cr, cu.b + CMSG_LEN(0), sizeof cr);
  printf("creds type %d: pid is mine %d, uid %d\n", cu.h.cmsg_type,
         cr.pid == getpid(), cr.uid == getuid());
  socklen_t cl = sizeof cr;
  show("SO_PEERCRED", getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &cr, &cl));
  printf("peer pid is mine %d\n", cr.pid == getpid());

  /* read/write and the vectored forms on a socket */
  struct iovec two[2] = {{"ab", 2}, {"cde", 3}};
  show("writev", writev(sv[0], two, 2));
  char x[2], y[8] = {0};
  struct iovec in[2] = {{x, 2}, {y, sizeof y - 1}};
  show("readv", readv(sv[1], in, 2));
  printf("%.2s %s\n", x, y);
  show("shutdown", shutdown(sv[0], SHUT_WR));
  show("read at eof", read(sv[1], buf, sizeof buf));
  show("write after shutdown", send(sv[0], "x", 1, MSG_NOSIGNAL));
  close(sv[0]);
  close(sv[1]);

  show("socketpair dgram", socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
  show("send 5", send(sv[0], "12345", 5, 0));
  show("send 3", send(sv[0], "678", 3, 0));
  show("recv trunc", recv(sv[1], buf, 2, MSG_TRUNC));
  show("recv whole", recv(sv[1], buf, sizeof buf, 0));
  show("recv empty", recv(sv[1], buf, sizeof buf, MSG_DONTWAIT));
  close(sv[0]);
  close(sv[1]);

  show("socketpair seqpacket",
       socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, sv));
  show("send", send(sv[0], "record", 6, 0));
  show("recv", recv(sv[1], buf, 3, 0));
  show("recv nothing left", recv(sv[1], buf, sizeof buf, 0));
  close(sv[0]);
  close(sv[1]);
}

/* A named AF_UNIX socket in the cwd and an abstract one: pid in the
 * names so that runs at the same time never meet. */
static void unix_names(void) {
  struct sockaddr_un a = {.sun_family = AF_UNIX};
  snprintf(a.sun_path, sizeof a.sun_path, "emu-sock-%d", getpid());
  unlink(a.sun_path);
  int l = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  show("bind path", bind(l, (struct sockaddr *)&a, sizeof a));
  show("bind again", bind(l, (struct sockaddr *)&a, sizeof a));
  show("listen", listen(l, 4));
  int c = socket(AF_UNIX, SOCK_STREAM, 0);
  show("connect path", connect(c, (struct sockaddr *)&a, sizeof a));
  struct sockaddr_un peer;
  socklen_t pl = sizeof peer;
  int s = accept(l, (struct sockaddr *)&peer, &pl);
  printf("accept: peer length %u\n", (unsigned)pl);
  pl = sizeof peer;
  show("getpeername", getpeername(c, (struct sockaddr *)&peer, &pl));
  printf("peer is mine %d\n", strcmp(peer.sun_path, a.sun_path) == 0);
  show("send", send(c, "over a path", 11, 0));
  char buf[32] = {0};
  show("recv", recv(s, buf, sizeof buf, 0));
  printf("%s\n", buf);
  close(s);
  close(c);
  close(l);
  show("unlink", unlink(a.sun_path));

  int d = socket(AF_UNIX, SOCK_DGRAM, 0);
  struct sockaddr_un ab = {.sun_family = AF_UNIX};
  int n = snprintf(ab.sun_path + 1, sizeof ab.sun_path - 1, "emu-abstract-%d",
                   getpid());
  socklen_t al = offsetof(struct sockaddr_un, sun_path) + 1 + n;
  show("bind abstract", bind(d, (struct sockaddr *)&ab, al));
  int e = socket(AF_UNIX, SOCK_DGRAM, 0);
  show("sendto abstract", sendto(e, "hi", 2, 0, (struct sockaddr *)&ab, al));
  show("recvfrom", recvfrom(d, buf, sizeof buf, 0, NULL, NULL));
  show("connect missing", connect(e, (struct sockaddr *)&a, sizeof a));
  close(d);
  close(e);
}

static void tcp(void) {
  int one = 1;
  int l = socket(AF_INET, SOCK_STREAM, 0);
  show("SO_REUSEADDR",
       setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one));
  struct sockaddr_in a = loopback(0);
  show("bind", bind(l, (struct sockaddr *)&a, sizeof a));
  socklen_t al = sizeof a;
  show("getsockname", getsockname(l, (struct sockaddr *)&a, &al));
  printf("port chosen %d\n", ntohs(a.sin_port) != 0);
  show("listen", listen(l, 8));
  int c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  show("TCP_NODELAY",
       setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one));
  show("connect", connect(c, (struct sockaddr *)&a, sizeof a));
  struct sockaddr_in peer;
  socklen_t pl = sizeof peer;
  int s = accept4(l, (struct sockaddr *)&peer, &pl, SOCK_CLOEXEC);
  printf("accept4: ok %d, family %d, cloexec %d\n", s >= 0, peer.sin_family,
         fcntl(s, F_GETFD));
  show("sendto", sendto(c, "ping", 4, 0, NULL, 0));
  char buf[64] = {0};
  show("recv peek", recv(s, buf, sizeof buf, MSG_PEEK));
  show("recvfrom",
       recvfrom(s, buf, sizeof buf, 0, (struct sockaddr *)&peer, &pl));
  printf("%s, source length %u\n", buf, (unsigned)pl);
  show("recv nothing", recv(s, buf, sizeof buf, MSG_DONTWAIT));
  struct iovec iov[3] = {{"one ", 4}, {"two ", 4}, {"three", 5}};
  struct msghdr m = {.msg_iov = iov, .msg_iovlen = 3};
  show("sendmsg", sendmsg(s, &m, 0));
  memset(buf, 0, sizeof buf);
  show("recv waitall", recv(c, buf, 13, MSG_WAITALL));
  printf("%s\n", buf);
  struct linger lg = {1, 0};
  show("SO_LINGER", setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof lg));
  int v;
  socklen_t vl = sizeof v;
  show("SO_TYPE", getsockopt(c, SOL_SOCKET, SO_TYPE, &v, &vl));
  printf("type %d\n", v);
  vl = sizeof v;
  show("SO_ERROR", getsockopt(c, SOL_SOCKET, SO_ERROR, &v, &vl));
  vl = sizeof v;
  show("TCP_NODELAY get", getsockopt(c, IPPROTO_TCP, TCP_NODELAY, &v, &vl));
  printf("nodelay %d\n", v != 0);
  vl = sizeof v;
  show("SO_KEEPALIVE", getsockopt(c, SOL_SOCKET, SO_KEEPALIVE, &v, &vl));
  vl = sizeof lg;
  show("SO_LINGER get", getsockopt(c, SOL_SOCKET, SO_LINGER, &lg, &vl));
  printf("linger %d %d\n", lg.l_onoff, lg.l_linger);
  vl = sizeof v;
  show("unknown option", getsockopt(c, SOL_SOCKET, 9999, &v, &vl));
  struct timeval tv = {0, 30000};
  show("SO_RCVTIMEO", setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
  show("recv times out", recv(c, buf, sizeof buf, 0));
  show("shutdown", shutdown(s, SHUT_WR));
  show("recv eof", recv(c, buf, sizeof buf, 0));
  close(s);
  close(c);

  /* Nobody listens on a port that was just closed. */
  int gone = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in g = loopback(0);
  bind(gone, (struct sockaddr *)&g, sizeof g);
  al = sizeof g;
  getsockname(gone, (struct sockaddr *)&g, &al);
  close(gone);
  c = socket(AF_INET, SOCK_STREAM, 0);
  show("connect refused", connect(c, (struct sockaddr *)&g, sizeof g));
  close(c);
  close(l);
}

static void udp(void) {
  int r = socket(AF_INET, SOCK_DGRAM, 0), w = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in a = loopback(0), from;
  socklen_t al = sizeof a;
  bind(r, (struct sockaddr *)&a, sizeof a);
  getsockname(r, (struct sockaddr *)&a, &al);
  show("sendto", sendto(w, "datagram", 8, 0, (struct sockaddr *)&a, sizeof a));
  char buf[64] = {0};
  socklen_t fl = sizeof from;
  show("recvfrom",
       recvfrom(r, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl));
  printf("%s from 127.0.0.1 %d\n", buf,
         from.sin_addr.s_addr == htonl(INADDR_LOOPBACK));
  show("connect", connect(w, (struct sockaddr *)&a, sizeof a));
  struct mmsghdr mm[3];
  struct iovec iov[3] = {{"m1", 2}, {"m22", 3}, {"m333", 4}};
  memset(mm, 0, sizeof mm);
  for (int k = 0; k < 3; k++) {
    mm[k].msg_hdr.msg_iov = &iov[k];
    mm[k].msg_hdr.msg_iovlen = 1;
  }
  show("sendmmsg", sendmmsg(w, mm, 3, 0));
  char bufs[3][8];
  struct iovec in[3];
  struct sockaddr_in names[3];
  memset(mm, 0, sizeof mm);
  for (int k = 0; k < 3; k++) {
    in[k] = (struct iovec){bufs[k], sizeof bufs[k]};
    mm[k].msg_hdr.msg_iov = &in[k];
    mm[k].msg_hdr.msg_iovlen = 1;
    mm[k].msg_hdr.msg_name = &names[k];
    mm[k].msg_hdr.msg_namelen = sizeof names[k];
  }
  show("recvmmsg", recvmmsg(r, mm, 3, MSG_DONTWAIT, NULL));
  for (int k = 0; k < 3; k++)
    printf("  %u %.*s\n", mm[k].msg_len, (int)mm[k].msg_len, bufs[k]);
  struct timespec ts = {0, 1000000};
  show("recvmmsg none", recvmmsg(r, mm, 3, MSG_DONTWAIT, &ts));
  close(r);
  close(w);
}

static void ipv6(void) {
  int s = socket(AF_INET6, SOCK_DGRAM, 0);
  struct sockaddr_in6 a = {.sin6_family = AF_INET6,
                           .sin6_addr = IN6ADDR_LOOPBACK_INIT};
  if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) < 0) {
    printf("ipv6: not here\n");
    if (s >= 0)
      close(s);
    return;
  }
  socklen_t al = sizeof a;
  getsockname(s, (struct sockaddr *)&a, &al);
  int w = socket(AF_INET6, SOCK_DGRAM, 0);
  show("ipv6 sendto", sendto(w, "six", 3, 0, (struct sockaddr *)&a, sizeof a));
  char buf[8] = {0};
  show("ipv6 recv", recv(s, buf, sizeof buf, 0));
  close(w);
  close(s);
}

/* Level- and edge-triggered epoll on a socket. */
static void epoll_modes(void) {
  int sv[2];
  socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv);
  int ep = epoll_create1(0);
  struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 7};
  epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], &ev);
  send(sv[0], "abcd", 4, 0);
  struct epoll_event out[2];
  show("level 1", epoll_wait(ep, out, 2, 0));
  show("level 2", epoll_wait(ep, out, 2, 0));
  ev.events = EPOLLIN | EPOLLET;
  epoll_ctl(ep, EPOLL_CTL_MOD, sv[1], &ev);
  show("edge 1", epoll_wait(ep, out, 2, 0));
  show("edge 2", epoll_wait(ep, out, 2, 0));
  send(sv[0], "e", 1, 0);
  show("edge after send", epoll_wait(ep, out, 2, 0));
  close(ep);
  close(sv[0]);
  close(sv[1]);
}

static void errors(void) {
  int pf[2];
  if (pipe(pf) < 0)
    return;
  struct sockaddr_in a = loopback(0);
  show("bad type", socket(AF_INET, 99, 0));
  show("bad flags", socket(AF_INET, SOCK_STREAM | 0x100000, 0));
  show("bad family", socket(12345, SOCK_STREAM, 0));
  show("not a socket", bind(pf[0], (struct sockaddr *)&a, sizeof a));
  show("bad fd", listen(99, 1));
  int s = socket(AF_INET, SOCK_STREAM, 0);
  show("negative length", bind(s, (struct sockaddr *)&a, -1));
  show("bad address", connect(s, (struct sockaddr *)8, sizeof a));
  show("accept4 flags", accept4(s, NULL, NULL, 0x1));
  show("accept unlistened", accept(s, NULL, NULL));
  socklen_t len = 16;
  show("getpeername unconnected", getpeername(s, (struct sockaddr *)&a, &len));
  show("getsockname bad buffer", getsockname(s, (struct sockaddr *)8, &len));
  int v = 1;
  show("setsockopt length", setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &v, -1));
  len = (socklen_t)-1;
  show("getsockopt length", getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &len));
  show("send unconnected", send(s, "x", 1, MSG_NOSIGNAL));
  show("recvmsg bad", recvmsg(s, (struct msghdr *)8, 0));
  close(s);
  close(pf[0]);
  close(pf[1]);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  unix_pairs();
  unix_names();
  tcp();
  udp();
  ipv6();
  epoll_modes();
  errors();
  return 0;
}
