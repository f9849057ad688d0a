/* The machine's devices as the kernel sees them: their nodes (/dev/fb0,
 * /dev/input/event0 and event1), set up once at start, and the file
 * operations of their descriptors, dispatched by kind to fb.c and
 * evdev.c as a character device's file_operations would be. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../syscalls/process.h"
#include "dev.h"
#include "devices.h"
#include "fb.h"

static int node_kind(const char *path) {
  if (strcmp(path, "/dev/fb0") == 0)
    return DEV_FB;
  if (strcmp(path, "/dev/input/event0") == 0)
    return DEV_KEYBOARD;
  if (strcmp(path, "/dev/input/event1") == 0)
    return DEV_MOUSE;
  return DEV_NONE;
}

int dev_machine_init(struct process *p) {
  const struct emu_options *o = p->opt;
  uint32_t w = o && o->fb_width ? o->fb_width : 640;
  uint32_t h = o && o->fb_height ? o->fb_height : 480;
  uint32_t bpp = o && o->fb_bpp ? o->fb_bpp : 32;
  return fb_init(p, w, h, bpp);
}

void dev_machine_exit(struct process *p) {
  display_stop();
  /* The screen as the guest left it: the top process only (a forked
   * child ends its run through here too). */
  if (p->sig->is_child || !p->opt || !p->opt->screenshot)
    return;
  int r = fb_screenshot(p->opt->screenshot);
  if (r < 0)
    fprintf(stderr, "emu: --screenshot %s: %s\n", p->opt->screenshot,
            strerror(-r));
}

int dev_node_open(struct process *p, const char *path, int flags, int *kind) {
  *kind = node_kind(path);
  switch (*kind) {
  case DEV_FB: return fb_open(p, flags);
  case DEV_KEYBOARD:
  case DEV_MOUSE:
    if (!fb_regs())
      return -ENODEV;
    return evdev_open(p, *kind, flags);
  default: return DEV_NOT_SPECIAL;
  }
}

int dev_stat(const char *path, struct stat *st) {
  int kind = node_kind(path);
  if (kind == DEV_NONE || !fb_regs())
    return DEV_NOT_SPECIAL;
  dev_fstat(kind, st);
  return 0;
}

void dev_fstat(int kind, struct stat *st) {
  struct stat host = *st;
  if (kind == DEV_FB)
    fb_stat(st);
  else
    evdev_stat(kind, st);
  /* The times are the open file's, as a device node's would be. */
  st->st_atim = host.st_atim;
  st->st_mtim = host.st_mtim;
  st->st_ctim = host.st_ctim;
}

int64_t dev_ioctl(struct process *p, struct fd_entry *e, uint64_t cmd,
                  uint64_t arg) {
  if (e->dev == DEV_FB)
    return fb_ioctl(p, cmd, arg);
  return evdev_ioctl(p, e->dev, e->host_fd, cmd, arg);
}

int64_t dev_read(struct process *p, struct fd_entry *e, uint64_t buf,
                 uint64_t len, int64_t pos) {
  if (e->dev == DEV_FB)
    return fb_read(p, e->host_fd, buf, len, pos);
  if (pos >= 0)
    return -ESPIPE; /* evdev is a stream (stream_open) */
  return evdev_read(p, e->host_fd, buf, len);
}

int64_t dev_write(struct process *p, struct fd_entry *e, uint64_t buf,
                  uint64_t len, int64_t pos) {
  if (e->dev == DEV_FB)
    return fb_write(p, e->host_fd, buf, len, pos);
  if (pos >= 0)
    return -ESPIPE;
  return evdev_write(p, e->dev, e->host_fd, buf, len);
}

int64_t dev_lseek(struct process *p, struct fd_entry *e, int64_t off,
                  int whence) {
  (void)p;
  if (e->dev == DEV_FB)
    return fb_lseek(e->host_fd, off, whence);
  return -ESPIPE;
}

int64_t dev_mmap(struct process *p, struct fd_entry *e, uint64_t addr,
                 uint64_t len, int prot, int flags, uint64_t off) {
  if (e->dev == DEV_FB)
    return fb_mmap(p, e->host_fd, addr, len, prot, flags, off);
  return -ENODEV; /* evdev has no mmap */
}
