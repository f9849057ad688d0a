/* System calls implemented by the kernel core (address space, execve,
 * exit, arch_prctl); the table in syscalls.def names them. */
#ifndef EMU_CORE_HANDLERS_H
#define EMU_CORE_HANDLERS_H

#include <stdint.h>

struct process;
#define CORE_SYSCALL(name)                                                     \
  int64_t sys_##name(struct process *p, const uint64_t a[6]);
CORE_SYSCALL(mmap)
CORE_SYSCALL(munmap)
CORE_SYSCALL(mprotect)
CORE_SYSCALL(brk)
CORE_SYSCALL(mremap)
CORE_SYSCALL(madvise)
CORE_SYSCALL(msync)
CORE_SYSCALL(execve)
CORE_SYSCALL(execveat)
CORE_SYSCALL(exit)
CORE_SYSCALL(exit_group)
CORE_SYSCALL(arch_prctl)
CORE_SYSCALL(rt_sigreturn)
#undef CORE_SYSCALL

#endif
