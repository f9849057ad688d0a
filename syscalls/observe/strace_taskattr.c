/* strace 6.1's forms for a task's attributes (personality.c, ioprio.c,
 * capability.c, get_robust_list.c, sched.c, pkeys.c): the persona by
 * name, I/O priorities as IOPRIO_PRIO_VALUE(class, data), capability
 * sets, struct sched_attr. */
#include <errno.h>
#include <string.h>

#include "strace_internal.h"

#define N(x)                                                                   \
  { x, #x }

/* Persona types: only the ones whose value fits PER_MASK can match. */
static const struct flag_name persona_types[] = {
    {0x00, "PER_LINUX"},   {0x06, "PER_BSD"},
    {0x08, "PER_LINUX32"}, {0x0c, "PER_RISCOS"},
    {0x0f, "PER_OSF4"},    {0x10, "PER_HPUX"},
    {0xff, "PER_MASK"},    FLAG_END};

static const struct flag_name persona_flags[] = {
    {0x0020000, "UNAME26"},
    {0x0040000, "ADDR_NO_RANDOMIZE"},
    {0x0080000, "FDPIC_FUNCPTRS"},
    {0x0100000, "MMAP_PAGE_ZERO"},
    {0x0200000, "ADDR_COMPAT_LAYOUT"},
    {0x0400000, "READ_IMPLIES_EXEC"},
    {0x0800000, "ADDR_LIMIT_32BIT"},
    {0x1000000, "SHORT_INODE"},
    {0x2000000, "WHOLE_SECONDS"},
    {0x4000000, "STICKY_TIMEOUTS"},
    {0x8000000, "ADDR_LIMIT_3GB"},
    FLAG_END};

/* PER_LINUX|ADDR_NO_RANDOMIZE: the type, then the flags. */
static void st_persona(struct process *p, uint32_t v) {
  st_xlat(p, persona_types, v & 0xff, "PER_???");
  if (v & ~0xffu) {
    st_puts(p, "|");
    st_flags(p, persona_flags, v & ~0xffu, NULL);
  }
}

void st_personality(struct process *p, uint64_t v) {
  if ((uint32_t)v == 0xffffffff)
    st_puts(p, "0xffffffff");
  else
    st_persona(p, (uint32_t)v);
}

/* The old persona: RVAL_HEX with the names after it. */
void st_personality_result(struct process *p, int64_t ret) {
  st_printf(p, "%#llx (", (unsigned long long)ret);
  st_persona(p, (uint32_t)ret);
  st_puts(p, ")");
}

static const struct flag_name ioprio_who_names[] = {{1, "IOPRIO_WHO_PROCESS"},
                                                    {2, "IOPRIO_WHO_PGRP"},
                                                    {3, "IOPRIO_WHO_USER"},
                                                    FLAG_END};

static const struct flag_name ioprio_class_names[] = {{0, "IOPRIO_CLASS_NONE"},
                                                      {1, "IOPRIO_CLASS_RT"},
                                                      {2, "IOPRIO_CLASS_BE"},
                                                      {3, "IOPRIO_CLASS_IDLE"},
                                                      FLAG_END};

void st_ioprio_which(struct process *p, uint64_t v) {
  st_xlat(p, ioprio_who_names, (uint32_t)v, "IOPRIO_WHO_???");
}

/* IOPRIO_PRIO_VALUE(class, data): the class is the bits above 13. */
void st_ioprio_value(struct process *p, uint64_t v) {
  uint32_t prio = (uint32_t)v;
  st_puts(p, "IOPRIO_PRIO_VALUE(");
  st_xlat(p, ioprio_class_names, prio >> 13, "IOPRIO_CLASS_???");
  st_printf(p, ", %d)", (int)(prio & 0x1fff));
}

void st_ioprio_result(struct process *p, int64_t ret) {
  st_printf(p, "%lld (", (long long)ret);
  st_ioprio_value(p, (uint64_t)ret);
  st_puts(p, ")");
}

#define CAP_V1 0x19980330u
#define CAP_V2 0x20071026u
#define CAP_V3 0x20080522u

static const struct flag_name cap_versions[] = {
    {CAP_V1, "_LINUX_CAPABILITY_VERSION_1"},
    {CAP_V2, "_LINUX_CAPABILITY_VERSION_2"},
    {CAP_V3, "_LINUX_CAPABILITY_VERSION_3"},
    FLAG_END};

static const char *const cap_names[] = {"1<<CAP_CHOWN",
                                        "1<<CAP_DAC_OVERRIDE",
                                        "1<<CAP_DAC_READ_SEARCH",
                                        "1<<CAP_FOWNER",
                                        "1<<CAP_FSETID",
                                        "1<<CAP_KILL",
                                        "1<<CAP_SETGID",
                                        "1<<CAP_SETUID",
                                        "1<<CAP_SETPCAP",
                                        "1<<CAP_LINUX_IMMUTABLE",
                                        "1<<CAP_NET_BIND_SERVICE",
                                        "1<<CAP_NET_BROADCAST",
                                        "1<<CAP_NET_ADMIN",
                                        "1<<CAP_NET_RAW",
                                        "1<<CAP_IPC_LOCK",
                                        "1<<CAP_IPC_OWNER",
                                        "1<<CAP_SYS_MODULE",
                                        "1<<CAP_SYS_RAWIO",
                                        "1<<CAP_SYS_CHROOT",
                                        "1<<CAP_SYS_PTRACE",
                                        "1<<CAP_SYS_PACCT",
                                        "1<<CAP_SYS_ADMIN",
                                        "1<<CAP_SYS_BOOT",
                                        "1<<CAP_SYS_NICE",
                                        "1<<CAP_SYS_RESOURCE",
                                        "1<<CAP_SYS_TIME",
                                        "1<<CAP_SYS_TTY_CONFIG",
                                        "1<<CAP_MKNOD",
                                        "1<<CAP_LEASE",
                                        "1<<CAP_AUDIT_WRITE",
                                        "1<<CAP_AUDIT_CONTROL",
                                        "1<<CAP_SETFCAP",
                                        "1<<CAP_MAC_OVERRIDE",
                                        "1<<CAP_MAC_ADMIN",
                                        "1<<CAP_SYSLOG",
                                        "1<<CAP_WAKE_ALARM",
                                        "1<<CAP_BLOCK_SUSPEND",
                                        "1<<CAP_AUDIT_READ",
                                        "1<<CAP_PERFMON",
                                        "1<<CAP_BPF",
                                        "1<<CAP_CHECKPOINT_RESTORE"};
#define CAP_NAMES (int)(sizeof cap_names / sizeof *cap_names)

/* One 32-bit word of a set (word 0: capabilities 0..31): printflags
 * with its own unknown comment; strace's cap_mask names are the
 * expressions "1<<CAP_CHOWN". */
static void cap_word(struct process *p, uint32_t v, int word) {
  struct flag_name t[33];
  int n = 0;
  for (int bit = 0; bit < 32 && word * 32 + bit < CAP_NAMES; bit++)
    t[n++] = (struct flag_name){1u << bit, cap_names[word * 32 + bit]};
  t[n] = (struct flag_name)FLAG_END;
  st_flags_x(p, t, v, "CAP_???");
}

/* print_cap_bits: the low word unless only the high one is set. */
static void cap_bits(struct process *p, uint32_t lo, uint32_t hi) {
  if (lo || !hi)
    cap_word(p, lo, 0);
  if (hi) {
    if (lo)
      st_puts(p, "|");
    cap_word(p, hi, 1);
  }
}

/* {version=_LINUX_CAPABILITY_VERSION_3, pid=0}; false when unreadable. */
static bool cap_header(struct process *p, uint64_t addr, uint32_t h[2]) {
  return addr && copy_from_guest(&p->mmu, h, addr, 8) == 0;
}

void st_cap_header(struct process *p, uint64_t addr) {
  uint32_t h[2];
  if (!cap_header(p, addr, h)) {
    st_ptr(p, addr);
    return;
  }
  st_puts(p, "{version=");
  st_xlat(p, cap_versions, h[0], "_LINUX_CAPABILITY_VERSION_???");
  st_printf(p, ", pid=%d}", (int)h[1]);
}

/* {effective=..., permitted=..., inheritable=...}: two words for
 * versions 2 and 3, one for others; the address when the header or the
 * data cannot be read or the call failed (capget's). */
void st_cap_data(struct process *p, uint64_t hdr, uint64_t addr, bool ok) {
  uint32_t h[2], d[2][3] = {{0}};
  if (!ok || !addr || !cap_header(p, hdr, h)) {
    st_ptr(p, addr);
    return;
  }
  size_t words = h[0] == CAP_V2 || h[0] == CAP_V3 ? 2 : 1;
  if (copy_from_guest(&p->mmu, d, addr, words * sizeof d[0]) < 0) {
    st_ptr(p, addr);
    return;
  }
  static const char *const sets[3] = {"effective", "permitted", "inheritable"};
  st_puts(p, "{");
  for (int k = 0; k < 3; k++) {
    st_printf(p, "%s%s=", k ? ", " : "", sets[k]);
    cap_bits(p, d[0][k], d[1][k]);
  }
  st_puts(p, "}");
}

/* get_robust_list's [0x...] and [24]: the address when it failed. */
void st_robust_out(struct process *p, uint64_t addr, bool ok, bool pointer) {
  uint64_t v;
  if (!ok || !addr || copy_from_guest(&p->mmu, &v, addr, 8) < 0) {
    st_ptr(p, addr);
    return;
  }
  st_puts(p, "[");
  pointer ? st_ptr(p, v) : st_printf(p, "%llu", (unsigned long long)v);
  st_puts(p, "]");
}

/* struct sched_attr (uapi/linux/sched/types.h). */
struct guest_sched_attr {
  uint32_t size, sched_policy;
  uint64_t sched_flags;
  int32_t sched_nice;
  uint32_t sched_priority;
  uint64_t sched_runtime, sched_deadline, sched_period;
  uint32_t sched_util_min, sched_util_max;
};
#define SCHED_ATTR_VER0 48
#define SCHED_ATTR_VER1 56
#define SCHED_FLAG_KEEP_POLICY 0x08
#define SCHED_FLAG_KEEP_PARAMS 0x10

static const struct flag_name sched_flag_names[] = {
    {0x01, "SCHED_FLAG_RESET_ON_FORK"},  {0x02, "SCHED_FLAG_RECLAIM"},
    {0x04, "SCHED_FLAG_DL_OVERRUN"},     {0x08, "SCHED_FLAG_KEEP_POLICY"},
    {0x10, "SCHED_FLAG_KEEP_PARAMS"},    {0x20, "SCHED_FLAG_UTIL_CLAMP_MIN"},
    {0x40, "SCHED_FLAG_UTIL_CLAMP_MAX"}, FLAG_END};

/* sched_setattr's struct as it was on entry: the kernel writes its own
 * size over the guest's when it answers E2BIG. */
static _Thread_local struct {
  bool read;      /* the size field could be read */
  bool whole;     /* and the fields after it */
  uint32_t usize; /* the size asked for (0 means VER0) */
  struct guest_sched_attr attr;
} st_setattr;

void st_sched_setattr_entry(struct process *p, uint64_t addr) {
  memset(&st_setattr, 0, sizeof st_setattr);
  if (!addr || copy_from_guest(&p->mmu, &st_setattr.attr.size, addr, 4) < 0)
    return;
  st_setattr.read = true;
  uint32_t usize =
      st_setattr.attr.size ? st_setattr.attr.size : SCHED_ATTR_VER0;
  st_setattr.usize = usize;
  uint32_t size =
      usize < sizeof st_setattr.attr ? usize : sizeof st_setattr.attr;
  if (size >= SCHED_ATTR_VER0)
    st_setattr.whole =
        copy_from_guest(&p->mmu, &st_setattr.attr, addr, size) == 0;
  else
    st_setattr.whole = true;
}

/* print_sched_attr: `size` is how much of it there is to show. */
static void sched_attr_fields(struct process *p,
                              const struct guest_sched_attr *at, uint32_t size,
                              uint32_t declared, bool is_set) {
  st_printf(p, "{size=%u", at->size);
  if (size >= SCHED_ATTR_VER0) {
    if (!is_set || (int32_t)at->sched_policy < 0 ||
        !(at->sched_flags &
          (SCHED_FLAG_KEEP_POLICY | SCHED_FLAG_KEEP_PARAMS))) {
      st_puts(p, ", sched_policy=");
      st_sched_policy(p, at->sched_policy);
    }
    st_puts(p, ", sched_flags=");
    st_flags_x(p, sched_flag_names, at->sched_flags, "SCHED_FLAG_???");
    if (!is_set || !(at->sched_flags & SCHED_FLAG_KEEP_PARAMS))
      st_printf(p,
                ", sched_nice=%d, sched_priority=%u, sched_runtime=%llu, "
                "sched_deadline=%llu, sched_period=%llu",
                at->sched_nice, at->sched_priority,
                (unsigned long long)at->sched_runtime,
                (unsigned long long)at->sched_deadline,
                (unsigned long long)at->sched_period);
    if (size >= SCHED_ATTR_VER1)
      st_printf(p, ", sched_util_min=%u, sched_util_max=%u", at->sched_util_min,
                at->sched_util_max);
  }
  if (declared > size)
    st_puts(p, ", ...");
  st_puts(p, "}");
}

/* sched_setattr's attr, and " => {size=N}" when the kernel answered
 * E2BIG with its own size. */
void st_sched_setattr(struct process *p, uint64_t addr, int64_t ret) {
  if (!addr || !st_setattr.read || !st_setattr.whole) {
    st_ptr(p, addr);
  } else {
    uint32_t usize = st_setattr.usize;
    uint32_t size =
        usize < sizeof st_setattr.attr ? usize : sizeof st_setattr.attr;
    sched_attr_fields(p, &st_setattr.attr, size, usize, true);
  }
  uint32_t now;
  if (ret == -E2BIG && addr && copy_from_guest(&p->mmu, &now, addr, 4) == 0)
    st_printf(p, " => {size=%u}", now);
}

/* sched_getattr's attr: what the kernel wrote (its size field says how
 * much); the address when the call failed. */
void st_sched_getattr(struct process *p, uint64_t addr, uint32_t usize,
                      int64_t ret) {
  struct guest_sched_attr at;
  memset(&at, 0, sizeof at);
  uint32_t size = usize < sizeof at ? usize : sizeof at;
  if (!usize || ret < 0 || !addr ||
      copy_from_guest(&p->mmu, &at, addr, size) < 0) {
    st_ptr(p, addr);
    return;
  }
  sched_attr_fields(p, &at, at.size, at.size, false);
}

void st_pkey_access(struct process *p, uint64_t v) {
  static const struct flag_name t[] = {{1, "PKEY_DISABLE_ACCESS"},
                                       {2, "PKEY_DISABLE_WRITE"},
                                       {4, "PKEY_DISABLE_EXECUTE"},
                                       FLAG_END};
  st_flags_x(p, t, v, "PKEY_???");
}
