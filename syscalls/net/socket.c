/* Making and connecting sockets: socket, socketpair, bind, listen,
 * accept, accept4, connect, getsockname, getpeername, shutdown. Each is
 * the host's call on the host socket (families, protocols, options and
 * errors are the host kernel's: emu adds no network of its own), with
 * the guest's addresses copied in and out (sock_addr.c) and new sockets
 * put in the guest's descriptor table. The host descriptor always has
 * FD_CLOEXEC; the guest's own lives in its table. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "../syscall_table.h"
#include "net.h"

#define SOCK_FLAGS (SOCK_CLOEXEC | SOCK_NONBLOCK)

static int guest_fd_flags(int flags) {
  return flags & SOCK_CLOEXEC ? FD_CLOEXEC : 0;
}

int64_t sys_socket(struct process *p, const uint64_t a[6]) {
  int type = (int)a[1];
  if (type & ~0xf & ~SOCK_FLAGS)
    return -EINVAL;
  int h = socket((int)a[0], type | SOCK_CLOEXEC, (int)a[2]);
  if (h < 0)
    return -errno;
  return fd_install(p, h, guest_fd_flags(type), 0);
}

int64_t sys_socketpair(struct process *p, const uint64_t a[6]) {
  int type = (int)a[1];
  if (type & ~0xf & ~SOCK_FLAGS)
    return -EINVAL;
  int h[2];
  if (socketpair((int)a[0], type | SOCK_CLOEXEC, (int)a[2], h) < 0)
    return -errno;
  int g[2];
  g[0] = fd_install(p, h[0], guest_fd_flags(type), 0);
  if (g[0] < 0) {
    close(h[1]);
    return g[0];
  }
  g[1] = fd_install(p, h[1], guest_fd_flags(type), 0);
  if (g[1] < 0) {
    fd_close(p, g[0]);
    return g[1];
  }
  if (copy_to_guest(&p->mmu, a[3], g, sizeof g) < 0) {
    fd_close(p, g[0]);
    fd_close(p, g[1]);
    return -EFAULT;
  }
  return 0;
}

int64_t sys_bind(struct process *p, const uint64_t a[6]) {
  int h = fd_host(p, (int)a[0]);
  if (h < 0)
    return h;
  struct sockaddr_storage sa;
  int e = sock_addr_in(p, a[1], (int)a[2], &sa);
  if (e)
    return e;
  return bind(h, (struct sockaddr *)&sa, (socklen_t)(int)a[2]) < 0 ? -errno : 0;
}

int64_t sys_listen(struct process *p, const uint64_t a[6]) {
  int h = fd_host(p, (int)a[0]);
  if (h < 0)
    return h;
  return listen(h, (int)a[1]) < 0 ? -errno : 0;
}

int64_t sys_shutdown(struct process *p, const uint64_t a[6]) {
  int h = fd_host(p, (int)a[0]);
  if (h < 0)
    return h;
  return shutdown(h, (int)a[1]) < 0 ? -errno : 0;
}

/* A blocking connect: the host's call, without the kernel lock. When a
 * signal (or another thread's kick) interrupts it, the connection goes
 * on in the background: the wait for it is then sock_wait's, which a
 * guest signal ends with -ERESTARTSYS (Linux's inet_stream_connect;
 * restarted, connect answers EALREADY as Linux's does), and its outcome
 * is SO_ERROR. A socket not connected after all (an AF_UNIX connect
 * gives up when interrupted) tries again. */
static int64_t connect_blocking(struct process *p, int h,
                                const struct sockaddr *sa, socklen_t len) {
  struct sock_deadline d = {.option = SO_SNDTIMEO_OLD};
  bool interrupted = false;
  for (;;) {
    if (SOCK_UNLOCKED(p, connect(h, sa, len)) == 0)
      return 0;
    if (errno != EINTR && !(interrupted && errno == EALREADY))
      return -errno;
    interrupted = true;
    int w = sock_wait(p, h, POLLOUT, false, &d);
    if (w == -EAGAIN)
      return -EINPROGRESS; /* SO_SNDTIMEO ran out (inet_wait_for_connect) */
    if (w < 0)
      return w;
    int err = 0;
    socklen_t el = sizeof err;
    if (getsockopt(h, SOL_SOCKET, SO_ERROR, &err, &el) < 0)
      return -errno;
    if (err)
      return -err;
    struct sockaddr_storage peer;
    socklen_t pl = sizeof peer;
    if (getpeername(h, (struct sockaddr *)&peer, &pl) == 0)
      return 0;
  }
}

