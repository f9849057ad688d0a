/* strace 6.1's forms of futex and futex_waitv: the operation with its
 * flags, and the arguments each operation uses (futex.c). */
#include <linux/futex.h>
#include <stdint.h>

#include "strace_internal.h"

void st_futex(struct process *p, const uint64_t a[6]) {
  unsigned cmd = a[1] & FUTEX_CMD_MASK;
  uint32_t val3 = (uint32_t)a[5];
  st_printf(p, "%u", (unsigned)a[2]);
  switch (cmd) {
  case FUTEX_WAIT:
    st_puts(p, ", ");
    st_timespec(p, a[3]);
    break;
  case FUTEX_WAIT_BITSET:
    st_puts(p, ", ");
    st_timespec(p, a[3]);
    /* fall through */
  case FUTEX_WAKE_BITSET:
    if (val3 == FUTEX_BITSET_MATCH_ANY)
      st_puts(p, ", FUTEX_BITSET_MATCH_ANY");
    else
      st_printf(p, ", %#x", val3);
    break;
  case FUTEX_REQUEUE:
    st_printf(p, ", %u, %#llx", (unsigned)a[3], (unsigned long long)a[4]);
    break;
  case FUTEX_CMP_REQUEUE:
    st_printf(p, ", %u, %#llx, %u", (unsigned)a[3], (unsigned long long)a[4],
              val3);
    break;
  case FUTEX_WAKE: break;
  default:
    st_printf(p, ", %#llx, %#llx, %#x", (unsigned long long)a[3],
              (unsigned long long)a[4], val3);
  }
}

void st_futex_op(struct process *p, uint64_t op) {
  const char *name = st_lookup(futex_op_names, op & FUTEX_CMD_MASK);
  if (!name) {
    st_printf(p, "%#llx", (unsigned long long)op);
    return;
  }
  st_printf(p, "%s%s%s", name, op & FUTEX_PRIVATE_FLAG ? "_PRIVATE" : "",
            op & FUTEX_CLOCK_REALTIME ? "|FUTEX_CLOCK_REALTIME" : "");
}

/* futex_waitv's waiters: {val=N, uaddr=0x..., flags=FUTEX_32|...}. */
void st_futex_waitv(struct process *p, uint64_t addr, uint64_t n) {
  struct {
    uint64_t val, uaddr;
    uint32_t flags, reserved;
  } w;
  static const char *const sizes[] = {NULL, "FUTEX_16", "FUTEX_32", "FUTEX_64"};
  if (!n) {
    st_puts(p, "[]");
    return;
  }
  if (!st_fetch(p, addr, &w, sizeof w))
    return;
  st_puts(p, "[");
  for (uint64_t k = 0; k < n; k++) {
    if (copy_from_guest(&p->mmu, &w, addr + k * sizeof w, sizeof w) < 0)
      break;
    if (k == STRACE_STRLEN) {
      st_puts(p, ", ...");
      break;
    }
    st_printf(p, "%s{val=%llu, uaddr=%#llx, flags=", k ? ", " : "",
              (unsigned long long)w.val, (unsigned long long)w.uaddr);
    const char *size = sizes[w.flags & 3];
    uint32_t rest = w.flags & ~3u & ~(uint32_t)FUTEX_PRIVATE_FLAG;
    const char *sep = "";
    if (size) {
      st_puts(p, size);
      sep = "|";
    }
    if (w.flags & FUTEX_PRIVATE_FLAG) {
      st_printf(p, "%sFUTEX_PRIVATE_FLAG", sep);
      sep = "|";
    }
    if (rest || !*sep)
      st_printf(p, *sep ? "%s%#x" : "%s%u", sep, rest);
    if (w.reserved)
      st_printf(p, ", __reserved=%#x", w.reserved);
    st_puts(p, "}");
  }
  st_puts(p, "]");
}
