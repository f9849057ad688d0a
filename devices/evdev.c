/* /dev/input/event0 (a keyboard) and /dev/input/event1 (a mouse) with
 * Linux's evdev ABI (include/uapi/linux/input.h, drivers/input/evdev.c,
 * drivers/input/input.c).
 *
 * Each open is a client with its own queue, as in evdev: a host socket
 * pair whose one end is the guest's descriptor and whose other end emu
 * writes whole packets of struct input_event into (events up to their
 * EV_SYN/SYN_REPORT, in one write). So read, O_NONBLOCK, poll, select
 * and epoll behave as on the device — readable when a packet is queued,
 * always writable — with no emulation of their own. Events come from
 * the window (display_sdl.c), --input-script and the guest's own writes
 * (evdev_write injects, as Linux does), through evdev_event, which
 * filters them as the input core does. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/input.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "../syscalls/fs.h"
#include "../syscalls/process.h"
#include "dev.h"
#include "devices.h"
#include "fb.h"

#define BITS_LONGS(n) (((n) + 63) / 64)
#define PACKET_MAX 64

struct client {
  int kind;
  int write_fd; /* emu's end */
  uint64_t ino; /* the guest's end, to find the client of a descriptor */
  int access;   /* O_RDONLY, O_WRONLY, O_RDWR as opened */
  int clock;    /* EVIOCSCLOCKID */
  bool dropped; /* a packet did not fit: SYN_DROPPED goes first */
  bool revoked; /* EVIOCREVOKE: no more events, calls fail with ENODEV */
  struct client *next;
};

struct device {
  const char *name, *phys;
  struct input_id id;
  uint64_t evbit[BITS_LONGS(EV_CNT)];
  uint64_t keybit[BITS_LONGS(KEY_CNT)];
  uint64_t relbit[BITS_LONGS(REL_CNT)];
  uint64_t key[BITS_LONGS(KEY_CNT)]; /* keys held now (EVIOCGKEY) */
  int rep[REP_CNT];
  struct client *grab;
  struct input_event packet[PACKET_MAX];
  int queued;
};

static struct device devices[2];
static struct client *clients;

static void set_bit(uint64_t *b, unsigned n) { b[n / 64] |= 1ull << (n % 64); }
static bool test_bit(const uint64_t *b, unsigned n) {
  return b[n / 64] >> (n % 64) & 1;
}

static struct device *device_of(int kind) {
  struct device *d = &devices[kind == DEV_MOUSE];
  if (d->name)
    return d;
  /* The capabilities, set once: what drivers declare at registration. */
  set_bit(d->evbit, EV_SYN);
  set_bit(d->evbit, EV_KEY);
  if (kind == DEV_KEYBOARD) {
    d->name = "emu keyboard";
    d->phys = "emu/input0";
    d->id = (struct input_id){BUS_VIRTUAL, 0x1af4, 0x0001, 1};
    set_bit(d->evbit, EV_REP);
    for (unsigned k = 1; k < KEY_CNT; k++)
      if (keymap_is_key(k))
        set_bit(d->keybit, k);
    d->rep[REP_DELAY] = 250;
    d->rep[REP_PERIOD] = 33;
  } else {
    d->name = "emu mouse";
    d->phys = "emu/input1";
    d->id = (struct input_id){BUS_VIRTUAL, 0x1af4, 0x0002, 1};
    set_bit(d->evbit, EV_REL);
    set_bit(d->keybit, BTN_LEFT);
    set_bit(d->keybit, BTN_RIGHT);
    set_bit(d->keybit, BTN_MIDDLE);
    set_bit(d->relbit, REL_X);
    set_bit(d->relbit, REL_Y);
    set_bit(d->relbit, REL_WHEEL);
  }
  return d;
}

static void client_drop(struct client *c) {
  for (struct client **l = &clients; *l; l = &(*l)->next)
    if (*l == c) {
      *l = c->next;
      break;
    }
  for (int k = 0; k < 2; k++)
    if (devices[k].grab == c)
      devices[k].grab = NULL;
  close(c->write_fd);
  free(c);
}

static struct client *client_of(int host_fd) {
  struct stat st;
  if (fstat(host_fd, &st) < 0)
    return NULL;
  for (struct client *c = clients; c; c = c->next)
    if (c->ino == st.st_ino)
      return c;
  return NULL;
}

