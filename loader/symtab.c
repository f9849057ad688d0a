/* Symbol tables of ELF files, for --trace and crash reports: function
 * and object symbols from .symtab (or .dynsym when stripped), sorted by
 * address. Every offset read from the file is bounds-checked. */
#include <elf.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "symtab.h"

static int by_address(const void *a, const void *b) {
  const struct symbol *x = a, *y = b;
  return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int in_file(uint64_t off, uint64_t len, uint64_t size) {
  return off <= size && len <= size - off;
}

static void load_section(struct symtab *st, const uint8_t *file, size_t size,
                         const Elf64_Shdr *sh, const Elf64_Shdr *strsh) {
  if (!in_file(sh->sh_offset, sh->sh_size, size) ||
      !in_file(strsh->sh_offset, strsh->sh_size, size) ||
      sh->sh_entsize != sizeof(Elf64_Sym))
    return;
  size_t n = sh->sh_size / sizeof(Elf64_Sym);
  const char *strings = (const char *)file + strsh->sh_offset;
  struct symbol *v = realloc(st->v, (st->n + n) * sizeof *v);
  if (!v)
    return;
  st->v = v;
  for (size_t k = 0; k < n; k++) {
    Elf64_Sym s;
    memcpy(&s, file + sh->sh_offset + k * sizeof s, sizeof s);
    int type = ELF64_ST_TYPE(s.st_info);
    /* Functions and objects, and the untyped labels of hand-written
     * assembly (_start), but not section, file or absolute symbols. */
    bool label = type == STT_NOTYPE && s.st_shndx != SHN_UNDEF &&
                 s.st_shndx < SHN_LORESERVE;
    if ((type != STT_FUNC && type != STT_OBJECT && !label) || !s.st_value ||
        s.st_name >= strsh->sh_size)
      continue;
    const char *name = strings + s.st_name;
    size_t max = strsh->sh_size - s.st_name;
    size_t len = strnlen(name, max);
    if (len == max || len == 0)
      continue;
    st->v[st->n].addr = s.st_value;
    st->v[st->n].size = s.st_size;
    st->v[st->n].name = strndup(name, len);
    if (st->v[st->n].name)
      st->n++;
  }
}

static void load_elf(struct symtab *st, const uint8_t *file, size_t size) {
  Elf64_Ehdr eh;
  if (size < sizeof eh)
    return;
  memcpy(&eh, file, sizeof eh);
  if (memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
      eh.e_ident[EI_CLASS] != ELFCLASS64 ||
      eh.e_shentsize != sizeof(Elf64_Shdr) ||
      !in_file(eh.e_shoff, (uint64_t)eh.e_shnum * sizeof(Elf64_Shdr), size))
    return;
  const Elf64_Shdr *sh = (const Elf64_Shdr *)(file + eh.e_shoff);
  for (int want = SHT_SYMTAB; want >= 0;
       want = want == SHT_SYMTAB ? SHT_DYNSYM : -1) {
    for (int k = 0; k < eh.e_shnum; k++)
      if ((int)sh[k].sh_type == want && sh[k].sh_link < eh.e_shnum)
        load_section(st, file, size, &sh[k], &sh[sh[k].sh_link]);
    if (st->n)
      break;
  }
  for (int k = 0;
       k < eh.e_phnum &&
       in_file(eh.e_phoff, (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr), size);
       k++) {
    Elf64_Phdr ph;
    memcpy(&ph, file + eh.e_phoff + k * sizeof ph, sizeof ph);
    if (ph.p_type == PT_LOAD) {
      st->vaddr_minus_offset = ph.p_vaddr - ph.p_offset;
      break;
    }
  }
  qsort(st->v, st->n, sizeof *st->v, by_address);
}

struct symtab *symtab_load(const char *path) {
  struct symtab *st = calloc(1, sizeof *st);
  if (!st)
    return NULL;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  struct stat sb;
  if (fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0) {
    void *file = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (file != MAP_FAILED) {
      load_elf(st, file, (size_t)sb.st_size);
      munmap(file, (size_t)sb.st_size);
    }
  }
  if (fd >= 0)
    close(fd);
  return st;
}

void symtab_free(struct symtab *st) {
  if (!st)
    return;
  for (size_t k = 0; k < st->n; k++)
    free(st->v[k].name);
  free(st->v);
  free(st);
}

const struct symbol *symtab_lookup(const struct symtab *st, uint64_t addr) {
  size_t lo = 0, hi = st->n;
  while (lo < hi) { /* first symbol above addr */
    size_t mid = (lo + hi) / 2;
    if (st->v[mid].addr <= addr)
      lo = mid + 1;
    else
      hi = mid;
  }
  /* The nearest symbol at or below addr, as gdb's <f+off> shows it. */
  return lo ? &st->v[lo - 1] : NULL;
}
