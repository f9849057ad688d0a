/* The tracer's output: one line at a time with its column counted (the
 * result is aligned at column 40, strace's "acolumn"), and strace's way
 * of quoting strings (util.c string_quote: C escapes, octal for other
 * non-printable bytes, \xHH when forced). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <string.h>

#include "strace_internal.h"

/* Column of the current trace line; one process, one tracer. */
static int st_col;

static FILE *st_file(struct process *p) {
  return p->opt && p->opt->strace_out ? p->opt->strace_out : stderr;
}

/* strace -f marks whose line it is: with -o FILE every line starts
 * "PID ", on stderr "[pid PID] " once there is more than one process
 * (here: in a child, or in a parent once it has made one). */
static void line_start(struct process *p) {
  if (st_col || !p->opt || !p->opt->follow)
    return;
  if (p->opt->strace_to_file)
    st_col += fprintf(st_file(p), "%d ", p->tid);
  else if (p->sig->is_child || p->sig->has_forked)
    st_col += fprintf(st_file(p), "[pid %5d] ", p->tid);
}

void st_printf(struct process *p, const char *fmt, ...) {
  line_start(p);
  va_list ap;
  va_start(ap, fmt);
  int n = vfprintf(st_file(p), fmt, ap);
  va_end(ap);
  if (n > 0)
    st_col += n;
}

void st_puts(struct process *p, const char *s) {
  line_start(p);
  fputs(s, st_file(p));
  st_col += (int)strlen(s);
}

void st_newline(struct process *p) {
  fputc('\n', st_file(p));
  st_col = 0;
  fflush(st_file(p));
}

int st_column(void) { return st_col; }

/* The entry half of a call is shown at once, so that a call that blocks
 * is seen; with -f only whole lines are written, so that processes
 * sharing the trace never split one another's lines. */
void st_flush(struct process *p) {
  if (!p->opt || !p->opt->follow)
    fflush(st_file(p));
}

void strace_before_fork(struct process *p) {
  p->sig->has_forked = true;
  if (!p->opt || !p->opt->follow)
    fflush(st_file(p));
}

void strace_thread_started(struct process *parent, struct process *t) {
  (void)t;
  parent->sig->has_forked = true;
}

void strace_forked(struct process *p) {
  if (!p->opt)
    return;
  /* The parent's half-written clone line is the parent's to finish. */
  if (p->opt->strace && p->opt->follow)
    __fpurge(st_file(p));
  st_col = 0;
  p->trace_skip_leave = true;
  if (!p->opt->follow) {
    p->opt->strace = false;
    p->opt->trace = false;
    p->cpu.trace = false;
  }
}

void st_quote(struct process *p, const uint8_t *s, size_t n, int style,
              bool more) {
  /* Worst case 4 output bytes per input byte. */
  char out[4 * 4096 + 8];
  size_t o = 0;
  if (n > 4096)
    n = 4096;
  out[o++] = '"';
  for (size_t i = 0; i < n; i++) {
    uint8_t c = s[i];
    if (style & QUOTE_FORCE_HEX) {
      o += (size_t)sprintf(out + o, "\\x%02x", c);
      continue;
    }
    switch (c) {
    case '"':
      out[o++] = '\\';
      out[o++] = '"';
      continue;
    case '\\':
      out[o++] = '\\';
      out[o++] = '\\';
      continue;
    case '\f':
      out[o++] = '\\';
      out[o++] = 'f';
      continue;
    case '\n':
      out[o++] = '\\';
      out[o++] = 'n';
      continue;
    case '\r':
      out[o++] = '\\';
      out[o++] = 'r';
      continue;
    case '\t':
      out[o++] = '\\';
      out[o++] = 't';
      continue;
    case '\v':
      out[o++] = '\\';
      out[o++] = 'v';
      continue;
    default: break;
    }
    if (c >= ' ' && c < 0x7f) {
      out[o++] = (char)c;
      continue;
    }
    /* Octal, as short as possible unless an octal digit follows. */
    out[o++] = '\\';
    bool digit_next = i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '7';
    if (digit_next || c >> 6)
      out[o++] = (char)('0' + (c >> 6));
    if (digit_next || c >> 3)
      out[o++] = (char)('0' + ((c >> 3) & 7));
    out[o++] = (char)('0' + (c & 7));
  }
  out[o++] = '"';
  out[o] = 0;
  st_puts(p, out);
  if (more)
    st_puts(p, "...");
}

void st_ptr(struct process *p, uint64_t addr) {
  if (addr)
    st_printf(p, "%#llx", (unsigned long long)addr);
  else
    st_puts(p, "NULL");
}

void st_guest_buf(struct process *p, uint64_t addr, uint64_t len, int style) {
  uint8_t buf[STRACE_STRLEN];
  size_t n = len < STRACE_STRLEN ? (size_t)len : STRACE_STRLEN;
  if (!addr) {
    st_puts(p, "NULL");
    return;
  }
  if (n && copy_from_guest(&p->mmu, buf, addr, n) < 0) {
    st_ptr(p, addr);
    return;
  }
  st_quote(p, buf, n, style, len > STRACE_STRLEN);
}

void st_guest_str(struct process *p, uint64_t addr, size_t max) {
  char buf[4097];
  if (!addr) {
    st_puts(p, "NULL");
    return;
  }
  if (max > 4096)
    max = 4096;
  long n = strncpy_from_guest(&p->mmu, buf, addr, max + 1);
  if (n == -ENAMETOOLONG) {
    st_quote(p, (const uint8_t *)buf, max, QUOTE_PLAIN, true);
    return;
  }
  if (n < 0) {
    st_ptr(p, addr);
    return;
  }
  st_quote(p, (const uint8_t *)buf, (size_t)n, QUOTE_PLAIN, false);
}

void st_guest_path(struct process *p, uint64_t addr) {
  st_guest_str(p, addr, 4095);
}

bool st_fetch(struct process *p, uint64_t addr, void *dst, size_t n) {
  if (!addr) {
    st_puts(p, "NULL");
    return false;
  }
  if (copy_from_guest(&p->mmu, dst, addr, n) < 0) {
    st_ptr(p, addr);
    return false;
  }
  return true;
}
