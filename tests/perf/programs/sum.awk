# perf.cache_stats.gawk / busybox_awk: the interpreter's loop and its
# number formatting.
BEGIN {
  for (i = 0; i < 20000; i++)
    s += i % 7
  printf "%d %s\n", s, substr("abcdef", 2, 3)
}
