#!/bin/bash
# Differential test: run a program natively and under emu, compare stdout
# byte for byte and the exit status (a death by signal N counts as 128+N,
# as a shell reports it). Prints a diff on mismatch.
#
# usage: compare.sh [--stdin FILE] [--cwd DIR] [--emu-opt OPT]... \
#                   EMU PROGRAM [ARGS...]
#   --stdin FILE   feed FILE to both runs (default /dev/null)
#   --cwd DIR      run both in DIR
#   --emu-opt OPT  pass OPT to emu before PROGRAM (e.g. --deterministic)
# Environment: EMU_TIMEOUT (seconds, default 600) bounds the emulated run.
set -u
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"

stdin=/dev/null
emu_opts=()
while [ $# -gt 0 ]; do
  case $1 in
  --stdin) stdin=$2; shift 2 ;;
  --cwd) cd "$2" || exit 1; shift 2 ;;
  --emu-opt) emu_opts+=("$2"); shift 2 ;;
  --) shift; break ;;
  -*) echo "compare.sh: unknown option $1" >&2; exit 2 ;;
  *) break ;;
  esac
done
if [ $# -lt 2 ]; then
  echo "usage: compare.sh [options] EMU PROGRAM [ARGS...]" >&2
  exit 2
fi
emu=$1
shift
if [ ! -x "$emu" ]; then
  echo "compare.sh: no emulator at $emu" >&2
  exit 1
fi

make_scratch
ulimit -c 0 # guests that crash on purpose must not leave core files

# Each run is a subshell; the shell's notice when it dies of a signal
# ("Segmentation fault") goes to /dev/null, not into the log.
run_native "${native_prefix[@]}" "$@" <"$stdin" >"$scratch/native.out" \
  2>"$scratch/native.err"
skip_if_native_hung "$*"
{
  ( exec timeout -k 10 "$EMU_TIMEOUT" "$emu" "${emu_opts[@]}" "$@" \
    <"$stdin" >"$scratch/emu.out" 2>"$scratch/emu.err" )
  emu_status=$?
} 2>/dev/null

# A guest that needs what emu does not have yet (fork) prints
# "SKIP: reason" and exits 77 when emu says ENOSYS: the test is skipped.
if [ "$emu_status" = "$SKIP" ] && grep -q '^SKIP: ' "$scratch/emu.out"; then
  grep '^SKIP: ' "$scratch/emu.out"
  exit "$SKIP"
fi
echo "command: $*"
echo "native:  status $(describe_status $native_status)," \
  "$(wc -c <"$scratch/native.out") bytes of stdout"
echo "emu:     status $(describe_status $emu_status)," \
  "$(wc -c <"$scratch/emu.out") bytes of stdout"
list_skipped_items "$scratch/native.err"
fail=0
if ! cmp -s "$scratch/native.out" "$scratch/emu.out"; then
  echo "FAIL: stdout differs (--- native, +++ emu):"
  diff -u --label native --label emu "$scratch/native.out" \
    "$scratch/emu.out" | head -n 80
  fail=1
fi
if [ "$native_status" != "$emu_status" ]; then
  [ "$emu_status" = 124 ] && echo "(emu timed out after ${EMU_TIMEOUT}s)"
  echo "FAIL: exit status differs: native $native_status, emu $emu_status"
  fail=1
fi
if [ $fail != 0 ]; then
  echo "--- emu stderr (last 40 lines):"
  tail -n 40 "$scratch/emu.err"
  exit 1
fi
echo "PASS: same stdout and exit status"
exit 0
