#!/bin/bash
# Bad programs handed to emu: it must print exactly one line
# `emu: PATH: reason` on stderr, nothing on stdout, and exit 127 when the
# file does not exist, 126 otherwise (as a shell does) -- no crash, and no
# ASan/UBSan report when built with sanitizers.
#
# usage: bad_input.sh EMU CASE          a built-in case (list below)
#        bad_input.sh EMU FILE STATUS   a prepared file (tests/bad/)
# Built-in cases: missing directory no_exec_permission empty not_elf
#                 truncated_header
set -u
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"
emu=$1
make_scratch

if [ $# -ge 3 ]; then
  file=$2
  expected=$3
else
  file=$scratch/$2
  expected=126
  case $2 in
  missing) file=$scratch/does-not-exist; expected=127 ;;
  directory) mkdir "$file" ;;
  no_exec_permission)
    printf '\177ELF\2\1\1' >"$file"
    chmod 644 "$file" ;;
  empty) : >"$file" ;;
  not_elf) echo "just some text, no #! line" >"$file" ;;
  truncated_header)
    # An ELF magic and class, then the file ends inside the 64-byte header.
    printf '\177ELF\2\1\1\0\0\0\0\0\0\0\0\0\2\0\76\0' >"$file" ;;
  *) echo "bad_input.sh: unknown case $2" >&2; exit 2 ;;
  esac
  # Everything but no_exec_permission may be executed, so only the
  # contents are wrong.
  case $2 in empty | not_elf | truncated_header) chmod 755 "$file" ;; esac
fi

{
  ( exec timeout -k 10 "$EMU_TIMEOUT" "$emu" "$file" </dev/null \
    >"$scratch/out" 2>"$scratch/err" )
  status=$?
} 2>/dev/null

echo "emu $file -> status $(describe_status $status), stderr:"
sed 's/^/  | /' "$scratch/err"
fail=0
if [ "$status" != "$expected" ]; then
  echo "FAIL: expected status $expected"
  fail=1
fi
if [ "$(wc -l <"$scratch/err")" != 1 ]; then
  echo "FAIL: expected exactly one line on stderr"
  fail=1
fi
if ! head -n 1 "$scratch/err" | grep -qF "emu: $file: "; then
  echo "FAIL: expected the line to start with 'emu: $file: '"
  fail=1
fi
if [ -s "$scratch/out" ]; then
  echo "FAIL: unexpected output on stdout"
  fail=1
fi
[ $fail = 0 ] && echo PASS
exit $fail
