/* The memory map in /proc/self/maps format (fs/proc/task_mmu.c):
 * start-end perms offset dev inode, then the path padded to column 74. */
#include <stdio.h>
#include <sys/mman.h>
#include <sys/sysmacros.h>

#include "../process.h"

static const char *kind_name(int kind) {
  switch (kind) {
  case VMA_HEAP: return "[heap]";
  case VMA_STACK: return "[stack]";
  case VMA_VDSO: return "[vdso]";
  case VMA_VVAR: return "[vvar]";
  case VMA_VVAR_VCLOCK: return "[vvar_vclock]";
  default: return NULL;
  }
}

void vma_format_maps(struct process *p, FILE *out, const char *indent) {
  for (int k = 0; k < p->mm->vmas.n; k++) {
    const struct vma *v = &p->mm->vmas.v[k];
    const char *name = v->file ? v->file->path : kind_name(v->kind);
    unsigned long long dev = v->file ? v->file->dev : 0;
    int len = fprintf(
        out, "%s%08llx-%08llx %c%c%c%c %08llx %02x:%02x %llu ", indent,
        (unsigned long long)v->start, (unsigned long long)v->end,
        v->prot & PROT_READ ? 'r' : '-', v->prot & PROT_WRITE ? 'w' : '-',
        v->prot & PROT_EXEC ? 'x' : '-', v->flags & MAP_SHARED ? 's' : 'p',
        (unsigned long long)(v->file ? v->offset : 0), major(dev), minor(dev),
        (unsigned long long)(v->file ? v->file->ino : 0));
    if (name) {
      int pad = 73 - (len - (int)__builtin_strlen(indent));
      fprintf(out, "%*s%s", pad > 0 ? pad : 0, "", name);
    }
    fputc('\n', out);
  }
}
