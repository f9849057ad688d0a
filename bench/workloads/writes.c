/* Many small writes to /dev/null: system-call cost. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 200000;
  int fd = open("/dev/null", O_WRONLY);
  long total = 0;
  for (long i = 0; i < n; i++)
    total += write(fd, "0123456789abcdef", 16);
  close(fd);
  printf("wrote %ld bytes\n", total);
  return 0;
}
