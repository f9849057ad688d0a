/* What special paths open: /proc/self/... and /proc/cpuinfo are
 * generated from the emulated process and CPU; /dev/fb0 and
 * /dev/input/event{0,1} are the machine's display and input (fb.c,
 * evdev.c); /dev/null, /dev/zero, /dev/urandom and /dev/tty are the
 * host's own. Only absolute paths are recognised. */
#ifndef EMU_DEV_H
#define EMU_DEV_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct process;
struct fd_entry;
struct stat;

#define DEV_NOT_SPECIAL INT_MIN

/* What a guest descriptor is, beyond a host file (struct fd_entry.dev). */
enum dev_kind { DEV_NONE, DEV_FB, DEV_KEYBOARD, DEV_MOUSE };
/* --display: where the framebuffer is shown. */
enum dev_display { DISPLAY_NONE, DISPLAY_SDL };

/* A host fd for a generated file or a device (*kind says which, else
 * DEV_NONE), -errno, or DEV_NOT_SPECIAL. */
int dev_open(struct process *p, const char *path, int flags, int *kind);

/* --- the machine's devices (fb.c, evdev.c, display.c) --- */
/* At start-up, before any fork: the framebuffer's memory and registers,
 * which every process of the run then shares as one machine. 0, or
 * -errno when the host refuses (the device is then absent: ENODEV). */
int dev_machine_init(struct process *p);
/* At a process's end: its display thread stops (the window closes);
 * in the process emu started, --screenshot. */
void dev_machine_exit(struct process *p);
/* In a forked child: the parent's display and input threads are not
 * there (only the process that opened the display shows it). */
void dev_fork_child(struct process *p);
/* stat of a device node by path: 0 and *st, or DEV_NOT_SPECIAL. */
int dev_stat(const char *path, struct stat *st);
/* fstat of a device descriptor: *st (the host file's) made the node's. */
void dev_fstat(int kind, struct stat *st);
/* The file operations of a device descriptor, as its Linux driver does
 * them; pos < 0 is the file offset. Each returns what the call does. */
int64_t dev_ioctl(struct process *p, struct fd_entry *e, uint64_t cmd,
                  uint64_t arg);
int64_t dev_read(struct process *p, struct fd_entry *e, uint64_t buf,
                 uint64_t len, int64_t pos);
int64_t dev_write(struct process *p, struct fd_entry *e, uint64_t buf,
                  uint64_t len, int64_t pos);
int64_t dev_lseek(struct process *p, struct fd_entry *e, int64_t off,
                  int whence);
int64_t dev_mmap(struct process *p, struct fd_entry *e, uint64_t addr,
                 uint64_t len, int prot, int flags, uint64_t off);
/* --stats: frames the display presented in this process (false when it
 * never ran here). */
bool dev_frames_presented(uint64_t *frames);
/* The host path that stands for a guest path in stat/access/readlink and
 * opens of links (/proc/self/exe is the guest's image, /proc/self/fd/N
 * the guest's descriptor N); `path` itself when nothing changes. */
const char *dev_resolve(struct process *p, const char *path, char *buf,
                        size_t len);
/* readlink of the links Linux fakes for a process: the target length,
 * -errno, or DEV_NOT_SPECIAL. */
int dev_readlink(struct process *p, const char *path, char *buf, size_t len);

/* /dev/fd/N, and with `links` /dev/fd and /dev/std{in,out,err}, as the
 * guest's /proc/self/fd paths (in buf, or a constant); else path. */
const char *dev_fd_alias(const char *path, bool links, char *buf, size_t len);
/* The guest's /proc/self/fd directory: listed from the guest table. */
bool dev_is_fd_dir(struct process *p, const char *path);
/* linux_dirent64 records from position *pos on (advanced); bytes, 0 at
 * the end, or -EINVAL when not even one fits. */
long dev_fd_dir_read(struct process *p, uint64_t *pos, uint8_t *buf,
                     size_t len);

#endif
