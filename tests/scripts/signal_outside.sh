#!/bin/bash
# A signal from outside: run PROG FIFO MODE natively and under emu in the
# background, wait for its "ready" line on the FIFO, send it SIG with
# kill (through timeout, its parent in both runs), and compare stdout and exit status (128+N for a death by signal).
#
# usage: signal_outside.sh EMU PROG MODE SIG
set -u
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"
emu=$1 prog=$2 mode=$3 sig=$4
make_scratch
fifo=$scratch/ready

# One run: $@ is the command; prints its stdout into $scratch/$tag.out and
# its status into $scratch/$tag.status.
run_one() {
  local tag=$1
  shift
  rm -f "$fifo"
  mkfifo "$fifo"
  # timeout bounds a run that hangs; it passes the signal on to the
  # program, its child, in both runs alike.
  timeout -k 5 "${EMU_TIMEOUT:-60}" "$@" "$fifo" "$mode" </dev/null \
    >"$scratch/$tag.out" 2>"$scratch/$tag.err" &
  local pid=$!
  # Opened read-write, the FIFO never blocks the open itself.
  exec 3<>"$fifo"
  read -r -t "${EMU_TIMEOUT:-60}" _ <&3
  exec 3<&-
  sleep 0.2 # into the loop or the blocking read
  kill -"$sig" "$pid"
  wait "$pid"
  echo $? >"$scratch/$tag.status"
}

run_one native "$prog"
run_one emu "$emu" "$prog"
fail=0
echo "native: status $(cat "$scratch/native.status"); emu: status $(cat "$scratch/emu.status")"
if ! cmp -s "$scratch/native.out" "$scratch/emu.out"; then
  echo "FAIL: stdout differs (--- native, +++ emu):"
  diff -u "$scratch/native.out" "$scratch/emu.out"
  fail=1
fi
if ! cmp -s "$scratch/native.status" "$scratch/emu.status"; then
  echo "FAIL: exit status differs"
  fail=1
fi
if [ $fail != 0 ]; then
  tail -n 20 "$scratch/emu.err"
  exit 1
fi
echo "PASS: same stdout and exit status"
