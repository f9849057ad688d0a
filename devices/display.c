/* The display: a host thread of the process that first opened a device
 * scans the framebuffer out up to FB_REFRESH_HZ times a second, and
 * only when the visible screen changed. What changed is found as a
 * graphics driver with deferred I/O finds it: by the D bits of the page-
 * table entries that map video memory (Linux's fb_deferred_io write-
 * protects the pages instead). Each scan clears the D bits it finds set,
 * with a TLB shootdown so that the next store to such a page walks and
 * sets D again (mmu/shootdown.c); the CPUs only notice at a block
 * boundary, so guest code runs at full speed meanwhile.
 *
 * With --display sdl the thread also owns the window (display_sdl.c)
 * and turns its events into input events; with none it keeps count of
 * the frames a display would have shown. It feeds --input-script's
 * timed lines too. Another process that maps video memory (a forked
 * child) runs a scanner that only hands its D bits over (the `dirty`
 * bitmap of the shared registers). */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "../syscalls/process.h"
#include "../syscalls/thread/thread_internal.h"
#include "dev.h"
#include "devices.h"
#include "fb.h"
#include "fb_mode.h"

static pthread_mutex_t input_mutex = PTHREAD_MUTEX_INITIALIZER;
static bool started, scanner, owner;
static uint64_t frames_presented;
/* The thread this process runs (display or scanner), stopped and joined
 * before the process ends. */
static pthread_t worker;
static bool have_worker;
static volatile int stopping;

void input_lock(void) { pthread_mutex_lock(&input_mutex); }
void input_unlock(void) { pthread_mutex_unlock(&input_mutex); }
bool display_is_owner(void) { return owner; }

bool dev_frames_presented(uint64_t *frames) {
  *frames = __atomic_load_n(&frames_presented, __ATOMIC_RELAXED);
  return owner;
}

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The D bits of this process's page-table entries of video memory into
 * the shared bitmap, cleared; true when any was set. Under the kernel
 * lock: the VMAs and page tables are the kernel's. */
static bool collect_dirty(void) {
  struct fb_shared *r = fb_regs();
  bool any = false;
  /* Busy in the kernel for long (or ending): the next scan finds them. */
  if (!kernel_lock_within(5))
    return false;
  struct process *t = thread_find_index(0); /* any task: they share mm */
  for (int k = 0; t && k < t->mm->vmas.n; k++) {
    const struct vma *v = &t->mm->vmas.v[k];
    if (!v->shm || !fb_maps(v))
      continue;
    uint64_t pte;
    for (uint64_t a = mmu_next_present(&t->mmu, v->start, v->end, &pte);
         a < v->end;
         a = mmu_next_present(&t->mmu, a + PAGE_SIZE, v->end, &pte)) {
      if (pte & PTE_D) {
        mmu_clear_dirty(&t->mmu, a);
        uint64_t page = ((pte & PTE_ADDR) - r->smem_start) / PAGE_SIZE;
        fb_mark_dirty(page, page);
        any = true;
      }
    }
  }
  /* No CPU may keep a writable TLB entry for a page whose D is clear. */
  if (any && t)
    mmu_shootdown_space(t->mmu.space);
  kernel_unlock();
  return any;
}

/* Take the dirty pages of [first, last] out of the shared bitmap: were
 * any of them written since the last scan? The others stay for no one:
 * pages off screen matter again only after a pan, which repaints all. */
static bool take_dirty(uint64_t first, uint64_t last) {
  struct fb_shared *r = fb_regs();
  bool hit = false;
  for (uint64_t w = 0; w < FB_PAGES_MAX / 64; w++) {
    uint64_t bits = __atomic_exchange_n(&r->dirty[w], 0, __ATOMIC_RELAXED);
    if (!bits)
      continue;
    uint64_t lo = w * 64, hi = lo + 63;
    if (hi < first || lo > last)
      continue;
    uint64_t mask = ~0ull;
    if (first > lo)
      mask &= ~0ull << (first - lo);
    if (last < hi)
      mask &= ~0ull >> (hi - last);
    hit |= (bits & mask) != 0;
  }
  return hit;
}

/* The scanner of a process that does not show the display. It sleeps a
 * frame at a time. */
