/* execve's loader: the kernel's load_elf_binary. Validates every field of
 * the file before it touches the process, maps the segments (and the
 * interpreter's) through mm_map, builds the initial stack and sets the
 * registers for the first instruction. */
#ifndef EMU_LOADER_H
#define EMU_LOADER_H

#include <stddef.h>

#include "../syscalls/process.h"

/* Load `path` into p as execve(path, argv, envp) does. Returns 0, or
 * -errno with a one-line reason in err (e.g. "not an ELF file"). On error
 * before the point of no return the old image is left intact; after it
 * (a failure mapping the new image) the process must be killed, which is
 * signalled by returning -EFAULT with p->exited set, as Linux does with
 * SIGSEGV. */
int loader_exec(struct process *p, const char *path, char *const argv[],
                char *const envp[], char *err, size_t errlen);
/* The same with the file opened by host_path while the process knows it
 * as `filename` (execveat: /proc/self/fd/H/name for the guest's
 * /dev/fd/N/name, Linux's bprm->filename in AT_EXECFN and a script's
 * argv). */
int loader_execat(struct process *p, const char *host_path,
                  const char *filename, char *const argv[], char *const envp[],
                  char *err, size_t errlen);

#endif
