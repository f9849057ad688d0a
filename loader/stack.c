/* The initial stack, laid out exactly as Linux 6.x does it with ASLR off.
 * From the top of the stack VMA down:
 *   8 zero bytes (bprm->p starts one pointer below the VMA end),
 *   the execfn string, the envp strings, the argv strings (copy_strings
 *   copies the last string first, so each vector reads forwards),
 *   alignment to 16 (arch_align_stack without randomization),
 *   the AT_PLATFORM string "x86_64", the 16 AT_RANDOM bytes,
 *   padding, then auxv, envp[], argv[] and argc at a 16-byte aligned
 *   rsp (STACK_ROUND in create_elf_tables). */
#include "stack.h"

#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#ifndef AT_RSEQ_FEATURE_SIZE
#define AT_RSEQ_FEATURE_SIZE 27
#define AT_RSEQ_ALIGN 28
#endif
#ifndef AT_MINSIGSTKSZ
#define AT_MINSIGSTKSZ 51
#endif

#define PLATFORM "x86_64" /* ELF_PLATFORM on x86-64 */
#define AUXV_MAX 32       /* pairs, AT_NULL included */

int stack_check_limits(const struct stack_args *a) {
  /* bprm_stack_limits: the pointers count first, then every string
   * including the execfn must fit in what is left. */
  uint64_t limit = STACK_ARGS_LIMIT;
  uint64_t ptrs = ((uint64_t)(a->argc > 0 ? a->argc : 1) + a->envc) * 8;
  if (limit <= ptrs)
    return -E2BIG;
  limit -= ptrs;
  uint64_t used = strlen(a->execfn) + 1;
  for (int k = 0; k < a->argc + a->envc; k++) {
    const char *s = k < a->argc ? a->argv[k] : a->envp[k - a->argc];
    size_t n = strlen(s) + 1;
    if (n > STACK_ARG_STRLEN_MAX)
      return -E2BIG;
    used += n;
    if (used > limit)
      return -E2BIG;
  }
  return used > limit ? -E2BIG : 0;
}

struct layout {
  uint8_t *buf;
  uint64_t base; /* guest address of buf[0] */
};

static void put_bytes(struct layout *l, uint64_t addr, const void *src,
                      size_t n) {
  memcpy(l->buf + (addr - l->base), src, n);
}

static void put64(struct layout *l, uint64_t addr, uint64_t v) {
  put_bytes(l, addr, &v, 8);
}

/* Push a string below *sp; returns its address. */
static uint64_t push_string(struct layout *l, uint64_t *sp, const char *s) {
  size_t n = strlen(s) + 1;
  *sp -= n;
  put_bytes(l, *sp, s, n);
  return *sp;
}

/* The auxiliary vector in create_elf_tables' order (ARCH_DLINFO first). */
static int make_auxv(const struct stack_args *a, const struct stack_image *img,
                     uint64_t *v) {
  const struct stack_aux *x = &a->aux;
  int n = 0;
#define AUX(type, val) (v[n++] = (type), v[n++] = (val))
  if (x->sysinfo_ehdr)
    AUX(AT_SYSINFO_EHDR, x->sysinfo_ehdr);
  AUX(AT_MINSIGSTKSZ, x->minsigstksz);
  AUX(AT_HWCAP, x->hwcap);
  AUX(AT_PAGESZ, 4096);
  AUX(AT_CLKTCK, 100); /* USER_HZ */
  AUX(AT_PHDR, x->phdr);
  AUX(AT_PHENT, sizeof(Elf64_Phdr));
  AUX(AT_PHNUM, x->phnum);
  AUX(AT_BASE, x->base);
  AUX(AT_FLAGS, 0);
  AUX(AT_ENTRY, x->entry);
  AUX(AT_UID, x->uid);
  AUX(AT_EUID, x->euid);
  AUX(AT_GID, x->gid);
  AUX(AT_EGID, x->egid);
  AUX(AT_SECURE, 0);
  AUX(AT_RANDOM, img->random);
  AUX(AT_HWCAP2, x->hwcap2);
  AUX(AT_EXECFN, img->execfn);
  AUX(AT_PLATFORM, img->platform);
  if (x->rseq_feature_size) {
    AUX(AT_RSEQ_FEATURE_SIZE, x->rseq_feature_size);
    AUX(AT_RSEQ_ALIGN, x->rseq_align);
  }
  AUX(AT_NULL, 0);
#undef AUX
  return n;
}

int stack_build(const struct stack_args *a, struct stack_image *out) {
  memset(out, 0, sizeof *out);
  if (a->argc < 0 || a->envc < 0)
    return -E2BIG;
  size_t strings = 8 + strlen(a->execfn) + 1;
  for (int k = 0; k < a->argc; k++)
    strings += strlen(a->argv[k]) + 1;
  for (int k = 0; k < a->envc; k++)
    strings += strlen(a->envp[k]) + 1;
  size_t items = (size_t)a->argc + 1 + (size_t)a->envc + 1 + 1;
  size_t bound =
      strings + 16 + sizeof PLATFORM + 16 + AUXV_MAX * 16 + items * 8 + 16;
  if (strings > STACK_ARGS_LIMIT * 2 || bound > a->top)
    return -E2BIG;

  struct layout l = {calloc(1, bound), a->top - bound};
  if (!l.buf)
    return -ENOMEM;
  uint64_t sp = a->top - 8;
  out->execfn = push_string(&l, &sp, a->execfn);
  uint64_t *env = malloc(((size_t)a->envc + (size_t)a->argc + 1) * 8);
  if (!env) {
    free(l.buf);
    return -ENOMEM;
  }
  uint64_t *arg = env + a->envc;
  for (int k = a->envc - 1; k >= 0; k--)
    env[k] = push_string(&l, &sp, a->envp[k]);
  for (int k = a->argc - 1; k >= 0; k--)
    arg[k] = push_string(&l, &sp, a->argv[k]);
  out->strings_start = sp;

  sp &= ~15ull;
  out->platform = push_string(&l, &sp, PLATFORM);
  sp -= 16;
  out->random = sp;
  put_bytes(&l, sp, a->random, 16);

  uint64_t auxv[AUXV_MAX * 2];
  int nwords = make_auxv(a, out, auxv);
  sp -= (uint64_t)nwords * 8;
  uint64_t rsp = (sp - items * 8) & ~15ull;

  uint64_t at = rsp;
  put64(&l, at, (uint64_t)a->argc);
  at += 8;
  for (int k = 0; k < a->argc; k++, at += 8)
    put64(&l, at, arg[k]);
  put64(&l, at, 0);
  at += 8;
  for (int k = 0; k < a->envc; k++, at += 8)
    put64(&l, at, env[k]);
  put64(&l, at, 0);
  at += 8;
  out->auxv = at;
  put_bytes(&l, at, auxv, (size_t)nwords * 8);
  free(env);

  out->buf = l.buf;
  out->rsp = rsp;
  out->bytes = l.buf + (rsp - l.base);
  out->size = a->top - rsp;
  return 0;
}

void stack_image_free(struct stack_image *img) {
  free(img->buf);
  img->buf = NULL;
  img->bytes = NULL;
}
