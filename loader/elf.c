/* ELF64 parsing and validation (the checks of Linux's load_elf_binary and
 * load_elf_phdrs, plus a few stricter ones done up front so that a bad
 * file fails execve cleanly instead of killing the process after the
 * point of no return). Every field is read with memcpy and range-checked
 * with overflow-safe arithmetic before it is used. */
#include "elf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../syscalls/process.h"

static int fail(char *err, size_t errlen, int code, const char *fmt, ...) {
  if (err && errlen) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
  }
  return code;
}

const char *elf_machine_name(unsigned machine) {
  switch (machine) {
  case EM_386: return "i386";
  case EM_X86_64: return "x86-64";
  case EM_AARCH64: return "aarch64";
  case EM_ARM: return "arm";
  case EM_RISCV: return "riscv";
  case EM_PPC: return "powerpc";
  case EM_PPC64: return "powerpc64";
  case EM_S390: return "s390";
  case EM_MIPS: return "mips";
  case EM_SPARCV9: return "sparc64";
  case 258: return "loongarch"; /* EM_LOONGARCH, absent from old elf.h */
  default: return NULL;
  }
}

/* a + b <= limit without overflow. */
static bool fits(uint64_t a, uint64_t b, uint64_t limit) {
  return a <= limit && b <= limit - a;
}

static int check_header(const uint8_t *data, size_t size, Elf64_Ehdr *h,
                        char *err, size_t errlen) {
  if (size == 0)
    return fail(err, errlen, -ENOEXEC, "empty file");
  if (size < SELFMAG || memcmp(data, ELFMAG, SELFMAG) != 0)
    return fail(err, errlen, -ENOEXEC, "not an ELF file");
  if (size < EI_NIDENT)
    return fail(err, errlen, -ENOEXEC, "truncated ELF header");
  if (data[EI_CLASS] == ELFCLASS32)
    return fail(err, errlen, -ENOEXEC, "32-bit ELF is not supported");
  if (data[EI_CLASS] != ELFCLASS64)
    return fail(err, errlen, -ENOEXEC, "bad ELF class %u", data[EI_CLASS]);
  if (data[EI_DATA] != ELFDATA2LSB)
    return fail(err, errlen, -ENOEXEC, "big-endian ELF is not supported");
  if (size < sizeof *h)
    return fail(err, errlen, -ENOEXEC, "truncated ELF header");
  memcpy(h, data, sizeof *h);
  if (h->e_type != ET_EXEC && h->e_type != ET_DYN)
    return fail(err, errlen, -ENOEXEC,
                h->e_type == ET_REL    ? "relocatable object, not executable"
                : h->e_type == ET_CORE ? "core file, not executable"
                                       : "not an executable (ELF type %u)",
                h->e_type);
  if (h->e_machine != EM_X86_64) {
    const char *m = elf_machine_name(h->e_machine);
    if (m)
      return fail(err, errlen, -ENOEXEC, "ELF for another machine (%s)", m);
    return fail(err, errlen, -ENOEXEC, "ELF for another machine (%u)",
                h->e_machine);
  }
  if (h->e_phentsize != sizeof(Elf64_Phdr))
    return fail(err, errlen, -ENOEXEC, "bad program header size %u",
                h->e_phentsize);
  uint64_t bytes = (uint64_t)h->e_phnum * sizeof(Elf64_Phdr);
  if (h->e_phnum == 0 || bytes > ELF_PHDRS_MAX_BYTES)
    return fail(err, errlen, -ENOEXEC, "bad program header count %u",
                h->e_phnum);
  if (!fits(h->e_phoff, bytes, size))
    return fail(err, errlen, -ENOEXEC,
                "program headers extend past end of file");
  return 0;
}

/* PT_INTERP: Linux wants 2..PATH_MAX bytes inside the file ending in a
 * NUL, and uses the string up to its first NUL. */
static int take_interp(const uint8_t *data, size_t size, const Elf64_Phdr *ph,
                       struct elf_file *f, char *err, size_t errlen) {
  if (ph->p_filesz < 2 || ph->p_filesz > ELF_INTERP_MAX)
    return fail(err, errlen, -ENOEXEC, "bad PT_INTERP size %llu",
                (unsigned long long)ph->p_filesz);
  if (!fits(ph->p_offset, ph->p_filesz, size))
    return fail(err, errlen, -ENOEXEC, "PT_INTERP extends past end of file");
  const uint8_t *s = data + ph->p_offset;
  if (s[ph->p_filesz - 1] != 0)
    return fail(err, errlen, -ENOEXEC, "PT_INTERP is not NUL-terminated");
  memcpy(f->interp, s, ph->p_filesz);
  if (f->interp[0] == 0)
    return fail(err, errlen, -ENOEXEC, "PT_INTERP is empty");
  f->has_interp = true;
  return 0;
}

