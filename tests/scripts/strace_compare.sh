#!/bin/bash
# The project's best oracle: `emu --strace PROGRAM` against the real
# kernel's `setarch x86_64 -R strace PROGRAM` (ASLR off, the layout emu
# reproduces). Same program path (argv[0]), same cwd, same environment,
# stdout to a fresh empty file in both runs (its fstat is traced). Only
# what must differ is normalized: the pid (set_tid_address, getpid,
# gettid) and its children's (CHILDn), getrandom's bytes, execve's envp pointer, getrusage's CPU
# times, the number of a pty the host allocates and the ports the kernel
# chooses (bind to port 0); and the native run's
# own "skip: ITEM: REASON" lines on stderr (the items it answered with the model's value, tests/guest/host_model.h).
# Then the traces are diffed; stdout and exit status must match too. (No trace shows the vDSO's address itself; if emu placed it
# differently, every mmap after it would move, which is a real difference.)
#
# usage: strace_compare.sh EMU PROGRAM [ARGS...]
# Exits 77 (skipped) when strace or setarch is missing or cannot trace.
set -u
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"

if [ $# -lt 2 ]; then
  echo "usage: strace_compare.sh EMU PROGRAM [ARGS...]" >&2
  exit 2
fi
emu=$1
shift

for tool in strace setarch; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIP: $tool is not installed"
    exit "$SKIP"
  fi
done
if ! setarch x86_64 -R strace -o /dev/null true >/dev/null 2>&1; then
  echo "SKIP: strace cannot trace here (ptrace or personality denied)"
  exit "$SKIP"
fi

make_scratch
ulimit -c 0

# The same small environment for both runs (execve shows its size), with
# the sanitizer settings an ASan build of emu may need.
fixed_env=(env -i "PATH=$PATH" "HOME=${HOME:-/}" LC_ALL=C TZ=UTC
  "EMU_TEST_HOST_VENDOR=$EMU_TEST_HOST_VENDOR"
  "EMU_TEST_HOST_PKU=$EMU_TEST_HOST_PKU")
for v in ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS; do
  [ -n "${!v+set}" ] && fixed_env+=("$v=${!v}")
done

run_native "${fixed_env[@]}" setarch x86_64 -R strace -o "$scratch/native.strace" \
  "$@" </dev/null >"$scratch/native.out" 2>"$scratch/native.err"
skip_if_native_hung "$*"
{
  ( exec timeout -k 10 "$EMU_TIMEOUT" "${fixed_env[@]}" "$emu" --strace -o "$scratch/emu.strace" \
    "$@" </dev/null >"$scratch/emu.out" 2>"$scratch/emu.err" )
  emu_status=$?
} 2>/dev/null

# Normalize one trace: only values that legitimately differ between two
# runs of the same program. (CPU times in getrusage never repeat either;
# hello does not call it, the seed program does.)
normalize() {
  # The pid also appears as an argument (tgkill) and in siginfo (si_pid):
  # every whole-word occurrence of the pid set_tid_address returned.
  local pid children=() k=0 c
  pid=$(sed -nE 's/^set_tid_address\(.*\) += ([0-9]+)$/\1/p' "$1" | head -n 1)
  # Children's pids, named in the order the calls that made them returned.
  mapfile -t children < <(sed -nE \
    's/^(clone|clone3|fork|vfork)\(.*\) += ([0-9]+)$/\2/p' "$1")
  local child_subst=()
  for c in "${children[@]}"; do
    k=$((k + 1))
    child_subst+=(-e "s/\\b$c\\b/CHILD$k/g")
  done
  sed -E \
    ${pid:+-e "s/\\b$pid\\b/PID/g"} \
    "${child_subst[@]}" \
    -e 's/^(set_tid_address\(.*\)) += [0-9]+$/\1 = PID/' \
    -e 's/^(getpid\(\)|gettid\(\)|getppid\(\)) += [0-9]+$/\1 = PID/' \
    -e 's/^getrandom\("(\\x[0-9a-f]{2})*"(\.\.\.)?/getrandom("BYTES"/' \
    -e 's/^(execve\(.*\], )0x[0-9a-f]+ (\/\* [0-9]+ vars \*\/)/\1ENVP \2/' \
    -e 's/(ru_[us]time=)\{tv_sec=[0-9]+, tv_usec=[0-9]+\}/\1{TIME}/g' \
    -e 's/(TIOCGPTN, )\[[0-9]+\]/\1[N]/' \
    -e 's|"/dev/pts/[0-9]+"|"/dev/pts/N"|g' \
    -e 's/(sin6?_port=htons\()[1-9][0-9]*\)/\1PORT)/g' \
    -e '/^write\(2, "skip: /d' \
    "$1" | drop_sigchld
}

# A child's SIGCHLD arrives when the child ends, wherever the parent is:
# its line, and the wait (or fork: ERESTARTNOINTR) it interrupted and
# restarted, fall at a place that depends on scheduling, natively as
# under emu. They are dropped.
drop_sigchld() {
  awk '{ line[NR] = $0 }
    /^--- SIGCHLD / { skip[NR] = 1
      if (line[NR-1] ~ /= \? ERESTART(SYS|NOINTR) \(To be restarted( if SA_RESTART is set)?\)$/)
        skip[NR-1] = 1 }
    END { for (i = 1; i <= NR; i++) if (!skip[i]) print line[i] }'
}
normalize "$scratch/native.strace" >"$scratch/native.norm"
normalize "$scratch/emu.strace" >"$scratch/emu.norm" 2>/dev/null ||
  : >"$scratch/emu.norm"

if [ "$emu_status" = "$SKIP" ] && grep -q '^SKIP: ' "$scratch/emu.out"; then
  grep '^SKIP: ' "$scratch/emu.out" # a guest that needs fork (compare.sh)
  exit "$SKIP"
fi
list_skipped_items "$scratch/native.err"
echo "command: $*"
echo "native:  status $(describe_status $native_status)," \
  "$(wc -l <"$scratch/native.norm") trace lines"
echo "emu:     status $(describe_status $emu_status)," \
  "$(wc -l <"$scratch/emu.norm") trace lines"
fail=0
if ! cmp -s "$scratch/native.norm" "$scratch/emu.norm"; then
  echo "FAIL: traces differ (--- strace, +++ emu --strace):"
  diff -u --label strace --label 'emu --strace' "$scratch/native.norm" \
    "$scratch/emu.norm" | head -n 120
  fail=1
fi
if ! cmp -s "$scratch/native.out" "$scratch/emu.out"; then
  echo "FAIL: stdout differs"
  diff -u --label native --label emu "$scratch/native.out" \
    "$scratch/emu.out" | head -n 40
  fail=1
fi
if [ "$native_status" != "$emu_status" ]; then
  echo "FAIL: exit status differs: native $native_status, emu $emu_status"
  fail=1
fi
if [ $fail != 0 ]; then
  echo "--- emu stderr (last 20 lines):"
  tail -n 20 "$scratch/emu.err"
  exit 1
fi
echo "PASS: identical traces after normalizing"
cat "$scratch/emu.norm"
exit 0
