/* The emulated kernel's tasks: a thread (struct process, Linux's
 * task_struct) and what the threads of a process share — the address
 * space (VMAs over the MMU's page tables), brk, files, signal
 * dispositions and exit state. CPU registers live in struct cpu; Linux
 * state lives here — the two never mix. */
#ifndef EMU_PROCESS_H
#define EMU_PROCESS_H

#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/select.h>
#include <time.h>

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
  char *path;  /* as /proc/self/maps shows it */
  bool pfnmap; /* a device's memory (VM_PFNMAP): mremap cannot grow it */
};

/* The memory of one MAP_SHARED mmap (syscalls/memory/shm.c): a range of the
 * MMU's shared window, referenced by the VMAs split from that mapping. */
struct shm_object {
  uint64_t paddr;  /* guest physical address of the first page */
  uint64_t len;    /* bytes */
  uint64_t offset; /* file offset of the first page (0: anonymous) */
  int refs;
  bool writable;  /* the host view is writable (O_RDWR file, or memfd) */
  bool anonymous; /* a memfd, not a file */
  /* A file whose file system tracks dirty pages (page_mkwrite: ext4,
   * xfs, btrfs ...; not tmpfs): Linux maps its pages read-only on a read
   * fault and takes a fault at the first write; and its pages are in
   * the page cache, so a read fault maps the block around (fault.c). */
  bool write_notify;
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
  struct shm_object *shm;   /* MAP_SHARED memory, else NULL */
  uint64_t offset;          /* file offset of `start` */
  uint64_t file_size; /* bytes of the file past which pages read as zero */
  /* VM_ACCOUNT: the pages were charged against the overcommit limit
   * (private writable memory), so growing it charges again. */
  bool accounted;
  /* VM_LOCKED / VM_LOCKONFAULT (memory/mlock.c) */
  uint8_t lock;
};
#define VMA_LOCKED 1
#define VMA_LOCKONFAULT 2

struct vma_list {
  struct vma *v; /* sorted by start, non-overlapping */
  int n, cap;
};

#define FD_MAX 1024

struct process;
/* A descriptor whose file emu implements itself over a host descriptor
 * that stands for its readiness (signalfd, a --deterministic timerfd):
 * shared by the slots dup made from one, as an open file is. */
struct fd_special {
  int refs;
  const struct fd_special_ops *ops;
};
struct fd_special_ops {
  /* read(2) of len bytes at buf (the host descriptor is h) */
  int64_t (*read)(struct process *p, struct fd_special *s, int h, uint64_t buf,
                  uint64_t len);
  void (*release)(struct fd_special *s); /* the last reference went */
};

