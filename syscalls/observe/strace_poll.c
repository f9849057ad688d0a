/* --strace of the waits: poll/ppoll's pollfd arrays, on entry with the
 * events asked and after the result with the descriptors that are ready
 * (strace's "= 1 ([{fd=3, revents=POLLIN}])"); select/pselect6's fd sets
 * ("[3 4]", and "(in [3], out [4], left {...})" after); the timeout
 * left, and "0 (Timeout)". */
#include <poll.h>
#include <string.h>

#include "../process.h"

#include "../strace.h"
#include "strace_internal.h"

static const struct flag_name poll_names[] = {{POLLIN, "POLLIN"},
                                              {POLLPRI, "POLLPRI"},
                                              {POLLOUT, "POLLOUT"},
                                              {POLLERR, "POLLERR"},
                                              {POLLHUP, "POLLHUP"},
                                              {POLLNVAL, "POLLNVAL"},
                                              {POLLRDNORM, "POLLRDNORM"},
                                              {POLLRDBAND, "POLLRDBAND"},
                                              {POLLWRNORM, "POLLWRNORM"},
                                              {POLLWRBAND, "POLLWRBAND"},
                                              {POLLMSG, "POLLMSG"},
                                              {POLLRDHUP, "POLLRDHUP"},
                                              FLAG_END};

struct st_pollfd {
  int32_t fd;
  int16_t events, revents;
};

/* The array at addr, `n` entries; `ready` lists only the entries with
 * revents (the result), else every entry with its events. */
static void pollfds(struct process *p, uint64_t addr, uint64_t n, bool ready) {
  struct st_pollfd e;
  if (!n) {
    st_puts(p, "[]");
    return;
  }
  if (!st_fetch(p, addr, &e, sizeof e))
    return;
  st_puts(p, "[");
  int shown = 0;
  for (uint64_t k = 0; k < n; k++) {
    if (copy_from_guest(&p->mmu, &e, addr + k * sizeof e, sizeof e) < 0)
      break;
    if (ready && !e.revents)
      continue;
    if (shown++ == STRACE_STRLEN) {
      st_puts(p, ", ...");
      break;
    }
    st_printf(p, "%s{fd=%d", shown > 1 ? ", " : "", e.fd);
    if (e.fd >= 0 || ready) { /* a negative fd is ignored: no events */
      st_printf(p, ", %s=", ready ? "revents" : "events");
      st_flags_x(p, poll_names, (uint16_t)(ready ? e.revents : e.events),
                 "POLL???");
    }
    st_puts(p, "}");
  }
  st_puts(p, "]");
}

void st_pollfds_in(struct process *p, uint64_t addr, uint64_t n) {
  pollfds(p, addr, n, false);
}

void st_poll_result(struct process *p, const uint64_t a[6], int64_t ret,
                    bool ppoll) {
  st_printf(p, "%lld", (long long)ret);
  if (ret == 0) {
    st_puts(p, " (Timeout)");
    return;
  }
  st_puts(p, " (");
  pollfds(p, a[0], a[1], true);
  if (ppoll && a[2]) {
    st_puts(p, ", left ");
    st_timespec(p, a[2]);
  }
  st_puts(p, ")");
}

/* The words of an fd_set of nfds descriptors (nfds clamped to FD_MAX). */
struct st_fdset {
  int nfds;
  uint64_t words[FD_MAX / 64];
};

static void fdset_print(struct process *p, const struct st_fdset *set) {
  st_puts(p, "[");
  bool first = true;
  for (int fd = 0; fd < set->nfds; fd++)
    if ((set->words[fd / 64] >> (fd % 64)) & 1) {
      st_printf(p, "%s%d", first ? "" : " ", fd);
      first = false;
    }
  st_puts(p, "]");
}

static bool fdset_read(struct process *p, uint64_t addr, int nfds,
                       struct st_fdset *set) {
  set->nfds = nfds < 0 || nfds > FD_MAX ? FD_MAX : nfds;
  memset(set->words, 0, sizeof set->words);
  return copy_from_guest(&p->mmu, set->words, addr,
                         (size_t)(set->nfds + 63) / 64 * 8) == 0;
}

/* strace's "[3 4]"; NULL, or the pointer when it cannot be read. */
void st_fdset_in(struct process *p, uint64_t addr, int nfds) {
  struct st_fdset set;
  if (!addr)
    st_puts(p, "NULL");
  else if (!fdset_read(p, addr, nfds, &set))
    st_ptr(p, addr);
  else
    fdset_print(p, &set);
}

/* pselect6's sixth argument: {sigset pointer, size}. */
void st_pselect_mask(struct process *p, uint64_t addr) {
  uint64_t pair[2];
  if (!st_fetch(p, addr, pair, sizeof pair))
    return;
  st_puts(p, "{sigmask=");
  st_sigset_at(p, pair[0], pair[1]);
  st_printf(p, ", sigsetsize=%llu}", (unsigned long long)pair[1]);
}

void st_select_result(struct process *p, const uint64_t a[6], int64_t ret,
                      bool pselect) {
  st_printf(p, "%lld", (long long)ret);
  if (ret == 0) {
    st_puts(p, " (Timeout)");
    return;
  }
  static const char *const names[3] = {"in", "out", "except"};
  st_puts(p, " (");
  bool sep = false;
  for (int s = 0; s < 3; s++) {
    if (!a[1 + s])
      continue;
    /* strace lists the sets that came back non-empty only. */
    struct st_fdset set;
    if (!fdset_read(p, a[1 + s], (int)a[0], &set))
      continue;
    bool any = false;
    for (int k = 0; k < (set.nfds + 63) / 64; k++)
      any |= set.words[k] != 0;
    if (!any)
      continue;
    st_printf(p, "%s%s ", sep ? ", " : "", names[s]);
    fdset_print(p, &set);
    sep = true;
  }
  if (a[4]) {
    st_printf(p, "%sleft ", sep ? ", " : "");
    if (pselect)
      st_timespec(p, a[4]);
    else
      st_timeval(p, a[4]);
  }
  st_puts(p, ")");
}
