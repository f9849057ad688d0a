#!/bin/bash
# What the last ctest run in a build directory did not check against the
# host: whole tests skipped (exit 77, ctest's "Not Run") with the reason
# each printed, and items inside passing tests that the host could not
# judge ("skip: ..." lines; tests/guest/host_model.h, tests/diff). Prints
# one line per item, grouped by test, and a count. .ci/run calls it after
# each suite.
#
# usage: skips.sh BUILD_DIR
set -u
log=${1:-build}/Testing/Temporary/LastTest.log
if [ ! -f "$log" ]; then
  echo "skips.sh: no ctest log at $log" >&2
  exit 2
fi
# LastTest.log: each test's block starts "N/M Testing: NAME" and its output
# follows; a whole-test skip prints "SKIP: reason" and ends "Test Skipped"
# or with ctest's SKIP_RETURN_CODE note.
awk '
  /^[0-9]+\/[0-9]+ Testing: / { test = $3; next }
  /^SKIP: / { sub(/^SKIP: /, ""); whole[test] = $0; next }
  /^skip: / {
    sub(/^skip: /, "")
    key = test ": " $0
    if (!(key in seen)) { seen[key] = 1; items[++n] = key }
    next
  }
  END {
    w = 0
    for (t in whole) w++
    printf "skipped tests: %d\n", w
    for (t in whole) printf "  %s: %s\n", t, whole[t]
    printf "items not checked against the host (checked against the model or skipped): %d\n", n
    for (i = 1; i <= n; i++) printf "  %s\n", items[i]
  }' "$log"
