/* Lookup of the embedded guest images; their bytes live in the generated
 * roms_table.c (roms/embed_roms.c). */
#include "roms.h"

#include <string.h>

const struct rom *rom_find(const char *name) {
  for (const struct rom *r = roms_table; r->name; r++)
    if (strcmp(r->name, name) == 0)
      return r;
  return NULL;
}