struct fd_entry {
  int host_fd;  /* -1 when the slot is free, FD_RESERVED */
  int fd_flags; /* FD_CLOEXEC */
  int dev;      /* a device of devices/ (enum dev_kind), 0 for a host file */
  char *path;   /* path opened, for /proc and diagnostics (may be NULL) */
  struct fd_special *special; /* NULL for a host file */
  uint8_t host_kind; /* enum fd_host_kind (fs.h), 0 until first asked */
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
  bool follow;         /* -f: children are traced too, lines prefixed */
  bool strace_to_file; /* -o: strace -f -o prefixes every line "PID " */
  FILE *strace_out;    /* stderr or -o FILE */
  FILE *trace_out;
  uint64_t seed;
  uint64_t mem_limit; /* --mem-limit: RAM + swap in bytes, 0 for the host's */
  /* The display and input (devices/): --display, --screenshot, --fb,
   * --input-script. */
  int display;        /* enum dev_display */
  bool display_asked; /* --display given: a window that fails is reported */
  const char *screenshot;
  const char *input_script;
  uint32_t fb_width, fb_height, fb_bpp; /* 0: 640x480x32 */
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

/* Linux's restart_block: what restart_syscall resumes after a sleep
 * interrupted by a signal that ran no handler (ERESTART_RESTARTBLOCK):
 * the call, its arguments and its deadline on `clock`. */
struct restart_block {
  uint64_t nr;
  uint64_t a[6];
  int clock;
  struct timespec deadline;
};

/* The guest's timers (syscalls/time/timers.c). Not inherited by a fork's
 * child (timers_fork_child resets this struct); execve deletes the POSIX
 * timers and keeps the itimers (timers_exec). ITIMER_REAL, VIRTUAL and
 * PROF are the host's own itimers of emu's process (emu's CPU time is
 * the guest's), or with --deterministic deadlines on the cycle counter.
 * POSIX timers are host POSIX timers. */
#define GUEST_TIMER_MAX 64
struct guest_timer {
  bool used;
  int id; /* the guest's timer id */
  timer_t host;
  int notify; /* SIGEV_SIGNAL, SIGEV_NONE, SIGEV_THREAD_ID */
  int signo;
  uint64_t value; /* sigev_value */
  int overrun;    /* of the last signal queued (timer_getoverrun) */
};
struct timer_state {
  struct guest_timer posix[GUEST_TIMER_MAX];
  int next_id; /* the id the next timer_create tries first */
  /* --deterministic itimers: the next expiry and the period, in cycles
   * (0: disarmed). ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF. */
  struct {
    uint64_t next, interval;
  } cycles[3];
};

/* What the threads of one process share, each part reference-counted
 * as the CLONE_* flags that share it say (Linux's mm_struct, files_struct,
 * fs_struct, sighand_struct and signal_struct). Threads of one process
 * are host threads of one emu process (syscalls/thread/thread.c); every part is
 * guarded by the process's kernel lock (syscalls/klock.c). */

/* CLONE_VM: the address space. The page tables and frames are the MMU's
 * (struct mmu_space); each thread's struct mmu is its own TLB over them. */
struct mm {
  struct vma_list vmas;
  uint64_t brk_start, brk; /* program break, brk_start = end of bss */
  uint64_t mmap_base;      /* top of the top-down mmap area */
  uint64_t stack_start;    /* lowest address of the initial stack VMA */
  uint64_t vdso_base;      /* AT_SYSINFO_EHDR, 0 when no vDSO is mapped */
  /* The emulated machine's RAM + swap: the overcommit heuristic's limit
   * for one allocation, and the guest physical memory reserved (0: no
   * limit, for a process built without process_init). */
  uint64_t mem_limit;
  char exe_path[4096]; /* absolute path of the running image */
  /* Protection key 0 taken by a first pkey_alloc (memory/pkeys.c): the
   * only key a CPU without PKU has. Cleared by execve. */
  bool pkey0_taken;
  /* mlockall(MCL_FUTURE): the lock flags new mappings get (def_flags) */
  uint8_t def_lock;
};

/* CLONE_FILES: the descriptor table. */
struct files {
  int refs;
  struct fd_entry fds[FD_MAX];
};

/* CLONE_FS: umask (the cwd is the host thread's, unshared with it). */
struct fs_info {
  int refs;
  uint32_t umask;
};

/* CLONE_SIGHAND: the signal dispositions. */
struct sighand {
  int refs;
  struct guest_sigaction sigactions[64]; /* index sig - 1 */
};

/* CLONE_THREAD: the thread group (Linux's signal_struct). */
struct signal_shared {
  struct sigpending_queue shared_pending; /* process-directed signals */
  struct timer_state timers;
  /* A child of fork/clone (not the process emu started). */
  bool is_child;
  /* exit_group or a fatal signal ended the whole group (SIGNAL_GROUP_EXIT):
   * every thread stops at its next kernel entry; the status is this. */
  bool group_exit;
  int group_status;
  int group_signal;
  /* A thread in execve ends every other (de_thread): set while it waits
   * for them. */
  struct process *exec_zapper;
  struct kernel_stats stats;
  /* --stats: what the threads that ended ran, added to the leader's own
   * counts (cycles counted from each thread's start), and how many
   * threads the process started. */
  struct {
    uint64_t instret, cycles, tlb_hits, tlb_misses, page_walks;
    int threads;
  } ended;
  uint64_t enosys_seen[8]; /* bitmap of syscall numbers reported once */
};

/* One guest task (Linux's task_struct): a thread, with the parts its
 * process shares behind pointers. The first task of a process is its
 * leader; its tid is the process's pid. */
#define CODE_QUEUE_PAGES 64
struct process {
  struct cpu cpu;
  struct mmu mmu; /* this thread's view: its own TLB */
  struct mm *mm;
  struct files *files;
  struct fs_info *fs;
  struct sighand *sighand;
  struct signal_shared *sig;
  int pid, ppid, tid; /* pid: the thread group's id */
  uint64_t clear_child_tid;
  uint64_t robust_list, robust_len;
  /* personality(2)'s persona (Linux's task->personality): inherited by
   * fork and clone, kept across execve but for READ_IMPLIES_EXEC. */
  uint32_t personality;
  uint64_t rseq_addr;
  uint64_t sigmask; /* blocked signals, bit (sig - 1) */
  /* Raised but not yet delivered: the thread's own (tkill, tgkill,
   * faults); the process's (kill, sigqueue) are in sig->shared_pending,
   * as Linux keeps them (task->pending and signal->shared_pending). */
  struct sigpending_queue pending;
  /* A call that waits under a temporary mask (ppoll, pselect6,
   * rt_sigsuspend) and is interrupted leaves that mask in force for the
   * signal's delivery; the frame then saves this one, the mask to return
   * to (Linux: set_restore_sigmask). */
  bool restore_sigmask;
  uint64_t saved_sigmask;
  /* The last system call was interrupted by a signal and returned one of
   * Linux's ERESTART* codes (0 otherwise): -EINTR to the guest or a
   * restart, as the handler's SA_RESTART says (syscalls/signal/restart.c). Its
   * number, to restart it. */
  int syscall_restart;
  uint64_t syscall_nr;
  struct restart_block restart;
  struct {
    uint64_t sp, size;
    int flags; /* SS_DISABLE / SS_ONSTACK as sigaltstack(2) reports */
  } altstack;
  char exec_name[16]; /* comm: the name execve was given, cut */
  /* The child's clone returns untraced: its parent prints the call. */
  bool trace_skip_leave;
  /* A vfork child: the pipe that releases its parent at execve or exit
   * (-1 otherwise), and whether it shares the parent's memory
   * (CLONE_VM), so that its dirty pages go back (syscalls/process/vfork.c). */
  int vfork_fd;
  bool vfork_vm;
  bool exited;      /* this thread has ended */
  bool exit_thread; /* by exit(2), not exit_group: the others live on */
  int exit_status;  /* 0..255 */
  int fatal_signal; /* non-zero when killed by a signal */
  struct emu_options *opt;
  struct thread_link *thread; /* its place among the process's threads */
  uint64_t start_cycles;      /* the cycle counter when the thread began */
  /* --deterministic with threads (det_sched.c): the baton's hand-overs
   * for this thread, whether it waits on one of emu's futex queues, the
   * instruction count its quantum ends at, and the cycles other threads
   * ran while it waited (not its own, for --stats). */
  uint32_t det_turn;
  bool det_blocked;
  uint64_t det_quantum_end;
  uint64_t det_skipped;
  bool det_holding; /* kept the kernel lock into guest code */
  /* In a host call that sleeps, without the kernel lock: a host signal
   * that arrives on another thread kicks this one awake (thread.c). */
  volatile int host_sleeping;
  /* Pages whose decoded code other threads changed: dropped before this
   * thread runs guest code again (thread.c). In the task, not its link,
   * as guest code on other CPUs adds to it without the kernel lock. */
  struct code_queue {
    int lock, n;
    bool flush;
    uint64_t pages[CODE_QUEUE_PAGES];
  } code_queue;
};

/* --- syscalls/memory/vma.c: the sorted VMA list --- */
struct vma *vma_find(struct vma_list *l, uint64_t addr); /* containing addr */
/* Remove [start, end) from the list, splitting VMAs that straddle it.
 * Unmaps the pages and frees their frames. */
void vma_remove_range(struct process *p, uint64_t start, uint64_t end);
/* Insert a VMA (the range must be free). Merges with equal neighbours. */
int vma_insert(struct process *p, const struct vma *v);
void mapped_file_put(struct mapped_file *f);
/* --- syscalls/memory/maps.c: the VMAs in /proc/self/maps format --- */
void vma_format_maps(struct process *p, FILE *out, const char *indent);
struct mapped_file *mapped_file_get(struct mapped_file *f);

/* --- syscalls/memory/mmap.c: the address-space operations mmap, munmap,
 * mprotect and brk are built on; the loader uses them too. All return
 * 0/address or -errno. --- */
/* The core of mmap(2): host_fd < 0 for anonymous memory. */
int64_t mm_map(struct process *p, uint64_t addr, uint64_t len, int prot,
               int flags, int host_fd, uint64_t offset);
/* mmap of a device's memory (a driver's mmap): `file` names it, and a
 * shared mapping's pages are `shm`'s (a private one copies them from
 * file->host_fd). The caller has checked the range and the access. */
int64_t mm_map_device(struct process *p, uint64_t addr, uint64_t len, int prot,
                      int flags, struct mapped_file *file,
                      struct shm_object *shm, uint64_t offset);
int mm_unmap(struct process *p, uint64_t addr, uint64_t len);
int mm_protect(struct process *p, uint64_t addr, uint64_t len, int prot);
/* Split so that no VMA straddles `at` (0 or -ENOMEM). */
int mm_split_at(struct process *p, uint64_t at);
/* memory/mlock.c: a new mapping under mlockall(MCL_FUTURE) or
 * MAP_LOCKED is locked and populated; a forked child's are unlocked. */
void mlock_new_mapping(struct process *p, uint64_t start, uint64_t len,
                       bool map_locked);
void mlock_fork_child(struct process *p);
/* Pages in locked VMAs (VmLck). */
uint64_t mlock_locked_bytes(struct process *p);
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

/* --- syscalls/memory/shm.c: MAP_SHARED memory --- */
/* A new object of len bytes: a view of host_fd at offset, or with
 * host_fd < 0 fresh zeroed shared memory. NULL when the host refuses. */
struct shm_object *shm_create(struct process *p, int host_fd, uint64_t offset,
                              uint64_t len, bool writable);
struct shm_object *shm_get(struct shm_object *o);
void shm_put(struct process *p, struct shm_object *o);
/* The physical address of a VMA's page in its object; -EFAULT when the
 * page lies beyond the object or the file's end (SIGBUS). */
/* Page `page` of a MAP_SHARED VMA: its guest physical address, or
 * -EFAULT past the object or (file_size) the end of the file. */
int shm_page(const struct vma *v, uint64_t page, uint64_t file_size,
             uint64_t *paddr);
/* The size of a shared VMA's file now (UINT64_MAX for anonymous memory):
 * a file may have shrunk since the mmap. */
uint64_t shm_file_size(const struct vma *v);

/* clone3's struct clone_args (include/uapi/linux/sched.h); clone's
 * arguments are put in one too. */
struct guest_clone_args {
  uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size,
      tls, set_tid, set_tid_size, cgroup;
};

/* --- syscalls/thread/thread.c: threads (CLONE_THREAD) on host threads --- */
/* The process's first task, at start-up (and after a fork, in the child:
 * only the forking thread lives on, as in Linux). */
void thread_init_leader(struct process *p);
void thread_fork_child(struct process *p);
/* clone with CLONE_VM | CLONE_THREAD: the new thread's tid or -errno. */
int64_t thread_clone(struct process *p, const struct guest_clone_args *k);
/* The kernel lock: one thread of the process in the kernel at a time
 * (Linux's big kernel lock, kept for the emulated kernel's simplicity).
 * Held from the trap to the return to guest code; a call that sleeps
 * releases it around the host call that sleeps (host_wait.c, futex.c,
 * wait.c). */
void kernel_lock(void);
void kernel_unlock(void);
/* For a host thread that is no task (devices/display.c): the kernel lock
 * if it can be had within ms milliseconds. */
bool kernel_lock_within(long ms);
/* The transitions between guest code and the kernel. */
void thread_to_user(struct process *p);
void thread_from_user(struct process *p);
/* Around a host call that sleeps: the kernel lock is released, and a
 * signal that arrives on another host thread wakes this one. */
void thread_sleep_begin(struct process *p);
void thread_sleep_end(struct process *p);
/* The task running on this host thread. */
struct process *thread_self(void);
/* Threads in the process (1 when single-threaded). */
int thread_count(void);
/* The task of thread tid in this process, or NULL. */
struct process *thread_find(int tid);
/* Make thread t notice a pending signal or a group exit soon: it stops
 * at its next block boundary or leaves the host call it sleeps in. */
void thread_kick(struct process *t);
/* A process-directed signal sig was queued: wake a thread that does not
 * block it (Linux's complete_signal). */
void thread_wake_for_signal(struct process *p, int sig);
/* The end of p's loop (kernel_run): a thread that is not the last ends
 * here (never returns, except for the leader, which waits for the group
 * to end); returns with the group's end decided. */
void thread_finish(struct process *p);
/* exit_group or a fatal signal from p: the whole group ends with this
 * status (or signal), every other thread stops. */
void thread_group_exit(struct process *p, int status, int sig);
/* execve's de_thread: every other thread ends before the new image
 * (the leader's host thread waits for the process's end); the caller
 * takes the thread group's id as its tid. */
void thread_exec_zap(struct process *p);
/* p must leave its call and its loop: the group ends, or another
 * thread's execve ends this one. */
static inline bool thread_must_stop(const struct process *p) {
  return p->sig->group_exit ||
         (p->sig->exec_zapper && p->sig->exec_zapper != p);
}

/* The guest's clock (virtual under --deterministic), in ns. */
int64_t time_now_ns(struct process *p, int clock);

/* --- syscalls/thread/det_sched.c: --deterministic with threads --- */
bool det_threads(const struct process *p);
void det_first(struct process *p); /* p holds the baton */
void det_start(struct process *t); /* a new thread's first turn */
uint64_t det_budget(struct process *p, uint64_t budget);
void det_maybe_switch(struct process *p); /* at a quantum's end */
void det_yield(struct process *p);        /* sched_yield */
void det_sleep_begin(struct process *p);  /* around a host sleep */
void det_arriving(void); /* before taking the kernel lock back */
void det_sleep_end(struct process *p);
void det_leave(struct process *p); /* p ends: the next thread runs */
/* A sleep of ns on the timeline (*left_ns: what a signal left of it),
 * and a wait until ready(ctx) or timeout_ns (-1: none); both 0, -EINTR,
 * -ETIMEDOUT, or -EAGAIN when the wait must sleep on the host. */
int64_t det_sleep(struct process *p, int64_t ns, uint64_t *left_ns);
int64_t det_poll_wait(struct process *p, bool (*ready)(void *ctx), void *ctx,
                      int64_t timeout_ns, uint64_t guest_mask);
void det_kick(struct process *t); /* a signal ends t's futex wait */
int64_t det_futex_wait(struct process *p, uint32_t *word, uint32_t val,
                       uint32_t bitset, int64_t timeout_ns);
int64_t det_futex_wake(uint32_t *word, uint32_t bitset, int n);
int64_t det_futex_requeue(uint32_t *word, uint32_t *to, int wake, int move);
int64_t det_futex_lock_pi(struct process *p, uint32_t *word, bool try,
                          int64_t timeout_ns);
int64_t det_futex_unlock_pi(struct process *p, uint32_t *word);
int64_t det_futex_waitv(struct process *p, uint32_t **words,
                        const uint32_t *vals, int n, int64_t timeout_ns);

/* --- syscalls/process/vfork.c --- */
void vfork_child_starts(struct process *p, int release_fd, bool shared_vm);
/* In the child, at execve's point of no return and at exit: hand the
 * dirtied pages back and let the parent run. No-op when not a vfork
 * child. */
void vfork_release(struct process *p);
void vfork_parent_waits(struct process *p, int release_fd);

/* --- syscalls/time/vdso.c --- */
/* Map [vvar], [vvar_vclock] and [vdso] top-down as Linux 6.x does after
 * the interpreter; sets p->mm->vdso_base. Returns 0 or -errno. */
int vdso_map(struct process *p);
/* True when rip lies in the vDSO (its calls are not traced). */
bool vdso_contains(struct process *p, uint64_t rip);
/* Whether Linux's vDSO answers this call itself (else it makes the
 * system call, which strace sees). */
bool vdso_answers(uint64_t nr, const uint64_t a[6]);

/* --- syscalls/memory/fault.c: demand paging --- */
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
/* At the guest's end, before emu exits: signals blocked and descriptors
 * closed, the memory left to the host's exit (tearing it down would make
 * a forked emu copy every page it writes on the way, for nothing). */
void process_exit(struct process *p);
/* Everything freed (a process that never ran, the unit tests). */
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

/* --- syscalls/signal/signal.c --- */
/* A synchronous signal from a trap (SIGSEGV, SIGILL, SIGFPE, SIGTRAP,
 * SIGBUS). Delivers to a guest handler when one is installed, else kills
 * the process with a crash report. */
void signal_raise_trap(struct process *p, int sig, int si_code, uint64_t addr);
/* Queue a signal from kill (SI_USER) or tkill/tgkill (SI_TKILL), from
 * this process: the siginfo names it as the sender. */
void signal_send(struct process *p, int sig, int si_code, bool to_thread);
/* The same from p to task t (another thread of the process). */
void signal_send_to(struct process *p, struct process *t, int sig, int si_code,
                    bool to_thread);
/* For a wait under the guest's temporary mask `mask`: true, with the
 * mask installed until the pending signal is delivered, when a signal
 * it leaves unblocked is pending (the call then returns -EINTR). */
bool signal_wait_interrupted(struct process *p, uint64_t mask);
/* Linux's internal restart codes (include/linux/errno.h), what a call
 * interrupted by a signal returns: restart unless a handler without
 * SA_RESTART runs (SYS), always (NOINTR), unless a handler runs (NOHAND),
 * or through restart_syscall and p->restart (RESTARTBLOCK). */
#define ERESTARTSYS 512
#define ERESTARTNOINTR 513
#define ERESTARTNOHAND 514
#define ERESTART_RESTARTBLOCK 516
/* Deliver a pending unblocked signal, if any (after each system call). */
void signal_check(struct process *p);
/* SIGCHLD, SIGURG, SIGWINCH, SIGCONT: SIG_DFL ignores them
 * (sig_kernel_ignore). */
bool signal_default_ignored(int sig);
/* Kill the process with sig (default action), with a crash report for
 * the signals that dump core. */
void signal_kill(struct process *p, int sig, int si_code, uint64_t addr);
/* --- syscalls/signal/sigqueue.c: the pending queues --- */
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
  return p->pending.mask | p->sig->shared_pending.mask;
}

