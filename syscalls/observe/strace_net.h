/* The tracer's socket forms (strace_socket.c, strace_msghdr.c) and the
 * name tables they use (strace_net_names.c). */
#ifndef EMU_STRACE_NET_H
#define EMU_STRACE_NET_H

#include "strace_internal.h"

/* One socket level's option names: `common` for both calls, and the
 * numbers getsockopt and setsockopt name differently; `unknown` is the
 * comment of a number none names. */
struct sockopt_level {
  int level;
  const struct flag_name *common, *set, *get;
  const char *unknown;
};

extern const struct flag_name msg_flag_names[];
extern const struct flag_name inet_proto_names[];
extern const struct flag_name netlink_proto_names[];
extern const struct flag_name sol_names[];
extern const struct flag_name scm_socket_names[];
extern const struct flag_name scm_ip_names[];
extern const struct sockopt_level sockopt_levels[];

/* --- strace_socket.c --- */
/* A sockaddr of len bytes at addr (decode_sockaddr), or one already
 * read (print_sockaddr). */
void st_sockaddr(struct process *p, uint64_t addr, int len);
void st_sockaddr_bytes(struct process *p, const void *sa, int len);
void st_sock_type(struct process *p, uint64_t v);
void st_sock_proto(struct process *p, uint64_t domain, uint64_t v);
void st_msg_flags(struct process *p, uint64_t v);
void st_sock_level(struct process *p, uint64_t level);
void st_sockopt_name(struct process *p, uint64_t level, uint64_t name,
                     bool get);
/* Entry: what the exit half needs (the lengths the caller gave). */
void st_net_enter(struct process *p, int kind, const uint64_t a[6], int i);
/* Whether the argument of this kind is printed when the call returns. */
bool st_net_is_out(struct process *p, int kind, const uint64_t a[6], int i);
/* Print argument i of a socket kind (ret: the result, at exit). */
void st_net_arg(struct process *p, int kind, const uint64_t a[6], int i,
                int64_t ret);
/* recvmmsg's result: "(Timeout)" or "(left {...})". */
void st_recvmmsg_result(struct process *p, const uint64_t a[6], int64_t ret);

/* --- strace_msghdr.c --- */
/* struct msghdr at addr: user_namelen < 0 when it was not read on entry
 * (sendmsg), data_size < 0 for whole buffers. */
void st_msghdr(struct process *p, uint64_t addr, int user_namelen,
               int64_t data_size);
/* Read-back msghdr fields recvmsg needs on entry. */
bool st_msghdr_namelen(struct process *p, uint64_t addr, int *namelen);
/* An mmsghdr array: vlen elements, msg_len shown for the first
 * `with_len`, buffers cut at msg_len when use_len; namelens as read on
 * entry (NULL: none). */
void st_mmsghdrs(struct process *p, uint64_t addr, unsigned vlen,
                 unsigned with_len, bool use_len, const int *namelens,
                 unsigned n_namelens);

/* --- strace_sockioctl.c: the interface ioctls --- */
void st_sock_ioctl_enter(struct process *p, const uint64_t a[6]);
/* True when cmd is a socket request it printed. */
bool st_sock_ioctl_arg(struct process *p, uint64_t cmd, uint64_t addr,
                       int64_t ret);

/* --- strace_evfd.c: signalfd, timerfd, inotify, splice --- */
void st_sfd_flags(struct process *p, uint64_t v);
void st_tfd_flags(struct process *p, uint64_t v);
void st_inotify_mask(struct process *p, uint64_t v);
void st_inotify_init_flags(struct process *p, uint64_t v);
void st_splice_flags(struct process *p, uint64_t v);
void st_itimerspec(struct process *p, uint64_t addr);
void st_int64_in(struct process *p, uint64_t addr);

#endif
