#!/bin/bash
# A test with processes must not flake: run one runner N times in a row.
# The first failing run fails the test with its output (a flake is a bug
# to find, not a run to retry); a skip (77) skips.
#
# usage: repeat.sh N RUNNER [ARGS...]
set -u
if [ $# -lt 2 ]; then
  echo "usage: repeat.sh N RUNNER [ARGS...]" >&2
  exit 2
fi
n=$1
shift
for ((i = 1; i <= n; i++)); do
  out=$("$@" 2>&1)
  status=$?
  if [ "$status" = 77 ]; then
    echo "$out"
    exit 77
  fi
  if [ "$status" != 0 ]; then
    echo "FAIL: run $i of $n:"
    echo "$out"
    exit 1
  fi
done
echo "PASS: $n runs in a row: $*"
