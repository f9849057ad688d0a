#!/usr/bin/env bash
# Run emu's benchmark (bench/bench.py): native vs emu vs qemu-x86_64 when
# installed. Options pass through: --runs N, --only NAME, --quick, --emu PATH.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exec python3 "$here/bench.py" "$@"
