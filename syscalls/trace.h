/* Observability entry points used by main: the strace lines that frame
 * the run, and the per-instruction trace. */
#ifndef EMU_TRACE_H
#define EMU_TRACE_H

#include "process.h"

/* The first line of --strace: the execve that started the guest. */
void trace_initial_execve(struct process *p, const char *path,
                          char *const argv[], char *const envp[]);
/* The last line of --strace: +++ exited with N +++ / +++ killed by ... */
void trace_exit(struct process *p);

/* --stats: the counters, at the guest's exit (syscalls/observe/stats.c). */
void trace_stats(struct process *p);

/* --trace: one line per executed instruction. */
void trace_instructions_start(struct process *p);
void trace_instructions_stop(struct process *p);

#endif
