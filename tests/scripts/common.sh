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