static void *scanner_main(void *arg) {
  (void)arg;
  while (!stopping) {
    collect_dirty();
    struct timespec tick = {0, 1000000000 / FB_REFRESH_HZ};
    nanosleep(&tick, NULL);
  }
  return NULL;
}

static void *display_main(void *arg) {
  struct process *p = arg;
  struct fb_shared *r = fb_regs();
  struct sdl_window *win = NULL;
  if (p->opt && p->opt->display == DISPLAY_SDL) {
    char why[256];
    win = sdl_window_open(why, sizeof why);
    if (!win && p->opt->display_asked)
      fprintf(stderr, "emu: --display sdl: %s\n", why);
  }
  uint64_t shown_changes = ~0ull;
  const uint64_t period = 1000000000ull / FB_REFRESH_HZ;
  uint64_t next = now_ns() + period;
  while (!stopping) {
    collect_dirty();
    fb_lock();
    struct fb_var_screeninfo var = r->var;
    uint64_t changes = r->changes, guest_frames = r->guest_frames;
    bool blank = r->blank != FB_BLANK_UNBLANK;
    fb_unlock();
    uint32_t pitch = fb_line_length(&var);
    uint64_t first = (uint64_t)var.yoffset * pitch +
                     (uint64_t)var.xoffset * (var.bits_per_pixel / 8);
    uint64_t last = first + (uint64_t)(var.yres - 1) * pitch +
                    (uint64_t)var.xres * (var.bits_per_pixel / 8) - 1;
    bool dirty = take_dirty(first / PAGE_SIZE, last / PAGE_SIZE);
    if (dirty || changes != shown_changes) {
      if (win)
        sdl_window_present(win, fb_memory() + first, pitch, var.xres, var.yres,
                           var.bits_per_pixel, blank);
      __atomic_add_fetch(&frames_presented, 1, __ATOMIC_RELAXED);
      shown_changes = changes;
    }
    if (win) {
      input_lock();
      bool open = sdl_window_pump(win);
      input_unlock();
      if (!open) {
        /* Closing the window hangs the line up, as a terminal's does. */
        kill(getpid(), SIGHUP);
        sdl_window_close(win);
        win = NULL; /* the rest of the run is headless */
      }
    }
    uint64_t now = now_ns();
    struct input_script *s = input_script_get();
    if (s) { /* its sleeps, and frames other processes finished */
      input_lock();
      input_script_run(s, NULL, guest_frames, now);
      input_unlock();
    }
    next += period;
    if (next < now) /* fell behind: no catching up */
      next = now + period;
    struct timespec at = {(time_t)(next / 1000000000ull),
                          (long)(next % 1000000000ull)};
    clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL);
  }
  if (win)
    sdl_window_close(win);
  return NULL;
}

/* A host thread that takes none of the guest's signals: they are for the
 * guest's threads (syscalls/signal/host_signal.c). */
static void spawn(void *(*fn)(void *), void *arg) {
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  have_worker = pthread_create(&worker, NULL, fn, arg) == 0;
  pthread_sigmask(SIG_SETMASK, &old, NULL);
}

void display_stop(void) {
  if (!have_worker)
    return;
  stopping = 1;
  pthread_join(worker, NULL);
  have_worker = false;
}

void display_start(struct process *p) {
  struct fb_shared *r = fb_regs();
  if (started || !r)
    return;
  int none = 0, self = getpid();
  if (!__atomic_compare_exchange_n(&r->owner_pid, &none, self, false,
                                   __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST) &&
      none != self)
    return; /* another process shows it */
  started = owner = true;
  spawn(display_main, p);
}

void display_start_scanner(struct process *p) {
  (void)p;
  if (owner || scanner || !fb_regs())
    return;
  scanner = true;
  spawn(scanner_main, NULL);
}

void dev_fork_child(struct process *p) {
  /* The parent's threads did not come along; its locks may have been
   * held by them. */
  pthread_mutex_init(&input_mutex, NULL);
  started = scanner = owner = have_worker = false;
  stopping = 0;
  frames_presented = 0;
  evdev_fork_child();
  for (int k = 0; k < p->mm->vmas.n; k++)
    if (p->mm->vmas.v[k].shm && fb_maps(&p->mm->vmas.v[k])) {
      display_start_scanner(p);
      break;
    }
}
