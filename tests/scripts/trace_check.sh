#!/bin/bash
# `emu --trace` against the program itself and `--stats`: one trace line
# per retired instruction (line count = `instructions`), the first at the
# ELF entry point in symbol `_start`, cycle counts that never go back and
# stay below the final `cycles`, one `syscall` line per system call, and
# the same stdout and status as a run without tracing.
#
# usage: trace_check.sh EMU PROGRAM   (a static program without rep loops)
set -u
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"
emu=$1
prog=$2
make_scratch

timeout -k 10 "$EMU_TIMEOUT" "$emu" "$prog" >"$scratch/plain.out" 2>/dev/null
plain_status=$?
timeout -k 10 "$EMU_TIMEOUT" "$emu" --trace -o "$scratch/trace" --stats \
  "$prog" >"$scratch/out" 2>"$scratch/err"
status=$?

fail=0
problem() {
  echo "FAIL: $*"
  fail=1
}
stat_value() {
  awk -v label="$1" '{ v = $NF; $NF = ""; sub(/[ \t]+$/, "");
                       if ($0 == label) print v }' "$scratch/err"
}

[ "$status" = "$plain_status" ] ||
  problem "status $status with --trace, $plain_status without"
cmp -s "$scratch/out" "$scratch/plain.out" ||
  problem "stdout differs with --trace"
lines=$(wc -l <"$scratch/trace")
instructions=$(stat_value instructions)
cycles=$(stat_value cycles)
syscalls=$(stat_value "system calls")
echo "trace: $lines lines; --stats: instructions ${instructions:-?}," \
  "cycles ${cycles:-?}, system calls ${syscalls:-?}"
[ "$lines" = "${instructions:-x}" ] ||
  problem "trace has $lines lines for ${instructions:-?} instructions"

entry=$(readelf -h "$prog" | awk '/Entry point address/ { print $NF }')
read -r _ first_addr first_sym _ <"$scratch/trace"
echo "first line: $(head -n 1 "$scratch/trace")"
[ "$((16#${first_addr:-0}))" = "$((entry))" ] ||
  problem "first instruction at ${first_addr:-?}, entry point is $entry"
case $first_sym in
_start*) ;;
*) problem "first instruction's symbol is '$first_sym', not _start" ;;
esac
awk -v total="${cycles:-0}" '
  $1 < prev { print "FAIL: cycle count goes back at line " NR; bad = 1 }
  { prev = $1 }
  END { if (total != 0 && prev >= total) {
          print "FAIL: last line at cycle " prev ", total is " total; bad = 1 }
        exit bad }' "$scratch/trace" || fail=1
traced_syscalls=$(grep -c ' syscall *$' "$scratch/trace")
[ "$traced_syscalls" = "${syscalls:-x}" ] ||
  problem "$traced_syscalls syscall instructions traced, ${syscalls:-?} counted"

if [ $fail != 0 ]; then
  echo "--- trace (first 30 lines):"
  head -n 30 "$scratch/trace"
  echo "--- stderr:"
  tail -n 20 "$scratch/err"
  exit 1
fi
echo PASS