/* One PT_LOAD against the file size, user space and the previous one. */
static int check_load(const Elf64_Ehdr *h, const Elf64_Phdr *ph, int k,
                      size_t size, uint64_t prev_end, bool have_prev, char *err,
                      size_t errlen) {
  if (ph->p_filesz > ph->p_memsz)
    return fail(err, errlen, -EINVAL, "segment %d: p_filesz > p_memsz", k);
  if (ph->p_filesz && !fits(ph->p_offset, ph->p_filesz, size))
    return fail(err, errlen, -ENOEXEC, "segment %d extends past end of file",
                k);
  /* mmap needs the file offset and the address equal modulo a page. */
  if (ph->p_filesz && ((ph->p_offset ^ ph->p_vaddr) & ~PAGE_MASK))
    return fail(err, errlen, -EINVAL,
                "segment %d: p_offset and p_vaddr differ modulo the page "
                "size",
                k);
  if (!fits(ph->p_vaddr, ph->p_memsz, USER_TOP))
    return fail(err, errlen, -EINVAL, "segment %d lies beyond user space", k);
  /* mmap refuses fixed addresses below vm.mmap_min_addr (64 KiB). */
  if (h->e_type == ET_EXEC && ph->p_memsz && ph->p_vaddr < ELF_MIN_VADDR)
    return fail(err, errlen, -EPERM, "segment %d lies below mmap_min_addr", k);
  /* The ELF spec sorts PT_LOAD by p_vaddr; sharing a page is fine (the
   * later mapping wins, as with Linux's MAP_FIXED), overlapping is not. */
  if (have_prev && ph->p_vaddr < prev_end)
    return fail(err, errlen, -ENOEXEC,
                "segment %d overlaps or precedes the one before it", k);
  return 0;
}

int elf_parse(const uint8_t *data, size_t size, struct elf_file *f, char *err,
              size_t errlen) {
  memset(f, 0, sizeof *f);
  int r = check_header(data, size, &f->ehdr, err, errlen);
  if (r)
    return r;
  const Elf64_Ehdr *h = &f->ehdr;
  f->phnum = h->e_phnum;
  f->phdrs = malloc((size_t)f->phnum * sizeof *f->phdrs);
  if (!f->phdrs)
    return fail(err, errlen, -ENOMEM, "out of memory");
  memcpy(f->phdrs, data + h->e_phoff, (size_t)f->phnum * sizeof *f->phdrs);

  uint64_t prev_end = 0;
  for (int k = 0; k < f->phnum && r == 0; k++) {
    const Elf64_Phdr *ph = &f->phdrs[k];
    switch (ph->p_type) {
    case PT_INTERP:
      /* Linux uses the first PT_INTERP only. */
      if (!f->has_interp)
        r = take_interp(data, size, ph, f, err, errlen);
      break;
    case PT_GNU_STACK: f->exec_stack = (ph->p_flags & PF_X) != 0; break;
    case PT_LOAD:
      r = check_load(h, ph, k, size, prev_end, f->nload > 0, err, errlen);
      if (r)
        break;
      if (f->nload == 0)
        f->load_min = ph->p_vaddr & PAGE_MASK;
      prev_end = ph->p_vaddr + ph->p_memsz;
      if (prev_end > f->load_end)
        f->load_end = prev_end;
      /* Linux's maximum_alignment ignores values that are not powers of
       * two. */
      if (ph->p_align && !(ph->p_align & (ph->p_align - 1)) &&
          ph->p_align > f->max_align)
        f->max_align = ph->p_align;
      f->nload++;
      break;
    default: break;
    }
  }
  if (r == 0 && f->nload == 0)
    r = fail(err, errlen, -ENOEXEC, "no loadable segments");
  if (r == 0 && h->e_type == ET_EXEC && h->e_entry >= USER_TOP)
    r = fail(err, errlen, -EINVAL, "entry point beyond user space");
  /* A position-independent image must fit in user space as a whole. */
  if (r == 0 && h->e_type == ET_DYN && f->load_end - f->load_min > USER_TOP / 2)
    r = fail(err, errlen, -EINVAL, "loadable segments span too much memory");
  if (r)
    elf_free(f);
  return r;
}

void elf_free(struct elf_file *f) {
  free(f->phdrs);
  f->phdrs = NULL;
}
