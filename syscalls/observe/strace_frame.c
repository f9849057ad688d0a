/* The lines of --strace that frame a run: the initial execve (printed by
 * main, since no guest instruction made that call) and the final
 * +++ exited with N +++ or +++ killed by SIG +++. */
#include <stdio.h>

#include "../strace.h"
#include "../trace.h"

void trace_initial_execve(struct process *p, const char *path,
                          char *const argv[], char *const envp[]) {
  int envc = 0;
  while (envp && envp[envc])
    envc++;
  /* Before any fork: every process of the run inherits it. */
  if (p->opt && p->opt->follow)
    strace_follow_init();
  strace_execve(p, path, argv, envc);
}

void trace_exit(struct process *p) {
  if (p->fatal_signal)
    strace_killed(p, p->fatal_signal);
  else
    strace_exited(p, p->exit_status);
}
