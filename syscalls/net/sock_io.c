/* Data on sockets: sendto, recvfrom, sendmsg, recvmsg, sendmmsg,
 * recvmmsg, and read/write/readv/writev when the descriptor is a socket
 * (Linux's sock_read_iter and sock_write_iter are recvmsg and sendmsg).
 *
 * The guest's iovecs are gathered into one host buffer (at most
 * SOCK_CHUNK bytes) and the host's sendmsg/recvmsg is made on it with
 * MSG_DONTWAIT; a call that would block waits in sock_wait and tries
 * again. A stream goes by pieces: a blocking send returns only when all
 * of it went (or a signal or timeout came after some did: the count so
 * far), MSG_WAITALL receives until the buffer is full. A datagram is
 * always one piece. Control messages go with the first piece. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../syscall_table.h"
#include "net.h"

int sock_iov_read(struct process *p, uint64_t addr, uint64_t n,
                  struct guest_iovec *out, uint64_t *total) {
  if (n > SOCK_IOV_MAX)
    return -EMSGSIZE;
  if (n && copy_from_guest(&p->mmu, out, addr, n * sizeof *out) < 0)
    return -EFAULT;
  uint64_t sum = 0;
  for (uint64_t k = 0; k < n; k++) {
    if ((int64_t)out[k].len < 0)
      return -EINVAL;
    /* rw_copy_check_uvector: the total is cut at MAX_RW_COUNT */
    if (out[k].len > SOCK_RW_MAX - sum)
      out[k].len = SOCK_RW_MAX - sum;
    sum += out[k].len;
  }
  *total = sum;
  return 0;
}

/* Copy between the guest's iovecs, from byte `skip` of them, and a host
 * buffer of len bytes. Returns the bytes copied: fewer when a guest page
 * faults. */
static size_t iov_copy(struct process *p, const struct guest_iovec *iov,
                       uint64_t n, uint64_t skip, uint8_t *buf, size_t len,
                       bool to_guest) {
  size_t done = 0;
  for (uint64_t k = 0; k < n && done < len; k++) {
    if (skip >= iov[k].len) {
      skip -= iov[k].len;
      continue;
    }
    uint64_t room = iov[k].len - skip;
    size_t m = len - done < room ? len - done : (size_t)room;
    uint64_t at = iov[k].base + skip;
    int r = to_guest ? copy_to_guest(&p->mmu, at, buf + done, m)
                     : copy_from_guest(&p->mmu, buf + done, at, m);
    if (r < 0) {
      /* Byte by byte up to the fault: what Linux copied before it. */
      for (size_t b = 0; b < m; b++) {
        r = to_guest ? copy_to_guest(&p->mmu, at + b, buf + done, 1)
                     : copy_from_guest(&p->mmu, buf + done, at + b, 1);
        if (r < 0)
          return done;
        done++;
      }
      return done;
    }
    done += m;
    skip = 0;
  }
  return done;
}

/* One message: the guest's side of it and what the host call needs. */
struct sock_msg {
  const struct guest_iovec *iov;
  uint64_t iovlen, total;
  int flags; /* the guest's MSG_* flags */
  /* send: the destination (NULL: none); recv: where the source goes
   * (name_addr 0: not wanted) */
  struct sockaddr_storage name;
  socklen_t namelen;
  uint64_t name_addr, namelen_addr;
  uint8_t *control; /* host control data (send), or its buffer (recv) */
  size_t controllen;
  /* recv: what came back; the control data holds guest descriptors */
  int msg_flags;
  bool installed;
};

