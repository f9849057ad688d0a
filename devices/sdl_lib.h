/* SDL2, loaded when the first window opens (dlopen), not when emu
 * starts: linked in, its 50 libraries (X11, Wayland, PulseAudio, …)
 * cost every run about 11 ms of loading and relocation and 390 host
 * page faults, four times what `/bin/true` itself takes natively, for
 * a window most runs never open. The headers still give the types and
 * the prototypes the pointers are declared from. */
#ifndef EMU_SDL_LIB_H
#define EMU_SDL_LIB_H

#include <SDL.h>
#include <stddef.h>

#define SDL_LIB_FUNCTIONS(X)                                                   \
  X(SDL_SetHint)                                                               \
  X(SDL_Init)                                                                  \
  X(SDL_Quit)                                                                  \
  X(SDL_GetError)                                                              \
  X(SDL_GetCurrentVideoDriver)                                                 \
  X(SDL_CreateWindow)                                                          \
  X(SDL_DestroyWindow)                                                         \
  X(SDL_CreateRenderer)                                                        \
  X(SDL_DestroyRenderer)                                                       \
  X(SDL_CreateTexture)                                                         \
  X(SDL_DestroyTexture)                                                        \
  X(SDL_UpdateTexture)                                                         \
  X(SDL_SetRenderDrawColor)                                                    \
  X(SDL_RenderClear)                                                           \
  X(SDL_RenderCopy)                                                            \
  X(SDL_RenderPresent)                                                         \
  X(SDL_RenderSetLogicalSize)                                                  \
  X(SDL_PollEvent)

struct sdl_lib {
#define SDL_LIB_POINTER(name) __typeof__(name) *name;
  SDL_LIB_FUNCTIONS(SDL_LIB_POINTER)
#undef SDL_LIB_POINTER
};

/* The library's functions, loaded on the first call (once: the display
 * thread is the only caller); NULL with the reason in `why` when the
 * library or one of its functions cannot be found. */
const struct sdl_lib *sdl_lib_load(char *why, size_t len);

#endif
