# shellcheck shell=bash disable=SC2034
# Shared helpers for the test runners (sourced, not run).

# ctest's SKIP_RETURN_CODE for tests whose tools are missing here.
SKIP=77

# A private scratch directory, removed on exit.
make_scratch() {
  scratch=$(mktemp -d "${TMPDIR:-/tmp}/emu-test.XXXXXX") || exit 1
  trap 'rm -rf "$scratch"' EXIT
}

# Describe an exit status the way a shell would see it.
describe_status() {
  local s=$1
  if [ "$s" -gt 128 ] && [ "$s" -lt 160 ]; then
    printf '%s (signal %s, %s)' "$s" "$((s - 128))" \
      "$(kill -l "$((s - 128))" 2>/dev/null || echo '?')"
  else
    printf '%s' "$s"
  fi
}

# Run "$@" with ASLR off when the host allows it (setarch -R), so native
# runs see Linux's no-ASLR layout, the one emu reproduces.
native_prefix=()
if setarch x86_64 -R true >/dev/null 2>&1; then
  native_prefix=(setarch x86_64 -R)
fi

# Seconds an emulated run may take before it is called hung.
EMU_TIMEOUT=${EMU_TIMEOUT:-600}

# Seconds a native reference run may take. A reference that does not
# finish cannot be the truth: the test is skipped with that reason (exit
# 77) rather than left to hang until ctest's own limit.
NATIVE_TIMEOUT=${NATIVE_TIMEOUT:-60}

# Run "$@" natively under the time limit; sets native_status. The
# program's stderr is the caller's; the shell's own notice of a death by
# signal ("Segmentation fault") goes to /dev/null.
run_native() {
  {
    ( exec 2>&3 3>&-; exec timeout -k 5 "$NATIVE_TIMEOUT" "$@" )
    native_status=$?
  } 3>&2 2>/dev/null
}

# After run_native: skip the test when the reference did not finish.
skip_if_native_hung() {
  if [ "$native_status" = 124 ] || [ "$native_status" = 137 ]; then
    echo "SKIP: the native reference run did not finish in" \
      "${NATIVE_TIMEOUT}s: $*"
    exit "$SKIP"
  fi
}

# The guest programs learn the host CPU's vendor from here, for items the
# model cannot answer natively (tests/guest/host_model.h).
EMU_TEST_HOST_VENDOR=$(sed -n 's/^vendor_id[[:space:]]*: //p' /proc/cpuinfo |
  head -n 1)
export EMU_TEST_HOST_VENDOR
# Whether the host CPU has protection keys (the model has none): a guest
# that tests them skips itself in both runs on such a host.
EMU_TEST_HOST_PKU=0
grep -qw pku /proc/cpuinfo && EMU_TEST_HOST_PKU=1
export EMU_TEST_HOST_PKU

# Items a native run did not take from the host ("skip: ITEM: REASON" on
# its stderr, tests/guest/host_model.h), listed in the test's output for
# tests/scripts/skips.sh to count.
list_skipped_items() {
  grep -h '^skip: ' "$@" 2>/dev/null | sort -u
}

# Close every inherited descriptor above stderr (ctest and make may pass
# some down), so that a program starts from what a shell gives it: emu's
# guest inherits them like a native run, and traces would then show
# numbers that depend on the test runner.
close_stray_fds() {
  local fd
  for fd in "/proc/$$/fd"/*; do
    fd=${fd##*/}
    if [ "$fd" -gt 2 ] 2>/dev/null; then
      eval "exec $fd>&-" 2>/dev/null
    fi
  done
}
close_stray_fds
