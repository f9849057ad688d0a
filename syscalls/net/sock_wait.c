/* How a blocking socket call waits. The host call itself never sleeps
 * with the kernel lock held: it is made with MSG_DONTWAIT, and when it
 * finds nothing to do (EAGAIN) on a socket the guest did not make
 * non-blocking, the thread waits in the host's ppoll for the socket,
 * without the lock and interruptibly (host_wait.c), then tries again.
 * So a thread blocked in recv never stalls the others, a guest signal
 * ends the wait, and SO_RCVTIMEO/SO_SNDTIMEO bound it as on Linux. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <time.h>

#include "net.h"

static int64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000000000ll + t.tv_nsec;
}

bool sock_is_socket(int h) {
  struct stat st;
  return fstat(h, &st) == 0 && S_ISSOCK(st.st_mode);
}

bool sock_nonblocking(int h) {
  int fl = fcntl(h, F_GETFL);
  return fl >= 0 && (fl & O_NONBLOCK);
}

/* The socket's timeout (struct timeval; 0 is none), from now. */
static void read_deadline(int h, struct sock_deadline *d) {
  struct timeval tv = {0, 0};
  socklen_t len = sizeof tv;
  d->known = true;
  d->timed = false;
  if (getsockopt(h, SOL_SOCKET, d->option, &tv, &len) < 0 ||
      (tv.tv_sec == 0 && tv.tv_usec == 0))
    return;
  d->timed = true;
  d->end = now_ns() + tv.tv_sec * 1000000000ll + tv.tv_usec * 1000ll;
}

int sock_wait(struct process *p, int h, short events, bool dontwait,
              struct sock_deadline *d) {
  if (dontwait || sock_nonblocking(h))
    return -EAGAIN;
  if (!d->known)
    read_deadline(h, d);
  struct timespec left, *timeout = NULL;
  if (d->timed) {
    int64_t ns = d->end - now_ns();
    if (ns <= 0)
      return -EAGAIN;
    left = (struct timespec){ns / 1000000000, ns % 1000000000};
    timeout = &left;
  }
  struct pollfd pfd = {h, events, 0};
  int r = host_ppoll(p, &pfd, 1, timeout, p->sigmask);
  if (r == -EINTR)
    return d->timed ? -EINTR : -ERESTARTSYS;
  if (r == 0)
    return -EAGAIN;
  return r < 0 ? r : 0;
}
