/* Shared by the socket calls (syscalls/net/): a guest socket is a host
 * socket in the guest's descriptor table. The guest's structures
 * (sockaddr, msghdr, iovec, cmsghdr) have the host's x86-64 layout, so
 * "translating" them is copying them between guest and host memory;
 * what differs are the descriptor numbers (SCM_RIGHTS, scm.c) and how a
 * blocking call waits (sock_wait.c). */
#ifndef EMU_NET_H
#define EMU_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "../process.h"

/* A bounce buffer between guest memory and one host call is at most
 * this big: a stream transfer goes by pieces, and no datagram Linux
 * accepts is larger (the socket's send buffer bounds it). */
#define SOCK_CHUNK (4u << 20)
/* Control data (cmsgs) of one call: Linux's optmem_max bounds it well
 * below this. */
#define SOCK_CONTROL_MAX (256u << 10)
/* UIO_MAXIOV */
#define SOCK_IOV_MAX 1024
/* Linux caps one transfer at MAX_RW_COUNT (INT_MAX & PAGE_MASK). */
#define SOCK_RW_MAX 0x7ffff000ull

struct guest_iovec {
  uint64_t base, len;
};

/* struct msghdr and struct mmsghdr as the guest lays them out. */
struct guest_msghdr {
  uint64_t name;
  uint32_t namelen, pad0;
  uint64_t iov, iovlen;
  uint64_t control, controllen;
  int32_t flags;
  uint32_t pad1;
};
struct guest_mmsghdr {
  struct guest_msghdr hdr;
  uint32_t len, pad;
};

/* --- sock_wait.c: blocking calls --- */
/* How long a blocking call may still wait: SO_RCVTIMEO or SO_SNDTIMEO,
 * read from the socket at the first wait. */
struct sock_deadline {
  bool known;  /* the option was read */
  bool timed;  /* it sets a timeout (0 means none) */
  int64_t end; /* CLOCK_MONOTONIC ns */
  int option;  /* SO_RCVTIMEO_OLD or SO_SNDTIMEO_OLD */
};
/* The call on host socket h found it not ready (EAGAIN): wait for
 * `events` unless the call must not block (O_NONBLOCK, MSG_DONTWAIT:
 * -EAGAIN). 0 when the call should be tried again; -EAGAIN when the
 * timeout ran out; a signal for the guest ends the wait with
 * -ERESTARTSYS, or -EINTR when a timeout is set (net/core/sock.c:
 * sock_intr_errno), as Linux's blocking socket calls do. */
int sock_wait(struct process *p, int h, short events, bool dontwait,
              struct sock_deadline *d);
/* The host descriptor is a socket. */
bool sock_is_socket(int h);
/* The host socket has O_NONBLOCK. */
bool sock_nonblocking(int h);
/* Host call `call` in progress without the kernel lock and with the
 * host signals open, so that other threads run and a signal ends it
 * (EINTR): for the calls that cannot be asked not to block (accept,
 * connect). */
#define SOCK_UNLOCKED(p, call)                                                 \
  ({                                                                           \
    thread_sleep_begin(p);                                                     \
    long r_ = (call);                                                          \
    int e_ = errno;                                                            \
    thread_sleep_end(p);                                                       \
    errno = e_;                                                                \
    r_;                                                                        \
  })

/* --- sock_addr.c: addresses --- */
/* A guest sockaddr of len bytes into *out (move_addr_to_kernel): 0,
 * -EINVAL (len < 0 or too long) or -EFAULT. */
int sock_addr_in(struct process *p, uint64_t addr, int64_t len,
                 struct sockaddr_storage *out);
/* Give the guest a host address of `len` bytes at addr, its length at
 * len_addr (move_addr_to_user): as much as the guest's length allows. */
int sock_addr_out(struct process *p, const void *sa, uint32_t len,
                  uint64_t addr, uint64_t len_addr);
/* The guest's length at len_addr before a call that returns an address:
 * 0, -EFAULT or -EINVAL (negative). */
int sock_addr_len(struct process *p, uint64_t len_addr, int *len);

/* --- sock_io.c: data --- */
/* Read the guest's iovec array: 0, -EMSGSIZE (too many), -EFAULT or
 * -EINVAL (a negative length); the total is capped at SOCK_RW_MAX. */
int sock_iov_read(struct process *p, uint64_t addr, uint64_t n,
                  struct guest_iovec *out, uint64_t *total);
/* send/recv of read, write, readv and writev on a socket. */
int64_t sock_rw(struct process *p, int h, const struct guest_iovec *iov,
                uint64_t n, bool sending);

/* --- sock_ioctl.c --- */
/* A socket's ioctl request: true when it is one (its result in *ret). */
bool sock_ioctl(struct process *p, int h, uint64_t req, uint64_t addr,
                int64_t *ret);

/* --- scm.c: control messages --- */
/* The guest's control data (len bytes at addr) for the host: SCM_RIGHTS
 * descriptors become host ones. *out is malloc'd (NULL when len is 0).
 * 0, -EFAULT, -ENOBUFS or -EBADF. */
int scm_to_host(struct process *p, uint64_t addr, uint64_t len, uint8_t **out);
/* Received control data (len bytes) for the guest: SCM_RIGHTS host
 * descriptors are installed in the guest's table (FD_CLOEXEC with
 * MSG_CMSG_CLOEXEC) and renumbered; a table that is full truncates them
 * as Linux does (*msg_flags gets MSG_CTRUNC). Returns the length. */
size_t scm_to_guest(struct process *p, uint8_t *buf, size_t len, int recv_flags,
                    int *msg_flags);
/* Close the guest descriptors scm_to_guest installed (a call that fails
 * after receiving them). */
void scm_discard(struct process *p, uint8_t *buf, size_t len);

#endif
