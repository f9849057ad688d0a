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

/* mm/mempolicy.c's modes and flags as strace 6.1 names them (numa.c). */
static const struct flag_name mpol_modes[] = {{0, "MPOL_DEFAULT"},
                                              {1, "MPOL_PREFERRED"},
                                              {2, "MPOL_BIND"},
                                              {3, "MPOL_INTERLEAVE"},
                                              {4, "MPOL_LOCAL"},
                                              {5, "MPOL_PREFERRED_MANY"},
                                              FLAG_END};
static const struct flag_name mpol_mode_flags[] = {
    {1u << 15, "MPOL_F_STATIC_NODES"},
    {1u << 14, "MPOL_F_RELATIVE_NODES"},
    {1u << 13, "MPOL_F_NUMA_BALANCING"},
    FLAG_END};

/* A mode with its flags: MPOL_BIND|MPOL_F_STATIC_NODES; an unknown mode
 * with flags as flags alone (print_mode). */
void st_mpol_mode(struct process *p, uint64_t v) {
  uint32_t arg = (uint32_t)v, flags = arg & (7u << 13), mode = arg & ~flags;
  const char *name = st_lookup(mpol_modes, mode);
  if (!flags) {
    st_xlat(p, mpol_modes, mode, "MPOL_???");
    return;
  }
  if (!name) {
    st_flags_x(p, mpol_mode_flags, arg, "MPOL_???");
    return;
  }
  st_printf(p, "%s|", name);
  st_flags(p, mpol_mode_flags, flags, NULL);
}

/* get_mempolicy's [MODE]; the address when the call failed. */
void st_mpol_mode_at(struct process *p, uint64_t addr, bool failed) {
  int32_t mode;
  if (failed || !addr) {
    st_ptr(p, addr);
    return;
  }
  if (!st_fetch(p, addr, &mode, sizeof mode)) /* prints the address */
    return;
  st_puts(p, "[");
  st_xlat(p, mpol_modes, (uint32_t)mode, "MPOL_???");
  st_puts(p, "]");
}

/* A node mask of maxnode bits (print_nodemask): its longs as
 * [0x00000000000001, 0000000000000000] (%#0*lx, 16 wide), cut after 32;
 * the address when it cannot be read or (failed) was not written. */
void st_nodemask(struct process *p, uint64_t addr, uint64_t maxnode,
                 bool failed) {
  uint64_t n = (maxnode + 62) / 64;
  if (!addr) {
    st_puts(p, "NULL");
    return;
  }
  if (n < maxnode / 64 || (maxnode && !n)) {
    st_ptr(p, addr);
    return;
  }
  if (!n) {
    st_puts(p, "[]");
    return;
  }
  bool open = false;
  for (uint64_t k = 0; k < n; k++) {
    uint64_t word;
    if (k)
      st_puts(p, ", ");
    if (failed || copy_from_guest(&p->mmu, &word, addr + k * 8, 8) < 0) {
      if (k)
        st_printf(p, "... /* %#llx */", (unsigned long long)(addr + k * 8));
      else
        st_ptr(p, addr);
      break;
    }
    if (!k) {
      st_puts(p, "[");
      open = true;
    }
    if (k == STRACE_STRLEN) {
      st_puts(p, "...");
      break;
    }
    st_printf(p, "%#0*llx", 16, (unsigned long long)word);
  }
  if (open)
    st_puts(p, "]");
}

void st_mpol_get_flags(struct process *p, uint64_t v) {
  static const struct flag_name t[] = {{1, "MPOL_F_NODE"},
                                       {2, "MPOL_F_ADDR"},
                                       {4, "MPOL_F_MEMS_ALLOWED"},
                                       FLAG_END};
  st_flags_x(p, t, v, "MPOL_???");
}
