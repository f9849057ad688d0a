/* loader_exec: Linux's do_execveat_common + exec_binprm + load_elf_binary
 * in one place. Everything that can fail for a bad file is checked
 * before the point of no return (the old image survives such a failure);
 * after it the old address space is torn down and the new one built:
 * stack VMA, program segments, brk, interpreter, vDSO, initial stack,
 * registers (start_thread). */
#include "loader.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <unistd.h>

#include "../devices/proc_view.h"
#include "elf.h"
#include "file.h"
#include "interp.h"
#include "load.h"
#include "script.h"
#include "stack.h"

/* Linux's setup_arg_pages grows the new stack VMA 128 KiB below the
 * argument strings. */
#define STACK_EXPAND (128ull << 10)
/* Linux's rseq ABI as published in the auxv (AT_RSEQ_*, 6.3+):
 * offsetof(struct rseq, end) and its alignment. */
#define RSEQ_FEATURE_SIZE 28
#define RSEQ_ALIGN 32

/* Everything gathered before the point of no return. */
struct exec_plan {
  const char *file_path; /* the ELF finally loaded (after any #!) */
  const char *name;      /* the file as the process names it (a script) */
  char **argv;           /* malloc'd vector; strings owned elsewhere */
  int argc, envc;
  char *const *envp;
  struct script_line lines[SCRIPT_MAX_DEPTH + 1];
  struct loader_file exe;
  struct elf_file elf;
  bool have_elf, have_interp;
  struct interp interp;
};

static void plan_free(struct exec_plan *pl) {
  free(pl->argv);
  if (pl->have_elf)
    elf_free(&pl->elf);
  loader_file_close(&pl->exe);
  if (pl->have_interp)
    interp_close(&pl->interp);
}

/* binfmt_script: argv becomes interpreter, [argument,] script path, then
 * the old argv without its argv[0]. */
static int splice_script(struct exec_plan *pl, const struct script_line *l,
                         const char *script) {
  int extra = l->has_arg ? 3 : 2;
  char **v = malloc(((size_t)pl->argc - 1 + (size_t)extra + 1) * sizeof *v);
  if (!v)
    return -ENOMEM;
  int n = 0;
  v[n++] = (char *)l->interp;
  if (l->has_arg)
    v[n++] = (char *)l->arg;
  v[n++] = (char *)script;
  for (int k = 1; k < pl->argc; k++)
    v[n++] = pl->argv[k];
  v[n] = NULL;
  free(pl->argv);
  pl->argv = v;
  pl->argc = n;
  return 0;
}

/* Open path, following #! interpreters as exec_binprm does, until an ELF
 * is found; then validate it and its PT_INTERP. */
static int plan_exec(struct exec_plan *pl, const char *path,
                     const char *filename, char *err, size_t errlen) {
  char why[256];
  pl->file_path = path;
  pl->name = filename;
  for (int depth = 0;; depth++) {
    if (depth > SCRIPT_MAX_DEPTH) {
      snprintf(err, errlen, "too many levels of #! interpreters");
      return -ELOOP;
    }
    int r = loader_file_open(pl->file_path, &pl->exe, why, sizeof why);
    if (r) {
      if (depth)
        snprintf(err, errlen, "bad interpreter %s: %s", pl->file_path, why);
      else
        snprintf(err, errlen, "%s", why);
      return r;
    }
    if (!script_is_script(pl->exe.data, pl->exe.size))
      break;
    struct script_line *l = &pl->lines[depth];
    r = script_parse(pl->exe.data, pl->exe.size, l);
    loader_file_close(&pl->exe);
    if (r) {
      snprintf(err, errlen, "bad #! line");
      return r;
    }
    r = splice_script(pl, l, pl->name);
    if (r) {
      snprintf(err, errlen, "out of memory");
      return r;
    }
    pl->file_path = pl->name = l->interp;
    /* Linux looks an empty interpreter path up as the current directory
     * (getname_kernel accepts ""), which is refused as not a file. */
    if (!l->interp[0]) {
      snprintf(err, errlen, "bad interpreter: empty path");
      return -EACCES;
    }
  }
  int r = elf_parse(pl->exe.data, pl->exe.size, &pl->elf, err, errlen);
  if (r)
    return r;
  pl->have_elf = true;
  if (pl->elf.has_interp) {
    r = interp_open(pl->elf.interp, &pl->interp, err, errlen);
    if (r)
      return r;
    pl->have_interp = true;
  }
  return 0;
}