/* --- syscalls/signal/signalfd.c --- */
/* The pending signals changed: every signalfd's readiness follows. */
void signalfd_notify(struct process *p);

/* --- syscalls/signal/restart.c: ERESTART* as Linux's signal delivery sees it
 */
/* A handler (sa_flags) runs after an interrupted call: *rax and *rip,
 * the frame's, become -EINTR or the restarted call. */
void restart_for_handler(struct process *p, uint64_t sa_flags, uint64_t *rax,
                         uint64_t *rip);
/* No handler ran: the call starts again (restart_syscall for
 * ERESTART_RESTARTBLOCK). */
void restart_without_handler(struct process *p);
/* restart_syscall's resumptions (time.c, poll.c) of p->restart. */
int64_t time_resume_sleep(struct process *p);
int64_t poll_resume(struct process *p);

/* --- syscalls/signal/host_signal.c: signals from outside (see the file) --- */
/* Install emu's host handler for every catchable signal but the faults
 * of emu's own code and unblock them all. Once, before kernel_run. */
void host_signals_init(struct process *p);
/* The host signals emu forwards (blocked around a check, see below). */
const sigset_t *host_signals_set(void);
/* Move the recorded host signals into the guest's pending queues. The
 * _take form requires them blocked (a wait does it); _drain blocks. */
