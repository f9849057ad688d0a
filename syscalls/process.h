/* The emulated kernel's view of the one process it runs: its address
 * space (VMAs over the MMU's page tables), brk, files, signal dispositions
 * and exit state. CPU registers live in struct cpu; Linux state lives
 * here — the two never mix. */
#ifndef EMU_PROCESS_H
#define EMU_PROCESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../cpu/cpu.h"
#include "../mmu/mmu.h"

/* Linux's user address space ends at 0x7ffffffff000 (4-level paging). */
#define USER_TOP 0x7ffffffff000ull
/* Stack top with ASLR off; mmap_base sits below the stack gap. */
#define STACK_TOP USER_TOP

/* A file a mapping reads its pages from: a host fd kept open for the
 * mapping's lifetime (the guest may close its own descriptor). */
struct mapped_file {
  int host_fd;
  int refs;
  uint64_t dev, ino;
  char *path; /* as /proc/self/maps shows it */
};

enum vma_kind {
  VMA_PLAIN,
  VMA_HEAP,
  VMA_STACK,
  VMA_VDSO,
  VMA_VVAR,
  VMA_VVAR_VCLOCK
};

struct vma {
  uint64_t start, end;      /* page aligned, end exclusive */
  int prot;                 /* PROT_READ | PROT_WRITE | PROT_EXEC */
  int flags;                /* MAP_PRIVATE / MAP_SHARED / MAP_ANONYMOUS / ... */
  int kind;                 /* enum vma_kind, for /proc/self/maps names */
  struct mapped_file *file; /* NULL for anonymous memory */
  uint64_t offset;          /* file offset of `start` */
  uint64_t file_size; /* bytes of the file past which pages read as zero */
  /* VM_ACCOUNT: the pages were charged against the overcommit limit
   * (private writable memory), so growing it charges again. */
  bool accounted;
};

struct vma_list {
  struct vma *v; /* sorted by start, non-overlapping */
  int n, cap;
};

#define FD_MAX 1024

struct fd_entry {
  int host_fd;  /* -1 when the slot is free */
  int fd_flags; /* FD_CLOEXEC */
  char *path;   /* path opened, for /proc and diagnostics (may be NULL) */
};

/* Counters for --stats: one X-macro list. */
#define KERNEL_COUNTERS(X)                                                     \
  X(page_faults, "page faults")                                                \
  X(syscalls, "system calls")                                                  \
  X(syscalls_enosys, "system calls not implemented")                           \
  X(signals, "signals delivered")

struct kernel_stats {
#define X(name, text) uint64_t name;
  KERNEL_COUNTERS(X)
#undef X
};

struct emu_options {
  bool strace, trace, stats, verbose, deterministic;
  FILE *strace_out; /* stderr or -o FILE */
  FILE *trace_out;
  uint64_t seed;
  uint64_t mem_limit; /* --mem-limit: RAM + swap in bytes, 0 for the host's */
};

struct guest_sigaction {
  uint64_t handler, flags, restorer, mask;
};

/* siginfo_t as the guest reads it (128 bytes, include/uapi/asm-generic/
 * siginfo.h): the sender for kill, tkill and sigqueue (with its value),
 * the address for faults. */
struct guest_siginfo {
  int32_t signo, errno_, code, pad;
  union {
    uint64_t addr; /* SIGSEGV, SIGBUS, SIGILL, SIGFPE: si_addr */
    struct {
      int32_t pid;
      uint32_t uid;
      uint64_t value; /* sigqueue's si_value (SI_QUEUE and others < 0) */
    } kill;
    uint8_t bytes[112];
  } u;
};

/* Linux's struct sigpending: the signals pending and the siginfo queued
 * for them in arrival order. A standard signal is queued once however
 * often it is sent; a real-time one once per sending (kernel/signal.c:
 * legacy_queue). A bit may be set with nothing queued, as Linux does
 * when the queue is over RLIMIT_SIGPENDING. */
struct sigpending_queue {
  uint64_t mask; /* bit (sig - 1) */
  struct guest_siginfo *q;
  int n, cap;
};

