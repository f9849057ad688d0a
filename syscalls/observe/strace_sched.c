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

/* strace 6.1 looks the whole value up: a policy with the
 * SCHED_RESET_ON_FORK flag is "0x40000000 / * SCHED_??? * /". */
void st_sched_policy(struct process *p, uint64_t v) {
  st_xlat(p, policy_names, v, "SCHED_???");
}

void st_sched_param(struct process *p, uint64_t addr) {
  struct sched_param sp;
  if (st_fetch(p, addr, &sp, sizeof sp))
    st_printf(p, "[%d]", sp.sched_priority);
}

/* sched_getscheduler's result: "0 (SCHED_OTHER)", a number alone when
 * no policy has it (SCHED_RESET_ON_FORK set). */
void st_sched_policy_result(struct process *p, int64_t ret) {
  const char *name = st_lookup(policy_names, (uint64_t)ret);
  st_printf(p, "%lld", (long long)ret);
  if (name)
    st_printf(p, " (%s)", name);
}
