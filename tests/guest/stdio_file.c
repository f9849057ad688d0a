/* stdio on a real file: fopen/fprintf/fwrite/fseek/fread/fgets/fclose
 * and remove, through openat, write, lseek, read, close and unlink. The
 * file is named after argv[0] so parallel tests do not collide. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  (void)argc;
  char path[4096];
  snprintf(path, sizeof path, "%s.tmp", argv[0]);
  FILE *f = fopen(path, "w+");
  if (!f) {
    perror("fopen");
    return 1;
  }
  for (int i = 0; i < 1000; i++)
    fprintf(f, "line %d %s\n", i, i % 2 ? "odd" : "even");
  static char block[70000];
  for (size_t i = 0; i < sizeof block; i++)
    block[i] = (char)(i * 7);
  fwrite(block, 1, sizeof block, f);
  long end = ftell(f);
  printf("size %ld\n", end);
  fseek(f, 0, SEEK_SET);
  char line[64], last[64] = "";
  int count = 0;
  while (fgets(line, sizeof line, f) && strncmp(line, "line", 4) == 0) {
    count++;
    strcpy(last, line);
  }
  printf("lines %d, last %s", count, last);
  fseek(f, -(long)sizeof block, SEEK_END);
  static char back[70000];
  size_t got = fread(back, 1, sizeof back, f);
  printf("read back %zu bytes, %s\n", got,
         memcmp(block, back, sizeof block) ? "different" : "same");
  size_t more = fread(back, 1, 1, f);
  printf("fread at EOF %zu, feof %d\n", more, feof(f) != 0);
  fclose(f);
  printf("remove %d\n", remove(path));
  printf("fopen missing: %s\n",
         fopen(path, "r") ? "opened" : "failed as expected");
  return 0;
}