static int64_t do_send(struct process *p, int h, struct sock_msg *m) {
  size_t cap = m->total < SOCK_CHUNK ? (size_t)m->total : SOCK_CHUNK;
  uint8_t *buf = malloc(cap ? cap : 1);
  if (!buf)
    return -ENOMEM;
  struct sock_deadline d = {.option = SO_SNDTIMEO_OLD};
  bool dontwait = m->flags & MSG_DONTWAIT;
  uint64_t done = 0;
  size_t have = 0; /* bytes of buf gathered, from offset done */
  int64_t r = 0;
  for (;;) {
    if (!have && m->total) {
      size_t want = m->total - done < cap ? (size_t)(m->total - done) : cap;
      have = iov_copy(p, m->iov, m->iovlen, done, buf, want, false);
      if (!have) {
        r = -EFAULT;
        break;
      }
    }
    struct iovec hv = {buf, have};
    struct msghdr hm = {
        .msg_name = m->namelen ? &m->name : NULL,
        .msg_namelen = m->namelen,
        .msg_iov = &hv,
        .msg_iovlen = 1,
        .msg_control = done ? NULL : m->control,
        .msg_controllen = done ? 0 : m->controllen,
    };
    ssize_t s = sendmsg(h, &hm, m->flags | MSG_DONTWAIT);
    if (s < 0) {
      r = -errno;
      if (r == -EAGAIN)
        r = sock_wait(p, h, POLLOUT, dontwait, &d);
      if (r == 0)
        continue;
      break;
    }
    /* A datagram goes whole or not at all; what a stream did not take
     * waits for room, unless the caller would not wait for it. */
    done += (uint64_t)s;
    if (done >= m->total)
      break;
    if ((size_t)s == have) {
      have = 0;
      continue;
    }
    memmove(buf, buf + s, have - (size_t)s);
    have -= (size_t)s;
    r = sock_wait(p, h, POLLOUT, dontwait, &d);
    if (r < 0)
      break;
  }
  free(buf);
  if (done)
    return (int64_t)done;
  return r;
}

/* The WAITALL loop needs the socket's type: a datagram is one piece. */
static bool is_stream(int h) {
  int type = 0;
  socklen_t len = sizeof type;
  return getsockopt(h, SOL_SOCKET, SO_TYPE, &type, &len) == 0 &&
         type == SOCK_STREAM;
}

static int64_t do_recv(struct process *p, int h, struct sock_msg *m) {
  size_t cap = m->total < SOCK_CHUNK ? (size_t)m->total : SOCK_CHUNK;
  uint8_t *buf = malloc(cap ? cap : 1);
  if (!buf)
    return -ENOMEM;
  struct sock_deadline d = {.option = SO_RCVTIMEO_OLD};
  bool dontwait = m->flags & MSG_DONTWAIT;
  bool waitall = (m->flags & MSG_WAITALL) && !(m->flags & MSG_PEEK) &&
                 !dontwait && is_stream(h);
  uint64_t done = 0;
  int64_t r = 0;
  for (;;) {
    size_t want = m->total - done < cap ? (size_t)(m->total - done) : cap;
    struct iovec hv = {buf, want};
    struct msghdr hm = {
        .msg_name = m->name_addr && !done ? &m->name : NULL,
        .msg_namelen = m->name_addr && !done ? sizeof m->name : 0,
        .msg_iov = &hv,
        .msg_iovlen = 1,
        .msg_control = done ? NULL : m->control,
        .msg_controllen = done ? 0 : m->controllen,
    };
    ssize_t s = recvmsg(h, &hm,
                        (m->flags & ~MSG_CMSG_CLOEXEC) | MSG_DONTWAIT |
                            MSG_CMSG_CLOEXEC);
    if (s < 0) {
      r = -errno;
      if (r == -EAGAIN)
        r = sock_wait(p, h, POLLIN, dontwait, &d);
      if (r == 0)
        continue;
      break;
    }
    if (!done) {
      m->namelen = hm.msg_namelen;
      m->controllen = hm.msg_controllen;
      /* The host call always asks MSG_CMSG_CLOEXEC; Linux reports the
       * flag in msg_flags only when the caller gave it. */
      m->msg_flags =
          (hm.msg_flags & ~MSG_CMSG_CLOEXEC) | (m->flags & MSG_CMSG_CLOEXEC);
      if (m->controllen) {
        m->controllen =
            scm_to_guest(p, m->control, m->controllen, m->flags, &m->msg_flags);
        m->installed = true;
      }
    }
    size_t got = (size_t)s < want ? (size_t)s : want;
    size_t put = iov_copy(p, m->iov, m->iovlen, done, buf, got, true);
    if (put < got) {
      r = -EFAULT;
      done += put;
      break;
    }
    /* MSG_TRUNC: a datagram's real length, longer than the buffer. */
    done += (uint64_t)s;
    if (!waitall || s == 0 || done >= m->total)
      break;
  }
  free(buf);
  if (done)
    return (int64_t)done;
  return r;
}

/* --- read, write, readv, writev on a socket ----------------------------- */

int64_t sock_rw(struct process *p, int h, const struct guest_iovec *iov,
                uint64_t n, bool sending) {
  struct sock_msg m = {.iov = iov, .iovlen = n};
  for (uint64_t k = 0; k < n; k++)
    m.total += iov[k].len;
  int64_t r = sending ? do_send(p, h, &m) : do_recv(p, h, &m);
  return r;
}