/* The AT_RANDOM bytes: the host's entropy, or a function of the seed in
 * --deterministic mode (splitmix64). */
static void random_bytes(const struct process *p, uint8_t out[16]) {
  if (p->opt && p->opt->deterministic) {
    uint64_t x = p->opt->seed ^ 0x5a17a7ad0c0ffeeull;
    for (int k = 0; k < 2; k++) {
      x += 0x9e3779b97f4a7c15ull;
      uint64_t z = x;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
      z ^= z >> 31;
      memcpy(out + 8 * k, &z, 8);
    }
    return;
  }
  size_t got = 0;
  while (got < 16) {
    ssize_t n = getrandom(out + got, 16 - got, 0);
    if (n <= 0)
      break;
    got += (size_t)n;
  }
}

/* What the CPU advertises, reported as Linux does: AT_HWCAP is CPUID.1
 * EDX, AT_HWCAP2 has HWCAP2_FSGSBASE (bit 1) when CPUID.7.0 EBX bit 0 is
 * set. AT_MINSIGSTKSZ follows the signal frame's FPU state: fxsave's 512
 * bytes, or the XSAVE area (plus its 4-byte end marker), plus the 112
 * bytes of the ia32 fsave header, plus a fixed part; 828 reproduces this
 * host's Linux 6.18 (1776 with an 832-byte XSAVE area). */
static void cpu_aux(struct stack_aux *a) {
  uint32_t r[4];
  cpu_cpuid(1, 0, r);
  a->hwcap = r[3];
  bool xsave = r[2] & (1u << 26);
  cpu_cpuid(7, 0, r);
  a->hwcap2 = (r[1] & 1) ? 2 : 0;
  uint64_t fpstate = 512;
  if (xsave) {
    cpu_cpuid(0xd, 0, r);
    fpstate = (uint64_t)r[1] + 4;
  }
  a->minsigstksz = (828 + fpstate + 112 + 15) & ~15ull;
}

/* flush_signal_handlers: caught signals go back to SIG_DFL, ignored ones
 * stay ignored; the blocked mask survives execve. Per-thread state tied
 * to the old image (robust list, rseq, clear_child_tid) is dropped. */
static void reset_process_state(struct process *p) {
  for (int k = 0; k < 64; k++) {
    struct guest_sigaction *s = &p->sighand->sigactions[k];
    uint64_t handler = s->handler == (uint64_t)(uintptr_t)SIG_IGN
                           ? (uint64_t)(uintptr_t)SIG_IGN
                           : (uint64_t)(uintptr_t)SIG_DFL;
    memset(s, 0, sizeof *s);
    s->handler = handler;
  }
  p->clear_child_tid = 0;
  p->robust_list = p->robust_len = 0;
  p->rseq_addr = 0;
}

/* start_thread + ELF_PLAT_INIT: every register zero but rip and rsp,
 * RFLAGS.IF set, FS/GS bases zero, the FPU and SSE state in their initial
 * state (fpu__clear_user_states). Only the architectural state is reset:
 * the counters, the block cache and the tracing hooks belong to the
 * machine, not the image. */
static void reset_cpu(struct process *p, uint64_t rip, uint64_t rsp) {
  struct cpu *c = &p->cpu;
  memset(c->gpr, 0, sizeof c->gpr);
  c->gpr[RSP] = rsp;
  c->rip = rip;
  cpu_set_flags(c, FLAG_IF | FLAGS_FIXED);
  c->fs_base = c->gs_base = 0;
  /* start_thread: DS, ES, FS and GS are null in a new image. */
  c->es_sel = c->ds_sel = c->fs_sel = c->gs_sel = 0;
  memset(c->xmm, 0, sizeof c->xmm);
  c->mxcsr = 0x1f80;
  memset(&c->fpu, 0, sizeof c->fpu);
  c->fpu.control = 0x037f;
  c->fpu.tag = 0xffff;
}

static int kill_process(struct process *p, char *err, size_t errlen,
                        const char *why) {
  if (why != err)
    snprintf(err, errlen, "%s", why);
  p->exited = true;
  p->fatal_signal = SIGSEGV;
  p->exit_status = 128 + SIGSEGV;
  return -EFAULT;
}

