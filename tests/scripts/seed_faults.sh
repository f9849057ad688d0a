#!/bin/bash
# The seed program of ../shared/seeds/004 under `emu --stats`: map 10 MiB,
# touch the first and last page, memset all of it. The program stops after
# stage 1, 2 or 3 (its argument) and prints the same output in each case,
# so the difference of emu's `page faults` totals between runs is what a
# stage cost: touching two pages must add 2 faults, the memset 2558 (the
# other 2558 pages; 2560 if counted from scratch is allowed too).
# The native run's getrusage deltas are shown beside them as the truth.
#
# usage: seed_faults.sh EMU PROGRAM
set -u
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"
emu=$1
prog=$2
make_scratch

# `page faults    N` from --stats on stderr.
emu_faults() {
  timeout -k 10 "$EMU_TIMEOUT" "$emu" --stats "$prog" "$1" \
    >"$scratch/out.$1" 2>"$scratch/err.$1"
  local status=$?
  if [ $status != 0 ]; then
    echo "FAIL: emu --stats $prog $1 exited with $status" >&2
    tail -n 20 "$scratch/err.$1" >&2
    return 1
  fi
  awk '/^page faults[ \t]+[0-9]+[ \t]*$/ { print $3; found = 1 }
       END { if (!found) exit 1 }' "$scratch/err.$1" || {
    echo "FAIL: no 'page faults N' line in emu --stats output:" >&2
    cat "$scratch/err.$1" >&2
    return 1
  }
}

thp=$(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null ||
  echo unknown)
echo "native (getrusage ru_minflt deltas; THP: $thp):"
"$prog" | sed 's/^/  /'
case $thp in
*"[always]"*)
  echo "  (THP is always on: the native memset may take few huge-page" \
    "faults, so these figures are not Linux's 4 KiB-page count)" ;;
esac

f1=$(emu_faults 1) && f2=$(emu_faults 2) && f3=$(emu_faults 3) || exit 1
d2=$((f2 - f1))
d3=$((f3 - f2))
echo "emu --stats page faults: after mmap $f1, after touching first and" \
  "last page $f2 (+$d2), after memset $f3 (+$d3)"
echo "emu guest's own getrusage view:"
sed 's/^/  /' "$scratch/out.3"

fail=0
if [ "$d2" != 2 ]; then
  echo "FAIL: touching the first and last page cost $d2 faults, not 2"
  fail=1
fi
if [ "$d3" -lt 2558 ] || [ "$d3" -gt 2560 ]; then
  echo "FAIL: the memset cost $d3 faults, not 2558..2560"
  fail=1
fi
[ $fail = 0 ] && echo "PASS: 2 then $d3 page faults, as on Linux"
exit $fail
