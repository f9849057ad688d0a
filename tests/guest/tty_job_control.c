/* A controlling terminal and job control on a pty pair, without fork:
 * setsid makes this process a session leader (it does not start as a
 * group leader: compare.sh runs it under timeout), and the first
 * terminal it opens becomes its controlling terminal. The session, the
 * groups and the terminal are the host's, so emu passes the requests
 * through with their structures copied. No pid is printed. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

static void show(const char *what, long r) {
  if (r < 0)
    printf("%s: %s\n", what, strerrorname_np(errno));
  else
    printf("%s: ok\n", what);
}

/* setsid fails (EPERM) only for a group leader. */
static void new_session(void) { show("setsid", setsid()); }

static void terminal(void) {
  int m = posix_openpt(O_RDWR | O_NOCTTY);
  if (m < 0) {
    printf("skip: no pty: %s\n", strerrorname_np(errno));
    return;
  }
  show("grantpt", grantpt(m));
  show("unlockpt", unlockpt(m));
  const char *name = ptsname(m);
  printf("ptsname: %s\n",
         name && !strncmp(name, "/dev/pts/", 9) ? "/dev/pts/N" : "?");
  pid_t pg = -1, sid = -1;
  show("TIOCGPGRP before it is ours", ioctl(m, TIOCGPGRP, &pg));
  show("TIOCGSID before it is ours", ioctl(m, TIOCGSID, &sid));
  /* Before the terminal is ours: a new size SIGWINCHes the foreground
   * group of the terminal's session. */
  struct winsize w = {.ws_row = 24, .ws_col = 80}, r = {0};
  show("TIOCSWINSZ", ioctl(m, TIOCSWINSZ, &w));
  /* A session leader without a terminal acquires the first it opens. */
  int s = open(name, O_RDWR);
  show("open slave", s);
  printf("isatty: %d\n", isatty(s));
  pg = -1;
  show("TIOCGPGRP", ioctl(s, TIOCGPGRP, &pg));
  printf("foreground group is mine: %d\n", pg == getpgrp());
  printf("tcgetpgrp on the master too: %d\n", tcgetpgrp(m) == getpgrp());
  show("TIOCGSID", ioctl(s, TIOCGSID, &sid));
  printf("its session is mine: %d\n", sid == getsid(0));
  show("TIOCSCTTY (already ours)", ioctl(s, TIOCSCTTY, 0));
  show("TIOCSCTTY on the master", ioctl(m, TIOCSCTTY, 0));
  pg = getpgrp();
  show("TIOCSPGRP to my group", ioctl(s, TIOCSPGRP, &pg));
  pg = 0x3ffffff0;
  show("TIOCSPGRP to no group", ioctl(s, TIOCSPGRP, &pg));
  pg = -5;
  show("TIOCSPGRP to -5", ioctl(s, TIOCSPGRP, &pg));
  pg = 1; /* init's group, in another session */
  show("TIOCSPGRP to another session's group", ioctl(s, TIOCSPGRP, &pg));
  show("TIOCGWINSZ", ioctl(s, TIOCGWINSZ, &r));
  printf("winsize: %ux%u\n", r.ws_row, r.ws_col);
  struct termios t;
  show("tcgetattr", tcgetattr(s, &t));
  cfmakeraw(&t);
  show("tcsetattr raw", tcsetattr(s, TCSANOW, &t));
  struct termios back;
  tcgetattr(s, &back);
  printf("raw: icanon %d, echo %d\n", !!(back.c_lflag & ICANON),
         !!(back.c_lflag & ECHO));
  show("write master", write(m, "hi\n", 3));
  char buf[8] = {0};
  ssize_t n = read(s, buf, sizeof buf - 1);
  printf("slave read %zd: %s", n, buf);
  int q = -1;
  show("FIONREAD", ioctl(s, FIONREAD, &q));
  printf("queued: %d\n", q);
  int peer = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY);
  show("TIOCGPTPEER", peer);
  printf("peer isatty: %d\n", isatty(peer));
  show("TIOCNOTTY on the master", ioctl(m, TIOCNOTTY));
  show("TIOCGPGRP on a pipe",
       ioctl(0, TIOCGPGRP, &pg) < 0 && errno == ENOTTY ? -1 : 0);
  /* The terminal stays ours until exit: closing the master now would
   * hang it up and SIGHUP this (foreground) group. */
}

int main(void) {
  new_session();
  terminal();
  return 0;
}
