#!/bin/bash
# A far transfer to compatibility mode stops the guest with a clear report
# (tests/emu_only/compat_mode.S): status 132, the guest's output before
# it intact, and stderr naming the cause and the instruction.
#
# usage: compat_mode.sh EMU PROGRAM
set -u
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"
emu=$1
make_scratch
{
  ( exec timeout -k 10 "$EMU_TIMEOUT" "$emu" "$2" </dev/null \
    >"$scratch/out" 2>"$scratch/err" )
  status=$?
} 2>/dev/null
echo "status $(describe_status $status)"
sed 's/^/  | /' "$scratch/out" "$scratch/err"
fail() {
  echo "FAIL: $*"
  exit 1
}
[ "$status" = 132 ] || fail "status must be 132 (as SIGILL)"
[ "$(cat "$scratch/out")" = "before ljmp" ] || fail "stdout must be the guest's"
grep -q "compatibility mode" "$scratch/err" || fail "stderr must name compatibility mode"
grep -q "ljmp" "$scratch/err" || fail "stderr must show the instruction"
echo PASS
