/* PT_INTERP: the interpreter is opened and checked before the point of no
 * return, then mapped after the program. Linux's errors: open_exec's
 * (ENOENT, EACCES), ELIBBAD for an interpreter that is not an ELF of this
 * machine, EIO when its header cannot be read in full. */
#include "interp.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int interp_open(const char *path, struct interp *in, char *err, size_t errlen) {
  memset(in, 0, sizeof *in);
  in->file.fd = -1;
  char why[200];
  int r = loader_file_open(path, &in->file, why, sizeof why);
  if (r) {
    snprintf(err, errlen, "interpreter %s: %s", path, why);
    return r;
  }
  /* Linux reads the whole header before looking at it: a shorter file,
   * ELF or not, fails the read. */
  if (in->file.size < sizeof(Elf64_Ehdr)) {
    snprintf(err, errlen, "interpreter %s: shorter than an ELF header", path);
    interp_close(in);
    return -EIO;
  }
  r = elf_parse(in->file.data, in->file.size, &in->elf, why, sizeof why);
  if (r) {
    snprintf(err, errlen, "interpreter %s: %s", path, why);
    interp_close(in);
    return r == -ENOMEM ? r : -ELIBBAD;
  }
  return 0;
}

void interp_close(struct interp *in) {
  elf_free(&in->elf);
  loader_file_close(&in->file);
}

int interp_load(struct process *p, const struct interp *in, uint64_t exe_bias,
                struct loaded_image *out, char *err, size_t errlen) {
  const struct elf_file *f = &in->elf;
  uint64_t bias = 0;
  if (f->ehdr.e_type == ET_DYN) {
    /* load_elf_interp maps the first segment at load_addr + p_vaddr with
     * load_addr = -p_vaddr when the program itself was relocated (no
     * hint at all), else 0 (the interpreter's own p_vaddr as a hint).
     * Either way mmap's top-down search picks the place. */
    uint64_t hint = exe_bias ? 0 : f->load_min;
    int r = load_topdown_bias(p, f, hint, 0, &bias);
    if (r) {
      snprintf(err, errlen, "no room for the interpreter: %s", strerror(-r));
      return r;
    }
  }
  return load_segments(p, f, in->file.fd, bias, out, err, errlen);
}