int evdev_open(struct process *p, int kind, int flags) {
  if ((flags & O_CREAT) && (flags & O_EXCL))
    return -EEXIST;
  if (flags & O_DIRECTORY)
    return -ENOTDIR;
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
    return -errno;
  struct client *c = calloc(1, sizeof *c);
  struct stat st;
  if (!c || fstat(sv[0], &st) < 0) {
    free(c);
    close(sv[0]);
    close(sv[1]);
    return -ENOMEM;
  }
  if (flags & O_NONBLOCK)
    fcntl(sv[0], F_SETFL, O_NONBLOCK);
  shutdown(sv[1], SHUT_RD);
  c->kind = kind;
  c->write_fd = sv[1];
  c->ino = st.st_ino;
  c->access = flags & O_ACCMODE;
  c->clock = CLOCK_REALTIME;
  input_lock();
  device_of(kind);
  c->next = clients;
  clients = c;
  input_unlock();
  display_start(p);
  return sv[0];
}

/* --- delivery (input.c input_handle_event, evdev.c evdev_pass_values) --- */

static void stamp(struct process *p, int clock, struct input_event *ev) {
  struct timespec ts;
  if (!p || time_clock_now(p, clock, &ts) < 0)
    clock_gettime(clock, &ts);
  ev->input_event_sec = ts.tv_sec;
  ev->input_event_usec = ts.tv_nsec / 1000;
}

static bool send_all(struct client *c, const void *buf, size_t len) {
  ssize_t w = send(c->write_fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
  if (w < 0 && (errno == EPIPE || errno == ECONNRESET)) {
    client_drop(c); /* the guest closed its descriptor */
    return false;
  }
  return w == (ssize_t)len;
}

/* One packet to one client, stamped by its clock. A full queue loses
 * the packet and queues SYN_DROPPED once there is room, as evdev does
 * when a client's buffer overflows. */
static void pass(struct process *p, struct client *c, struct device *d) {
  struct input_event evs[PACKET_MAX + 1];
  struct input_event t = {0};
  stamp(p, c->clock, &t);
  int n = 0;
  if (c->dropped)
    evs[n++] = (struct input_event){
        .time = t.time, .type = EV_SYN, .code = SYN_DROPPED};
  for (int k = 0; k < d->queued; k++) {
    evs[n] = d->packet[k];
    evs[n++].time = t.time;
  }
  if (send_all(c, evs, (size_t)n * sizeof *evs))
    c->dropped = false;
  else
    c->dropped = true;
}

static void flush(struct process *p, int kind, struct device *d) {
  if (!d->queued)
    return; /* an empty SYN_REPORT is dropped */
  d->packet[d->queued++] =
      (struct input_event){.type = EV_SYN, .code = SYN_REPORT};
  if (d->grab) {
    pass(p, d->grab, d);
  } else {
    for (struct client *c = clients, *next; c; c = next) {
      next = c->next; /* pass may drop c */
      if (c->kind == kind && !c->revoked)
        pass(p, c, d);
    }
  }
  d->queued = 0;
}

void evdev_event(struct process *p, int kind, uint16_t type, uint16_t code,
                 int32_t value) {
  struct device *d = device_of(kind);
  bool keep = false;
  switch (type) {
  case EV_SYN:
    if (code == SYN_REPORT)
      flush(p, kind, d);
    return;
  case EV_KEY:
    if (code >= KEY_CNT || !test_bit(d->keybit, code))
      return;
    /* auto-repeat passes; a press or release only if it changes state */
    if (value == 2) {
      keep = true;
    } else if (test_bit(d->key, code) != (value != 0)) {
      d->key[code / 64] ^= 1ull << (code % 64);
      keep = true;
    }
    break;
  case EV_REL:
    keep = test_bit(d->evbit, EV_REL) && code < REL_CNT &&
           test_bit(d->relbit, code) && value != 0;
    break;
  case EV_REP:
    if (test_bit(d->evbit, EV_REP) && code <= REP_MAX && value >= 0 &&
        d->rep[code] != value) {
      d->rep[code] = value;
      keep = true;
    }
    break;
  default: return;
  }
  if (!keep)
    return;
  if (d->queued >= PACKET_MAX - 1) /* the core syncs a full packet itself */
    flush(p, kind, d);
  d->packet[d->queued++] =
      (struct input_event){.type = type, .code = code, .value = value};
}

void evdev_fork_child(void) {
  /* The parent's clients are its own (the guest's ends stay shared:
   * this process reads what the parent delivers to them). */
  while (clients) {
    struct client *c = clients;
    clients = c->next;
    close(c->write_fd);
    free(c);
  }
  for (int k = 0; k < 2; k++) {
    devices[k].grab = NULL;
    devices[k].queued = 0;
  }
}

/* --- read and write (evdev_read, evdev_write) --- */

int64_t evdev_read(struct process *p, int host_fd, uint64_t buf, uint64_t len) {
  const uint64_t size = sizeof(struct input_event);
  input_lock();
  struct client *c = client_of(host_fd);
  int access = c ? c->access : O_RDWR;
  input_unlock();
  if (access == O_WRONLY)
    return -EBADF;
  if (len != 0 && len < size)
    return -EINVAL;
  /* Whole events only, and no more than one bounce buffer's worth. */
  len -= len % size;
  if (len > FS_CHUNK / size * size)
    len = FS_CHUNK / size * size;
  int64_t r = fs_stream_io(p, host_fd, buf, len, false);
  /* Nobody delivers to this client any more (the process that showed
   * the display ended): the device is gone. */
  if (r == 0 && len)
    return -ENODEV;
  return r;
}

int64_t evdev_write(struct process *p, int kind, int host_fd, uint64_t buf,
                    uint64_t len) {
  const uint64_t size = sizeof(struct input_event);
  input_lock();
  struct client *c = client_of(host_fd);
  int access = c ? c->access : O_RDWR;
  bool revoked = c && c->revoked;
  input_unlock();
  if (access == O_RDONLY)
    return -EBADF;
  if (len > 4096)
    len = 4096; /* evdev_write injects at most this much at a time */
  if (len != 0 && len < size)
    return -EINVAL;
  if (revoked)
    return -ENODEV;
  int64_t done = 0;
  while ((uint64_t)done + size <= len) {
    struct input_event ev;
    if (copy_from_guest(&p->mmu, &ev, buf + (uint64_t)done, size) < 0)
      return -EFAULT;
    done += (int64_t)size;
    /* input_inject_event: types the device does not have are ignored */
    struct device *d = device_of(kind);
    if (ev.type < EV_CNT && test_bit(d->evbit, ev.type)) {
      input_lock();
      evdev_event(p, kind, ev.type, ev.code, ev.value);
      input_unlock();
    }
  }
  return done;
}

/* --- ioctl (evdev_do_ioctl) --- */

/* bits_to_user / str_to_user: the bytes copied, or -EFAULT. */
static int64_t put_bits(struct process *p, const uint64_t *bits,
                        unsigned maxbit, uint64_t size, uint64_t arg) {
  uint64_t len = BITS_LONGS(maxbit) * 8;
  if (len > size)
    len = size;
  return copy_to_guest(&p->mmu, arg, bits, len) < 0 ? -EFAULT : (int64_t)len;
}

static int64_t put_string(struct process *p, const char *s, uint64_t size,
                          uint64_t arg) {
  if (!s)
    return -ENOENT;
  uint64_t len = strlen(s) + 1;
  if (len > size)
    len = size;
  return copy_to_guest(&p->mmu, arg, s, len) < 0 ? -EFAULT : (int64_t)len;
}

static int64_t put_int(struct process *p, int v, uint64_t arg) {
  return copy_to_guest(&p->mmu, arg, &v, sizeof v) < 0 ? -EFAULT : 0;
}

static int64_t eviocgbit(struct process *p, struct device *d, unsigned type,
                         uint64_t size, uint64_t arg) {
  static const uint64_t none[BITS_LONGS(KEY_CNT)];
  switch (type) {
  case 0: return put_bits(p, d->evbit, EV_MAX, size, arg);
  case EV_KEY: return put_bits(p, d->keybit, KEY_MAX, size, arg);
  case EV_REL: return put_bits(p, d->relbit, REL_MAX, size, arg);
  case EV_ABS: return put_bits(p, none, ABS_MAX, size, arg);
  case EV_MSC: return put_bits(p, none, MSC_MAX, size, arg);
  case EV_LED: return put_bits(p, none, LED_MAX, size, arg);
  case EV_SND: return put_bits(p, none, SND_MAX, size, arg);
  case EV_FF: return put_bits(p, none, FF_MAX, size, arg);
  case EV_SW: return put_bits(p, none, SW_MAX, size, arg);
  default: return -EINVAL;
  }
}

static int64_t set_clock(struct client *c, int clock) {
  if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC &&
      clock != CLOCK_BOOTTIME)
    return -EINVAL;
  if (c)
    c->clock = clock;
  return 0;
}

