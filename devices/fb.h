/* The framebuffer device's file operations (fb.c), for the dispatch in
 * machine.c. */
#ifndef EMU_FB_H
#define EMU_FB_H

#include <stdbool.h>
#include <stdint.h>

struct process;
struct stat;

/* The inode numbers the device nodes report (a devtmpfs of emu's). */
#define FB_NODE_INO 600
#define EVDEV_NODE_INO 700 /* + the device's number */

int fb_init(struct process *p, uint32_t width, uint32_t height, uint32_t bpp);
int fb_open(struct process *p, int flags);
int64_t fb_ioctl(struct process *p, uint64_t cmd, uint64_t arg);
int64_t fb_read(struct process *p, int host_fd, uint64_t buf, uint64_t len,
                int64_t pos);
int64_t fb_write(struct process *p, int host_fd, uint64_t buf, uint64_t len,
                 int64_t pos);
int64_t fb_lseek(int host_fd, int64_t off, int whence);
int64_t fb_mmap(struct process *p, int host_fd, uint64_t addr, uint64_t len,
                int prot, int flags, uint64_t off);
void fb_stat(struct stat *st);
int fb_screenshot(const char *path);
void fb_lock(void);
void fb_unlock(void);

/* The input devices (evdev.c). */
int evdev_open(struct process *p, int kind, int flags);
int64_t evdev_ioctl(struct process *p, int kind, int host_fd, uint64_t cmd,
                    uint64_t arg);
int64_t evdev_read(struct process *p, int host_fd, uint64_t buf, uint64_t len);
int64_t evdev_write(struct process *p, int kind, int host_fd, uint64_t buf,
                    uint64_t len);
void evdev_stat(int kind, struct stat *st);

#endif