/* Linux's mm->arg_start..env_end and saved_auxv, for /proc/PID/cmdline,
 * environ and auxv: the strings lie in order from the lowest, argv's
 * then envp's. */
static void record_image(struct process *p, const struct stack_args *sa,
                         const struct stack_image *img) {
  struct proc_image pi = {.arg_start = img->strings_start,
                          .start_stack = img->strings_start};
  pi.arg_end = pi.arg_start;
  for (int k = 0; k < sa->argc; k++)
    pi.arg_end += strlen(sa->argv[k]) + 1;
  pi.env_start = pi.env_end = pi.arg_end;
  for (int k = 0; k < sa->envc; k++)
    pi.env_end += strlen(sa->envp[k]) + 1;
  for (size_t at = 0; at + 16 <= sizeof pi.auxv; at += 16) {
    uint64_t pair[2];
    if (copy_from_guest(&p->mmu, pair, img->auxv + at, 16) < 0)
      break;
    memcpy(pi.auxv + at, pair, 16);
    pi.auxv_len = at + 16;
    if (pair[0] == 0) /* AT_NULL ends it */
      break;
  }
  proc_view_exec(p, &pi);
}

/* Past the point of no return: build the new image. */
static int build_image(struct process *p, struct exec_plan *pl,
                       struct stack_args *sa, char *err, size_t errlen) {
  const struct elf_file *f = &pl->elf;
  /* The stack VMA first, as setup_arg_pages does: from 128 KiB below
   * the page of the lowest argument string up to STACK_TOP. */
  struct stack_image img;
  int r = stack_build(sa, &img);
  if (r)
    return kill_process(p, err, errlen, "cannot build the initial stack");
  uint64_t lo = (img.strings_start & PAGE_MASK) - STACK_EXPAND;
  if ((img.rsp & PAGE_MASK) < lo)
    lo = img.rsp & PAGE_MASK;
  int prot = PROT_READ | PROT_WRITE | (f->exec_stack ? PROT_EXEC : 0);
  int64_t m =
      mm_map(p, lo, sa->top - lo, prot,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_GROWSDOWN, -1, 0);
  stack_image_free(&img);
  if (m < 0)
    return kill_process(p, err, errlen, "cannot map the stack");
  struct vma *sv = vma_find(&p->mm->vmas, lo);
  if (sv)
    sv->kind = VMA_STACK;
  p->mm->stack_start = lo;

  uint64_t bias = 0;
  if (f->ehdr.e_type == ET_DYN && !f->has_interp) {
    /* A static PIE or ld.so run as a program: mmap's top-down area, with
     * the first segment's page as the hint (load_bias 0), aligned to the
     * largest p_align when that exceeds a page. */
    uint64_t align = (f->max_align + PAGE_SIZE - 1) & PAGE_MASK;
    r = load_topdown_bias(p, f, align > PAGE_SIZE ? 0 : f->load_min, align,
                          &bias);
    if (r)
      return kill_process(p, err, errlen, "no room for the program");
  } else {
    r = load_fixed_bias(f, &bias, err, errlen);
    if (r)
      return kill_process(p, err, errlen, err);
  }
  struct loaded_image exe;
  r = load_segments(p, f, pl->exe.fd, bias, &exe, err, errlen);
  if (r)
    return kill_process(p, err, errlen, err);

  /* brk starts at the page-aligned end of the program (Linux 6.x); an
   * ET_DYN without interpreter gets it at ELF_ET_DYN_BASE instead, away
   * from the mmap area it was loaded into. */
  uint64_t brk = exe.end;
  if (f->ehdr.e_type == ET_DYN && !f->has_interp)
    brk = LOAD_ET_DYN_BASE;
  p->mm->brk_start = p->mm->brk = (brk + PAGE_SIZE - 1) & PAGE_MASK;

  uint64_t entry = exe.entry, base = 0;
  if (pl->have_interp) {
    struct loaded_image in;
    r = interp_load(p, &pl->interp, exe.bias, &in, err, errlen);
    if (r)
      return kill_process(p, err, errlen, err);
    entry = in.entry;
    base = in.bias;
  }

  /* The vDSO goes next, top-down below the interpreter
   * (arch_setup_additional_pages). Without one (no image built in) the
   * program runs without AT_SYSINFO_EHDR, as with vdso=0 on Linux. */
  p->mm->vdso_base = 0;
  if (vdso_map(p) < 0)
    p->mm->vdso_base = 0;
  uint64_t vdso = p->mm->vdso_base;

  sa->aux.sysinfo_ehdr = vdso;
  sa->aux.phdr = exe.phdr;
  sa->aux.phnum = f->phnum;
  sa->aux.base = base;
  sa->aux.entry = exe.entry;
  r = stack_build(sa, &img);
  if (r)
    return kill_process(p, err, errlen, "cannot build the initial stack");
  r = copy_to_guest(&p->mmu, img.rsp, img.bytes, img.size);
  uint64_t rsp = img.rsp;
  stack_image_free(&img);
  if (r)
    return kill_process(p, err, errlen, "cannot write the initial stack");
  reset_cpu(p, entry, rsp);
  record_image(p, sa, &img);
  return 0;
}

