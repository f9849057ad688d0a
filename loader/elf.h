/* An ELF64 image as the loader sees it once every field it uses has been
 * checked: the header, a private copy of the program headers, and the
 * facts load_elf_binary derives from them (PT_INTERP, PT_GNU_STACK, the
 * span and alignment of the PT_LOAD segments). elf_parse trusts nothing
 * in the bytes it is given. */
#ifndef EMU_LOADER_ELF_H
#define EMU_LOADER_ELF_H

#include <elf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Linux's load_elf_phdrs refuses a program-header table above 64 KiB. */
#define ELF_PHDRS_MAX_BYTES 65536u
/* Linux (fs/binfmt_elf.c) accepts PT_INTERP sizes in [2, PATH_MAX]. */
#define ELF_INTERP_MAX 4096u
/* vm.mmap_min_addr's default: no fixed mapping may go lower. */
#define ELF_MIN_VADDR 0x10000ull

struct elf_file {
  Elf64_Ehdr ehdr;
  Elf64_Phdr *phdrs; /* ehdr.e_phnum entries, malloc'd */
  int phnum;
  int nload;          /* PT_LOAD count (at least 1) */
  uint64_t load_min;  /* page start of the lowest PT_LOAD */
  uint64_t load_end;  /* highest p_vaddr + p_memsz */
  uint64_t max_align; /* largest power-of-two PT_LOAD p_align */
  bool has_interp;
  char interp[ELF_INTERP_MAX]; /* PT_INTERP path, NUL-terminated */
  bool exec_stack;             /* PT_GNU_STACK with PF_X */
};

/* Parse and validate an ELF64 x86-64 executable or shared object held in
 * data[0..size) (the whole file). Returns 0, or -errno (-ENOEXEC for a
 * file that is not a loadable x86-64 ELF, -EINVAL for segment values
 * Linux refuses when mapping) with a one-line reason in err. On success
 * elf_free must be called. */
int elf_parse(const uint8_t *data, size_t size, struct elf_file *out, char *err,
              size_t errlen);
void elf_free(struct elf_file *f);

/* The name of an ELF machine for messages ("aarch64"), or NULL. */
const char *elf_machine_name(unsigned machine);

#endif