void host_signals_take(struct process *p);
void host_signals_drain(struct process *p);
/* A fork's child: nothing recorded is its own, and its CPU is the one
 * the handler stops. Call in the child right after the host fork (the
 * handlers themselves are inherited and stay). */
void host_signals_fork_child(struct process *p);
/* Stop emu's process as the default action of stop signal sig. */
void host_signal_stop(struct process *p, int sig);

/* --- syscalls/process/tty_jobs.c: terminal job control and the guest's
 * dispositions (see the file) --- */
/* Block on the host the SIGTTIN/SIGTTOU the guest blocks or ignores;
 * false (nothing to undo) when there are none. */
bool tty_jobs_quiet_begin(const struct process *p, sigset_t *saved);
void tty_jobs_quiet_end(bool began, const sigset_t *saved);
/* host_fd is our controlling terminal and we are not its foreground. */
bool tty_jobs_background(int host_fd);
/* Mirror the guest's SIGCHLD action where the host kernel acts on it:
 * SIG_IGN and SA_NOCLDWAIT reap children at once (host_signal.c). */
void host_signals_child_action(const struct process *p);

/* --- syscalls/process/host_wait.c: wait on the host, interruptibly ---
 * The pattern, for any call that may sleep (wait4, waitid, ...):
 *
 *   sigset_t mask;
 *   host_wait_begin(p, &mask);            // async host signals blocked
 *   for (;;) {
 *     if (host_wait_signalled(p, p->sigmask)) { r = -ERESTARTSYS; break; }
 *     if (condition met, checked without sleeping: waitpid(WNOHANG)...)
 *       break;
 *     ppoll(NULL, 0, timeout, &mask);     // or sigsuspend(&mask): sleeps
 *   }                                     // with them unblocked, at once
 *   host_wait_end(p, &mask);
 *
 * A host SIGCHLD (or any signal) that comes after the check stays
 * pending on the host and ends the sleep at once; whether the guest sees
 * it (queued with its siginfo) depends on its disposition. The helpers
 * below are this loop for the usual waits. */