struct process {
  struct cpu cpu;
  struct mmu mmu;
  struct vma_list vmas;
  uint64_t brk_start, brk; /* program break, brk_start = end of bss */
  uint64_t mmap_base;      /* top of the top-down mmap area */
  uint64_t stack_start;    /* lowest address of the initial stack VMA */
  uint64_t vdso_base;      /* AT_SYSINFO_EHDR, 0 when no vDSO is mapped */
  /* The emulated machine's RAM + swap: the overcommit heuristic's limit
   * for one allocation, and the guest physical memory reserved (0: no
   * limit, for a process built without process_init). */
  uint64_t mem_limit;
  struct fd_entry fds[FD_MAX];
  int pid, ppid, tid;
  uint64_t clear_child_tid;
  uint64_t robust_list, robust_len;
  uint64_t rseq_addr;
  uint32_t umask;
  uint64_t sigmask; /* blocked signals, bit (sig - 1) */
  /* Raised but not yet delivered: the thread's own (tkill, tgkill,
   * faults) and the process's (kill, sigqueue), as Linux keeps them
   * (task->pending and signal->shared_pending). */
  struct sigpending_queue pending, shared_pending;
  /* A call that waits under a temporary mask (ppoll, pselect6,
   * rt_sigsuspend) and is interrupted leaves that mask in force for the
   * signal's delivery; the frame then saves this one, the mask to return
   * to (Linux: set_restore_sigmask). */
  bool restore_sigmask;
  uint64_t saved_sigmask;
  /* The last system call returned -ERESTARTNOHAND (it was interrupted by
   * a pending signal): -EINTR to the guest if a handler runs, else the
   * call starts again (kernel.c). Its number, to restart it. */
  bool syscall_interrupted;
  uint64_t syscall_nr;
  struct guest_sigaction sigactions[64]; /* index sig - 1 */
  struct {
    uint64_t sp, size;
    int flags; /* SS_DISABLE / SS_ONSTACK as sigaltstack(2) reports */
  } altstack;
  char exe_path[4096]; /* absolute path of the running image */
  bool exited;
  int exit_status;  /* 0..255 */
  int fatal_signal; /* non-zero when killed by a signal */
  struct kernel_stats stats;
  struct emu_options *opt;
  uint64_t enosys_seen[8]; /* bitmap of syscall numbers reported once */
};

/* --- syscalls/vma.c: the sorted VMA list --- */
struct vma *vma_find(struct vma_list *l, uint64_t addr); /* containing addr */
/* Remove [start, end) from the list, splitting VMAs that straddle it.
 * Unmaps the pages and frees their frames. */
void vma_remove_range(struct process *p, uint64_t start, uint64_t end);
/* Insert a VMA (the range must be free). Merges with equal neighbours. */
int vma_insert(struct process *p, const struct vma *v);
void mapped_file_put(struct mapped_file *f);
/* --- syscalls/maps.c: the VMAs in /proc/self/maps format --- */
void vma_format_maps(struct process *p, FILE *out, const char *indent);
struct mapped_file *mapped_file_get(struct mapped_file *f);

/* --- syscalls/mmap.c: the address-space operations mmap, munmap,
 * mprotect and brk are built on; the loader uses them too. All return
 * 0/address or -errno. --- */
/* The core of mmap(2): host_fd < 0 for anonymous memory. */
int64_t mm_map(struct process *p, uint64_t addr, uint64_t len, int prot,
               int flags, int host_fd, uint64_t offset);
int mm_unmap(struct process *p, uint64_t addr, uint64_t len);
int mm_protect(struct process *p, uint64_t addr, uint64_t len, int prot);
/* Linux's default overcommit heuristic (mm/util.c __vm_enough_memory,
 * OVERCOMMIT_GUESS): 0, or -ENOMEM when `bytes` of accountable memory
 * exceed the machine's RAM + swap in one request. */
int mm_enough_memory(struct process *p, uint64_t bytes);
/* Top-down search for a free range of len bytes below mmap_base. */
uint64_t mm_find_free(struct process *p, uint64_t len);
/* The same for private anonymous memory, 2 MiB aligned when its length
 * is a multiple of 2 MiB (transparent huge pages). */
uint64_t mm_find_free_anon(struct process *p, uint64_t len);
/* Page-table permission bits for a VMA protection. */
uint64_t pte_flags_for(int prot);
/* Tear down the whole address space (execve, exit). */
void mm_clear(struct process *p);

/* --- syscalls/vdso.c --- */
/* Map [vvar], [vvar_vclock] and [vdso] top-down as Linux 6.x does after
 * the interpreter; sets p->vdso_base. Returns 0 or -errno. */
int vdso_map(struct process *p);
/* True when rip lies in the vDSO (its calls are not traced). */
bool vdso_contains(struct process *p, uint64_t rip);

/* --- syscalls/fault.c: demand paging --- */
/* Resolve a #PF at addr with error code err: allocate and fill the page
 * from its VMA, or grow the stack. Returns FAULT_OK, or why the access is
 * invalid: the signal and si_code the guest gets. */
enum fault_result {
  FAULT_OK,
  FAULT_MAPERR,
  FAULT_ACCERR,
  FAULT_BUS,
  FAULT_OOM
};
enum fault_result fault_handle(struct process *p, uint64_t addr, uint32_t err);

