/* The memory policy calls (mm/mempolicy.c) against the host kernel:
 * the task's policy set and read back (modes, flags, masks), the node
 * of a page asked by address (MPOL_F_NODE|MPOL_F_ADDR, which faults it
 * in), MPOL_F_MEMS_ALLOWED, and the errors in Linux's order: bad flags
 * and modes EINVAL, a mask too short EINVAL, an address outside every
 * mapping EFAULT, unreadable and unwritable masks EFAULT. Node 0 exists
 * on every Linux machine; nothing here needs a second node. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MPOL_DEFAULT 0
#define MPOL_PREFERRED 1
#define MPOL_BIND 2
#define MPOL_INTERLEAVE 3
#define MPOL_LOCAL 4
#define MPOL_F_STATIC_NODES (1 << 15)
#define MPOL_F_RELATIVE_NODES (1 << 14)
#define MPOL_F_NODE 1
#define MPOL_F_ADDR 2
#define MPOL_F_MEMS_ALLOWED 4
#define MAXNODE 1025 /* as libnuma passes it: 1024 nodes, 16 longs */

static void show(const char *what, long r) {
  printf("%s: %ld%s%s\n", what, r, r < 0 ? " " : "",
         r < 0 ? strerrorname_np(errno) : "");
}

static long get(int *mode, unsigned long *mask, unsigned long maxnode,
                void *addr, unsigned long flags) {
  return syscall(SYS_get_mempolicy, mode, mask, maxnode, addr, flags);
}

static long set(int mode, const unsigned long *mask, unsigned long maxnode) {
  return syscall(SYS_set_mempolicy, mode, mask, maxnode);
}

static void show_policy(const char *when) {
  int mode = -1;
  unsigned long mask[16] = {0};
  long r = get(&mode, mask, MAXNODE, NULL, 0);
  printf("%s: %ld mode %d mask[0] %#lx\n", when, r, mode, mask[0]);
}

int main(void) {
  unsigned long node0[16] = {1};
  show_policy("start");
  show("set bind node 0", set(MPOL_BIND, node0, MAXNODE));
  show_policy("after bind");
  show("set preferred static",
       set(MPOL_PREFERRED | MPOL_F_STATIC_NODES, node0, MAXNODE));
  show_policy("after preferred");
  show("set interleave", set(MPOL_INTERLEAVE, node0, MAXNODE));
  show_policy("after interleave");
  show("set local", set(MPOL_LOCAL, NULL, 0));
  show_policy("after local");
  show("set default", set(MPOL_DEFAULT, NULL, 0));
  show_policy("after default");

  show("bad mode", set(77, node0, MAXNODE));
  show("static and relative",
       set(MPOL_BIND | MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES, node0,
           MAXNODE));
  show("bind with no nodes", set(MPOL_BIND, NULL, 0));
  show("unreadable mask", set(MPOL_BIND, (unsigned long *)8, MAXNODE));
  show("bad mode, unreadable mask", set(77, (unsigned long *)8, MAXNODE));

  int mode = -1;
  unsigned long mask[16];
  show("mems allowed", get(NULL, mask, MAXNODE, NULL, MPOL_F_MEMS_ALLOWED));
  printf("node 0 allowed: %s\n", mask[0] & 1 ? "yes" : "no");
  show("bad flags", get(&mode, NULL, 0, NULL, 8));
  show("allowed with addr",
       get(&mode, NULL, 0, NULL, MPOL_F_MEMS_ALLOWED | MPOL_F_ADDR));
  show("mask too short", get(&mode, mask, 0, NULL, 0));
  show("unwritable mode", get((int *)8, NULL, 0, NULL, 0));
  show("unwritable mask", get(&mode, (unsigned long *)8, MAXNODE, NULL, 0));

  /* By address: a fresh page's policy (the default), then its node. */
  char *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  mode = -1;
  show("policy at a page", get(&mode, NULL, 0, page, MPOL_F_ADDR));
  printf("mode %d\n", mode);
  mode = -1;
  show("node of a page", get(&mode, NULL, 0, page, MPOL_F_NODE | MPOL_F_ADDR));
  printf("node %d\n", mode);
  munmap(page, 4096);
  show("unmapped address", get(&mode, NULL, 0, page, MPOL_F_ADDR));
  show("node without addr", get(&mode, NULL, 0, NULL, MPOL_F_NODE));
  return 0;
}