/* The fixed-size requests; -ENOTTY when cmd is none of them. */
static int64_t fixed_ioctl(struct process *p, struct device *d,
                           struct client *c, uint64_t cmd, uint64_t arg) {
  int v[2];
  switch (cmd) {
  case EVIOCGVERSION: return put_int(p, EV_VERSION, arg);
  case EVIOCGID:
    return copy_to_guest(&p->mmu, arg, &d->id, sizeof d->id) < 0 ? -EFAULT : 0;
  case EVIOCGREP:
    if (!test_bit(d->evbit, EV_REP))
      return -ENOSYS;
    return copy_to_guest(&p->mmu, arg, d->rep, sizeof(int) * 2) < 0 ? -EFAULT
                                                                    : 0;
  case EVIOCSREP:
    if (!test_bit(d->evbit, EV_REP))
      return -ENOSYS;
    if (copy_from_guest(&p->mmu, v, arg, sizeof v) < 0)
      return -EFAULT;
    evdev_event(p, d == &devices[0] ? DEV_KEYBOARD : DEV_MOUSE, EV_REP,
                REP_DELAY, v[0]);
    evdev_event(p, d == &devices[0] ? DEV_KEYBOARD : DEV_MOUSE, EV_REP,
                REP_PERIOD, v[1]);
    return 0;
  case EVIOCRMFF: return -ENOSYS; /* no force feedback (input_ff_erase) */
  case EVIOCGEFFECTS: return put_int(p, 0, arg);
  case EVIOCGRAB:
    if (arg) {
      if (d->grab)
        return -EBUSY;
      d->grab = c;
      return 0;
    }
    if (!c || d->grab != c)
      return -EINVAL;
    d->grab = NULL;
    return 0;
  case EVIOCSCLOCKID:
    if (copy_from_guest(&p->mmu, v, arg, sizeof(int)) < 0)
      return -EFAULT;
    return set_clock(c, v[0]);
  case EVIOCGKEYCODE:
  case EVIOCSKEYCODE:
  case EVIOCGKEYCODE_V2:
  case EVIOCSKEYCODE_V2: {
    /* No scancode map (keycodemax 0): input_get/set_keycode refuse. */
    uint8_t ke[sizeof(struct input_keymap_entry)];
    size_t n = cmd == EVIOCGKEYCODE || cmd == EVIOCSKEYCODE ? 8 : sizeof ke;
    if (copy_from_guest(&p->mmu, ke, arg, n) < 0)
      return -EFAULT;
    return -EINVAL;
  }
  case EVIOCREVOKE:
    if (arg)
      return -EINVAL;
    if (c) {
      if (d->grab == c)
        d->grab = NULL;
      c->revoked = true;
      shutdown(c->write_fd, SHUT_WR); /* its reads end: ENODEV */
    }
    return 0;
  default: return -ENOTTY;
  }
}