/* --- syscalls/kernel.c: the run loop --- */
int process_init(struct process *p, struct emu_options *opt);
void process_destroy(struct process *p);
/* Run the guest until it exits; returns the status a shell would see. */
int kernel_run(struct process *p);

/* --- syscalls/dispatch (generated from syscalls.def) --- */
void sys_dispatch(struct process *p);
/* --- syscalls/ia32.c: int 0x80, the IA32 system-call gate --- */
void ia32_syscall(struct process *p);
/* --- syscalls/umip.c --- */
/* After a #GP: emulate the UMIP instruction that raised it as Linux
 * does (true), or false for a #GP the guest must get as SIGSEGV. */
bool umip_fixup(struct process *p);

/* --- syscalls/signal.c --- */
/* A synchronous signal from a trap (SIGSEGV, SIGILL, SIGFPE, SIGTRAP,
 * SIGBUS). Delivers to a guest handler when one is installed, else kills
 * the process with a crash report. */
void signal_raise_trap(struct process *p, int sig, int si_code, uint64_t addr);
/* Queue a signal from kill (SI_USER) or tkill/tgkill (SI_TKILL), from
 * this process: the siginfo names it as the sender. */
void signal_send(struct process *p, int sig, int si_code, bool to_thread);
/* For a wait under the guest's temporary mask `mask`: true, with the
 * mask installed until the pending signal is delivered, when a signal
 * it leaves unblocked is pending (the call then returns -EINTR). */
bool signal_wait_interrupted(struct process *p, uint64_t mask);
/* Linux's internal "restart unless a handler runs" (include/linux/
 * errno.h): what a wait interrupted by a signal returns. */
#define ERESTARTNOHAND 514
/* Deliver a pending unblocked signal, if any (after each system call). */
void signal_check(struct process *p);
/* SIGCHLD, SIGURG, SIGWINCH, SIGCONT: SIG_DFL ignores them
 * (sig_kernel_ignore). */
bool signal_default_ignored(int sig);
/* Kill the process with sig (default action), with a crash report for
 * the signals that dump core. */
void signal_kill(struct process *p, int sig, int si_code, uint64_t addr);
/* --- syscalls/sigqueue.c: the pending queues --- */
/* Queue info->signo on the thread's queue or the process's; delivered
 * by signal_check. 0, or -EAGAIN when a real-time signal from sigqueue
 * finds the queue over RLIMIT_SIGPENDING. */
int sigqueue_send(struct process *p, const struct guest_siginfo *info,
                  bool to_thread);
/* Take the signal Linux would deliver next among those not in `blocked`
 * (the synchronous ones first, then the lowest; the thread's queue
 * before the process's): its number and siginfo, or 0. */
int sigqueue_dequeue(struct process *p, uint64_t blocked,
                     struct guest_siginfo *info);
/* Discard every pending instance of the signals in `set`. */
void sigqueue_flush(struct process *p, uint64_t set);
/* Free the queues' memory (process exit). */
void sigqueue_free(struct process *p);
static inline uint64_t sigqueue_pending(const struct process *p) {
  return p->pending.mask | p->shared_pending.mask;
}

/* --- syscalls/sigframe.c --- */
/* Enter the guest's handler for info->signo. False when the frame cannot
 * be written (the caller then kills the process with SIGSEGV). */
bool signal_deliver(struct process *p, const struct guest_siginfo *info);
/* Where rt_sigreturn will read the signal mask: the frame at the guest's
 * rsp (for --strace). */
uint64_t sigframe_mask_addr(const struct process *p);

/* --- syscalls/symbolize.c --- */
const char *symbolize(struct process *p, uint64_t addr, char *buf, size_t size);
void symbolize_free_all(void);

/* --- syscalls/crash.c: the report printed when a signal kills the guest */
void crash_report(struct process *p, int sig, int si_code, uint64_t addr);
/* Stop the guest at a far transfer into compatibility mode (TRAP_COMPAT),
 * which emu does not model, with a report saying so. */
void crash_compat_mode(struct process *p);

/* --- syscalls/info.c --- */
/* The guest's soft limit for an RLIMIT_* resource (RLIM_INFINITY when
 * unlimited). */
uint64_t rlimit_cur(int resource);

/* --- syscalls/fd.c: the guest's descriptor table over host fds --- */
int fd_install(struct process *p, int host_fd, int fd_flags, int min_fd);
int fd_host(struct process *p, int guest_fd); /* -EBADF when not open */
int fd_close(struct process *p, int guest_fd);
void fd_close_on_exec(struct process *p);
/* Give the guest every descriptor emu inherited from its parent (0, 1,
 * 2 and any other), as Linux children inherit them; emu's own files,
 * opened later, stay invisible. Call from process_init. */
void fd_inherit(struct process *p);

#endif
