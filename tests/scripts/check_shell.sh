#!/bin/bash
# The build and test scripts pass shellcheck. Skipped when shellcheck is
# not installed.
#
# usage: check_shell.sh SOURCE_DIR
set -u
if ! command -v shellcheck >/dev/null; then
  echo "SKIP: shellcheck is not installed"
  exit 77
fi
cd "$1/tests/scripts" || exit 1
shellcheck --version | sed -n 2p
if shellcheck -x ./*.sh ../../setup.sh ../../.ci/run; then
  echo PASS
else
  echo "FAIL: shellcheck found problems (above)"
  exit 1
fi
