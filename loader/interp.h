/* The program interpreter named by PT_INTERP (ld-linux-x86-64.so.2). */
#ifndef EMU_LOADER_INTERP_H
#define EMU_LOADER_INTERP_H

#include <stddef.h>

#include "elf.h"
#include "file.h"
#include "load.h"

struct interp {
  struct loader_file file;
  struct elf_file elf;
};

/* Open and validate the interpreter before the point of no return, as
 * load_elf_binary does: -ENOENT (or open's error) when it cannot be
 * opened, -ELIBBAD when it is not an x86-64 ELF executable or shared
 * object, -EIO when its header is cut short. */
int interp_open(const char *path, struct interp *in, char *err, size_t errlen);
void interp_close(struct interp *in);

/* Map it top-down in the mmap area as load_elf_interp does. exe_bias is
 * the program's load bias (Linux's no_base). Returns 0 or -errno. */
int interp_load(struct process *p, const struct interp *in, uint64_t exe_bias,
                struct loaded_image *out, char *err, size_t errlen);

#endif