int64_t sys_connect(struct process *p, const uint64_t a[6]) {
  int h = fd_host(p, (int)a[0]);
  if (h < 0)
    return h;
  struct sockaddr_storage sa;
  int e = sock_addr_in(p, a[1], (int)a[2], &sa);
  if (e)
    return e;
  socklen_t len = (socklen_t)(int)a[2];
  if (sock_nonblocking(h))
    return connect(h, (struct sockaddr *)&sa, len) < 0 ? -errno : 0;
  return connect_blocking(p, h, (struct sockaddr *)&sa, len);
}

/* accept cannot be asked not to block: a blocking one waits for a
 * connection first (sock_wait), then takes it without the kernel lock
 * (another process sharing the socket may have taken it meanwhile).
 * The descriptor number is taken before the wait, as Linux takes it, so
 * that other threads' new descriptors are numbered as on Linux. */
static int64_t do_accept(struct process *p, const uint64_t a[6], int flags) {
  if (flags & ~SOCK_FLAGS)
    return -EINVAL;
  int h = fd_host(p, (int)a[0]);
  if (h < 0)
    return h;
  int ulen = 0;
  if (a[1]) {
    int e = sock_addr_len(p, a[2], &ulen);
    if (e)
      return e;
  }
  struct sockaddr_storage sa;
  socklen_t sl = sizeof sa;
  struct sockaddr *sap = a[1] ? (struct sockaddr *)&sa : NULL;
  socklen_t *slp = a[1] ? &sl : NULL;
  int hflags = (flags & SOCK_NONBLOCK) | SOCK_CLOEXEC;
  struct sock_deadline d = {.option = SO_RCVTIMEO_OLD};
  int g = fd_reserve(p);
  if (g < 0)
    return g;
  int nh;
  if (sock_nonblocking(h)) {
    nh = accept4(h, sap, slp, hflags);
  } else {
    for (;;) {
      int w = sock_wait(p, h, POLLIN, false, &d);
      if (w < 0) {
        fd_unreserve(p, g);
        return w;
      }
      nh = (int)SOCK_UNLOCKED(p, accept4(h, sap, slp, hflags));
      if (nh >= 0 || errno != EINTR)
        break;
    }
  }
  if (nh < 0) {
    fd_unreserve(p, g);
    return -errno;
  }
  fd_install_reserved(p, g, nh, guest_fd_flags(flags));
  if (!a[1])
    return g;
  int e = sock_addr_out(p, &sa, sl, a[1], a[2]);
  if (e) {
    fd_close(p, g);
    return e;
  }
  return g;
}

int64_t sys_accept(struct process *p, const uint64_t a[6]) {
  return do_accept(p, a, 0);
}

int64_t sys_accept4(struct process *p, const uint64_t a[6]) {
  return do_accept(p, a, (int)a[3]);
}

typedef int (*name_call)(int, struct sockaddr *, socklen_t *);

static int64_t get_name(struct process *p, const uint64_t a[6],
                        name_call call) {
  int h = fd_host(p, (int)a[0]);
  if (h < 0)
    return h;
  struct sockaddr_storage sa;
  socklen_t sl = sizeof sa;
  if (call(h, (struct sockaddr *)&sa, &sl) < 0)
    return -errno;
  return sock_addr_out(p, &sa, sl, a[1], a[2]);
}

int64_t sys_getsockname(struct process *p, const uint64_t a[6]) {
  return get_name(p, a, getsockname);
}

int64_t sys_getpeername(struct process *p, const uint64_t a[6]) {
  return get_name(p, a, getpeername);
}
