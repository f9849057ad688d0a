/* Priorities and scheduling policies as strace 6.1 prints them
 * (sched.c, resource.c): PRIO_PROCESS, SCHED_OTHER, [priority]. */
#include <sched.h>
#include <sys/resource.h>

#include "strace_internal.h"

#define N(x)                                                                   \
  { x, #x }

static const struct flag_name prio_which_names[] = {
    N(PRIO_PROCESS), N(PRIO_PGRP), N(PRIO_USER), FLAG_END};

static const struct flag_name policy_names[] = {
    N(SCHED_OTHER),   N(SCHED_FIFO), N(SCHED_RR),           N(SCHED_BATCH),
    {4, "SCHED_ISO"}, N(SCHED_IDLE), {6, "SCHED_DEADLINE"}, FLAG_END};

void st_prio_which(struct process *p, uint64_t v) {
  st_xlat(p, prio_which_names, (uint32_t)v, "PRIO_???");
}

/* SCHED_RESET_ON_FORK is a flag on the policy. */
void st_sched_policy(struct process *p, uint64_t v) {
  uint32_t policy = (uint32_t)v;
  st_xlat(p, policy_names, policy & ~(uint32_t)SCHED_RESET_ON_FORK,
          "SCHED_???");
  if (policy & SCHED_RESET_ON_FORK)
    st_puts(p, "|SCHED_RESET_ON_FORK");
}

void st_sched_param(struct process *p, uint64_t addr) {
  struct sched_param sp;
  if (st_fetch(p, addr, &sp, sizeof sp))
    st_printf(p, "[%d]", sp.sched_priority);
}

/* sched_getscheduler's result: "0 (SCHED_OTHER)". */
void st_sched_policy_result(struct process *p, int64_t ret) {
  st_printf(p, "%lld (", (long long)ret);
  st_sched_policy(p, (uint64_t)ret);
  st_puts(p, ")");
}
