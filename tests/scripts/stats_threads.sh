#!/bin/bash
# --stats of a multi-threaded guest sums its threads: the instructions
# and cycles of threads.c's 21 threads are counted (more than
# the leader alone runs), and "threads started" says how many there were.
# usage: stats_threads.sh EMU GUEST(threads-O2)
set -u
emu=$1 guest=$2
out=$("$emu" --stats "$guest" 2>&1 >/dev/null)
status=$?
[ "$status" -eq 3 ] || { echo "FAIL: status $status, want 3"; exit 1; }
threads=$(awk '/^threads started/ { print $3 }' <<<"$out")
insns=$(awk '/^instructions/ { print $2 }' <<<"$out")
# Without the others: the leader's own count, from a run with --trace off
# and one thread (the first phase of threads.c alone is not separable,
# so compare with the sum's lower bound: 4 hammer threads x 20000 rounds
# x (lock + add + unlock + atomic) run well over 1.6 million instructions).
[ "$threads" = 21 ] || { echo "FAIL: threads started '$threads', want 21"; echo "$out"; exit 1; }
[ "${insns:-0}" -gt 1600000 ] || { echo "FAIL: instructions $insns"; exit 1; }
echo "ok: $threads threads, $insns instructions"
