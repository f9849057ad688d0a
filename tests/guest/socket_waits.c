/* Blocking socket calls, threads and signals: a thread blocked in recv
 * or accept never stalls the others; a signal that interrupts a blocked
 * recv, accept or send restarts it with SA_RESTART and fails it with
 * EINTR without, and fails it with EINTR whatever the flags when
 * SO_RCVTIMEO is set (Linux's sock_intr_errno); SO_RCVTIMEO ends a wait
 * with EAGAIN; a descriptor passed by SCM_RIGHTS from a forked child
 * works in its parent. A helper thread acts only once the main thread
 * is asleep in its call (its state in /proc is S), so no timing
 * decides what is printed. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t handled;
static pid_t main_tid;
static pthread_t main_thread;

static void on_usr1(int sig) {
  (void)sig;
  handled++;
}

static void show(const char *what, long r) {
  printf("%s: %ld%s%s\n", what, r, r < 0 ? " " : "",
         r < 0 ? strerrorname_np(errno) : "");
}

static void set_handler(int flags) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sa.sa_flags = flags;
  sigaction(SIGUSR1, &sa, NULL);
  handled = 0;
}

/* Until the main thread sleeps in a call (then a little longer). */
static void wait_blocked(void) {
  char path[64], buf[512];
  snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int)main_tid);
  for (int k = 0; k < 20000; k++) {
    FILE *f = fopen(path, "r");
    char state = '?';
    if (f) {
      if (fgets(buf, sizeof buf, f)) {
        char *p = strrchr(buf, ')');
        if (p && p[1])
          state = p[2];
      }
      fclose(f);
    }
    if (state == 'S')
      break;
    usleep(1000);
  }
  usleep(20000);
}

enum action { SIGNAL, SIGNAL_THEN_DATA, DATA, CONNECT };
struct job {
  enum action what;
  int fd;
  struct sockaddr_in to;
};

static void *poker(void *arg) {
  struct job *j = arg;
  wait_blocked();
  if (j->what == SIGNAL || j->what == SIGNAL_THEN_DATA) {
    pthread_kill(main_thread, SIGUSR1);
    if (j->what == SIGNAL)
      return NULL;
    wait_blocked();
  }
  if (j->what == CONNECT) {
    int c = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(c, (struct sockaddr *)&j->to, sizeof j->to) < 0)
      perror("connect");
    usleep(100000);
    close(c);
    return NULL;
  }
  if (write(j->fd, "late", 4) != 4)
    perror("write");
  return NULL;
}

static pthread_t start(struct job *j) {
  pthread_t t;
  pthread_create(&t, NULL, poker, j);
  return t;
}

/* The kernel is not held by a sleeping thread: this thread makes
 * system calls while another is blocked in recv. */
static void *busy_while_blocked(void *arg) {
  int fd = *(int *)arg;
  wait_blocked();
  int p[2];
  if (pipe(p) < 0)
    return NULL;
  long sum = 0;
  for (int k = 0; k < 200; k++) {
    char c = (char)k;
    if (write(p[1], &c, 1) != 1 || read(p[0], &c, 1) != 1)
      break;
    sum += (unsigned char)c + getpid() * 0;
  }
  close(p[0]);
  close(p[1]);
  printf("other thread ran 200 pipe round trips: %ld\n", sum);
  if (write(fd, "wake", 4) != 4)
    perror("write");
  return NULL;
}