void host_wait_begin(struct process *p, sigset_t *wait_mask);
void host_wait_end(struct process *p, const sigset_t *wait_mask);
/* Take what arrived; true when a guest signal not blocked by guest_mask
 * is pending (the wait must end with its ERESTART* code). */
bool host_wait_signalled(struct process *p, uint64_t guest_mask);
/* ppoll/pselect on host descriptors: the count, -errno, or -EINTR when a
 * guest signal outside guest_mask interrupted the wait. */
int host_ppoll(struct process *p, struct pollfd *fds, nfds_t n,
               const struct timespec *timeout, uint64_t guest_mask);
int host_pselect(struct process *p, int nfds, fd_set *sets[3],
                 const struct timespec *timeout, uint64_t guest_mask);
/* Before a read or write that may block (pipe, tty, socket, FIFO not
 * O_NONBLOCK): wait until host_fd has `events`. 0, or -EINTR. */
int host_wait_fd(struct process *p, int host_fd, short events);
/* Sleep until the absolute deadline on clock: 0, or -EINTR. */
int host_sleep_until(struct process *p, int clock,
                     const struct timespec *deadline);
/* pause/rt_sigsuspend: until a signal outside guest_mask is pending. */
void host_wait_signal(struct process *p, uint64_t guest_mask);

