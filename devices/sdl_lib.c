/* SDL2 loaded at run time (sdl_lib.h says why). */
#include "sdl_lib.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <stdio.h>

/* The soname of Debian's libsdl2-2.0-0 (SDL2's ABI since 2.0.0). */
#define SDL_LIB_SONAME "libSDL2-2.0.so.0"

static struct sdl_lib lib;
static bool loaded;

const struct sdl_lib *sdl_lib_load(char *why, size_t len) {
  if (loaded)
    return &lib;
  void *h = dlopen(SDL_LIB_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    snprintf(why, len, "cannot load SDL2: %s", dlerror());
    return NULL;
  }
  /* dlsym gives a void *: stored through the pointer's own storage, the
   * form POSIX's dlsym page gives (ISO C has no object-to-function
   * pointer conversion). */
#define SDL_LIB_RESOLVE(name)                                                  \
  {                                                                            \
    void *sym = dlsym(h, #name);                                               \
    if (!sym) {                                                                \
      snprintf(why, len, "SDL2 lacks %s", #name);                              \
      dlclose(h);                                                              \
      return NULL;                                                             \
    }                                                                          \
    *(void **)&lib.name = sym;                                                 \
  }
  SDL_LIB_FUNCTIONS(SDL_LIB_RESOLVE)
#undef SDL_LIB_RESOLVE
  loaded = true; /* the handle stays open: SDL lives until emu exits */
  return &lib;
}
