/* Between the files of the thread machinery (thread.c, thread_exit.c)
 * and the host-signal handler. */
#ifndef EMU_THREAD_INTERNAL_H
#define EMU_THREAD_INTERNAL_H

#include <setjmp.h>

#include "../process.h"

/* A thread's place in its process. */
struct thread_link {
  bool leader;
  bool own_opt; /* the task's options are its own copy (freed with it) */
};

/* The host signal that kicks a thread out of a host call it sleeps in,
 * and the si_value that tells it from a real one (host_signal.c). */
#define THREAD_KICK_SIGNAL SIGURG
#define THREAD_KICK_VALUE 0x656d756b69636bull /* "emukick" */

/* The task list (thread.c), under the kernel lock. */
struct process *thread_find_index(int k);
void thread_remove(struct process *t);
/* A task's memory, kept for reuse: never freed while emu runs, as the
 * host signal handler may still look at it. */
void thread_recycle(struct process *t);
void thread_exit_fork_child(void);
/* Stop every other thread at its next block boundary (for a crash
 * report): they then wait for the kernel lock this thread holds. Gives
 * up on one after a second. */
void thread_stop_others(struct process *p);

/* Armed around a host call that sleeps with the forwarded signals
 * unblocked and has no mask argument (futex.c): the host signal handler
 * then jumps back to it instead of returning into the sleep. */
extern __thread sigjmp_buf *volatile host_signal_jump;

/* From the host signal handler: every thread stops at its next block
 * boundary (a signal from outside may be for any of them). */
void thread_interrupt_all(void);
/* The kernel's code-write hook for t's MMU: t's blocks of the page, and
 * every other thread's, are dropped. */
void thread_code_hook_attach(struct process *t);
/* The shared parts a thread let go of (its exit, a failed clone). */
void thread_release_shared(struct process *t);

#endif
