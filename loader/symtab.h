/* ELF symbol tables for symbol+offset in traces and crash reports. */
#ifndef EMU_SYMTAB_H
#define EMU_SYMTAB_H

#include <stddef.h>
#include <stdint.h>

struct symbol {
  uint64_t addr, size;
  char *name;
};

struct symtab {
  struct symbol *v;
  size_t n;
  uint64_t vaddr_minus_offset; /* of the first PT_LOAD: locates the bias */
};

struct symtab *symtab_load(const char *path); /* never NULL unless OOM */
void symtab_free(struct symtab *st);
/* The symbol containing addr (file virtual address), or the nearest
 * below it; NULL if none. */
const struct symbol *symtab_lookup(const struct symtab *st, uint64_t addr);

#endif
