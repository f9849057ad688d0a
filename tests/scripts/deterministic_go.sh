#!/bin/bash
# --deterministic with a Go program: the goroutines program of the
# program.go_goroutines case (tests/programs/host_program.sh), built
# here, through deterministic_threads.sh: Go's runtime brings its own
# scheduler, timers, netpoller (epoll) and preemption signals.
# usage: deterministic_go.sh EMU RUNS   (exit 77 without Go)
set -u
emu=$1 runs=$2
here=$(cd "$(dirname "$0")" && pwd)
[ -x /usr/bin/go ] || { echo "SKIP: /usr/bin/go not installed"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
sed -n '/^cat > gor.go <<.EOF.$/,/^EOF$/p' "$here/../programs/host_program.sh" |
  sed '1d;$d' > "$dir/gor.go"
(cd "$dir" && GOCACHE=$dir/gocache GOPATH=$dir/gopath /usr/bin/go build -o gor gor.go) ||
  { echo "FAIL: go build"; exit 1; }
cd "$dir" && "$here/deterministic_threads.sh" "$emu" "$runs" ./gor
