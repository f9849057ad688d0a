#!/bin/bash
# --deterministic with threads: RUNS runs of a multi-threaded PROGRAM
# under `emu --deterministic --strace -f --stats` must print the same
# output, the same system-call trace and the same counters, byte for
# byte — once thread and process ids, which are the host's (a guest
# thread is a host thread), are renamed in order of appearance. The
# output must also be the native run's.
# usage: deterministic_threads.sh EMU RUNS PROGRAM [ARGS...]
set -u
emu=$1 runs=$2
shift 2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# Ids appear as the "PID " column of -o FILE, a clone's or gettid's result, parent_tid=[N],
# tgkill(N, N, ...), si_pid=N; the result column (40) moves with their
# digits; and the execve line shows the host's environ address.
normalize() {
  perl -ne '
    BEGIN { %id = (); $n = 0 }
    sub id { my $v = shift; $id{$v} //= "ID" . $n++; $id{$v} }
    s/0x[0-9a-f]+ (\/\* \d+ vars \*\/)/ENVP $1/;
    s/^(\d+) +/id($1) . " "/e; # -o FILE with -f: strace\x27s "PID " column
    s/\[pid +(\d+)\]/"[pid " . id($1) . "]"/ge;
    s/parent_tid=\[(\d+)\]/"parent_tid=[" . id($1) . "]"/ge;
    s/\b(t?g?kill)\((\d+), (\d+)/"$1(" . id($2) . ", " . id($3)/ge;
    s/\b(tkill|kill)\((\d+)(?=, \w+\))/"$1(" . id($2)/ge;
    s/si_pid=(\d+)/"si_pid=" . id($1)/ge;
    s/(futex\(0x[0-9a-f]+, FUTEX_WAIT[\w|]*, )(\d+)/$1 . (exists $id{$2} ? $id{$2} : $2)/e;
    s/\) +(= |<unfinished)/) $1/; # the result column moves with the ids\x27 digits
    s/^((?:ID\d+ )?(?:clone3?|gettid|getpid|getppid|set_tid_address|vfork|fork)\(.*= )(\d+)$/$1 . id($2)/ge;
    s/^((?:ID\d+ )?<\.\.\. (?:clone3?|wait4) resumed>.*= )(\d+)$/$1 . id($2)/ge;
    print' "$1"
}

"$@" > "$dir/native.out" 2>/dev/null
native_status=$?
for ((k = 1; k <= runs; k++)); do
  "$emu" --deterministic --strace -f --stats -o "$dir/trace.$k" "$@" \
    > "$dir/out.$k" 2> "$dir/stats.$k"
  status=$?
  [ "$status" -eq "$native_status" ] ||
    { echo "FAIL: run $k: status $status, native $native_status"; exit 1; }
  cmp -s "$dir/out.$k" "$dir/native.out" ||
    { echo "FAIL: run $k: output differs from native"; diff "$dir/native.out" "$dir/out.$k" | head -20; exit 1; }
  normalize "$dir/trace.$k" > "$dir/norm.$k"
  normalize "$dir/stats.$k" > "$dir/stats.$k.norm"
  if [ "$k" -gt 1 ]; then
    cmp -s "$dir/norm.1" "$dir/norm.$k" ||
      { echo "FAIL: run $k: --strace -f differs from run 1"; diff "$dir/norm.1" "$dir/norm.$k" | head -20; exit 1; }
    cmp -s "$dir/stats.1.norm" "$dir/stats.$k.norm" ||
      { echo "FAIL: run $k: --stats differs from run 1"; diff "$dir/stats.1.norm" "$dir/stats.$k.norm"; exit 1; }
  fi
done
echo "ok: $runs runs alike: $(wc -l < "$dir/norm.1") trace lines, $(awk '/instructions/ { print $NF }' "$dir/stats.1") instructions"
