/* Control messages (net/core/scm.c). Their layout is the host's, so the
 * guest's bytes go to the host as they are, except SCM_RIGHTS, whose
 * descriptors are numbers in a table: the guest's become host ones on
 * the way out, and the host's the guest receives are installed in its
 * table and renumbered on the way in. SCM_CREDENTIALS need nothing:
 * guest pids, uids and gids are the host's (a guest process is a host
 * process), so the pid the host puts in is the guest sender's. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net.h"

static struct msghdr control_of(uint8_t *buf, size_t len) {
  return (struct msghdr){.msg_control = buf, .msg_controllen = len};
}

static bool is_rights(const struct cmsghdr *c) {
  return c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
         c->cmsg_len >= CMSG_LEN(0);
}

static size_t rights_count(const struct cmsghdr *c) {
  return (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
}

int scm_to_host(struct process *p, uint64_t addr, uint64_t len, uint8_t **out) {
  *out = NULL;
  if (!len)
    return 0;
  if (len > SOCK_CONTROL_MAX)
    return -ENOBUFS; /* sock_kmalloc over optmem_max */
  uint8_t *buf = malloc(len);
  if (!buf)
    return -ENOMEM;
  if (copy_from_guest(&p->mmu, buf, addr, len) < 0) {
    free(buf);
    return -EFAULT;
  }
  /* A malformed header stays as it is: the host refuses it (EINVAL). */
  struct msghdr m = control_of(buf, len);
  for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
    if (!is_rights(c) || (uint8_t *)c + c->cmsg_len > buf + len)
      continue;
    int *fds = (int *)CMSG_DATA(c);
    for (size_t k = 0; k < rights_count(c); k++) {
      int fd;
      memcpy(&fd, &fds[k], sizeof fd);
      int h = fd_host(p, fd);
      if (h < 0) {
        free(buf);
        return -EBADF;
      }
      memcpy(&fds[k], &h, sizeof h);
    }
  }
  *out = buf;
  return 0;
}

/* Linux puts SCM_RIGHTS last (scm_recv), so a table that fills up cuts
 * the control data right after the descriptors it could take
 * (scm_detach_fds), and the host closes none of them itself: the ones
 * left are closed here. */
size_t scm_to_guest(struct process *p, uint8_t *buf, size_t len, int recv_flags,
                    int *msg_flags) {
  int fd_flags = recv_flags & MSG_CMSG_CLOEXEC ? FD_CLOEXEC : 0;
  struct msghdr m = control_of(buf, len);
  for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
    if (!is_rights(c) || (uint8_t *)c + c->cmsg_len > buf + len)
      continue;
    int *fds = (int *)CMSG_DATA(c);
    size_t n = rights_count(c);
    for (size_t k = 0; k < n; k++) {
      int h, g;
      memcpy(&h, &fds[k], sizeof h);
      g = fd_install(p, h, fd_flags, 0); /* closes h when full */
      if (g < 0) {
        for (size_t j = k + 1; j < n; j++) {
          memcpy(&h, &fds[j], sizeof h);
          close(h);
        }
        c->cmsg_len = CMSG_LEN(k * sizeof(int));
        *msg_flags |= MSG_CTRUNC;
        size_t end = (size_t)((uint8_t *)c - buf) + CMSG_SPACE(k * sizeof(int));
        return end < len ? end : len;
      }
      memcpy(&fds[k], &g, sizeof g);
    }
  }
  return len;
}

void scm_discard(struct process *p, uint8_t *buf, size_t len) {
  struct msghdr m = control_of(buf, len);
  for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
    if (!is_rights(c) || (uint8_t *)c + c->cmsg_len > buf + len)
      continue;
    int *fds = (int *)CMSG_DATA(c);
    for (size_t k = 0; k < rights_count(c); k++) {
      int g;
      memcpy(&g, &fds[k], sizeof g);
      fd_close(p, g);
    }
  }
}
