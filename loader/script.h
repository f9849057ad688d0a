/* `#!` scripts (Linux's fs/binfmt_script.c). */
#ifndef EMU_LOADER_SCRIPT_H
#define EMU_LOADER_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Linux reads the first BINPRM_BUF_SIZE bytes of a file to recognise it. */
#define SCRIPT_BUF_SIZE 256
/* exec_binprm gives up with ELOOP after this many nested interpreters. */
#define SCRIPT_MAX_DEPTH 5

struct script_line {
  char interp[SCRIPT_BUF_SIZE]; /* the interpreter path */
  char arg[SCRIPT_BUF_SIZE];    /* its optional single argument */
  bool has_arg;
};

/* True when the file starts with "#!". */
bool script_is_script(const uint8_t *head, size_t n);

/* Parse the "#!" line from the first n bytes of a file as Linux does:
 * the interpreter path, then everything after the following blanks up to
 * the end of the line (trailing blanks trimmed) as one argument. Returns
 * 0 or -ENOEXEC (no interpreter, or a path that may be truncated). */
int script_parse(const uint8_t *head, size_t n, struct script_line *out);

#endif
