/* The memory behind MAP_SHARED mappings: one object per mmap call, a
 * range of the MMU's shared window (mmu/window.c) that views a memfd
 * (anonymous memory, as Linux's shmem) or the file itself (its page
 * cache). Pages of such a VMA are never allocated or copied: page n of
 * the object is at its base plus n pages, in this process and in every
 * child forked after the mmap, which is what makes them shared. */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../process.h"

/* Does the file system of this regular file track dirty pages through
 * page faults (Linux's vma_wants_writenotify: a page_mkwrite)? Memory
 * file systems do not. */
static bool dirty_tracked(int fd) {
  struct stat st;
  struct statfs fs;
  if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || fstatfs(fd, &fs) < 0)
    return false;
  return fs.f_type != TMPFS_MAGIC && fs.f_type != RAMFS_MAGIC &&
         fs.f_type != HUGETLBFS_MAGIC;
}

struct shm_object *shm_create(struct process *p, int host_fd, uint64_t offset,
                              uint64_t len, bool writable) {
  struct shm_object *o = calloc(1, sizeof *o);
  if (!o)
    return NULL;
  int fd = host_fd;
  if (fd < 0) {
    fd = memfd_create("emu-shared", MFD_CLOEXEC);
    if (fd < 0 || ftruncate(fd, (off_t)len) < 0) {
      if (fd >= 0)
        close(fd);
      free(o);
      return NULL;
    }
    offset = 0;
  }
  o->paddr = mmu_window_map(&p->mmu, fd, offset, len, writable);
  if (fd != host_fd)
    close(fd); /* the host mapping keeps the memfd alive */
  if (!o->paddr) {
    free(o);
    return NULL;
  }
  o->len = len;
  o->offset = offset;
  o->refs = 1;
  o->writable = writable;
  o->anonymous = host_fd < 0;
  o->write_notify = !o->anonymous && dirty_tracked(host_fd);
  return o;
}

struct shm_object *shm_get(struct shm_object *o) {
  if (o)
    o->refs++;
  return o;
}

void shm_put(struct process *p, struct shm_object *o) {
  if (!o || --o->refs > 0)
    return;
  mmu_window_unmap(&p->mmu, o->paddr, o->len);
  free(o);
}

uint64_t shm_file_size(const struct vma *v) {
  struct stat st;
  if (v->shm->anonymous || !v->file || fstat(v->file->host_fd, &st) < 0)
    return UINT64_MAX;
  return (uint64_t)st.st_size;
}

int shm_page(const struct vma *v, uint64_t page, uint64_t file_size,
             uint64_t *paddr) {
  const struct shm_object *o = v->shm;
  /* The VMA's offset moves with splits and mremap; the object's does
   * not. A page outside the object (mremap grew the mapping) is beyond
   * the end of the shmem file: SIGBUS, as Linux. */
  uint64_t at = v->offset + (page - v->start);
  uint64_t base = o->anonymous ? 0 : o->offset;
  if (at < base || at - base >= o->len)
    return -EFAULT;
  /* Linux's filemap_fault: SIGBUS for a page wholly beyond the end. */
  if (at >= file_size)
    return -EFAULT;
  *paddr = o->paddr + (at - base);
  return 0;
}

/* memfd_create: the host's, whose file the guest then maps, reads and
 * passes to its children like any other. */
int64_t sys_memfd_create(struct process *p, const uint64_t a[6]) {
  char name[256];
  long r = strncpy_from_guest(&p->mmu, name, a[0], sizeof name);
  if (r == -ENAMETOOLONG)
    return -EINVAL; /* longer than 249 bytes: the kernel's MFD_NAME_MAX */
  if (r < 0)
    return r;
  unsigned flags = (unsigned)a[1];
  int host = (int)syscall(SYS_memfd_create, name, flags | MFD_CLOEXEC);
  if (host < 0)
    return -errno;
  return fd_install(p, host, (flags & MFD_CLOEXEC) ? FD_CLOEXEC : 0, 0);
}
