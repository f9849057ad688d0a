#!/bin/bash
# emu's command line: --help and --version succeed on stdout; an unknown
# option or a missing PROGRAM is an error with usage on stderr (as
# getopt-style tools do), never a crash.
#
# usage: cli.sh EMU CASE   (CASE: help version unknown_option no_program)
set -u
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"
emu=$1
make_scratch

case $2 in
help) args=(--help) ;;
version) args=(--version) ;;
unknown_option) args=(--no-such-option /bin/true) ;;
no_program) args=() ;;
*) echo "cli.sh: unknown case $2" >&2; exit 2 ;;
esac

{
  ( exec timeout -k 10 "$EMU_TIMEOUT" "$emu" "${args[@]}" </dev/null \
    >"$scratch/out" 2>"$scratch/err" )
  status=$?
} 2>/dev/null
echo "emu ${args[*]} -> status $(describe_status $status)"
echo "stdout:"; sed 's/^/  | /' "$scratch/out"
echo "stderr:"; sed 's/^/  | /' "$scratch/err"

fail() {
  echo "FAIL: $*"
  exit 1
}
case $2 in
help)
  [ "$status" = 0 ] || fail "--help must exit 0"
  grep -qi usage "$scratch/out" || fail "--help must print usage on stdout"
  for opt in --strace --trace --stats --help --version; do
    grep -q -- "$opt" "$scratch/out" || fail "--help does not mention $opt"
  done ;;
version)
  [ "$status" = 0 ] || fail "--version must exit 0"
  grep -q 'emu' "$scratch/out" || fail "--version must name emu on stdout" ;;
unknown_option | no_program)
  [ "$status" != 0 ] || fail "must exit with an error status"
  [ "$status" -lt 126 ] || fail "status $status looks like a crash or exec failure"
  grep -qi usage "$scratch/err" || fail "must print usage on stderr"
  [ -s "$scratch/out" ] && fail "must print nothing on stdout" ;;
esac
echo PASS
exit 0
