/* int 0x80 from a 64-bit process: Linux's IA32 system-call entry
 * (arch/x86/entry/common.c, do_int80_emulation), which the model has
 * since it is Linux with IA32 emulation. The number is EAX, in the
 * i386 table; the arguments are EBX, ECX, EDX, ESI, EDI and EBP
 * truncated to 32 bits; the result goes to RAX and every other register
 * is kept (r8-r11 too, since Linux 4.17).
 *
 * emu runs the calls of the i386 table whose compat entry is the 64-bit
 * system call itself on zero-extended arguments (syscall_32.tbl lists no
 * compat_ handler for them, and they take no structure whose layout
 * differs): the table below. Every other number, those with a compat_
 * handler or 32-bit structures among them, returns -ENOSYS. --strace
 * prints them under their 64-bit names, without strace's "[ Process
 * PID=N runs in 32 bit mode. ]" line. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "process.h"

/* i386 number -> x86-64 number (syscall_32.tbl, syscall_64.tbl). */
static const struct {
  uint16_t ia32, x86_64;
} ia32_calls[] = {
    {1, 60},    /* exit */
    {3, 0},     /* read */
    {4, 1},     /* write */
    {6, 3},     /* close */
    {8, 85},    /* creat */
    {9, 86},    /* link */
    {10, 87},   /* unlink */
    {12, 80},   /* chdir */
    {15, 90},   /* chmod */
    {20, 39},   /* getpid */
    {33, 21},   /* access */
    {37, 62},   /* kill */
    {38, 82},   /* rename */
    {39, 83},   /* mkdir */
    {40, 84},   /* rmdir */
    {41, 32},   /* dup */
    {42, 22},   /* pipe */
    {45, 12},   /* brk */
    {60, 95},   /* umask */
    {63, 33},   /* dup2 */
    {64, 110},  /* getppid */
    {83, 88},   /* symlink */
    {85, 89},   /* readlink */
    {91, 11},   /* munmap */
    {94, 91},   /* fchmod */
    {118, 74},  /* fsync */
    {125, 10},  /* mprotect */
    {133, 81},  /* fchdir */
    {158, 24},  /* sched_yield */
    {183, 79},  /* getcwd */
    {199, 102}, /* getuid32 */
    {200, 104}, /* getgid32 */
    {201, 107}, /* geteuid32 */
    {202, 108}, /* getegid32 */
    {224, 186}, /* gettid */
    {238, 200}, /* tkill */
    {252, 231}, /* exit_group */
    {270, 234}, /* tgkill */
    {330, 292}, /* dup3 */
    {331, 293}, /* pipe2 */
    {355, 318}, /* getrandom */
};

static int x86_64_number(uint32_t ia32) {
  for (size_t k = 0; k < sizeof ia32_calls / sizeof ia32_calls[0]; k++)
    if (ia32_calls[k].ia32 == ia32)
      return ia32_calls[k].x86_64;
  return -1;
}

void ia32_syscall(struct process *p) {
  struct cpu *c = &p->cpu;
  uint64_t saved[16];
  memcpy(saved, c->gpr, sizeof saved);
  uint32_t nr = (uint32_t)saved[RAX];
  int nr64 = x86_64_number(nr);
  int64_t ret = -ENOSYS;
  if (nr64 < 0) {
    p->sig->stats.syscalls++;
    p->sig->stats.syscalls_enosys++;
    if (p->opt && p->opt->verbose)
      fprintf(stderr, "emu: unimplemented IA32 syscall %u (int 0x80)\n", nr);
    p->syscall_restart = 0;
  } else {
    /* The 64-bit call with the 32-bit arguments in its registers. */
    static const uint8_t from[6] = {RBX, RCX, RDX, RSI, RDI, RBP};
    static const uint8_t to[6] = {RDI, RSI, RDX, R10, R8, R9};
    for (int k = 0; k < 6; k++)
      c->gpr[to[k]] = (uint32_t)saved[from[k]];
    c->gpr[RAX] = (uint64_t)nr64;
    sys_dispatch(p);
    ret = (int64_t)c->gpr[RAX];
    memcpy(c->gpr, saved, sizeof saved);
  }
  c->gpr[RAX] = (uint64_t)ret;
  /* A restart (kernel.c) re-enters through int 0x80 with this number. */
  p->syscall_nr = nr;
}
