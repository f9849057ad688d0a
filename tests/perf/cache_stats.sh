#!/bin/bash
# The decoded-block cache must not change what the guest sees or what
# emu counts: run PROGRAM under `emu --stats` with the cache on and with
# --no-block-cache, and require the same stdout, exit status, retired
# instructions and cycles (cycles are counted per block and corrected on
# an early exit; this is the check that the correction is exact).
#
# usage: cache_stats.sh EMU PROGRAM [ARGS...]
set -u
# shellcheck source=../scripts/common.sh
. "$(dirname "$0")/../scripts/common.sh"

if [ $# -lt 2 ]; then
  echo "usage: cache_stats.sh EMU PROGRAM [ARGS...]" >&2
  exit 2
fi
emu=$1
shift
make_scratch
ulimit -c 0

run() { # run NAME [EMU OPTIONS...]: stdout, stderr and status in $scratch
  local name=$1
  shift
  {
    ( exec timeout -k 10 "$EMU_TIMEOUT" "$emu" --stats "$@" </dev/null \
      >"$scratch/$name.out" 2>"$scratch/$name.err" )
    echo $? >"$scratch/$name.status"
  } 2>/dev/null
}
counter() { # counter NAME FIELD: the value of one --stats line
  awk -v f="$2" '$1 == f && NF == 2 { print $2 }' "$scratch/$1.err"
}

run cached "$@"
run plain --no-block-cache "$@"

fail=0
for f in instructions cycles; do
  a=$(counter cached "$f")
  b=$(counter plain "$f")
  echo "$f: block cache $a, --no-block-cache $b"
  if [ -z "$a" ] || [ "$a" != "$b" ]; then
    echo "FAIL: $f differ"
    fail=1
  fi
done
if ! cmp -s "$scratch/cached.out" "$scratch/plain.out"; then
  echo "FAIL: stdout differs (--- block cache, +++ --no-block-cache):"
  diff -u "$scratch/cached.out" "$scratch/plain.out" | head -n 40
  fail=1
fi
s1=$(cat "$scratch/cached.status")
s2=$(cat "$scratch/plain.status")
if [ "$s1" != "$s2" ]; then
  echo "FAIL: exit status $s1 with the cache, $s2 without"
  fail=1
fi
if [ $fail != 0 ]; then
  echo "--- stderr with the cache (last 20 lines):"
  tail -n 20 "$scratch/cached.err"
  exit 1
fi
echo "PASS: same output, status, instructions and cycles"
exit 0