int64_t evdev_ioctl(struct process *p, int kind, int host_fd, uint64_t cmd,
                    uint64_t arg) {
  static const uint64_t none[BITS_LONGS(KEY_CNT)];
  input_lock();
  struct device *d = device_of(kind);
  struct client *c = client_of(host_fd);
  int64_t r = -ENODEV;
  if (c && c->revoked)
    goto out;
  r = fixed_ioctl(p, d, c, cmd, arg);
  if (r != -ENOTTY)
    goto out;
  uint64_t size = _IOC_SIZE(cmd);
  switch (cmd & ~(uint64_t)(_IOC_SIZEMASK << _IOC_SIZESHIFT)) {
  case EVIOCGPROP(0):
    r = put_bits(p, none, INPUT_PROP_MAX, size, arg);
    goto out;
  case EVIOCGMTSLOTS(0): {
    unsigned code;
    r = copy_from_guest(&p->mmu, &code, arg, sizeof code) < 0 ? -EFAULT
                                                              : -EINVAL;
    goto out;
  }
  case EVIOCGKEY(0): r = put_bits(p, d->key, KEY_MAX, size, arg); goto out;
  case EVIOCGLED(0): r = put_bits(p, none, LED_MAX, size, arg); goto out;
  case EVIOCGSND(0): r = put_bits(p, none, SND_MAX, size, arg); goto out;
  case EVIOCGSW(0): r = put_bits(p, none, SW_MAX, size, arg); goto out;
  case EVIOCGNAME(0): r = put_string(p, d->name, size, arg); goto out;
  case EVIOCGPHYS(0): r = put_string(p, d->phys, size, arg); goto out;
  case EVIOCGUNIQ(0): r = put_string(p, NULL, size, arg); goto out;
  }
  r = -EINVAL; /* what evdev says for a request it does not know */
  if (_IOC_TYPE(cmd) != 'E')
    goto out;
  if (_IOC_DIR(cmd) == _IOC_READ &&
      (_IOC_NR(cmd) & ~EV_MAX) == _IOC_NR(EVIOCGBIT(0, 0)))
    r = eviocgbit(p, d, _IOC_NR(cmd) & EV_MAX, size, arg);
  /* EVIOCGABS, EVIOCSABS: no absolute axes (-EINVAL). */
out:
  input_unlock();
  return r;
}

void evdev_stat(int kind, struct stat *st) {
  memset(st, 0, sizeof *st);
  int n = kind == DEV_MOUSE;
  st->st_dev = makedev(0, 5);
  st->st_ino = EVDEV_NODE_INO + n;
  st->st_mode = S_IFCHR | 0660;
  st->st_nlink = 1;
  struct group *g = getgrnam("input");
  st->st_gid = g ? g->gr_gid : 0;
  st->st_rdev = makedev(13, 64 + n); /* INPUT_MAJOR, EVDEV_MINOR_BASE */
  st->st_blksize = 4096;
}