int loader_exec(struct process *p, const char *path, char *const argv[],
                char *const envp[], char *err, size_t errlen) {
  return loader_execat(p, path, path, argv, envp, err, errlen);
}

int loader_execat(struct process *p, const char *host_path, const char *path,
                  char *const argv[], char *const envp[], char *err,
                  size_t errlen) {
  struct exec_plan pl = {0};
  pl.exe.fd = -1;
  /* Linux 5.18+: an empty argv becomes { "" }. */
  static char empty[] = "";
  int argc = 0, envc = 0;
  while (argv && argv[argc])
    argc++;
  while (envp && envp[envc])
    envc++;
  pl.argv = malloc(((size_t)argc + 2) * sizeof *pl.argv);
  if (!pl.argv) {
    snprintf(err, errlen, "out of memory");
    return -ENOMEM;
  }
  for (int k = 0; k < argc; k++)
    pl.argv[k] = argv[k];
  if (argc == 0)
    pl.argv[argc++] = empty;
  pl.argv[argc] = NULL;
  pl.argc = argc;
  pl.envc = envc;
  pl.envp = envp;

  struct stack_args sa = {
      .top = STACK_TOP, .execfn = path, .envc = envc, .envp = envp};
  sa.argc = pl.argc;
  sa.argv = pl.argv;
  int r = stack_check_limits(&sa);
  if (r) {
    snprintf(err, errlen, "argument list too long");
    free(pl.argv);
    return r;
  }
  r = plan_exec(&pl, host_path, path, err, errlen);
  /* A program at a fixed place must fit there. */
  uint64_t bias;
  if (r == 0 && (pl.elf.ehdr.e_type == ET_EXEC || pl.elf.has_interp))
    r = load_fixed_bias(&pl.elf, &bias, err, errlen);
  char resolved[sizeof p->mm->exe_path];
  /* The file is open, so a path realpath cannot resolve (a memfd behind
   * /proc/self/fd/N, a file deleted since) is kept as it was given. */
  if (r == 0 && !realpath(pl.file_path, resolved))
    snprintf(resolved, sizeof resolved, "%s", pl.file_path);
  if (r == 0) {
    sa.argc = pl.argc;
    sa.argv = pl.argv;
    r = stack_check_limits(&sa);
    if (r)
      snprintf(err, errlen, "argument list too long");
  }
  if (r) {
    plan_free(&pl);
    return r;
  }

  /* The point of no return (begin_new_exec): the other threads end
   * (de_thread). A vfork parent runs again from here (exec_mm_release). */
  thread_exec_zap(p);
  vfork_release(p);
  cpu_forget_code(&p->cpu);
  mm_clear(p);
  fd_close_on_exec(p);
  reset_process_state(p);
  snprintf(p->mm->exe_path, sizeof p->mm->exe_path, "%s", resolved);
  /* comm is the last part of the name execve was given, not of the file
   * it resolves to (begin_new_exec: kbasename(bprm->filename)): /bin/sh
   * runs as "sh" though it links to dash. */
  const char *base = strrchr(path, '/');
  snprintf(p->exec_name, sizeof p->exec_name, "%s", base ? base + 1 : path);
  random_bytes(p, sa.random);
  cpu_aux(&sa.aux);
  sa.aux.uid = getuid();
  sa.aux.euid = geteuid();
  sa.aux.gid = getgid();
  sa.aux.egid = getegid();
  sa.aux.rseq_feature_size = RSEQ_FEATURE_SIZE;
  sa.aux.rseq_align = RSEQ_ALIGN;
  r = build_image(p, &pl, &sa, err, errlen);
  plan_free(&pl);
  return r;
}
