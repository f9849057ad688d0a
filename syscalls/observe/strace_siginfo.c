/* siginfo_t as strace 6.1 prints it (src/printsiginfo.c): the signal,
 * the code by name, then what that code carries: the sender for kill,
 * tkill and sigqueue (with the value), the address for faults. Used for
 * the "--- SIGSEGV {...} ---" lines and for rt_sigtimedwait and
 * rt_sigqueueinfo's arguments. */
#include <signal.h>
#include <string.h>

#include "../strace.h"
#include "strace_internal.h"

static const struct flag_name user_codes[] = {{0, "SI_USER"},
                                              {0x80, "SI_KERNEL"},
                                              {(uint64_t)-1, "SI_QUEUE"},
                                              {(uint64_t)-2, "SI_TIMER"},
                                              {(uint64_t)-3, "SI_MESGQ"},
                                              {(uint64_t)-4, "SI_ASYNCIO"},
                                              {(uint64_t)-5, "SI_SIGIO"},
                                              {(uint64_t)-6, "SI_TKILL"},
                                              {(uint64_t)-7, "SI_DETHREAD"},
                                              {(uint64_t)-60, "SI_ASYNCNL"},
                                              FLAG_END};
static const struct flag_name segv_codes[] = {{1, "SEGV_MAPERR"},
                                              {2, "SEGV_ACCERR"},
                                              {3, "SEGV_BNDERR"},
                                              {4, "SEGV_PKUERR"},
                                              FLAG_END};
static const struct flag_name ill_codes[] = {
    {1, "ILL_ILLOPC"}, {2, "ILL_ILLOPN"}, {3, "ILL_ILLADR"},
    {4, "ILL_ILLTRP"}, {5, "ILL_PRVOPC"}, {6, "ILL_PRVREG"},
    {7, "ILL_COPROC"}, {8, "ILL_BADSTK"}, FLAG_END};
static const struct flag_name fpe_codes[] = {
    {1, "FPE_INTDIV"}, {2, "FPE_INTOVF"}, {3, "FPE_FLTDIV"},
    {4, "FPE_FLTOVF"}, {5, "FPE_FLTUND"}, {6, "FPE_FLTRES"},
    {7, "FPE_FLTINV"}, {8, "FPE_FLTSUB"}, FLAG_END};
static const struct flag_name trap_codes[] = {
    {1, "TRAP_BRKPT"}, {2, "TRAP_TRACE"}, FLAG_END};
static const struct flag_name bus_codes[] = {
    {1, "BUS_ADRALN"}, {2, "BUS_ADRERR"}, {3, "BUS_OBJERR"}, FLAG_END};

static bool is_fault(int sig) {
  return sig == SIGSEGV || sig == SIGILL || sig == SIGFPE || sig == SIGTRAP ||
         sig == SIGBUS;
}

static void print_code(struct process *p, int sig, int code) {
  const struct flag_name *codes = NULL;
  if (code > 0 && code < 0x80) {
    switch (sig) {
    case SIGSEGV: codes = segv_codes; break;
    case SIGILL: codes = ill_codes; break;
    case SIGFPE: codes = fpe_codes; break;
    case SIGTRAP: codes = trap_codes; break;
    case SIGBUS: codes = bus_codes; break;
    default: break;
    }
  }
  const char *name = st_lookup(codes ? codes : user_codes, (uint64_t)code);
  if (name)
    st_puts(p, name);
  else
    st_printf(p, "%#x", (unsigned)code); /* strace's xlat default: hex */
}

static void print_source(struct process *p, const struct guest_siginfo *i) {
  st_printf(p, ", si_pid=%d, si_uid=%u", i->u.kill.pid, i->u.kill.uid);
}

static void print_value(struct process *p, const struct guest_siginfo *i) {
  st_printf(p, ", si_int=%d, si_ptr=", (int)(uint32_t)i->u.kill.value);
  st_ptr(p, i->u.kill.value);
}

void st_siginfo(struct process *p, const struct guest_siginfo *i) {
  st_puts(p, "{");
  if (!i->signo) {
    st_puts(p, "}");
    return;
  }
  st_puts(p, "si_signo=");
  st_signal(p, i->signo);
  st_puts(p, ", ");
  if (st_siginfo_chld(p, i->signo, i->code, i->u.bytes)) {
    st_puts(p, "}");
    return;
  }
  st_puts(p, "si_code=");
  print_code(p, i->signo, i->code);
  if (i->errno_) {
    const char *e = strace_errno_name(i->errno_);
    if (e)
      st_printf(p, ", si_errno=%s", e);
    else
      st_printf(p, ", si_errno=%d", i->errno_);
  }
  if (i->code == SI_TIMER) {
    /* A POSIX timer's: its id and overrun where a sender's pid and uid
     * would be, and always the value. */
    st_printf(p, ", si_timerid=%#x, si_overrun=%d", (unsigned)i->u.kill.pid,
              (int)i->u.kill.uid);
    print_value(p, i);
  } else if (i->code == SI_SIGIO) {
    int64_t band;
    int32_t fd;
    memcpy(&band, i->u.bytes, sizeof band);
    memcpy(&fd, i->u.bytes + 8, sizeof fd);
    st_printf(p, ", si_band=%lld, si_fd=%d", (long long)band, fd);
  } else if (i->code <= 0) { /* sent by a process (SI_FROMUSER) */
    print_source(p, i);
    if (i->code != SI_USER && i->code != SI_TKILL && i->u.kill.value)
      print_value(p, i);
  } else if (is_fault(i->signo)) {
    st_puts(p, ", si_addr=");
    st_ptr(p, i->u.addr);
  } else {
    if (i->u.kill.pid || i->u.kill.uid)
      print_source(p, i);
    if (i->u.kill.value)
      print_value(p, i);
  }
  st_puts(p, "}");
}

void st_siginfo_at(struct process *p, uint64_t addr) {
  struct guest_siginfo i;
  if (st_fetch(p, addr, &i, sizeof i))
    st_siginfo(p, &i);
}

void strace_stopped(struct process *p, int sig) {
  st_line_begin(p);
  st_puts(p, "--- stopped by ");
  st_signal(p, sig);
  st_puts(p, " ---");
  st_newline(p);
}

void strace_signal(struct process *p, const struct guest_siginfo *info) {
  st_line_begin(p);
  st_puts(p, "--- ");
  st_signal(p, info->signo);
  st_puts(p, " ");
  st_siginfo(p, info);
  st_puts(p, " ---");
  st_newline(p);
}
