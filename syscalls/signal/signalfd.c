/* signalfd on emu's own signal machinery: the guest's signals are in
 * emu's queues (sigqueue.c), not the host's, so a host signalfd would
 * never see them. A guest signalfd is a host eventfd standing for its
 * readiness: readable while a signal of its mask is pending, which every
 * change of the queues keeps true (signalfd_notify); poll, select and
 * epoll on it are then the host's. Its read takes the signals from the
 * queues as the kernel's signalfd_read does (fs/signalfd.c), and waits
 * as any host wait does when none is pending. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "../fs.h"
#include "../syscall_table.h"

#define BIT(sig) (1ull << ((sig)-1))
#define SIGNALFD_SIZE 128 /* struct signalfd_siginfo */

struct signalfd {
  struct fd_special base; /* first: the descriptor table holds this */
  uint64_t mask;
  int notify; /* emu's own reference to the eventfd */
  bool ready; /* the eventfd counts 1 */
  struct signalfd *next;
};

/* Every signalfd of the process (a forked child keeps a copy). */
static struct signalfd *all;

static void set_ready(struct signalfd *s, bool ready) {
  if (ready == s->ready)
    return;
  uint64_t v = 1;
  if (ready) {
    if (write(s->notify, &v, sizeof v) != sizeof v)
      return;
  } else {
    /* Only when the count is there: the eventfd may be blocking. */
    struct pollfd pfd = {s->notify, POLLIN, 0};
    if (poll(&pfd, 1, 0) == 1 && read(s->notify, &v, sizeof v) != sizeof v)
      return;
  }
  s->ready = ready;
}

void signalfd_notify(struct process *p) {
  uint64_t pending = sigqueue_pending(p);
  for (struct signalfd *s = all; s; s = s->next)
    set_ready(s, (pending & s->mask) != 0);
}

/* signalfd_copyinfo: the fields of the siginfo's layout. */
static void to_ssi(const struct guest_siginfo *info, uint8_t out[128]) {
  struct {
    uint32_t signo;
    int32_t errno_, code;
    uint32_t pid, uid;
    int32_t fd;
    uint32_t tid, band, overrun, trapno;
    int32_t status, int_;
    uint64_t ptr, utime, stime, addr;
  } s;
  memset(&s, 0, sizeof s);
  const uint8_t *u = info->u.bytes;
  uint32_t w[2];
  int64_t q[3];
  memcpy(w, u, sizeof w);
  memcpy(q, u + 8, sizeof q);
  s.signo = (uint32_t)info->signo;
  s.errno_ = info->errno_;
  s.code = info->code;
  int sig = info->signo, code = info->code;
  bool fault = sig == SIGILL || sig == SIGFPE || sig == SIGSEGV ||
               sig == SIGBUS || sig == SIGTRAP;
  if (code > SI_USER && code < SI_KERNEL && fault) {
    memcpy(&s.addr, u, 8);
  } else if (code > SI_USER && code < SI_KERNEL && sig == SIGCHLD) {
    s.pid = w[0];
    s.uid = w[1];
    s.status = (int32_t)q[0];
    s.utime = (uint64_t)q[1];
    s.stime = (uint64_t)q[2];
  } else if (code == SI_TIMER) {
    s.tid = w[0];
    s.overrun = w[1];
    s.ptr = (uint64_t)q[0];
    s.int_ = (int32_t)q[0];
  } else if ((code > SI_USER && code < SI_KERNEL) || code == SI_SIGIO) {
    int64_t band;
    memcpy(&band, u, 8);
    s.band = (uint32_t)band;
    s.fd = (int32_t)q[0];
  } else if (code < 0) {
    s.pid = w[0];
    s.uid = w[1];
    s.ptr = (uint64_t)q[0];
    s.int_ = (int32_t)q[0];
  } else {
    s.pid = w[0];
    s.uid = w[1];
  }
  memset(out, 0, SIGNALFD_SIZE);
  memcpy(out, &s, sizeof s);
}

static int64_t signalfd_read(struct process *p, struct fd_special *base, int h,
                             uint64_t buf, uint64_t len) {
  struct signalfd *s = (struct signalfd *)base;
  uint64_t count = len / SIGNALFD_SIZE;
  if (!count)
    return -EINVAL;
  uint64_t done = 0;
  for (;;) {
    struct guest_siginfo info;
    while (done < count && sigqueue_dequeue(p, ~s->mask, &info)) {
      uint8_t out[SIGNALFD_SIZE];
      to_ssi(&info, out);
      if (copy_to_guest(&p->mmu, buf + done * SIGNALFD_SIZE, out, sizeof out) <
          0)
        return done ? (int64_t)(done * SIGNALFD_SIZE) : -EFAULT;
      done++;
    }
    signalfd_notify(p);
    if (done)
      return (int64_t)(done * SIGNALFD_SIZE);
    int fl = fcntl(h, F_GETFL);
    if (fl >= 0 && (fl & O_NONBLOCK))
      return -EAGAIN;
    struct pollfd pfd = {h, POLLIN, 0};
    if (host_ppoll(p, &pfd, 1, NULL, p->sigmask) == -EINTR)
      return -ERESTARTSYS;
  }
}

static void signalfd_release(struct fd_special *base) {
  struct signalfd *s = (struct signalfd *)base;
  for (struct signalfd **at = &all; *at; at = &(*at)->next)
    if (*at == s) {
      *at = s->next;
      break;
    }
  close(s->notify);
  free(s);
}

static const struct fd_special_ops signalfd_ops = {signalfd_read,
                                                   signalfd_release};

static int64_t do_signalfd(struct process *p, int fd, uint64_t mask_addr,
                           uint64_t size, int flags) {
  if (flags & ~(SFD_CLOEXEC | SFD_NONBLOCK))
    return -EINVAL;
  uint64_t mask;
  if (size != sizeof mask)
    return -EINVAL;
  if (copy_from_guest(&p->mmu, &mask, mask_addr, sizeof mask) < 0)
    return -EFAULT;
  mask &= ~(BIT(SIGKILL) | BIT(SIGSTOP));
  if (fd != -1) {
    if (fd_host(p, fd) < 0)
      return -EBADF;
    struct fd_special *base = fd_special(p, fd);
    if (!base || base->ops != &signalfd_ops)
      return -EINVAL;
    ((struct signalfd *)base)->mask = mask;
    signalfd_notify(p);
    return fd;
  }
  struct signalfd *s = calloc(1, sizeof *s);
  if (!s)
    return -ENOMEM;
  int h = eventfd(0, EFD_CLOEXEC | (flags & SFD_NONBLOCK ? EFD_NONBLOCK : 0));
  s->notify = h < 0 ? -1 : fcntl(h, F_DUPFD_CLOEXEC, 3);
  if (s->notify < 0) {
    int e = errno;
    if (h >= 0)
      close(h);
    free(s);
    return -e;
  }
  int g = fd_install(p, h, flags & SFD_CLOEXEC ? FD_CLOEXEC : 0, 0);
  if (g < 0) {
    close(s->notify);
    free(s);
    return g;
  }
  s->base.ops = &signalfd_ops;
  s->mask = mask;
  s->next = all;
  all = s;
  fd_set_special(p, g, &s->base);
  signalfd_notify(p);
  return g;
}

int64_t sys_signalfd4(struct process *p, const uint64_t a[6]) {
  return do_signalfd(p, (int)a[0], a[1], a[2], (int)a[3]);
}

int64_t sys_signalfd(struct process *p, const uint64_t a[6]) {
  return do_signalfd(p, (int)a[0], a[1], a[2], 0);
}
