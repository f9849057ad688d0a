/* What other processes see of this guest process in /proc/PID, and what
 * it sees of them. A guest process is a host process, so the host's
 * /proc/PID of an emu process shows emu (its argv, its binary, its
 * memory map); each emu process therefore publishes its guest's view in
 * a directory of its own, RUNTIME/emu-view/PID (RUNTIME is
 * $XDG_RUNTIME_DIR, else /tmp/emu-UID), and /proc/PID/X of another pid
 * is read from there when that directory belongs to that process. */
#ifndef EMU_PROC_VIEW_H
#define EMU_PROC_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct process;

/* Where execve left argv, envp and the auxv in guest memory (Linux's
 * mm->arg_start..env_end, saved_auxv), recorded by the loader. */
struct proc_image {
  uint64_t arg_start, arg_end, env_start, env_end;
  uint64_t start_stack;
  uint8_t auxv[512];
  size_t auxv_len;
};

/* The loader's record of a new image; publishes the new view. */
void proc_view_exec(struct process *p, const struct proc_image *img);
const struct proc_image *proc_view_image(void);
/* Publish (again) cmdline, environ, exe, comm and maps: after execve,
 * PR_SET_NAME, and in a forked child (which has not called execve). */
void proc_view_publish(struct process *p);
/* The child of a fork: a new process with its parent's image, which has
 * not called execve (call in the child, with p->pid already its own). */
void proc_view_fork_child(struct process *p);
/* In the parent, before fork returns: the child's view, the parent's. */
void proc_view_fork_parent(struct process *p, int child);
/* True when child pid is our child and has called execve since fork
 * (setpgid then fails with EACCES, as on Linux). */
bool proc_view_child_execed(struct process *p, int pid);
/* /proc/PID/NAME of another emu process: a host fd on the published
 * file, or -1 when pid is not a live emu process (then the host's /proc
 * is the truth: a native process). */
int proc_view_open(int pid, const char *name);
/* readlink /proc/PID/exe of another emu process: the length, or -1. */
int proc_view_exe(int pid, char *buf, size_t len);

#endif
