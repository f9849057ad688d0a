/* The tracer's own toolbox, shared by strace*.c: output with column
 * tracking, strace's string quoting, flag and constant tables. */
#ifndef EMU_STRACE_INTERNAL_H
#define EMU_STRACE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../process.h"

/* strace -s 32: strings are cut to 32 bytes and followed by "...". */
#define STRACE_STRLEN 32
/* strace's result column: "name(args) " is padded to 40 before "= ". */
#define STRACE_RESULT_COLUMN 40
/* The kernel's SA_RESTORER (glibc does not export it). */
#define GUEST_SA_RESTORER 0x04000000

/* --- strace_print.c --- */
void st_printf(struct process *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void st_puts(struct process *p, const char *s);
void st_newline(struct process *p); /* ends the line, resets the column */
int st_column(void);
/* The points where text reaches the trace. The entry half of a call is
 * written at once; with -f another task's open line is first ended
 * " <unfinished ...>", and a call whose line was ended so goes on as
 * "<... NAME resumed>". Lines of their own (signals, exits) begin with
 * st_line_begin. */
void st_entry_end(struct process *p);
void st_exit_begin(struct process *p, const char *name);
void st_line_begin(struct process *p);
void st_task_gone(struct process *p); /* after +++ exited/killed +++ */

/* --- strace_follow.c: the state tasks of one -f run share --- */
void st_lock(void);
void st_unlock(void);
int st_open_tid(void); /* host tid whose line is open, 0 for none */
void st_set_open_tid(int tid);
int st_tasks(void); /* tasks traced now (strace's nprocs) */
void st_tasks_add(int n);
int st_self(void);         /* this thread's host tid */
void st_self_forget(void); /* in a forked child */

enum quote_style {
  QUOTE_PLAIN = 0,
  QUOTE_FORCE_HEX = 1, /* every byte as \xHH (getrandom) */
};
/* Quote n bytes as strace does; `more` appends ... after the quote. */
void st_quote(struct process *p, const uint8_t *s, size_t n, int style,
              bool more);
void st_ptr(struct process *p, uint64_t addr); /* NULL or 0x... */
/* A guest buffer of len bytes: printed up to 32 bytes, or its address
 * when it cannot be read. */
void st_guest_buf(struct process *p, uint64_t addr, uint64_t len, int style);
/* A NUL-terminated guest string, cut at `max` bytes. */
void st_guest_str(struct process *p, uint64_t addr, size_t max);
void st_guest_path(struct process *p, uint64_t addr);
/* Read a guest struct for printing; on failure print the address and
 * return false. NULL prints "NULL". */
bool st_fetch(struct process *p, uint64_t addr, void *dst, size_t n);

/* --- strace_flags.c: constant and flag tables --- */
struct flag_name {
  uint64_t value;
  const char *name;
};
#define FLAG_END                                                               \
  { 0, NULL }
/* Names of the set bits in table order joined by '|', then the rest in
 * hex; `zero` (or "0") when v is 0. */
void st_flags(struct process *p, const struct flag_name *t, uint64_t v,
              const char *zero);
/* strace's printflags: the names of the set bits, the rest in hex, and
 * the "unknown" comment (strace's dflt, "O_???") when no bit has a name;
 * "0" for none. */
void st_flags_x(struct process *p, const struct flag_name *t, uint64_t v,
                const char *unknown);
const char *st_lookup(const struct flag_name *t, uint64_t v);
/* A constant by name, else the number and strace's unknown comment
 * ("0x3001 / * ARCH_??? * /"). */
void st_xlat(struct process *p, const struct flag_name *t, uint64_t v,
             const char *unknown);

extern const struct flag_name open_access_names[];
extern const struct flag_name open_flag_names[];
extern const struct flag_name at_flag_names[];
extern const struct flag_name at_eaccess_names[];
extern const struct flag_name prot_names[];
extern const struct flag_name map_type_names[];
extern const struct flag_name map_flag_names[];
extern const struct flag_name mremap_names[];
extern const struct flag_name madvise_names[];
extern const struct flag_name msync_names[];
extern const struct flag_name access_names[];
extern const struct flag_name whence_names[];
extern const struct flag_name fcntl_cmd_names[];
extern const struct flag_name ioctl_names[];
extern const struct flag_name rlimit_names[];
extern const struct flag_name clock_names[];
extern const struct flag_name sighow_names[];
extern const struct flag_name sa_flag_names[];
extern const struct flag_name futex_op_names[];
extern const struct flag_name arch_prctl_names[];
extern const struct flag_name grnd_names[];
extern const struct flag_name xattr_flag_names[];
extern const struct flag_name statx_mask_names[];
extern const struct flag_name statx_sync_names[];
extern const struct flag_name rusage_who_names[];
extern const struct flag_name ss_flag_names[];
extern const struct flag_name af_names[];
extern const struct flag_name sock_type_names[];
extern const struct flag_name sock_flag_names[];

void st_mode(struct process *p, uint32_t mode); /* S_IFREG|0644 */
void st_open_flags(struct process *p, uint64_t flags);
void st_sigset(struct process *p, uint64_t set);
void st_sigset_bytes(struct process *p, uint64_t set, unsigned bytes);
void st_signal(struct process *p, int sig); /* SIGINT or the number */

/* --- strace_time.c --- */
void st_clockid(struct process *p, uint64_t v);
void st_sigevent(struct process *p, uint64_t addr);

/* --- strace_struct.c: out-structures --- */
void st_stat(struct process *p, uint64_t addr);
void st_statfs(struct process *p, uint64_t addr);
void st_statx(struct process *p, uint64_t addr);
void st_rlimit(struct process *p, uint64_t addr);
void st_timespec(struct process *p, uint64_t addr);
void st_timeval(struct process *p, uint64_t addr);
void st_itimerval(struct process *p, uint64_t addr);
void st_utimens(struct process *p, uint64_t addr);
/* --- strace_fileattr.c, strace_taskattr.c --- */
void st_utimbuf(struct process *p, uint64_t addr);
void st_timeval_pair(struct process *p, uint64_t addr);
void st_rwf_flags(struct process *p, uint64_t v);
/* A read's iovec array when the call failed: the buffers' addresses
 * (strace's iov_decode_addr). */
void st_iovec_addrs(struct process *p, uint64_t addr, uint64_t count);
void st_personality(struct process *p, uint64_t v);
void st_personality_result(struct process *p, int64_t ret);
void st_ioprio_which(struct process *p, uint64_t v);
void st_ioprio_value(struct process *p, uint64_t v);
void st_ioprio_result(struct process *p, int64_t ret);
void st_cap_header(struct process *p, uint64_t addr);
/* ok: the data may be shown (capget's call succeeded). */
void st_cap_data(struct process *p, uint64_t hdr, uint64_t addr, bool ok);
void st_robust_out(struct process *p, uint64_t addr, bool ok, bool pointer);
void st_sched_setattr_entry(struct process *p, uint64_t addr);
void st_sched_setattr(struct process *p, uint64_t addr, int64_t ret);
void st_sched_getattr(struct process *p, uint64_t addr, uint32_t usize,
                      int64_t ret);
void st_pkey_access(struct process *p, uint64_t v);
const char *st_date(char buf[64], long long sec, unsigned long long part,
                    unsigned long long max, int width);
void st_utsname(struct process *p, uint64_t addr);
void st_sigaction(struct process *p, uint64_t addr);
void st_sigset_at(struct process *p, uint64_t addr, uint64_t size);
/* strace_siginfo.c */
struct guest_siginfo;
void st_siginfo(struct process *p, const struct guest_siginfo *info);
void st_siginfo_at(struct process *p, uint64_t addr);
/* strace_process.c */
void st_clone_enter(struct process *p, const uint64_t a[6]);
void st_clone_leave(struct process *p, const uint64_t a[6], int64_t ret);
/* True when it printed the whole argument (the size too). */
bool st_clone3_enter(struct process *p, const uint64_t a[6]);
void st_clone3_leave(struct process *p, const uint64_t a[6], int64_t ret);
void st_wait_status(struct process *p, uint64_t addr, int64_t ret);
void st_wait_options(struct process *p, uint64_t v);
void st_idtype(struct process *p, uint64_t v);
void st_mfd_flags(struct process *p, uint64_t v);
/* --- strace_epoll.c --- */
void st_epoll_create_flags(struct process *p, uint64_t v);
void st_epoll_op(struct process *p, uint64_t v);
void st_epoll_event(struct process *p, uint64_t addr);
void st_epoll_events(struct process *p, uint64_t addr, int64_t n);
void st_efd_flags(struct process *p, uint64_t v);
/* SIGCHLD's fields after "si_signo=SIGCHLD, " (false: not CLD_*). */
bool st_siginfo_chld(struct process *p, int signo, int code, const uint8_t *u);
/* strace_poll.c */
void st_pollfds_in(struct process *p, uint64_t addr, uint64_t n);
void st_poll_result(struct process *p, const uint64_t a[6], int64_t ret,
                    bool ppoll);
void st_fdset_in(struct process *p, uint64_t addr, int nfds);
void st_pselect_mask(struct process *p, uint64_t addr);
void st_select_result(struct process *p, const uint64_t a[6], int64_t ret,
                      bool pselect);
void st_stack(struct process *p, uint64_t addr);
void st_iovec(struct process *p, uint64_t addr, uint64_t count,
              int64_t limit); /* limit < 0: whole buffers */
void st_sysinfo(struct process *p, uint64_t addr);
void st_tms(struct process *p, uint64_t addr);
void st_rusage(struct process *p, uint64_t addr);
void st_ioctl_arg(struct process *p, uint64_t cmd, uint64_t addr, int64_t ret);
/* strace_evdev.c: the display's and input devices' requests. */
void st_ioctl_cmd(struct process *p, uint64_t cmd,
                  const struct flag_name *names);
bool st_ioctl_is_evdev(uint64_t cmd);
void st_ioctl_evdev_arg(struct process *p, uint64_t cmd, uint64_t addr,
                        int64_t ret);
bool st_ioctl_fb_arg(struct process *p, uint64_t cmd, uint64_t addr);
bool st_ioctl_has_arg(uint64_t cmd);
void st_flock(struct process *p, uint64_t addr, bool with_pid);
/* strace_file.c */
bool st_fcntl_has_arg(uint64_t cmd);
bool st_fcntl_arg_is_out(uint64_t cmd);
void st_fcntl_arg(struct process *p, uint64_t cmd, uint64_t v, int64_t ret);
bool st_fcntl_result(struct process *p, uint64_t cmd, int64_t ret);
void st_flock_op(struct process *p, uint64_t v);
void st_fallocate_mode(struct process *p, uint64_t v);
void st_mknod(struct process *p, uint64_t mode, uint64_t dev);
/* strace_mem.c */
void st_mincore_vec(struct process *p, uint64_t addr, uint64_t len,
                    int64_t ret);
void st_membarrier_cmd(struct process *p, uint64_t v);
void st_mpol_mode(struct process *p, uint64_t v);
/* strace_futex.c */
void st_futex(struct process *p, const uint64_t a[6]);
void st_futex_op(struct process *p, uint64_t op);
void st_futex_waitv(struct process *p, uint64_t addr, uint64_t n);
/* strace_prctl.c */
void st_prctl_op(struct process *p, uint64_t v);
void st_prctl_tail(struct process *p, const uint64_t a[6], int64_t ret);
void st_prctl_result(struct process *p, const uint64_t a[6], int64_t ret);
void st_mpol_mode_at(struct process *p, uint64_t addr, bool failed);
void st_nodemask(struct process *p, uint64_t addr, uint64_t maxnode,
                 bool failed);
void st_mpol_get_flags(struct process *p, uint64_t v);
void st_membarrier_flags(struct process *p, const uint64_t a[6]);
bool st_membarrier_result(struct process *p, const uint64_t a[6], int64_t ret);
/* strace_sched.c */
void st_prio_which(struct process *p, uint64_t v);
void st_sched_policy(struct process *p, uint64_t v);
void st_sched_param(struct process *p, uint64_t addr);
void st_sched_policy_result(struct process *p, int64_t ret);

#endif