/* --- sendto, recvfrom ------------------------------------------------- */

int64_t sys_sendto(struct process *p, const uint64_t a[6]) {
  int h = fd_host(p, (int)a[0]);
  if (h < 0)
    return h;
  struct guest_iovec iov = {a[1], a[2] > SOCK_RW_MAX ? SOCK_RW_MAX : a[2]};
  struct sock_msg m = {
      .iov = &iov, .iovlen = 1, .total = iov.len, .flags = (int)a[3]};
  if (a[4]) {
    int e = sock_addr_in(p, a[4], (int)a[5], &m.name);
    if (e)
      return e;
    m.namelen = (socklen_t)(int)a[5];
  }
  return do_send(p, h, &m);
}

int64_t sys_recvfrom(struct process *p, const uint64_t a[6]) {
  int h = fd_host(p, (int)a[0]);
  if (h < 0)
    return h;
  struct guest_iovec iov = {a[1], a[2] > SOCK_RW_MAX ? SOCK_RW_MAX : a[2]};
  struct sock_msg m = {.iov = &iov,
                       .iovlen = 1,
                       .total = iov.len,
                       .flags = (int)a[3],
                       .name_addr = a[4],
                       .namelen_addr = a[5]};
  int64_t r = do_recv(p, h, &m);
  /* A connected stream has no source to give: its length comes back 0
   * (__sys_recvfrom writes it whatever the protocol). */
  if (r >= 0 && a[4]) {
    int e = sock_addr_out(p, &m.name, m.namelen, a[4], a[5]);
    if (e)
      return e;
  }
  return r;
}

/* --- sendmsg, recvmsg ------------------------------------------------- */

/* The guest's msghdr as a sock_msg (copy_msghdr_from_user): its iovecs
 * in *iov, its name and (send) control data copied. */
static int64_t msg_in(struct process *p, uint64_t addr, struct guest_msghdr *g,
                      struct guest_iovec *iov, struct sock_msg *m,
                      bool sending) {
  if (copy_from_guest(&p->mmu, g, addr, sizeof *g) < 0)
    return -EFAULT;
  /* __copy_msghdr: no name is length 0; a longer one is cut to a
   * sockaddr_storage. */
  uint32_t namelen = g->name ? g->namelen : 0;
  if ((int32_t)namelen < 0)
    return -EINVAL;
  if (namelen > sizeof m->name)
    namelen = sizeof m->name;
  int e = sock_iov_read(p, g->iov, g->iovlen, iov, &m->total);
  if (e)
    return e;
  m->iov = iov;
  m->iovlen = g->iovlen;
  if (sending) {
    if (g->controllen > 0x7fffffff)
      return -ENOBUFS;
    if (namelen) {
      e = sock_addr_in(p, g->name, namelen, &m->name);
      if (e)
        return e;
      m->namelen = namelen;
    }
    if (g->controllen) {
      e = scm_to_host(p, g->control, g->controllen, &m->control);
      if (e)
        return e;
      m->controllen = g->controllen;
    }
  } else {
    m->name_addr = g->name;
    if (g->controllen) {
      size_t n = g->controllen < SOCK_CONTROL_MAX ? (size_t)g->controllen
                                                  : SOCK_CONTROL_MAX;
      m->control = calloc(1, n);
      if (!m->control)
        return -ENOMEM;
      m->controllen = n;
    }
  }
  return 0;
}

static int64_t sendmsg_one(struct process *p, int h, uint64_t addr, int flags) {
  struct guest_msghdr g;
  struct guest_iovec iov[SOCK_IOV_MAX];
  struct sock_msg m = {.flags = flags};
  int64_t r = msg_in(p, addr, &g, iov, &m, true);
  if (!r)
    r = do_send(p, h, &m);
  free(m.control);
  return r;
}

/* After a receive: the guest's msg_name, msg_namelen, msg_control
 * (what was received), msg_controllen and msg_flags (Linux writes them
 * back with put_user/copy_to_user in ___sys_recvmsg). */
static int msg_out(struct process *p, uint64_t addr,
                   const struct guest_msghdr *g, struct sock_msg *m) {
  struct guest_msghdr out = *g;
  if (g->name) {
    uint32_t n = m->namelen < g->namelen ? m->namelen : g->namelen;
    if (n && copy_to_guest(&p->mmu, g->name, &m->name, n) < 0)
      return -EFAULT;
    out.namelen = m->namelen;
  }
  if (m->controllen &&
      copy_to_guest(&p->mmu, g->control, m->control, m->controllen) < 0)
    return -EFAULT;
  out.controllen = m->controllen;
  out.flags = m->msg_flags;
  return copy_to_guest(&p->mmu, addr, &out, sizeof out) < 0 ? -EFAULT : 0;
}

