/* linux-vdso.so.1 for emu guests: the entry points glibc binds to through
 * AT_SYSINFO_EHDR. Each enters emu's kernel with the matching system call;
 * the kernel recognises calls made from the vDSO and keeps them out of
 * --strace, since on Linux these never reach the kernel at all. */

struct emu_timespec {
  long tv_sec, tv_nsec;
};
struct emu_timeval {
  long tv_sec, tv_usec;
};

static long call2(long nr, long a, long b) {
  long ret;
  __asm__ volatile("syscall"
                   : "=a"(ret)
                   : "a"(nr), "D"(a), "S"(b)
                   : "rcx", "r11", "memory");
  return ret;
}

static long call3(long nr, long a, long b, long c) {
  long ret;
  __asm__ volatile("syscall"
                   : "=a"(ret)
                   : "a"(nr), "D"(a), "S"(b), "d"(c)
                   : "rcx", "r11", "memory");
  return ret;
}

/* x86-64 system-call numbers (arch/x86/entry/syscalls/syscall_64.tbl). */
enum {
  NR_gettimeofday = 96,
  NR_time = 201,
  NR_clock_gettime = 228,
  NR_clock_getres = 229,
  NR_getcpu = 309
};

long __vdso_clock_gettime(long clock, struct emu_timespec *ts) {
  return call2(NR_clock_gettime, clock, (long)ts);
}

long __vdso_gettimeofday(struct emu_timeval *tv, void *tz) {
  return call2(NR_gettimeofday, (long)tv, (long)tz);
}

long __vdso_time(long *t) { return call2(NR_time, (long)t, 0); }

long __vdso_clock_getres(long clock, struct emu_timespec *res) {
  return call2(NR_clock_getres, clock, (long)res);
}

long __vdso_getcpu(unsigned *cpu, unsigned *node, void *cache) {
  return call3(NR_getcpu, (long)cpu, (long)node, (long)cache);
}

/* The unprefixed names Linux's vDSO also exports, as weak aliases. */
long clock_gettime(long, struct emu_timespec *)
    __attribute__((weak, alias("__vdso_clock_gettime")));
long gettimeofday(struct emu_timeval *, void *)
    __attribute__((weak, alias("__vdso_gettimeofday")));
long time(long *) __attribute__((weak, alias("__vdso_time")));
long clock_getres(long, struct emu_timespec *)
    __attribute__((weak, alias("__vdso_clock_getres")));
long getcpu(unsigned *, unsigned *, void *)
    __attribute__((weak, alias("__vdso_getcpu")));
