/* A file execve is about to load: opened as Linux's do_open_execat opens
 * it (a regular file with execute permission) and viewed read-only in
 * host memory for parsing. */
#ifndef EMU_LOADER_FILE_H
#define EMU_LOADER_FILE_H

#include <stddef.h>
#include <stdint.h>

struct loader_file {
  int fd;              /* host descriptor, -1 when closed */
  const uint8_t *data; /* whole file, read-only; NULL when empty */
  size_t size;
};

/* Open path for execution. Returns 0, or -errno with a reason in err:
 * -ENOENT, -EACCES (a directory, not a regular file, no execute
 * permission), ... */
int loader_file_open(const char *path, struct loader_file *f, char *err,
                     size_t errlen);
void loader_file_close(struct loader_file *f);

#endif
