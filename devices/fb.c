/* /dev/fb0: the machine's framebuffer with Linux's fbdev ABI
 * (include/uapi/linux/fb.h, drivers/video/fbdev/core/fbmem.c).
 *
 * Video memory is a range of guest physical memory (the MMU's shared
 * window, like a graphics card's aperture; FBIOGET_FSCREENINFO reports
 * it as smem_start) backed by a host memfd, created before the first
 * fork so that every process of the run sees the same screen. The guest
 * maps it with mmap (its pages are that range, still shared after fork),
 * or reads and writes it with read/write/lseek/pread on a descriptor
 * that is a second open file of the memfd: its file offset is then
 * shared as Linux shares an open file's. The registers (the mode, the
 * pan offsets, blanking) live in host shared memory too (devices.h). */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "../syscalls/fs.h"
#include "../syscalls/process.h"
#include "dev.h"
#include "devices.h"
#include "fb.h"
#include "fb_mode.h"

static struct fb_shared *regs;
static uint8_t *video;     /* host view of video memory */
static int memory_fd = -1; /* emu's own descriptor of the memfd */
/* What guest mappings of video memory refer to: the window range (never
 * given back: this reference is never put) and the file /proc/PID/maps
 * names. */
static struct shm_object object;
static struct mapped_file node;

struct fb_shared *fb_regs(void) {
  return regs;
}
uint8_t *fb_memory(void) { return video; }
bool fb_maps(const struct vma *v) { return regs && v->file == &node; }

static uint64_t round_up(uint64_t x, uint64_t to) {
  return (x + to - 1) / to * to;
}

