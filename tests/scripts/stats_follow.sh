#!/bin/bash
# --stats with -f: every process of the run prints its own counters when
# it exits, each line "[pid N] ", the block whole (one write), so blocks
# of processes ending together never mix. Without -f only the process emu
# started prints, unprefixed, as before.
#
# usage: stats_follow.sh EMU
set -u
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"
emu=$1
make_scratch
fail=0
check() { # description, then the command that must succeed
  local what=$1
  shift
  if "$@"; then
    echo "ok: $what"
  else
    echo "FAIL: $what"
    fail=1
  fi
}

# sh runs /bin/true as a child, waits for it, and exits 3. emu is
# started here, not under timeout, so that $! is its pid; a watchdog
# bounds it instead.
"$emu" --stats -f /bin/sh -c '/bin/true; exit 3' >/dev/null 2>"$scratch/err" &
top=$!
mkfifo "$scratch/never"
(read -rt "$EMU_TIMEOUT" <>"$scratch/never"; kill -9 "$top") >/dev/null 2>&1 &
watchdog=$!
wait "$top"
status=$?
kill "$watchdog" 2>/dev/null
check "exit status 3 (was $status)" [ "$status" = 3 ]
lines=$(wc -l <"$scratch/err")
check "two blocks of 11 lines (saw $lines lines)" [ "$lines" = 22 ]
bad=$(grep -vE '^\[pid [0-9]+\] ' "$scratch/err" | head -n 2)
check "every line prefixed [pid N] ${bad:+(not: $bad)}" [ -z "$bad" ]
# Blocks whole: the pid changes once, at the second header.
mapfile -t pids < <(sed -E 's/^\[pid ([0-9]+)\] .*/\1/' "$scratch/err" | uniq)
check "each block in one piece, two processes (saw ${pids[*]})" \
  [ "${#pids[@]}" = 2 ] && [ "${pids[0]}" != "${pids[1]}" ]
check "the child's block first, then the first process's (pid $top)" \
  [ "${pids[1]:-}" = "$top" ]
check "each block starts with its header" \
  [ "$(grep -c '^\[pid [0-9]*\] --- emu stats ---$' "$scratch/err")" = 2 ]
check "the child's own counters: its system calls" \
  grep -qE "^\[pid ${pids[0]}\] system calls +[1-9]" "$scratch/err"

timeout -k 10 "$EMU_TIMEOUT" "$emu" --stats /bin/sh -c '/bin/true; exit 3' \
  >/dev/null 2>"$scratch/err1"
check "without -f: one unprefixed block" \
  [ "$(wc -l <"$scratch/err1")" = 11 ] &&
  [ "$(head -n 1 "$scratch/err1")" = "--- emu stats ---" ]

if [ $fail != 0 ]; then
  echo "--- stderr with -f:"
  cat "$scratch/err"
  exit 1
fi
exit 0
