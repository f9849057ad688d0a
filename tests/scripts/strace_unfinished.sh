#!/bin/bash
# `emu --strace -f` when processes interleave: a parent blocked in wait4
# while its child prints (emu_only/wait_child_prints.c, which orders the
# two by reading the trace, not by timing) must show strace -f's
# structure:
#   P  wait4(C,  <unfinished ...>
#   C  ...the child's calls..., +++ exited with 0 +++
#   P  <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = C
# and every line its pid prefix as strace writes it: "%-5d " in an -o
# file; on stderr "[pid %5d] " while two processes are traced, so the
# parent's lines before its fork and after its child's exit (the resumed
# wait4 among them) have none; results at column 40 as strace aligns them
# (a resumed line counts from its start).
#
# usage: strace_unfinished.sh EMU GUEST file|stderr
set -u
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"

if [ $# -ne 3 ]; then
  echo "usage: strace_unfinished.sh EMU GUEST file|stderr" >&2
  exit 2
fi
emu=$1 guest=$2 mode=$3
make_scratch
trace=$scratch/trace
if [ "$mode" = file ]; then
  timeout -k 10 "$EMU_TIMEOUT" "$emu" --strace -f -o "$trace" "$guest" \
    "$trace" >"$scratch/out" 2>"$scratch/err"
else
  # The guest reads the trace it is writing: that is how it knows when.
  # shellcheck disable=SC2094
  timeout -k 10 "$EMU_TIMEOUT" "$emu" --strace -f "$guest" "$trace" \
    >"$scratch/out" 2>"$trace"
fi
status=$?

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
check "exit status 0 (was $status)" [ "$status" = 0 ]
check "stdout: the child's line, then the status the parent waited for" \
  [ "$(cat "$scratch/out")" = "$(printf 'child\nchild status 0')" ]

# The pid of each line ("" where there is no prefix: stderr before the
# first fork); P is the first process, C the one P waits for.
pid_of() {
  if [ "$mode" = file ]; then
    sed -nE 's/^([0-9]+) .*/\1/p'
  else
    sed -nE 's/^\[pid +([0-9]+)\] .*/\1/p'
  fi
}
cut='^(\[pid +)?([0-9]+)\]? +wait4\(([0-9]+),  <unfinished \.\.\.>$'
parent=$(sed -nE "s/$cut/\\2/p" "$trace" | head -n 1)
child=$(sed -nE "s/$cut/\\3/p" "$trace" | head -n 1)
check "the parent's wait4 was cut: 'wait4(C,  <unfinished ...>'" \
  [ -n "$parent" ] && [ -n "$child" ]

if [ -n "$parent" ]; then
  if [ "$mode" = file ]; then
    p_pfx=$(printf '%-5d ' "$parent") c_pfx=$(printf '%-5d ' "$child")
    alone_pfx=$p_pfx
  else
    p_pfx=$(printf '[pid %5d] ' "$parent") c_pfx=$(printf '[pid %5d] ' "$child")
    alone_pfx=
  fi
  # The lines from the cut to the resumption, in order.
  awk -v p="$p_pfx" -v c="$c_pfx" -v cpid="$child" '
    index($0, p "wait4(" cpid ",  <unfinished ...>") == 1 { on = 1 }
    on { print }
    on && index($0, "<... wait4 resumed>") { exit }' "$trace" \
    >"$scratch/span"
  check "the child prints meanwhile: its write and its exit" \
    grep -qF "${c_pfx}+++ exited with 0 +++" "$scratch/span"
  check "the child's write of 'child\\n'" \
    grep -qF "${c_pfx}write(1, \"child\\n\", 6" "$scratch/span"
  resumed="${alone_pfx}<... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = $child"
  check "the parent resumes: '$resumed'" \
    [ "$(tail -n 1 "$scratch/span")" = "$resumed" ]
  check "nothing of the parent's between the cut and the resumption" \
    [ "$(awk -v p="$p_pfx" 'index($0, p) == 1' "$scratch/span" | wc -l)" = \
      "$([ "$mode" = file ] && echo 2 || echo 1)" ]
  check "the first and last lines are the parent's alone: '${alone_pfx}execve(', '${alone_pfx}+++ exited with 0 +++'" \
    [ "$(head -c $((${#alone_pfx} + 7)) "$trace")" = "${alone_pfx}execve(" ] &&
    [ "$(tail -n 1 "$trace")" = "${alone_pfx}+++ exited with 0 +++" ]
fi

# Every line's prefix as strace writes it, and in an -o file on every
# line.
if [ "$mode" = file ]; then
  bad=$(awk '{ want = sprintf("%-5d ", $1)
    if (substr($0, 1, length(want)) != want ||
        substr($0, length(want) + 1, 1) == " ") print }' "$trace" | head -n 3)
else
  bad=$(grep -E '^\[pid' "$trace" | grep -vE '^\[pid [ 0-9]{4}[0-9]\] [^ ]' |
    head -n 3)
fi
check "pid prefixes as strace's ${bad:+(not: $bad)}" [ -z "$bad" ]
# "name(args)" then spaces to column 40, then "= " (strace's tabto).
bad=$(awk 'match($0, /\) += /) {
    if (RSTART + RLENGTH - 2 != (RSTART <= 39 ? 41 : RSTART + 2)) print }' \
  "$trace" | head -n 3)
check "results at column 40 ${bad:+(not: $bad)}" [ -z "$bad" ]
pids=$(pid_of <"$trace" | sort -u | wc -l)
check "two processes traced (saw $pids)" [ "$pids" = 2 ]

if [ $fail != 0 ]; then
  echo "--- trace:"
  cat "$trace"
  exit 1
fi
exit 0