int fb_init(struct process *p, uint32_t width, uint32_t height, uint32_t bpp) {
  struct fb_var_screeninfo var;
  fb_mode_default(&var, width, height, bpp);
  uint64_t need = (uint64_t)fb_line_length(&var) * var.yres_virtual;
  uint64_t len = round_up(need, 1u << 20);
  if (len < FB_MEM_DEFAULT)
    len = FB_MEM_DEFAULT;
  if (len > FB_MEM_MAX)
    return -EINVAL;
  int fd = memfd_create("emu-fb0", MFD_CLOEXEC);
  if (fd < 0)
    return -errno;
  /* Out of the way of the numbers the guest's files get (like mapped
   * files, mmap.c). */
  memory_fd = fcntl(fd, F_DUPFD_CLOEXEC, 100);
  close(fd);
  if (memory_fd < 0 || ftruncate(memory_fd, (off_t)len) < 0)
    return -errno;
  uint64_t paddr = mmu_window_map(&p->mmu, memory_fd, 0, len, true);
  if (!paddr)
    return -ENOMEM;
  void *shared =
      mmap(NULL, round_up(sizeof *regs, PAGE_SIZE), PROT_READ | PROT_WRITE,
           MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (shared == MAP_FAILED)
    return -ENOMEM;
  regs = shared;
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
  pthread_mutex_init(&regs->lock, &attr);
  pthread_mutexattr_destroy(&attr);
  regs->var = var;
  regs->smem_start = paddr;
  regs->smem_len = len;
  video = mmu_phys(&p->mmu, paddr);
  object = (struct shm_object){
      .paddr = paddr, .len = len, .refs = 1, .writable = true};
  node = (struct mapped_file){.host_fd = memory_fd,
                              .refs = 1,
                              .dev = makedev(0, 5), /* devtmpfs */
                              .ino = FB_NODE_INO,
                              .path = strdup("/dev/fb0"),
                              .pfnmap = true};
  return 0;
}

void fb_lock(void) { pthread_mutex_lock(&regs->lock); }
void fb_unlock(void) { pthread_mutex_unlock(&regs->lock); }

void fb_mark_dirty(uint64_t first, uint64_t last) {
  for (uint64_t k = first; k <= last && k < FB_PAGES_MAX; k++)
    __atomic_fetch_or(&regs->dirty[k / 64], 1ull << (k % 64), __ATOMIC_RELAXED);
}

/* A second open file of video memory, with the guest's access mode and
 * status flags (its own offset, as each open of a device has). */
int fb_open(struct process *p, int flags) {
  if (!regs)
    return -ENODEV;
  if ((flags & O_CREAT) && (flags & O_EXCL))
    return -EEXIST;
  if (flags & O_DIRECTORY)
    return -ENOTDIR;
  char path[64];
  snprintf(path, sizeof path, "/proc/self/fd/%d", memory_fd);
  int keep = O_ACCMODE | O_NONBLOCK | O_SYNC | O_DSYNC;
  int h = open(path, (flags & keep) | O_CLOEXEC);
  if (h < 0)
    return -errno;
  display_start(p);
  return h;
}

/* --- the ioctls (fbmem.c do_fb_ioctl, and FBIO_WAITFORVSYNC as the DRM
 * fbdev emulation does it) --- */

static int64_t get_var(struct process *p, uint64_t arg) {
  fb_lock();
  struct fb_var_screeninfo var = regs->var;
  fb_unlock();
  return copy_to_guest(&p->mmu, arg, &var, sizeof var) < 0 ? -EFAULT : 0;
}

/* FB_ACTIVATE_INV_MODE asks to forget a mode of the mode list: only the
 * current one is there, and that cannot go (fb_set_var). */
static bool same_mode(const struct fb_var_screeninfo *a,
                      const struct fb_var_screeninfo *b) {
  return a->xres == b->xres && a->yres == b->yres &&
         a->pixclock == b->pixclock && a->hsync_len == b->hsync_len &&
         a->vsync_len == b->vsync_len && a->left_margin == b->left_margin &&
         a->right_margin == b->right_margin &&
         a->upper_margin == b->upper_margin &&
         a->lower_margin == b->lower_margin && a->sync == b->sync &&
         a->vmode == b->vmode;
}

static int64_t put_var(struct process *p, uint64_t arg) {
  struct fb_var_screeninfo var;
  if (copy_from_guest(&p->mmu, &var, arg, sizeof var) < 0)
    return -EFAULT;
  fb_lock();
  int r;
  if (var.activate & FB_ACTIVATE_INV_MODE) {
    r = same_mode(&var, &regs->var) ? -EINVAL : 0;
  } else {
    struct fb_var_screeninfo before = regs->var;
    r = fb_set_var(&regs->var, &var, regs->smem_len);
    if (memcmp(&before, &regs->var, sizeof before) != 0)
      regs->changes++;
  }
  fb_unlock();
  if (r == 0 && copy_to_guest(&p->mmu, arg, &var, sizeof var) < 0)
    return -EFAULT;
  return r;
}

static int64_t get_fix(struct process *p, uint64_t arg) {
  struct fb_fix_screeninfo fix;
  fb_lock();
  fb_fix_info(&regs->var, regs->smem_start, regs->smem_len, &fix);
  fb_unlock();
  return copy_to_guest(&p->mmu, arg, &fix, sizeof fix) < 0 ? -EFAULT : 0;
}

static int64_t pan(struct process *p, uint64_t arg) {
  struct fb_var_screeninfo var;
  if (copy_from_guest(&p->mmu, &var, arg, sizeof var) < 0)
    return -EFAULT;
  fb_lock();
  int r = fb_pan_display(&regs->var, &var);
  if (r == 0)
    regs->changes++;
  fb_unlock();
  if (r == 0)
    fb_guest_frame(p, true);
  return r;
}

/* The next vertical blank of a FB_REFRESH_HZ display, on the guest's
 * monotonic clock (the virtual one with --deterministic). As DRM's
 * drm_crtc_wait_one_vblank, the wait is not cut short by signals. */
static int64_t wait_vsync(struct process *p) {
  const int64_t period = 1000000000 / FB_REFRESH_HZ;
  struct timespec now;
  if (time_clock_now(p, CLOCK_MONOTONIC, &now) == 0) {
    int64_t ns = now.tv_sec * 1000000000ll + now.tv_nsec;
    int64_t next = (ns / period + 1) * period;
    struct timespec at = {next / 1000000000, next % 1000000000};
    time_sleep(p, CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL);
  }
  fb_guest_frame(p, false);
  return 0;
}

int64_t fb_ioctl(struct process *p, uint64_t cmd, uint64_t arg) {
  switch (cmd) {
  case FBIOGET_VSCREENINFO: return get_var(p, arg);
  case FBIOPUT_VSCREENINFO: return put_var(p, arg);
  case FBIOGET_FSCREENINFO: return get_fix(p, arg);
  case FBIOPAN_DISPLAY: return pan(p, arg);
  case FBIOBLANK:
    if (arg > FB_BLANK_POWERDOWN)
      return -EINVAL;
    fb_lock();
    if (regs->blank != (int)arg)
      regs->changes++;
    regs->blank = (int)arg;
    fb_unlock();
    return 0;
  case FBIO_WAITFORVSYNC: return wait_vsync(p);
  case FBIOGETCMAP:
  case FBIOPUTCMAP: {
    /* A true-colour device without a palette: the request is read, then
     * refused (fb_cmap_to_user, fb_set_cmap). */
    struct fb_cmap cmap;
    if (copy_from_guest(&p->mmu, &cmap, arg, sizeof cmap) < 0)
      return -EFAULT;
    return -EINVAL;
  }
  case FBIO_CURSOR: return -EINVAL; /* no hardware cursor */
  default: return -ENOTTY;
  }
}

void fb_guest_frame(struct process *p, bool is_pan) {
  fb_lock();
  /* pan, then wait for the blank it takes effect at: one frame */
  bool counts = is_pan || !regs->pan_pending;
  regs->pan_pending = is_pan;
  if (counts)
    regs->guest_frames++;
  uint64_t frames = regs->guest_frames;
  fb_unlock();
  if (counts && display_is_owner()) {
    struct input_script *s = input_script_get();
    if (s) {
      struct timespec now;
      clock_gettime(CLOCK_MONOTONIC, &now);
      input_lock();
      input_script_run(s, p, frames,
                       (uint64_t)now.tv_sec * 1000000000ull + now.tv_nsec);
      input_unlock();
    }
  }
}

/* --- read, write, lseek (fb_read, fb_write, default_llseek) --- */

static int64_t offset_of(int host_fd, int64_t pos) {
  return pos >= 0 ? pos : lseek(host_fd, 0, SEEK_CUR);
}

int64_t fb_read(struct process *p, int host_fd, uint64_t buf, uint64_t len,
                int64_t pos) {
  /* The memfd is exactly smem_len long: reads stop at its end, as
   * fb_read stops at the screen's. */
  return fs_read_into(p, host_fd, buf, len, pos);
}

int64_t fb_write(struct process *p, int host_fd, uint64_t buf, uint64_t len,
                 int64_t pos) {
  int64_t at = offset_of(host_fd, pos);
  uint64_t total = regs->smem_len;
  if (at < 0)
    return -errno;
  if ((uint64_t)at > total)
    return -EFBIG;
  int64_t err = 0;
  if (len > total) {
    err = -EFBIG;
    len = total;
  }
  if (len + (uint64_t)at > total) {
    if (!err)
      err = -ENOSPC;
    len = total - (uint64_t)at;
  }
  int64_t r = len ? fs_write_from(p, host_fd, buf, len, pos) : 0;
  if (r > 0)
    fb_mark_dirty((uint64_t)at / PAGE_SIZE, ((uint64_t)at + r - 1) / PAGE_SIZE);
  return r ? r : err;
}

/* default_llseek on a character device, whose size is 0. */
int64_t fb_lseek(int host_fd, int64_t off, int whence) {
  switch (whence) {
  case SEEK_SET:
  case SEEK_CUR: break;
  case SEEK_END: whence = SEEK_SET; break;
  case SEEK_DATA:
  case SEEK_HOLE:
    if (off >= 0)
      return -ENXIO;
    return -EINVAL;
  default: return -EINVAL;
  }
  off_t r = lseek(host_fd, off, whence);
  return r < 0 ? -errno : r;
}

/* fb_mmap: video memory from offset 0 (vm_iomap_memory: a range past its
 * end is -EINVAL; there is no MMIO range after it). A shared mapping is
 * the memory itself; a private one is copied on write, as for any
 * mapping of a device's pages. */
int64_t fb_mmap(struct process *p, int host_fd, uint64_t addr, uint64_t len,
                int prot, int flags, uint64_t off) {
  int acc = fcntl(host_fd, F_GETFL) & O_ACCMODE;
  int type = flags & MAP_TYPE;
  if (acc == O_WRONLY)
    return -EACCES;
  if (type != MAP_PRIVATE && (prot & PROT_WRITE) && acc != O_RDWR)
    return -EACCES;
  uint64_t pages = regs->smem_len / PAGE_SIZE;
  uint64_t want = (len + PAGE_SIZE - 1) / PAGE_SIZE;
  if (len && (off / PAGE_SIZE > pages || want > pages - off / PAGE_SIZE))
    return -EINVAL;
  int64_t r = mm_map_device(p, addr, len, prot, flags, &node,
                            type == MAP_PRIVATE ? NULL : &object, off);
  if (r >= 0 && type != MAP_PRIVATE)
    display_start_scanner(p);
  return r;
}

void fb_stat(struct stat *st) {
  memset(st, 0, sizeof *st);
  st->st_dev = makedev(0, 5);
  st->st_ino = FB_NODE_INO;
  st->st_mode = S_IFCHR | 0660;
  st->st_nlink = 1;
  struct group *g = getgrnam("video");
  st->st_gid = g ? g->gr_gid : 0;
  st->st_rdev = makedev(29, 0); /* FB_MAJOR, minor 0 */
  st->st_blksize = 4096;
}

/* --screenshot: the visible part of the screen as the guest left it. */
int fb_screenshot(const char *path) {
  if (!regs)
    return -ENODEV;
  fb_lock();
  struct fb_var_screeninfo var = regs->var;
  bool blank = regs->blank != FB_BLANK_UNBLANK;
  fb_unlock();
  uint32_t pitch = fb_line_length(&var), bytes = var.bits_per_pixel / 8;
  const uint8_t *first =
      video + (uint64_t)var.yoffset * pitch + (uint64_t)var.xoffset * bytes;
  uint8_t *black = NULL;
  if (blank) { /* a blanked screen shows nothing */
    black = calloc(var.yres, pitch);
    if (!black)
      return -ENOMEM;
    first = black;
  }
  int r = bmp_write(path, first, pitch, var.xres, var.yres, var.bits_per_pixel);
  free(black);
  return r;
}