/* --- syscalls/time/timers.c --- */
/* A host SI_TIMER siginfo for the guest: the guest timer's id and value
 * put in; false when it belongs to no guest timer (drop it). */
bool timers_host_signal(struct process *p, struct guest_siginfo *info);
/* --deterministic: instructions the CPU may run before the next virtual
 * itimer expiry (UINT64_MAX when none), and expiring the due ones. */
uint64_t timers_budget(struct process *p);
void timers_expire(struct process *p);
void timers_exec(struct process *p); /* execve: POSIX timers go */
/* --- syscalls/time/timerfd.c: --deterministic timerfds (see the file) */
/* Cycles the CPU may run before the next timerfd expiry (UINT64_MAX:
 * none armed), and making the expired ones readable. */
uint64_t timerfd_budget(struct process *p);
void timerfd_expire(struct process *p);
void timers_fork_child(struct process *p); /* none are inherited */

/* --- syscalls/signal/sigsend.c: signals to other processes, the host's --- */
int64_t sigsend_kill(struct process *p, int pid, int sig);
/* tgid < 0: tkill */
int64_t sigsend_tgkill(struct process *p, int tgid, int tid, int sig);
int64_t sigsend_queueinfo(struct process *p, int tgid, int tid, int sig,
                          const struct guest_siginfo *info);

