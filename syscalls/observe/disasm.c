/* Capstone, loaded on first use. Linked in, its shared library would be
 * relocated at every start of emu (83,000 relative relocations, about
 * 330 pages of tables copied: a third of the start-up cost of a short
 * guest program), though only --trace and crash reports use it. */
#include <capstone/capstone.h>
#include <dlfcn.h>
#include <stdbool.h>
#include <stdio.h>

#include "disasm.h"

struct capstone {
  cs_err (*open)(cs_arch, cs_mode, csh *);
  size_t (*disasm)(csh, const uint8_t *, size_t, uint64_t, size_t, cs_insn **);
  void (*free)(cs_insn *, size_t);
  csh handle;
  bool tried, ready;
};

static struct capstone cs;

/* dlsym returns an object pointer; the C standard has no conversion to a
 * function pointer, POSIX guarantees this one (dlsym(3)). */
#define RESOLVE(field, name) (*(void **)&cs.field = dlsym(lib, name)) != NULL

static bool capstone_load(void) {
  if (cs.tried)
    return cs.ready;
  cs.tried = true;
  void *lib = dlopen(EMU_CAPSTONE_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (!lib)
    return false;
  if (RESOLVE(open, "cs_open") && RESOLVE(disasm, "cs_disasm") &&
      RESOLVE(free, "cs_free") &&
      cs.open(CS_ARCH_X86, CS_MODE_64, &cs.handle) == CS_ERR_OK)
    cs.ready = true;
  /* The library stays loaded until exit: the trace may run long. */
  return cs.ready;
}

int disasm_one(const uint8_t *bytes, size_t n, uint64_t rip, char *text,
               size_t size) {
  if (!capstone_load())
    return 0;
  cs_insn *insn = NULL;
  size_t count = cs.disasm(cs.handle, bytes, n, rip, 1, &insn);
  if (!count)
    return 0;
  snprintf(text, size, "%s%s%s", insn[0].mnemonic, insn[0].op_str[0] ? " " : "",
           insn[0].op_str);
  int len = insn[0].size;
  cs.free(insn, count);
  return len;
}
