# perf.cache_stats.perl: hashes, sorting and string formatting.
my %h;
$h{$_} = $_ * 2 for 1 .. 3000;
my @k = sort { $a <=> $b } keys %h;
printf "%d %d %s\n", scalar(@k), $h{$k[-1]}, join(",", @k[0 .. 4]);
