/* Mapping PT_LOAD segments as Linux 6.x's elf_load does: the file part
 * MAP_PRIVATE|MAP_FIXED from the page holding p_vaddr, the rest of its
 * last file page zeroed (padzero, only when the segment is writable),
 * and anonymous read-write pages for the bss beyond it (vm_brk_flags).
 * Pages are not read here: the kernel fills them on first touch. */
#include "load.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

static uint64_t page_up(uint64_t x) { return (x + PAGE_SIZE - 1) & PAGE_MASK; }

static int make_prot(uint32_t p_flags) {
  return (p_flags & PF_R ? PROT_READ : 0) | (p_flags & PF_W ? PROT_WRITE : 0) |
         (p_flags & PF_X ? PROT_EXEC : 0);
}

/* Linux's maximum_alignment, rounded up to a page. */
static uint64_t image_align(const struct elf_file *f) {
  return page_up(f->max_align);
}

int load_fixed_bias(const struct elf_file *f, uint64_t *bias, char *err,
                    size_t errlen) {
  uint64_t b = 0;
  if (f->ehdr.e_type == ET_DYN) {
    uint64_t base = LOAD_ET_DYN_BASE;
    uint64_t align = image_align(f);
    if (align)
      base &= ~(align - 1);
    /* The first PT_LOAD's p_vaddr (not page-aligned) as in Linux. */
    uint64_t first = 0;
    for (int k = 0; k < f->phnum; k++)
      if (f->phdrs[k].p_type == PT_LOAD) {
        first = f->phdrs[k].p_vaddr;
        break;
      }
    b = (base - first) & PAGE_MASK;
  }
  /* Wrap-around of bias + address is the overflow to catch. */
  if (b + f->load_min < b || b + f->load_end < b ||
      b + f->load_end > USER_TOP || b + f->load_min < ELF_MIN_VADDR) {
    snprintf(err, errlen, "loadable segments do not fit in user space");
    return -EINVAL;
  }
  if (b + f->ehdr.e_entry >= USER_TOP) {
    snprintf(err, errlen, "entry point beyond user space");
    return -EINVAL;
  }
  *bias = b;
  return 0;
}

int load_topdown_bias(struct process *p, const struct elf_file *f,
                      uint64_t hint, uint64_t align, uint64_t *bias) {
  uint64_t total = page_up(f->load_end - f->load_min);
  int64_t at =
      mm_map(p, hint, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (at < 0)
    return (int)at;
  mm_unmap(p, (uint64_t)at, total);
  if (align > PAGE_SIZE)
    at &= ~(int64_t)(align - 1);
  *bias = (uint64_t)at - f->load_min;
  return 0;
}

static int zero_guest(struct process *p, uint64_t addr, uint64_t n) {
  static const uint8_t zeros[PAGE_SIZE];
  return copy_to_guest(&p->mmu, addr, zeros, n);
}

static int64_t map_segment(struct process *p, const Elf64_Phdr *ph, int host_fd,
                           uint64_t bias) {
  uint64_t vaddr = ph->p_vaddr + bias;
  uint64_t in_page = vaddr & ~PAGE_MASK;
  int prot = make_prot(ph->p_flags);
  uint64_t zero_start, zero_end = vaddr + ph->p_memsz;
  if (ph->p_filesz) {
    int64_t r =
        mm_map(p, vaddr - in_page, ph->p_filesz + in_page, prot,
               MAP_PRIVATE | MAP_FIXED, host_fd, ph->p_offset - in_page);
    if (r < 0)
      return r;
    zero_start = vaddr + ph->p_filesz;
    /* padzero: the file's bytes after p_filesz in the last page are not
     * part of the segment. Linux ignores the failure when the segment is
     * read-only, and so the bytes stay. */
    uint64_t tail = page_up(zero_start) - zero_start;
    if (ph->p_memsz > ph->p_filesz && tail && (prot & PROT_WRITE)) {
      r = zero_guest(p, zero_start, tail);
      if (r < 0)
        return r;
    }
  } else {
    zero_start = vaddr - in_page;
  }
  if (ph->p_memsz > ph->p_filesz) {
    uint64_t from = page_up(zero_start), to = page_up(zero_end);
    if (to > from) {
      int64_t r = mm_map(p, from, to - from,
                         PROT_READ | PROT_WRITE | (prot & PROT_EXEC),
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
      if (r < 0)
        return r;
    }
  }
  return 0;
}

/* The mapped range must not land on something already there (Linux maps
 * with MAP_FIXED_NOREPLACE and fails with EEXIST). */
static bool range_taken(struct process *p, uint64_t start, uint64_t end) {
  for (int k = 0; k < p->mm->vmas.n; k++)
    if (p->mm->vmas.v[k].start < end && p->mm->vmas.v[k].end > start)
      return true;
  return false;
}

int load_segments(struct process *p, const struct elf_file *f, int host_fd,
                  uint64_t bias, struct loaded_image *out, char *err,
                  size_t errlen) {
  const Elf64_Ehdr *h = &f->ehdr;
  memset(out, 0, sizeof *out);
  if (range_taken(p, bias + f->load_min, page_up(bias + f->load_end))) {
    snprintf(err, errlen, "segments overlap an existing mapping");
    return -EEXIST;
  }
  uint64_t phdr = 0;
  for (int k = 0; k < f->phnum; k++) {
    const Elf64_Phdr *ph = &f->phdrs[k];
    if (ph->p_type != PT_LOAD)
      continue;
    int64_t r = map_segment(p, ph, host_fd, bias);
    if (r < 0) {
      snprintf(err, errlen, "cannot map segment %d: %s", k, strerror((int)-r));
      return (int)r;
    }
    /* AT_PHDR: the program headers inside the segment holding them. */
    if (ph->p_offset <= h->e_phoff && h->e_phoff < ph->p_offset + ph->p_filesz)
      phdr = h->e_phoff - ph->p_offset + ph->p_vaddr;
  }
  out->bias = bias;
  out->entry = h->e_entry + bias;
  out->phdr = phdr + bias;
  out->end = f->load_end + bias;
  return 0;
}
