/* Guest images built from source at build time and embedded into emu
 * (roms/CMakeLists.txt): sample guests such as `hello`, later the vDSO. */
#ifndef EMU_ROMS_H
#define EMU_ROMS_H
#include <stddef.h>

struct rom {
  const char *name;
  const unsigned char *data;
  size_t size;
};

/* The image called `name`, or NULL. */
const struct rom *rom_find(const char *name);

/* Every embedded image, ended by an entry whose name is NULL
 * (generated into the build tree as roms_table.c). */
extern const struct rom roms_table[];

#endif
