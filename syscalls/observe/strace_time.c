/* strace 6.1's forms for clocks and timers (time.c, print_sigevent.c):
 * clock ids and struct sigevent. */
#include <signal.h>
#include <stdint.h>

#include "strace_internal.h"

/* strace 6.1 as built for x86-64 names the clocks of clock_names; any
 * other id, a process's CPU clock (MAKE_PROCESS_CPUCLOCK) among them, is
 * the 32-bit number and the unknown comment. */
void st_clockid(struct process *p, uint64_t v) {
  st_xlat(p, clock_names, (uint32_t)v, "CLOCK_???");
}

/* The guest's struct sigevent (64 bytes on x86-64). */
struct guest_sigevent {
  uint64_t value;
  int32_t signo, notify;
  union {
    int32_t tid;
    struct {
      uint64_t function, attribute;
    } thread;
  } un;
  int32_t pad[8];
};

/* {sigev_value=..., sigev_signo=..., sigev_notify=...}: the value only
 * when its pointer is not NULL, the signal by name only for the kinds of
 * notification that send one, then the notification's own fields. */
void st_sigevent(struct process *p, uint64_t addr) {
  static const struct flag_name notify_names[] = {
      {SIGEV_SIGNAL, "SIGEV_SIGNAL"},
      {SIGEV_NONE, "SIGEV_NONE"},
      {SIGEV_THREAD, "SIGEV_THREAD"},
      {SIGEV_THREAD_ID, "SIGEV_THREAD_ID"},
      FLAG_END};
  struct guest_sigevent ev;
  if (!st_fetch(p, addr, &ev, sizeof ev))
    return;
  st_puts(p, "{");
  if (ev.value)
    st_printf(p, "sigev_value={sival_int=%d, sival_ptr=%#llx}, ",
              (int)(uint32_t)ev.value, (unsigned long long)ev.value);
  st_puts(p, "sigev_signo=");
  bool sends = ev.notify == SIGEV_SIGNAL || ev.notify == SIGEV_THREAD ||
               ev.notify == SIGEV_THREAD_ID;
  if (sends && ev.signo)
    st_signal(p, ev.signo);
  else
    st_printf(p, "%u", (unsigned)ev.signo);
  st_puts(p, ", sigev_notify=");
  st_xlat(p, notify_names, (uint64_t)(uint32_t)ev.notify, "SIGEV_???");
  if (ev.notify == SIGEV_THREAD_ID)
    st_printf(p, ", sigev_notify_thread_id=%d", ev.un.tid);
  else if (ev.notify == SIGEV_THREAD)
    st_printf(p, ", sigev_notify_function=%#llx, sigev_notify_attributes=",
              (unsigned long long)ev.un.thread.function);
  if (ev.notify == SIGEV_THREAD)
    st_ptr(p, ev.un.thread.attribute);
  st_puts(p, "}");
}
