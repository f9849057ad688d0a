/* strace 6.1's forms for the memory calls of mem.c and membarrier.c:
 * mincore's vector, the mlock flags, membarrier's commands. */
#include "strace_internal.h"

static const struct flag_name membarrier_cmds[] = {
    {0, "MEMBARRIER_CMD_QUERY"},
    {1, "MEMBARRIER_CMD_GLOBAL"},
    {2, "MEMBARRIER_CMD_GLOBAL_EXPEDITED"},
    {4, "MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED"},
    {8, "MEMBARRIER_CMD_PRIVATE_EXPEDITED"},
    {16, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED"},
    {32, "MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE"},
    {64, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE"},
    {128, "MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ"},
    {256, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ"},
    FLAG_END};

/* A byte per page of len bytes, each shown as its lowest bit, cut after
 * 32 as strace's print_array does; the address when the call failed. */
void st_mincore_vec(struct process *p, uint64_t addr, uint64_t len,
                    int64_t ret) {
  uint64_t n = len / 4096 + (len % 4096 != 0);
  if (ret < 0 || !addr) {
    st_ptr(p, addr);
    return;
  }
  st_puts(p, "[");
  for (uint64_t k = 0; k < n; k++) {
    uint8_t b;
    if (k)
      st_puts(p, ", ");
    if (k == STRACE_STRLEN) {
      st_puts(p, "...");
      break;
    }
    if (copy_from_guest(&p->mmu, &b, addr + k, 1) < 0) {
      if (!k) {
        st_ptr(p, addr);
        return;
      }
      st_puts(p, "...");
      break;
    }
    st_printf(p, "%u", b & 1u);
  }
  st_puts(p, "]");
}

void st_membarrier_cmd(struct process *p, uint64_t v) {
  st_xlat(p, membarrier_cmds, (uint64_t)(int64_t)(int)v, "MEMBARRIER_CMD_???");
}

/* The flags, and the cpu (the third argument) with MEMBARRIER_CMD_FLAG_CPU. */
void st_membarrier_flags(struct process *p, const uint64_t a[6]) {
  static const struct flag_name t[] = {{1, "MEMBARRIER_CMD_FLAG_CPU"},
                                       FLAG_END};
  st_flags_x(p, t, (uint32_t)a[1], "MEMBARRIER_CMD_FLAG_???");
  if (a[1] & 1)
    st_printf(p, ", %d", (int)a[2]);
}

/* MEMBARRIER_CMD_QUERY's answer: the commands supported, by name. */
bool st_membarrier_result(struct process *p, const uint64_t a[6], int64_t ret) {
  if ((int)a[0] != 0 || ret <= 0)
    return false;
  st_printf(p, "%#llx (", (unsigned long long)ret);
  st_flags(p, membarrier_cmds, (uint64_t)ret, NULL);
  st_puts(p, ")");
  return true;
}
