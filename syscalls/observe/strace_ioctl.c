/* The third argument of ioctl for the terminal and FIO requests emu
 * passes to the host, printed as strace 6.1 does (term.c, ioctl.c). */
#include <sys/ioctl.h>
#include <termios.h>

#include "strace_internal.h"
#include "strace_net.h"

#define N(x)                                                                   \
  { x, #x }

static const struct flag_name iflag_names[] = {
    N(IGNBRK), N(BRKINT),  N(IGNPAR), N(PARMRK), N(INPCK), N(ISTRIP),
    N(INLCR),  N(IGNCR),   N(ICRNL),  N(IUCLC),  N(IXON),  N(IXANY),
    N(IXOFF),  N(IMAXBEL), N(IUTF8),  FLAG_END};

static const struct flag_name oflag_names[] = {N(OPOST), N(OLCUC), N(ONLCR),
                                               N(OCRNL), N(ONOCR), N(ONLRET),
                                               N(OFILL), N(OFDEL), FLAG_END};

static const struct flag_name cflag_names[] = {N(CSTOPB), N(CREAD),   N(PARENB),
                                               N(PARODD), N(HUPCL),   N(CLOCAL),
                                               N(CMSPAR), N(CRTSCTS), FLAG_END};

static const struct flag_name lflag_names[] = {
    N(ISIG),   N(ICANON), N(XCASE),  N(ECHO),    N(ECHOE),   N(ECHOK),
    N(ECHONL), N(NOFLSH), N(IEXTEN), N(ECHOCTL), N(ECHOPRT), N(ECHOKE),
    N(FLUSHO), N(PENDIN), N(TOSTOP), N(EXTPROC), FLAG_END};

static const struct flag_name baud_names[] = {
    N(B0),       N(B50),      N(B75),      N(B110),     N(B134),
    N(B150),     N(B200),     N(B300),     N(B600),     N(B1200),
    N(B1800),    N(B2400),    N(B4800),    N(B9600),    N(B19200),
    N(B38400),   N(B57600),   N(B115200),  N(B230400),  N(B460800),
    N(B500000),  N(B576000),  N(B921600),  N(B1000000), N(B1152000),
    N(B1500000), N(B2000000), N(B2500000), N(B3000000), N(B3500000),
    N(B4000000), FLAG_END};

/* The kernel's struct termios (36 bytes), not glibc's. */
struct kernel_termios {
  uint32_t iflag, oflag, cflag, lflag;
  uint8_t line, cc[19];
};

static void st_termios(struct process *p, uint64_t addr) {
  struct kernel_termios t;
  if (!st_fetch(p, addr, &t, sizeof t))
    return;
  /* strace 6.1 prints nothing for flags that are all clear. */
  st_puts(p, "{c_iflag=");
  st_flags(p, iflag_names, t.iflag, "");
  /* Output delays are fields: each is printed by value. */
  st_printf(p, ", c_oflag=NL%u|CR%u|TAB%u|BS%u|VT%u|FF%u",
            (t.oflag & NLDLY) ? 1 : 0, (t.oflag & CRDLY) >> 9,
            (t.oflag & TABDLY) >> 11, (t.oflag & BSDLY) ? 1 : 0,
            (t.oflag & VTDLY) ? 1 : 0, (t.oflag & FFDLY) ? 1 : 0);
  uint32_t oflags =
      t.oflag & ~(uint32_t)(NLDLY | CRDLY | TABDLY | BSDLY | VTDLY | FFDLY);
  if (oflags) {
    st_puts(p, "|");
    st_flags(p, oflag_names, oflags, NULL);
  }
  st_puts(p, ", c_cflag=");
  st_xlat(p, baud_names, t.cflag & CBAUD, NULL);
  if (t.cflag & CIBAUD) {
    st_puts(p, "|");
    st_xlat(p, baud_names, (t.cflag & CIBAUD) >> 16, NULL);
    st_puts(p, "<<IBSHIFT");
  }
  st_printf(p, "|CS%u", 5 + ((t.cflag & CSIZE) >> 4));
  uint32_t cflags = t.cflag & ~(uint32_t)(CBAUD | CIBAUD | CSIZE);
  if (cflags) {
    st_puts(p, "|");
    st_flags(p, cflag_names, cflags, NULL);
  }
  st_puts(p, ", c_lflag=");
  st_flags(p, lflag_names, t.lflag, "");
  st_puts(p, ", ...}");
}

void st_ioctl_arg(struct process *p, uint64_t cmd, uint64_t addr, int64_t ret) {
  if (st_ioctl_fb_arg(p, cmd, addr))
    return;
  if (st_ioctl_is_evdev(cmd)) {
    st_ioctl_evdev_arg(p, cmd, addr, ret);
    return;
  }
  if (st_sock_ioctl_arg(p, cmd, addr, ret))
    return;
  if (ret < 0 && (cmd == TCGETS || cmd == TIOCGWINSZ || cmd == FIONREAD ||
                  cmd == TIOCGPGRP || cmd == TIOCGSID || cmd == TIOCGPTN ||
                  cmd == TIOCOUTQ || cmd == TIOCGEXCL || cmd == TIOCGETD)) {
    st_ptr(p, addr);
    return;
  }
  switch (cmd) {
  case TCGETS:
  case TCSETS:
  case TCSETSW:
  case TCSETSF: st_termios(p, addr); return;
  case TIOCGWINSZ:
  case TIOCSWINSZ: {
    struct winsize w;
    if (st_fetch(p, addr, &w, sizeof w))
      st_printf(p, "{ws_row=%u, ws_col=%u, ws_xpixel=%u, ws_ypixel=%u}",
                w.ws_row, w.ws_col, w.ws_xpixel, w.ws_ypixel);
    return;
  }
  case FIONREAD:
  case FIONBIO:
  case FIOASYNC:
  case TIOCOUTQ:
  case TIOCGPGRP:
  case TIOCSPGRP:
  case TIOCGSID:
  case TIOCGPTN:
  case TIOCSPTLCK:
  case TIOCGEXCL:
  case TIOCGETD:
  case TIOCSETD: {
    int v;
    if (st_fetch(p, addr, &v, sizeof v))
      st_printf(p, "[%d]", v);
    return;
  }
  case TCFLSH: {
    static const struct flag_name t[] = {N(TCIFLUSH), N(TCOFLUSH), N(TCIOFLUSH),
                                         FLAG_END};
    st_xlat(p, t, addr, "TC???");
    return;
  }
  case TCXONC: {
    static const struct flag_name t[] = {N(TCOOFF), N(TCOON), N(TCIOFF),
                                         N(TCION), FLAG_END};
    st_xlat(p, t, addr, "TC???");
    return;
  }
  case TIOCSCTTY: /* a value: steal the terminal when 1 */
  case TCSBRK:
  case TCSBRKP: st_printf(p, "%d", (int)addr); return;
  default: st_printf(p, "%#llx", (unsigned long long)addr);
  }
}

/* Requests that take no argument: strace prints none. */
bool st_ioctl_has_arg(uint64_t cmd) {
  return cmd != TIOCNOTTY && cmd != TIOCEXCL && cmd != TIOCNXCL &&
         cmd != FIOCLEX && cmd != FIONCLEX;
}
