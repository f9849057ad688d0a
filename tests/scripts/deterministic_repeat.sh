#!/bin/bash
# Two runs of `emu --deterministic --strace` of one program: the traces
# and the output must be the same byte for byte (a deterministic run's
# times, timer expirations and waits come from the cycle counter).
#
# usage: deterministic_repeat.sh EMU PROGRAM [ARGS...]
set -u
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"

if [ $# -lt 2 ]; then
  echo "usage: deterministic_repeat.sh EMU PROGRAM [ARGS...]" >&2
  exit 2
fi
emu=$1
shift
make_scratch
for run in 1 2; do
  timeout -k 10 "$EMU_TIMEOUT" "$emu" --deterministic --strace \
    -o "$scratch/trace.$run" "$@" </dev/null >"$scratch/out.$run" 2>&1
  echo "run $run: status $?, $(wc -l <"$scratch/trace.$run") trace lines"
done
fail=0
# The pid differs between the two processes, and execve's envp pointer
# (emu's own environment block, strace_compare.sh): nothing else.
pid1=$(sed -nE 's/^set_tid_address\(.*\) += ([0-9]+)$/\1/p' "$scratch/trace.1")
pid2=$(sed -nE 's/^set_tid_address\(.*\) += ([0-9]+)$/\1/p' "$scratch/trace.2")
envp='s/^(execve\(.*\], )0x[0-9a-f]+ /\1ENVP /'
sed -E -e "s/\\b$pid1\\b/PID/g" -e "$envp" "$scratch/trace.1" >"$scratch/norm.1"
sed -E -e "s/\\b$pid2\\b/PID/g" -e "$envp" "$scratch/trace.2" >"$scratch/norm.2"
if ! cmp -s "$scratch/norm.1" "$scratch/norm.2"; then
  echo "FAIL: the traces differ"
  diff -u "$scratch/norm.1" "$scratch/norm.2" | head -n 40
  fail=1
fi
if ! cmp -s "$scratch/out.1" "$scratch/out.2"; then
  echo "FAIL: the output differs"
  diff -u "$scratch/out.1" "$scratch/out.2" | head -n 20
  fail=1
fi
[ $fail = 0 ] && echo "PASS: identical deterministic runs"
exit $fail
