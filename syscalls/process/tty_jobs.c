/* A terminal's job control (drivers/tty/tty_jobctrl.c) is checked by the
 * host kernel against emu's host process: a background group's read, a
 * write with TOSTOP, a tcsetpgrp or tcsetattr sends SIGTTIN/SIGTTOU to
 * the group and fails with ERESTARTSYS. But emu catches every signal on
 * the host, where Linux looks at the guest's dispositions: a signal the
 * guest ignores or blocks lets a write or an ioctl go ahead and makes a
 * read fail with EIO. So around such a call the host blocks the ones the
 * guest ignores or blocks (is_ignored() tests the blocked mask too). */
#include <signal.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "../process.h"

#define BIT(sig) (1ull << ((sig)-1))

static bool guest_quiet(const struct process *p, int sig) {
  return (p->sigmask & BIT(sig)) || p->sighand->sigactions[sig - 1].handler ==
                                        (uint64_t)(uintptr_t)SIG_IGN;
}

bool tty_jobs_quiet_begin(const struct process *p, sigset_t *saved) {
  sigset_t quiet;
  sigemptyset(&quiet);
  if (guest_quiet(p, SIGTTIN))
    sigaddset(&quiet, SIGTTIN);
  if (guest_quiet(p, SIGTTOU))
    sigaddset(&quiet, SIGTTOU);
  if (sigisemptyset(&quiet))
    return false;
  sigprocmask(SIG_BLOCK, &quiet, saved);
  return true;
}

void tty_jobs_quiet_end(bool began, const sigset_t *saved) {
  if (began)
    sigprocmask(SIG_SETMASK, saved, NULL);
}

/* A read from our controlling terminal while another group is in the
 * foreground: the host read itself answers at once (SIGTTIN or EIO), so
 * it must not first wait for input that this group may never get. */
bool tty_jobs_background(int host_fd) {
  pid_t fg;
  return ioctl(host_fd, TIOCGPGRP, &fg) == 0 && fg != getpgrp();
}
