/* strace 6.1's struct msghdr, control messages and mmsghdr arrays
 * (msghdr.c, mmsghdr.c): msg_name by family, msg_iov cut at what was
 * received, each cmsg with its level and type named and SCM_RIGHTS,
 * SCM_CREDENTIALS, IP_TTL and IP_TOS data decoded. */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "../syscall_table.h"
#include "strace_net.h"

/* The guest's struct msghdr (x86-64). */
struct st_msghdr {
  uint64_t name;
  uint32_t namelen, pad0;
  uint64_t iov, iovlen, control, controllen;
  int32_t flags;
  uint32_t pad1;
};

/* strace reads at most optmem_max bytes of control data, rounded up to
 * 8 (get_optmem_max). */
static unsigned optmem_max(void) {
  static unsigned max;
  if (!max) {
    FILE *f = fopen("/proc/sys/net/core/optmem_max", "r");
    int v = 0;
    if (f) {
      if (fscanf(f, "%d", &v) != 1)
        v = 0;
      fclose(f);
    }
    max = v > 0 ? ((unsigned)v + 7) & ~7u : 8 * (2 * 1024 + 512);
  }
  return max;
}

bool st_msghdr_namelen(struct process *p, uint64_t addr, int *namelen) {
  struct st_msghdr m;
  if (copy_from_guest(&p->mmu, &m, addr, sizeof m) < 0)
    return false;
  *namelen = (int)m.namelen;
  return true;
}

static void cmsg_rights(struct process *p, const uint8_t *d, size_t len) {
  st_puts(p, "[");
  for (size_t k = 0; k < len / 4; k++) {
    if (k == STRACE_STRLEN) {
      st_puts(p, ", ...");
      break;
    }
    int fd;
    memcpy(&fd, d + 4 * k, 4);
    st_printf(p, "%s%d", k ? ", " : "", fd);
  }
  st_puts(p, "]");
}

static void cmsg_data(struct process *p, int level, int type, const uint8_t *d,
                      size_t len) {
  if (level == SOL_SOCKET) {
    st_xlat(p, scm_socket_names, (unsigned)type, "SCM_???");
    if (type == SCM_RIGHTS && len >= 4) {
      st_puts(p, ", cmsg_data=");
      cmsg_rights(p, d, len);
    } else if (type == SCM_CREDENTIALS && len >= 12) {
      int v[3];
      memcpy(v, d, sizeof v);
      st_printf(p, ", cmsg_data={pid=%d, uid=%d, gid=%d}", v[0], v[1], v[2]);
    } else if (type == 3 /* SCM_SECURITY */ && len >= 1) {
      st_puts(p, ", cmsg_data=");
      st_quote(p, d, len, QUOTE_PLAIN, false);
    }
  } else if (level == SOL_IP) {
    st_xlat(p, scm_ip_names, (unsigned)type, "IP_???");
    if ((type == IP_TTL && len >= 4) || (type == IP_TOS && len >= 1)) {
      size_t size = type == IP_TTL ? 4 : 1;
      st_puts(p, ", cmsg_data=[");
      for (size_t k = 0; k < len / size; k++) {
        if (k == STRACE_STRLEN) {
          st_puts(p, ", ...");
          break;
        }
        if (size == 4) {
          unsigned v;
          memcpy(&v, d + 4 * k, 4);
          st_printf(p, "%s%u", k ? ", " : "", v);
        } else {
          st_printf(p, "%s%#x", k ? ", " : "", d[k]);
        }
      }
      st_puts(p, "]");
    }
  } else {
    st_printf(p, "%#x", (unsigned)type);
  }
}

