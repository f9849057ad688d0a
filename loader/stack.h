/* The initial process stack as Linux's execve leaves it (fs/exec.c
 * copy_strings, fs/binfmt_elf.c create_elf_tables), built in a host
 * buffer so that it can be checked byte by byte and then copied into the
 * guest in one go. */
#ifndef EMU_LOADER_STACK_H
#define EMU_LOADER_STACK_H

#include <stddef.h>
#include <stdint.h>

/* Linux's limits on execve arguments (include/uapi/linux/binfmts.h and
 * bprm_stack_limits): 32 pages per string, and argv+envp (strings and
 * pointers) within a quarter of the 8 MiB RLIMIT_STACK. */
#define STACK_ARG_STRLEN_MAX (32 * 4096)
#define STACK_ARGS_LIMIT ((8u << 20) / 4)

/* The auxiliary vector's values that depend on the image and the host. */
struct stack_aux {
  uint64_t sysinfo_ehdr; /* vDSO base; 0 leaves AT_SYSINFO_EHDR out */
  uint64_t minsigstksz;
  uint64_t hwcap, hwcap2;
  uint64_t phdr, phnum; /* AT_PHENT is always sizeof(Elf64_Phdr) */
  uint64_t base;        /* interpreter load address, 0 without one */
  uint64_t entry;       /* the program's entry, not the interpreter's */
  uint64_t uid, euid, gid, egid;
  uint64_t rseq_feature_size, rseq_align; /* 0 leaves them out */
};

struct stack_args {
  uint64_t top;       /* end of the stack VMA (STACK_TOP) */
  const char *execfn; /* the path given to execve: AT_EXECFN */
  int argc, envc;
  char *const *argv, *const *envp;
  uint8_t random[16]; /* AT_RANDOM bytes */
  struct stack_aux aux;
};

struct stack_image {
  uint8_t *buf;           /* allocation; free with stack_image_free */
  const uint8_t *bytes;   /* the image of guest memory [rsp, top) */
  size_t size;            /* top - rsp */
  uint64_t rsp;           /* &argc, 16-byte aligned */
  uint64_t strings_start; /* lowest byte of the argv strings */
  uint64_t auxv, random, platform, execfn; /* guest addresses */
};

/* Check argv/envp against Linux's limits before the point of no return:
 * 0 or -E2BIG. */
int stack_check_limits(const struct stack_args *a);

/* Lay out the stack. Returns 0, -E2BIG or -ENOMEM. */
int stack_build(const struct stack_args *a, struct stack_image *out);
void stack_image_free(struct stack_image *img);

#endif
