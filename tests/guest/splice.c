/* The kernel's copies between descriptors: splice from a file into a
 * pipe and on into a socket, tee between pipes, vmsplice both ways,
 * sendfile into a socket, copy_file_range between files, and the
 * errors (two non-pipes, vmsplice on a file, SPLICE_F_NONBLOCK on an
 * empty pipe). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

static void show(const char *what, long r) {
  printf("%s: %ld%s%s\n", what, r, r < 0 ? " " : "",
         r < 0 ? strerrorname_np(errno) : "");
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  char name[64], copy[64];
  snprintf(name, sizeof name, "emu-splice-%d", getpid());
  snprintf(copy, sizeof copy, "emu-splice-copy-%d", getpid());
  int f = open(name, O_CREAT | O_RDWR | O_TRUNC, 0644);
  if (write(f, "0123456789abcdef", 16) != 16)
    return 1;
  int p[2], q[2], sv[2];
  if (pipe(p) < 0 || pipe(q) < 0)
    return 1;
  socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  loff_t off = 4;
  show("splice file to pipe", splice(f, &off, p[1], NULL, 6, SPLICE_F_MOVE));
  printf("offset now %lld\n", (long long)off);
  show("tee", tee(p[0], q[1], 6, 0));
  show("splice pipe to socket", splice(p[0], NULL, sv[0], NULL, 6, 0));
  char buf[32] = {0};
  show("recv", recv(sv[1], buf, sizeof buf, 0));
  printf("%s\n", buf);
  memset(buf, 0, sizeof buf);
  show("read tee copy", read(q[0], buf, sizeof buf));
  printf("%s\n", buf);

  struct iovec in[2] = {{"vm", 2}, {"splice", 6}};
  show("vmsplice to pipe", vmsplice(p[1], in, 2, 0));
  char a[3] = {0}, b[8] = {0};
  struct iovec out[2] = {{a, 2}, {b, 7}};
  show("vmsplice from pipe", vmsplice(p[0], out, 2, 0));
  printf("%s %s\n", a, b);

  off_t so = 10;
  show("sendfile to socket", sendfile(sv[0], f, &so, 6));
  printf("sendfile offset %lld\n", (long long)so);
  memset(buf, 0, sizeof buf);
  show("recv", recv(sv[1], buf, sizeof buf, 0));
  printf("%s\n", buf);

  int g = open(copy, O_CREAT | O_RDWR | O_TRUNC, 0644);
  loff_t from = 0, to = 0;
  show("copy_file_range", copy_file_range(f, &from, g, &to, 16, 0));
  memset(buf, 0, sizeof buf);
  show("pread copy", pread(g, buf, sizeof buf, 0));
  printf("%s\n", buf);

  show("splice two files", splice(f, NULL, g, NULL, 4, 0));
  show("vmsplice on a file", vmsplice(f, in, 1, 0));
  show("splice empty pipe nonblock",
       splice(p[0], NULL, sv[0], NULL, 4, SPLICE_F_NONBLOCK));
  show("tee bad fd", tee(99, q[1], 4, 0));
  unlink(name);
  unlink(copy);
  return 0;
}
