/* The "#!" line, parsed as Linux 6.x's load_script does: only the first
 * SCRIPT_BUF_SIZE bytes are looked at; the interpreter path must not be
 * truncated (a newline, or a blank or NUL after it, must be seen), while
 * the argument may be. */
#include "script.h"

#include <errno.h>
#include <string.h>

static bool blank(char c) { return c == ' ' || c == '\t'; }
static bool terminator(char c) { return blank(c) || c == 0; }

static const char *skip_blanks(const char *s, const char *end) {
  while (s < end && blank(*s))
    s++;
  return s < end ? s : NULL;
}

static const char *find_terminator(const char *s, const char *end) {
  while (s < end && !terminator(*s))
    s++;
  return s < end ? s : NULL;
}

bool script_is_script(const uint8_t *head, size_t n) {
  return n >= 2 && head[0] == '#' && head[1] == '!';
}

int script_parse(const uint8_t *head, size_t n, struct script_line *out) {
  memset(out, 0, sizeof *out);
  if (!script_is_script(head, n))
    return -ENOEXEC;
  /* A NUL-padded copy, like bprm->buf for a short file. */
  char buf[SCRIPT_BUF_SIZE] = {0};
  memcpy(buf, head, n < sizeof buf ? n : sizeof buf);
  const char *buf_end = buf + sizeof buf - 1;

  const char *end = memchr(buf, '\n', sizeof buf);
  if (!end) {
    const char *name = skip_blanks(buf + 2, buf_end);
    if (!name || !find_terminator(name, buf_end))
      return -ENOEXEC; /* only blanks, or a path that may be cut short */
    end = buf_end;
  }
  while (end > buf + 2 && blank(end[-1]))
    end--;
  const char *name = skip_blanks(buf + 2, end);
  if (!name || name == end)
    return -ENOEXEC;
  const char *sep = find_terminator(name, end);
  const char *name_end = sep ? sep : end;
  memcpy(out->interp, name, (size_t)(name_end - name));
  if (sep && *sep != 0) {
    const char *arg = skip_blanks(sep, end);
    if (arg) {
      /* Copied up to end; a NUL inside ends it, as copy_string_kernel. */
      memcpy(out->arg, arg, (size_t)(end - arg));
      out->has_arg = true;
    }
  }
  return 0;
}