/* --- syscalls/signal/sigframe.c --- */
/* Enter the guest's handler for info->signo. False when the frame cannot
 * be written (the caller then kills the process with SIGSEGV). */
bool signal_deliver(struct process *p, const struct guest_siginfo *info);
/* Where rt_sigreturn will read the signal mask: the frame at the guest's
 * rsp (for --strace). */
uint64_t sigframe_mask_addr(const struct process *p);

/* --- syscalls/observe/symbolize.c --- */
const char *symbolize(struct process *p, uint64_t addr, char *buf, size_t size);
void symbolize_free_all(void);

/* --- syscalls/observe/crash.c: the report printed when a signal kills the
 * guest */
void crash_report(struct process *p, int sig, int si_code, uint64_t addr);
/* Stop the guest at a far transfer into compatibility mode (TRAP_COMPAT),
 * which emu does not model, with a report saying so. */
void crash_compat_mode(struct process *p);

/* --- syscalls/process/info.c --- */
/* The guest's soft limit for an RLIMIT_* resource (RLIM_INFINITY when
 * unlimited). */
uint64_t rlimit_cur(int resource);

/* --- syscalls/fs/fd.c: the guest's descriptor table over host fds --- */
int fd_install(struct process *p, int host_fd, int fd_flags, int min_fd);
int fd_host(struct process *p, int guest_fd); /* -EBADF when not open */
int fd_close(struct process *p, int guest_fd);
void fd_close_on_exec(struct process *p);
/* A number taken before the file exists, as Linux's accept takes it
 * before it sleeps (get_unused_fd_flags): no other call gets it, and
 * calls on it fail with EBADF until it is installed or given back. */
#define FD_RESERVED (-2)
int fd_reserve(struct process *p); /* the slot, or -EMFILE */
void fd_unreserve(struct process *p, int guest_fd);
int fd_install_reserved(struct process *p, int guest_fd, int host_fd,
                        int fd_flags);
/* The emulated file behind a descriptor (NULL for a host file), and
 * giving a new slot the file of another (dup, F_DUPFD) or its own. */
struct fd_special *fd_special(struct process *p, int guest_fd);
void fd_set_special(struct process *p, int guest_fd, struct fd_special *s);
/* A copied table (fork keeps the memory; CLONE without CLONE_FILES):
 * one more reference for each of its slots. */
void fd_special_copied(struct files *f);
/* Give the guest every descriptor emu inherited from its parent (0, 1,
 * 2 and any other), as Linux children inherit them; emu's own files,
 * opened later, stay invisible. Call from process_init. */
void fd_inherit(struct process *p);

#endif
