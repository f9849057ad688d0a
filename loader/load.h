/* Mapping an ELF image's PT_LOAD segments into a process (the mapping
 * half of Linux's load_elf_binary and load_elf_interp). */
#ifndef EMU_LOADER_LOAD_H
#define EMU_LOADER_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "../syscalls/process.h"
#include "elf.h"

/* ELF_ET_DYN_BASE on x86-64: two thirds of the 47-bit user space, where
 * a PIE goes (page-aligned down, so 0x555555554000, with ASLR off). */
#define LOAD_ET_DYN_BASE (((1ull << 47) - 4096) / 3 * 2)

/* Where an image ended up. */
struct loaded_image {
  uint64_t bias;  /* load_bias: added to every p_vaddr */
  uint64_t entry; /* e_entry + bias */
  uint64_t phdr;  /* address of the program headers (AT_PHDR) */
  uint64_t end;   /* highest p_vaddr + p_memsz, plus bias */
};

/* The bias of an image Linux places at a fixed address: 0 for ET_EXEC,
 * ELF_ET_DYN_BASE (aligned to the largest p_align) for a PIE with an
 * interpreter. Before the point of no return: checks that the image
 * fits below USER_TOP. Returns 0 or -errno with a reason. */
int load_fixed_bias(const struct elf_file *f, uint64_t *bias, char *err,
                    size_t errlen);

/* The bias of an image placed by mmap's top-down search (a static PIE,
 * ld.so run as a program, an interpreter): the whole span is reserved
 * with `hint` as mmap's hint, then released. Returns 0 or -errno. */
int load_topdown_bias(struct process *p, const struct elf_file *f,
                      uint64_t hint, uint64_t align, uint64_t *bias);

/* Map every PT_LOAD of f from host_fd at bias (Linux's elf_load: file
 * pages, the zeroed tail of the last file page, anonymous pages for the
 * rest of the bss) and describe the result. Returns 0 or -errno. */
int load_segments(struct process *p, const struct elf_file *f, int host_fd,
                  uint64_t bias, struct loaded_image *out, char *err,
                  size_t errlen);

#endif
