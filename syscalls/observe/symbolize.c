/* Address → "symbol+offset" for --trace and crash reports, using the
 * symbol table of whichever file maps the address. Tables are loaded
 * once per file and kept for the life of emu. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../loader/symtab.h"
#include "../process.h"

struct loaded {
  char *path;
  struct symtab *st;
};

static struct loaded *cache;
static size_t cache_n;

static struct symtab *symtab_for(const char *path) {
  for (size_t k = 0; k < cache_n; k++)
    if (!strcmp(cache[k].path, path))
      return cache[k].st;
  struct loaded *c = realloc(cache, (cache_n + 1) * sizeof *c);
  if (!c)
    return NULL;
  cache = c;
  cache[cache_n].path = strdup(path);
  cache[cache_n].st = symtab_load(path);
  return cache[cache_n++].st;
}

void symbolize_free_all(void) {
  for (size_t k = 0; k < cache_n; k++) {
    free(cache[k].path);
    symtab_free(cache[k].st);
  }
  free(cache);
  cache = NULL;
  cache_n = 0;
}

/* Writes "name+0xoff" into buf, or "" when nothing is known. */
const char *symbolize(struct process *p, uint64_t addr, char *buf,
                      size_t size) {
  buf[0] = 0;
  struct vma *v = vma_find(&p->mm->vmas, addr);
  if (!v || !v->file || !v->file->path[0])
    return buf;
  struct symtab *st = symtab_for(v->file->path);
  if (!st || !st->n)
    return buf;
  /* The file's first PT_LOAD is at vaddr V and offset O; this VMA maps
   * file offset v->offset at v->start, which fixes the load bias. */
  uint64_t bias = v->start - v->offset - st->vaddr_minus_offset;
  const struct symbol *s = symtab_lookup(st, addr - bias);
  if (!s)
    return buf;
  uint64_t off = addr - bias - s->addr;
  if (off)
    snprintf(buf, size, "%s+0x%llx", s->name, (unsigned long long)off);
  else
    snprintf(buf, size, "%s", s->name);
  return buf;
}