static void recv_cases(void) {
  int sv[2];
  char buf[16] = {0};
  socketpair(AF_UNIX, SOCK_STREAM, 0, sv);

  pthread_t t;
  pthread_create(&t, NULL, busy_while_blocked, &sv[0]);
  show("recv while another thread works", recv(sv[1], buf, sizeof buf, 0));
  pthread_join(t, NULL);

  struct job j = {SIGNAL_THEN_DATA, sv[0], {0}};
  set_handler(SA_RESTART);
  t = start(&j);
  show("recv, SA_RESTART", recv(sv[1], buf, sizeof buf, 0));
  printf("handled %d, data %.4s\n", (int)handled, buf);
  pthread_join(t, NULL);

  j.what = SIGNAL;
  set_handler(0);
  t = start(&j);
  show("recv, no SA_RESTART", recv(sv[1], buf, sizeof buf, 0));
  printf("handled %d\n", (int)handled);
  pthread_join(t, NULL);

  j.what = SIGNAL_THEN_DATA;
  set_handler(SA_RESTART);
  t = start(&j);
  show("read, SA_RESTART", read(sv[1], buf, sizeof buf));
  printf("handled %d\n", (int)handled);
  pthread_join(t, NULL);

  struct timeval tv = {5, 0};
  setsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  j.what = SIGNAL;
  set_handler(SA_RESTART);
  t = start(&j);
  show("recv, SO_RCVTIMEO and SA_RESTART", recv(sv[1], buf, sizeof buf, 0));
  printf("handled %d\n", (int)handled);
  pthread_join(t, NULL);

  tv = (struct timeval){0, 50000};
  setsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  show("recv, SO_RCVTIMEO expires", recv(sv[1], buf, sizeof buf, 0));

  /* A full socket: send blocks, and a signal ends it. */
  int fl = fcntl(sv[0], F_GETFL);
  fcntl(sv[0], F_SETFL, fl | O_NONBLOCK);
  static char chunk[65536];
  long filled = 0;
  for (;;) {
    ssize_t n = send(sv[0], chunk, sizeof chunk, 0);
    if (n <= 0)
      break;
    filled += n;
  }
  fcntl(sv[0], F_SETFL, fl);
  printf("filled %d\n", filled > 0);
  j.what = SIGNAL;
  set_handler(0);
  t = start(&j);
  show("send on a full socket, no SA_RESTART", send(sv[0], chunk, 1, 0));
  pthread_join(t, NULL);
  close(sv[0]);
  close(sv[1]);
}

static void accept_cases(void) {
  int l = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET};
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(l, (struct sockaddr *)&a, sizeof a);
  socklen_t al = sizeof a;
  getsockname(l, (struct sockaddr *)&a, &al);
  listen(l, 4);

  struct job j = {CONNECT, -1, a};
  pthread_t t = start(&j);
  int s = accept(l, NULL, NULL);
  show("accept from a thread's connect", s >= 0 ? 0 : -1);
  close(s);
  pthread_join(t, NULL);

  j.what = SIGNAL;
  set_handler(0);
  t = start(&j);
  show("accept, no SA_RESTART", accept(l, NULL, NULL));
  pthread_join(t, NULL);

  /* SA_RESTART: the accept goes on and takes a later connection. */
  set_handler(SA_RESTART);
  j.what = SIGNAL;
  t = start(&j);
  struct job k = {CONNECT, -1, a};
  pthread_t t2;
  pthread_create(&t2, NULL, poker, &k);
  s = accept(l, NULL, NULL);
  show("accept, SA_RESTART", s >= 0 ? 0 : -1);
  printf("handled at most once %d\n", handled <= 1);
  close(s);
  pthread_join(t, NULL);
  pthread_join(t2, NULL);
  close(l);
}

/* A child passes a pipe's read end to its parent. */
static void fork_rights(void) {
  int sv[2];
  socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
  pid_t pid = fork();
  if (pid == 0) {
    int p[2];
    if (pipe(p) < 0 || write(p[1], "from the child", 14) != 14)
      _exit(1);
    char cbuf[CMSG_SPACE(sizeof(int))] = {0};
    struct iovec iov = {"x", 1};
    struct msghdr m = {.msg_iov = &iov,
                       .msg_iovlen = 1,
                       .msg_control = cbuf,
                       .msg_controllen = sizeof cbuf};
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &p[0], sizeof(int));
    _exit(sendmsg(sv[0], &m, 0) == 1 ? 0 : 2);
  }
  char cbuf[CMSG_SPACE(sizeof(int))] = {0}, x;
  struct iovec iov = {&x, 1};
  struct msghdr m = {.msg_iov = &iov,
                     .msg_iovlen = 1,
                     .msg_control = cbuf,
                     .msg_controllen = sizeof cbuf};
  show("recvmsg from child", recvmsg(sv[1], &m, 0));
  int fd;
  memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&m)), sizeof fd);
  char buf[32] = {0};
  show("read passed pipe", read(fd, buf, sizeof buf));
  printf("%s\n", buf);
  int status;
  waitpid(pid, &status, 0);
  printf("child exit %d\n", WEXITSTATUS(status));
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  main_tid = gettid();
  main_thread = pthread_self();
  recv_cases();
  accept_cases();
  fork_rights();
  return 0;
}