/* decode_msg_control */
static void st_control(struct process *p, uint64_t addr, uint64_t in_len) {
  if (!in_len)
    return;
  st_puts(p, ", msg_control=");
  const size_t hdr = sizeof(struct cmsghdr);
  size_t control_len = in_len > optmem_max() ? optmem_max() : (size_t)in_len;
  size_t buf_len = control_len;
  uint8_t *buf = buf_len < hdr ? NULL : malloc(buf_len);
  if (!buf || copy_from_guest(&p->mmu, buf, addr, buf_len) < 0) {
    st_ptr(p, addr);
    free(buf);
    return;
  }
  uint8_t *at = buf;
  st_puts(p, "[");
  while (buf_len >= hdr) {
    struct cmsghdr c;
    memcpy(&c, at, sizeof c);
    if (at != buf)
      st_puts(p, ", ");
    st_printf(p, "{cmsg_len=%llu, cmsg_level=", (unsigned long long)c.cmsg_len);
    st_xlat(p, sol_names, (unsigned)c.cmsg_level, "SOL_???");
    st_puts(p, ", cmsg_type=");
    size_t len = c.cmsg_len > buf_len ? buf_len : c.cmsg_len;
    cmsg_data(p, c.cmsg_level, c.cmsg_type, at + hdr,
              len > hdr ? len - hdr : 0);
    st_puts(p, "}");
    if (len < hdr) {
      buf_len -= hdr;
      break;
    }
    len = (c.cmsg_len + 7) & ~(size_t)7;
    if (len >= buf_len) {
      buf_len = 0;
      break;
    }
    at += len;
    buf_len -= len;
  }
  if (buf_len)
    st_printf(p, ", ... /* %#llx */",
              (unsigned long long)(addr + (control_len - buf_len)));
  else if (control_len < in_len)
    st_puts(p, ", ...");
  st_puts(p, "]");
  free(buf);
}

static void print_msghdr(struct process *p, const struct st_msghdr *m,
                         const int *user_namelen, int64_t data_size) {
  int namelen = user_namelen && (int)m->namelen > *user_namelen
                    ? *user_namelen
                    : (int)m->namelen;
  st_puts(p, "{msg_name=");
  st_sockaddr(p, m->name, namelen);
  st_puts(p, ", msg_namelen=");
  if (user_namelen && *user_namelen != (int)m->namelen)
    st_printf(p, "%d => ", *user_namelen);
  st_printf(p, "%d, msg_iov=", (int)m->namelen);
  st_iovec(p, m->iov, m->iovlen, data_size);
  st_printf(p, ", msg_iovlen=%llu", (unsigned long long)m->iovlen);
  st_control(p, m->control, m->controllen);
  st_printf(p, ", msg_controllen=%llu, msg_flags=",
            (unsigned long long)m->controllen);
  st_msg_flags(p, (uint32_t)m->flags);
  st_puts(p, "}");
}

void st_msghdr(struct process *p, uint64_t addr, int user_namelen,
               int64_t data_size) {
  struct st_msghdr m;
  if (!addr || copy_from_guest(&p->mmu, &m, addr, sizeof m) < 0) {
    st_ptr(p, addr);
    return;
  }
  print_msghdr(p, &m, user_namelen >= 0 ? &user_namelen : NULL, data_size);
}

void st_mmsghdrs(struct process *p, uint64_t addr, unsigned vlen,
                 unsigned with_len, bool use_len, const int *namelens,
                 unsigned n_namelens) {
  if (!addr) {
    st_puts(p, "NULL");
    return;
  }
  unsigned count = namelens && n_namelens < 1024 ? n_namelens : 1024;
  st_puts(p, "[");
  for (unsigned k = 0; k < vlen; k++) {
    struct {
      struct st_msghdr hdr;
      uint32_t len, pad;
    } m;
    if (copy_from_guest(&p->mmu, &m, addr + (uint64_t)k * sizeof m, sizeof m) <
        0) {
      if (!k)
        st_ptr(p, addr);
      else
        st_printf(p, ", ... /* %#llx */",
                  (unsigned long long)(addr + (uint64_t)k * sizeof m));
      if (k)
        st_puts(p, "]");
      return;
    }
    if (k)
      st_puts(p, ", ");
    if (k == STRACE_STRLEN || k >= count) {
      st_puts(p, "...");
      break;
    }
    st_puts(p, "{msg_hdr=");
    print_msghdr(p, &m.hdr, namelens ? &namelens[k] : NULL,
                 use_len ? (int64_t)m.len : -1);
    if (k < with_len)
      st_printf(p, ", msg_len=%u", m.len);
    st_puts(p, "}");
  }
  st_puts(p, "]");
}
