/* The tracer's output: one line at a time with its column counted (the
 * result is aligned at column 40, strace's "acolumn"), and strace's way
 * of quoting strings (util.c string_quote: C escapes, octal for other
 * non-printable bytes, \xHH when forced). */
#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "strace_internal.h"

/* The line this task is writing (a guest thread prints its own lines,
 * as strace keeps a column per tcb): its text not yet written, and its
 * column counted from the start of the line, the part already written
 * included. */
struct st_line {
  char *text;
  size_t len, cap;
  int col;
  bool shown;  /* its first part is in the output already */
  bool locked; /* -f: this task holds the output lock until the newline */
};
static _Thread_local struct st_line line;

static FILE *st_file(struct process *p) {
  return p->opt && p->opt->strace_out ? p->opt->strace_out : stderr;
}

static bool following(struct process *p) { return p->opt && p->opt->follow; }

static void append(const char *s, size_t n) {
  if (line.len + n + 1 > line.cap) {
    size_t cap = line.cap ? line.cap : 256;
    while (line.len + n + 1 > cap)
      cap *= 2;
    char *grown = realloc(line.text, cap);
    assert(grown);
    line.text = grown;
    line.cap = cap;
  }
  memcpy(line.text + line.len, s, n);
  line.len += n;
  line.col += (int)n;
}

void strace_thread_done(void) {
  free(line.text);
  line = (struct st_line){0};
}

/* Bytes to the trace in one write(2), so that processes and threads
 * sharing it never split one another's text. What emu wrote through the
 * stream before (--trace shares it) goes first. */
static void write_out(struct process *p, const char *s, size_t n) {
  FILE *f = st_file(p);
  int fd = fileno(f);
  if (fd < 0) { /* a stream in memory (the unit tests) */
    fwrite(s, 1, n, f);
    fflush(f);
    return;
  }
  fflush(f);
  while (n) {
    ssize_t w = write(fd, s, n);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return;
    s += w;
    n -= (size_t)w;
  }
}

static void emit(struct process *p) {
  write_out(p, line.text, line.len);
  line.len = 0;
  line.shown = true;
}

/* strace -f marks whose line it is: with -o FILE every line starts with
 * the pid left-aligned in 5 columns (printleader's "%-5u "), on stderr
 * "[pid PID] " while more than one task is traced (strace's nprocs: from
 * the fork until a child's "+++ exited" line). */
static void line_start(struct process *p) {
  if (line.col || !following(p))
    return;
  char prefix[32];
  int n = 0;
  if (p->opt->strace_to_file)
    n = snprintf(prefix, sizeof prefix, "%-5d ", p->tid);
  else if (st_tasks() > 1)
    n = snprintf(prefix, sizeof prefix, "[pid %5d] ", p->tid);
  if (n > 0)
    append(prefix, (size_t)n);
}

void st_printf(struct process *p, const char *fmt, ...) {
  line_start(p);
  char small[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0)
    return;
  if ((size_t)n < sizeof small) {
    append(small, (size_t)n);
    return;
  }
  char *big = malloc((size_t)n + 1);
  assert(big);
  va_start(ap, fmt);
  vsnprintf(big, (size_t)n + 1, fmt, ap);
  va_end(ap);
  append(big, (size_t)n);
  free(big);
}

void st_puts(struct process *p, const char *s) {
  line_start(p);
  append(s, strlen(s));
}

int st_column(void) { return line.col; }

/* strace's printleader: another task's open line is ended with
 * " <unfinished ...>" before anything else is printed (its call goes on;
 * it prints "<... NAME resumed>" when it returns). Called with the lock
 * held. */
static void close_open_line(struct process *p) {
  int open = st_open_tid();
  if (!open)
    return;
  static const char mark[] = " <unfinished ...>\n";
  write_out(p, mark, sizeof mark - 1);
  st_set_open_tid(0);
  if (open == st_self()) {
    line.col = 0;
    line.shown = false;
  }
}

static void lock(void) {
  if (!line.locked) {
    st_lock();
    line.locked = true;
  }
}

void st_entry_end(struct process *p) {
  if (!following(p)) {
    emit(p); /* the entry half is shown at once, so a call that blocks is
                seen */
    return;
  }
  /* strace prints every entry at once: a blocked call is seen when it
   * blocks, and what other tasks print meanwhile ends it unfinished. */
  lock();
  if (st_open_tid() != st_self())
    close_open_line(p);
  emit(p);
  st_set_open_tid(st_self());
  st_unlock();
  line.locked = false;
}

void st_exit_begin(struct process *p, const char *name) {
  if (!following(p))
    return;
  lock();
  int open = st_open_tid();
  if (open == st_self() && line.shown)
    return; /* the line is still ours: go on where the entry stopped */
  if (open && open != st_self())
    close_open_line(p);
  if (line.shown) {
    /* Another task printed since the entry: strace's "resumed" line. */
    line.col = 0;
    line.len = 0;
    st_printf(p, "<... %s resumed>", name);
  }
}

void st_line_begin(struct process *p) {
  if (!following(p)) {
    if (line.col)
      st_newline(p);
    return;
  }
  lock();
  close_open_line(p);
  line.col = 0;
  line.len = 0;
  line.shown = false;
}

void st_newline(struct process *p) {
  append("\n", 1);
  emit(p);
  line.col = 0;
  line.shown = false;
  if (line.locked) {
    st_set_open_tid(0);
    st_unlock();
    line.locked = false;
  }
}

void strace_before_fork(struct process *p) {
  fflush(st_file(p));
  /* Counted before the child can print, as strace attaches a child
   * before its parent's fork returns. */
  if (following(p) && p->opt->strace)
    st_tasks_add(1);
}

void strace_fork_failed(struct process *p) {
  if (following(p) && p->opt->strace)
    st_tasks_add(-1);
}

/* After its last line a task is no longer counted (strace's droptcb). */
void st_task_gone(struct process *p) {
  if (following(p))
    st_tasks_add(-1);
}

/* A thread is a task strace counts too: lines are marked "[pid TID] "
 * from now on. */
void strace_thread_started(struct process *parent, struct process *t) {
  (void)t;
  if (following(parent) && parent->opt->strace)
    st_tasks_add(1);
}

void strace_forked(struct process *p) {
  if (!p->opt)
    return;
  /* The parent's entry of fork or clone is the parent's to finish. */
  st_self_forget();
  line.len = 0;
  line.col = 0;
  line.shown = false;
  line.locked = false;
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
