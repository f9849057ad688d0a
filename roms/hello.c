/* The bundled sample guest: `./emu hello` runs this program, built with
 * the host's gcc as a static x86-64 ELF and embedded into emu. */
#include <stdio.h>

int main(void) {
  puts("Hello from emu!");
  return 0;
}
