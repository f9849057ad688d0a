/* --strace: system calls, signals and exits printed exactly as strace 6.1
 * prints them (so `emu --strace P` can be compared line by line with
 * `setarch -R strace P`). The call is printed when it is entered, its
 * out-arguments and result when it returns, so the guest's own output
 * interleaves as it does under strace. */
#ifndef EMU_STRACE_H
#define EMU_STRACE_H

#include <stdint.h>

struct process;

/* The first line: execve("path", ["argv0", ...], 0x... / * N vars * /) = 0,
 * printed by main before the first instruction. */
void strace_execve(struct process *p, const char *path, char *const argv[],
                   int envc);
/* Called by sys_dispatch around every call. */
void strace_enter(struct process *p, uint64_t nr, const uint64_t a[6]);
void strace_leave(struct process *p, uint64_t nr, const uint64_t a[6],
                  int64_t ret);
/* A signal reported to the guest:
 * --- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x10} --- */
struct guest_siginfo;
void strace_signal(struct process *p, const struct guest_siginfo *info);
/* Stopped by a stop signal's default action: --- stopped by SIGTSTP --- */
void strace_stopped(struct process *p, int sig);
/* The process died of a signal: +++ killed by SIGSEGV +++ */
void strace_killed(struct process *p, int sig);
/* The process exited: +++ exited with N +++ */
void strace_exited(struct process *p, int status);
/* A host thread that ends gives back its line buffer (thread-local). */
void strace_thread_done(void);

/* fork's hooks: before the host fork (the parent), and first thing in
 * the child (which is traced only with -f, and whose clone does not
 * return under the trace). */
void strace_before_fork(struct process *p);
void strace_fork_failed(struct process *p); /* the host's clone failed */
void strace_forked(struct process *p);
/* A thread was created: with -f, lines now name their thread. */
void strace_thread_started(struct process *parent, struct process *t);
/* -f: makes the state every process of the run shares (strace_follow.c);
 * called before the first fork. */
void strace_follow_init(void);

/* Names shared with the crash report and the handlers. */
const char *strace_signal_name(int sig); /* "SIGSEGV", NULL if unknown */
const char *strace_errno_name(int err);  /* "ENOENT", NULL if unknown */

#endif
