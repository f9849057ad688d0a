/* strace 6.1's forms of prctl: the option, the arguments the option
 * takes, and PR_GET_DUMPABLE's answer by name (prctl.c). */
#include <signal.h>
#include <stdint.h>
#include <sys/prctl.h>

#include "strace_internal.h"

static const struct flag_name prctl_names[] = {
    {PR_SET_PDEATHSIG, "PR_SET_PDEATHSIG"},
    {PR_GET_PDEATHSIG, "PR_GET_PDEATHSIG"},
    {PR_GET_DUMPABLE, "PR_GET_DUMPABLE"},
    {PR_SET_DUMPABLE, "PR_SET_DUMPABLE"},
    {PR_SET_NAME, "PR_SET_NAME"},
    {PR_GET_NAME, "PR_GET_NAME"},
    {PR_CAPBSET_READ, "PR_CAPBSET_READ"},
    {PR_SET_NO_NEW_PRIVS, "PR_SET_NO_NEW_PRIVS"},
    {PR_GET_NO_NEW_PRIVS, "PR_GET_NO_NEW_PRIVS"},
    {PR_SET_CHILD_SUBREAPER, "PR_SET_CHILD_SUBREAPER"},
    {PR_GET_CHILD_SUBREAPER, "PR_GET_CHILD_SUBREAPER"},
    {0x53564d41, "PR_SET_VMA"},
    FLAG_END};

static const struct flag_name dumpable_names[] = {{0, "SUID_DUMP_DISABLE"},
                                                  {1, "SUID_DUMP_USER"},
                                                  {2, "SUID_DUMP_ROOT"},
                                                  FLAG_END};

/* prctl's arguments after the option, as many as the option takes. */
void st_prctl_tail(struct process *p, const uint64_t a[6], int64_t ret) {
  switch (a[0]) {
  case PR_SET_NAME: st_guest_str(p, a[1], 15); return;
  case PR_GET_NAME:
    if (ret < 0)
      st_ptr(p, a[1]);
    else
      st_guest_str(p, a[1], 15);
    return;
  case PR_SET_DUMPABLE: st_xlat(p, dumpable_names, a[1], NULL); return;
  case PR_CAPBSET_READ: {
    static const char *const caps[] = {"CHOWN",
                                       "DAC_OVERRIDE",
                                       "DAC_READ_SEARCH",
                                       "FOWNER",
                                       "FSETID",
                                       "KILL",
                                       "SETGID",
                                       "SETUID",
                                       "SETPCAP",
                                       "LINUX_IMMUTABLE",
                                       "NET_BIND_SERVICE",
                                       "NET_BROADCAST",
                                       "NET_ADMIN",
                                       "NET_RAW",
                                       "IPC_LOCK",
                                       "IPC_OWNER",
                                       "SYS_MODULE",
                                       "SYS_RAWIO",
                                       "SYS_CHROOT",
                                       "SYS_PTRACE",
                                       "SYS_PACCT",
                                       "SYS_ADMIN",
                                       "SYS_BOOT",
                                       "SYS_NICE",
                                       "SYS_RESOURCE",
                                       "SYS_TIME",
                                       "SYS_TTY_CONFIG",
                                       "MKNOD",
                                       "LEASE",
                                       "AUDIT_WRITE",
                                       "AUDIT_CONTROL",
                                       "SETFCAP",
                                       "MAC_OVERRIDE",
                                       "MAC_ADMIN",
                                       "SYSLOG",
                                       "WAKE_ALARM",
                                       "BLOCK_SUSPEND",
                                       "AUDIT_READ",
                                       "PERFMON",
                                       "BPF",
                                       "CHECKPOINT_RESTORE"};
    if (a[1] < sizeof caps / sizeof *caps)
      st_printf(p, "CAP_%s", caps[a[1]]);
    else
      st_printf(p, "%#llx /* CAP_??? */", (unsigned long long)a[1]);
    return;
  }
  case PR_SET_PDEATHSIG:
    if (a[1])
      st_signal(p, (int)a[1]);
    else
      st_puts(p, "0");
    return;
  case PR_GET_PDEATHSIG: {
    int sig;
    if (ret < 0 || copy_from_guest(&p->mmu, &sig, a[1], 4) < 0) {
      st_ptr(p, a[1]);
      return;
    }
    st_puts(p, "[");
    if (sig)
      st_signal(p, sig);
    else
      st_puts(p, "0");
    st_puts(p, "]");
    return;
  }
  case PR_SET_CHILD_SUBREAPER:
    st_printf(p, "%llu", (unsigned long long)a[1]);
    return;
  case PR_GET_CHILD_SUBREAPER: {
    int v;
    if (ret < 0 || copy_from_guest(&p->mmu, &v, a[1], 4) < 0)
      st_ptr(p, a[1]);
    else
      st_printf(p, "[%d]", v);
    return;
  }
  case 0x53564d41: /* PR_SET_VMA */
    st_printf(p, "%s, %#llx, %llu, ",
              a[1] == 0 ? "PR_SET_VMA_ANON_NAME" : "0x1",
              (unsigned long long)a[2], (unsigned long long)a[3]);
    st_guest_str(p, a[4], STRACE_STRLEN);
    return;
  case PR_SET_NO_NEW_PRIVS:
  case PR_GET_NO_NEW_PRIVS:
    st_printf(p, "%llu, %llu, %llu, %llu", (unsigned long long)a[1],
              (unsigned long long)a[2], (unsigned long long)a[3],
              (unsigned long long)a[4]);
    return;
  default:
    st_printf(p, "%#llx, %#llx, %#llx, %#llx", (unsigned long long)a[1],
              (unsigned long long)a[2], (unsigned long long)a[3],
              (unsigned long long)a[4]);
  }
}

void st_prctl_op(struct process *p, uint64_t v) {
  st_xlat(p, prctl_names, v, "PR_???");
}

/* PR_GET_DUMPABLE names its answer. */
void st_prctl_result(struct process *p, const uint64_t a[6], int64_t ret) {
  const char *name =
      a[0] == PR_GET_DUMPABLE ? st_lookup(dumpable_names, (uint64_t)ret) : NULL;
  if (name)
    st_printf(p, "%lld (%s)", (long long)ret, name);
  else
    st_printf(p, "%lld", (long long)ret);
}