static int64_t recvmsg_one(struct process *p, int h, uint64_t addr, int flags) {
  struct guest_msghdr g;
  struct guest_iovec iov[SOCK_IOV_MAX];
  struct sock_msg m = {.flags = flags};
  int64_t r = msg_in(p, addr, &g, iov, &m, false);
  if (!r)
    r = do_recv(p, h, &m);
  if (r >= 0)
    r = msg_out(p, addr, &g, &m) ? -EFAULT : r;
  if (r < 0 && m.installed)
    scm_discard(p, m.control, m.controllen);
  free(m.control);
  return r;
}

int64_t sys_sendmsg(struct process *p, const uint64_t a[6]) {
  int h = fd_host(p, (int)a[0]);
  if (h < 0)
    return h;
  return sendmsg_one(p, h, a[1], (int)a[2]);
}

int64_t sys_recvmsg(struct process *p, const uint64_t a[6]) {
  int h = fd_host(p, (int)a[0]);
  if (h < 0)
    return h;
  return recvmsg_one(p, h, a[1], (int)a[2]);
}

/* --- sendmmsg, recvmmsg ----------------------------------------------- */

/* UIO_MAXIOV messages at most (net/socket.c: __sys_sendmmsg). */
int64_t sys_sendmmsg(struct process *p, const uint64_t a[6]) {
  int h = fd_host(p, (int)a[0]);
  if (h < 0)
    return h;
  unsigned vlen = (unsigned)a[2] > SOCK_IOV_MAX ? SOCK_IOV_MAX : (unsigned)a[2];
  int flags = (int)a[3];
  unsigned k = 0;
  int64_t r = 0;
  for (; k < vlen; k++) {
    uint64_t at = a[1] + (uint64_t)k * sizeof(struct guest_mmsghdr);
    r = sendmsg_one(p, h, at, flags);
    if (r < 0)
      break;
    uint32_t len = (uint32_t)r;
    if (copy_to_guest(&p->mmu, at + offsetof(struct guest_mmsghdr, len), &len,
                      sizeof len) < 0) {
      r = -EFAULT;
      break;
    }
  }
  return k ? (int64_t)k : r;
}

static int64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000000000ll + t.tv_nsec;
}

/* The timeout is looked at only between datagrams, as Linux does
 * (do_recvmmsg); what is left of it is written back. MSG_WAITFORONE
 * makes every receive after the first non-blocking. */
int64_t sys_recvmmsg(struct process *p, const uint64_t a[6]) {
  int h = fd_host(p, (int)a[0]);
  if (h < 0)
    return h;
  int64_t end = 0;
  struct timespec ts;
  if (a[4]) {
    if (copy_from_guest(&p->mmu, &ts, a[4], sizeof ts) < 0)
      return -EFAULT;
    if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
      return -EINVAL;
    end = now_ns() + ts.tv_sec * 1000000000ll + ts.tv_nsec;
  }
  unsigned vlen = (unsigned)a[2] > SOCK_IOV_MAX ? SOCK_IOV_MAX : (unsigned)a[2];
  int flags = (int)a[3];
  unsigned k = 0;
  int64_t r = 0;
  for (; k < vlen; k++) {
    uint64_t at = a[1] + (uint64_t)k * sizeof(struct guest_mmsghdr);
    int f = flags & ~MSG_WAITFORONE;
    if (k && (flags & MSG_WAITFORONE))
      f |= MSG_DONTWAIT;
    r = recvmsg_one(p, h, at, f);
    if (r < 0)
      break;
    uint32_t len = (uint32_t)r;
    if (copy_to_guest(&p->mmu, at + offsetof(struct guest_mmsghdr, len), &len,
                      sizeof len) < 0) {
      r = -EFAULT;
      break;
    }
    if (a[4]) {
      int64_t left = end - now_ns();
      if (left < 0)
        left = 0;
      ts = (struct timespec){left / 1000000000, left % 1000000000};
      if (copy_to_guest(&p->mmu, a[4], &ts, sizeof ts) < 0)
        return -EFAULT;
      if (!left) {
        k++;
        break;
      }
    }
  }
  return k ? (int64_t)k : r;
}
