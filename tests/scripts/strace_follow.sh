#!/bin/bash
# `emu --strace -f` against `setarch x86_64 -R strace -f` of a program
# that runs processes, compared process by process. With -o every line
# starts with its pid; the processes' lines interleave by scheduling, in
# strace as in emu, so each log is cut into one sequence per process:
# lines a process had interrupted (`read(3,  <unfinished ...>` ...
# `<... read resumed>"hi\n", 4096) = 3`) are joined back into one line,
# and pids are renamed by descent: the first process is P, the children
# of X are X.1, X.2, ... in the order X's clone/fork/vfork calls returned
# them (an order fixed by X alone, unlike the order lines appear in). Then
# the per-process sequences must be identical.
#
# usage: strace_follow.sh EMU PROGRAM [ARGS...]
# Exits 77 (skipped) when strace, setarch or PROGRAM is missing here.
set -u
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"

if [ $# -lt 2 ]; then
  echo "usage: strace_follow.sh EMU PROGRAM [ARGS...]" >&2
  exit 2
fi
emu=$(realpath "$1")
shift

for tool in strace setarch "$1"; do
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
mkdir "$scratch/work"
# emu's descriptor table holds 1024 (FD_MAX) and it reports that limit;
# the host's here may be higher (as asks for it).
ulimit -n 1024
fixed_env=(env -i "PATH=$PATH" "HOME=${HOME:-/}" LC_ALL=C TZ=UTC)
for v in ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS; do
  [ -n "${!v+set}" ] && fixed_env+=("$v=${!v}")
done

# Both runs in the same empty directory, with what the first left removed.
(cd "$scratch/work" && run_native "${fixed_env[@]}" setarch x86_64 -R \
  strace -f -o "$scratch/native.strace" "$@" </dev/null \
  >"$scratch/native.out" 2>"$scratch/native.err"
  exit "$native_status")
native_status=$?
skip_if_native_hung "$*"
rm -rf "$scratch/work" && mkdir "$scratch/work"
# emu's descriptor table holds 1024 (FD_MAX) and it reports that limit;
# the host's here may be higher (as asks for it).
ulimit -n 1024
{
  (cd "$scratch/work" && exec timeout -k 10 "$EMU_TIMEOUT" "${fixed_env[@]}" \
    "$emu" --strace -f -o "$scratch/emu.strace" "$@" </dev/null \
    >"$scratch/emu.out" 2>"$scratch/emu.err")
  emu_status=$?
} 2>/dev/null

# Each process's calls as whole lines, "PID line", in the order each
# process made them. A line left unfinished by the process's own death
# keeps its mark.
join_resumed() {
  awk '
    function flush(pid) {
      if (pid in open) { print pid " " open[pid] " <unfinished ...>"; delete open[pid] }
    }
    {
      pid = $1
      line = substr($0, index($0, " ") + 1)
      sub(/^ +/, "", line)
      if (line ~ / <unfinished \.\.\.>$/) {
        flush(pid)
        open[pid] = substr(line, 1, length(line) - length(" <unfinished ...>"))
        next
      }
      if (line ~ /^<\.\.\. [^ ]+ resumed>/ && (pid in open)) {
        rest = line
        sub(/^<\.\.\. [^ ]+ resumed>/, "", rest)
        line = open[pid] rest
        delete open[pid]
      } else {
        flush(pid)
      }
      print pid " " line
    }
    END { for (pid in open) flush(pid) }'
}

# Names by descent (see the top): a sed script renaming each pid where a
# pid stands: the line prefix, the result of the calls that return one
# (clone, fork, wait4, getpid, ...), si_pid and parent_tid, and the pid
# arguments of wait4, waitid, kill, tgkill, setpgid, ... Only there: a
# number that happens to equal a pid elsewhere (a year in a file read, a
# size) is left alone (renaming every whole word "1991" flaked).
pid_names() {
  awk '
    function named(pid) {
      if (!(pid in name))
        name[pid] = named(parent[pid]) "." nth[pid]
      return name[pid]
    }
    NR == 1 { name[$1] = "P" }
    $2 ~ /^(clone|clone3|fork|vfork)\(/ && $NF ~ /^[0-9]+$/ && $(NF-1) == "=" {
      parent[$NF] = $1
      nth[$NF] = ++n[$1]
    }
    END {
      for (pid in parent) named(pid)
      for (pid in name) {
        p = pid; nm = name[pid]
        printf "s/^%s /%s /\n", p, nm
        printf "s/(si_pid=|parent_tid=\\[)%s\\b/\\1%s/g\n", p, nm
        printf "s/^([^ ]+ (clone3?|v?fork|wait4|getpid|gettid|getppid|" \
          "set_tid_address|getpgid|getpgrp|getsid|setsid)\\(.*\\) += )" \
          "%s$/\\1%s/\n", p, nm
        printf "s/^([^ ]+ (wait4|kill|tkill|tgkill|setpgid|getpgid|getsid|" \
          "prlimit64|pidfd_open|rt_sigqueueinfo|sched_[a-z_]+)\\(-?)" \
          "%s\\b/\\1%s/\n", p, nm
        printf "s/^([^ ]+ (tgkill|setpgid|waitid)\\([^,]*, -?)%s\\b/" \
          "\\1%s/\n", p, nm
      }
    }'
}

# What legitimately differs between two runs, narrowly:
# - the result's padding: a joined line keeps the entry's columns;
# - getppid of the first process is strace's pid or the test shell's;
# - getrandom's bytes, and the names mkstemp makes of them (gcc's
#   /tmp/ccXXXXXX.s);
# - execve's envp pointer: strace shows the caller's, emu its own
#   environment for the first execve (strace_compare.sh);
# - CPU times (getrusage, wait4's rusage), and sysinfo's whole struct
#   (the host's uptime, free memory and process count; cc1 asks);
# - addresses in the mmap area of a process from its first file mapping
#   of 2 MiB or more on: Linux aligns those to 2 MiB (cc1's libraries),
#   which emu does not model (README, known gaps), so every later mapping
#   of that process moves. The single-process strace.* tests hold the
#   layout itself.
# mkstemp (glibc's tempname.c) draws its name from the clock and calls
# getrandom only when that value falls in the few percent its base-62
# digits would bias: a getrandom right before the creation of gcc's
# temporary file comes and goes from run to run, natively too, and so
# does a second one (a draw that is biased again, one run in ~60 under
# emu): every getrandom right before that creation is dropped.
# SIGCHLD arrives wherever the parent is when the child ends, natively
# as under emu: its line is dropped, with the rt_sigreturn that follows
# (whose result is what the interrupted code had in RAX) and a call it cut
# short just before (a pipe read "= ? ERESTARTSYS", restarted on the next
# line: a traced process is woken even by a signal it ignores, strace's
# and emu's alike; or a fork "= ? ERESTARTNOINTR", which Linux's
# copy_process gives up when a signal comes in the middle of it), as
# strace_compare.sh does.
normalize() {
  local names
  names=$(join_resumed <"$1" | tee "$1.joined" | pid_names)
  sed -E -e "$names" "$1.joined" |
    sed -E \
      -e 's/\) +(= [^=]*)$/) \1/' \
      -e 's/^(P getppid\(\)) = [0-9]+$/\1 = PPID/' \
      -e 's/getrandom\("(\\x[0-9a-f]{2})*"(\.\.\.)?/getrandom("BYTES"/' \
      -e 's|/tmp/cc[A-Za-z0-9]{6}\.|/tmp/ccXXXXXX.|g' \
      -e 's/^([^ ]+ execve\(.*\], )0x[0-9a-f]+ (\/\* [0-9]+ vars \*\/)/\1ENVP \2/' \
      -e 's/(ru_[us]time=)\{tv_sec=[0-9]+, tv_usec=[0-9]+\}/\1{TIME}/g' \
      -e 's/^([^ ]+ sysinfo\()\{.*\}\) = 0$/\1{HOST}) = 0/' |
    awk '
      $2 == "mmap(NULL," && $0 !~ /MAP_ANONYMOUS/ {
        size = $3; sub(/,$/, "", size)
        if (size + 0 >= 2097152) moved[$1] = 1
      }
      moved[$1] { gsub(/0x7ffff[0-7][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]/, "0x7ffff_MOVED") }
      { print }' |
    sort -s -k1,1 |
    awk '
      function flush() { if (have) print held; have = 0 }
      $2 == "---" && $3 == "SIGCHLD" {
        if (have && held_pid == $1 &&
            held ~ /= \? ERESTART(SYS|NOINTR) \(To be restarted( if SA_RESTART is set)?\)$/)
          have = 0
        flush(); drop = $1; next
      }
      drop == $1 && $2 ~ /^rt_sigreturn\(/ { drop = ""; next }
      { drop = ""; flush(); held = $0; held_pid = $1; have = 1 }
      END { flush() }' |
    awk '
      function release() { if (held != "") printf "%s", held; held = "" }
      $2 == "getrandom(\"BYTES\"," && $0 ~ / 8, GRND_NONBLOCK\) = 8$/ {
        if (held != "" && $1 != held_pid) release()
        held = held $0 "\n"; held_pid = $1; next
      }
      held != "" && ($1 == held_pid && $0 ~ /openat\(AT_FDCWD, "\/tmp\/ccXXXXXX\.[a-z]+", O_RDWR\|O_CREAT\|O_EXCL/) { held = "" }
      { release(); print }
      END { release() }'
}
normalize "$scratch/native.strace" >"$scratch/native.norm"
normalize "$scratch/emu.strace" >"$scratch/emu.norm" 2>/dev/null ||
  : >"$scratch/emu.norm"

echo "command: $*"
echo "native:  status $(describe_status "$native_status")," \
  "$(wc -l <"$scratch/native.norm") trace lines," \
  "$(cut -d' ' -f1 "$scratch/native.norm" | sort -u | wc -l) processes"
echo "emu:     status $(describe_status "$emu_status")," \
  "$(wc -l <"$scratch/emu.norm") trace lines," \
  "$(cut -d' ' -f1 "$scratch/emu.norm" | sort -u | wc -l) processes"
fail=0
if ! cmp -s "$scratch/native.norm" "$scratch/emu.norm"; then
  echo "FAIL: per-process traces differ (--- strace -f, +++ emu --strace -f):"
  diff -u --label 'strace -f' --label 'emu --strace -f' \
    "$scratch/native.norm" "$scratch/emu.norm" | head -n 150
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
echo "PASS: identical per-process traces after normalizing"
cat "$scratch/emu.norm"
exit 0
