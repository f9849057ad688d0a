#!/bin/bash
# Every C source and header of emu follows the repository's .clang-format
# (STYLE.md: checked in CI). Skipped when clang-format is not installed.
#
# usage: check_format.sh SOURCE_DIR
set -u
src=$1
if ! command -v clang-format >/dev/null; then
  echo "SKIP: clang-format is not installed"
  exit 77
fi
cd "$src" || exit 1
mapfile -t files < <(find cpu mmu syscalls loader devices roms tests main.c \
  \( -name '*.c' -o -name '*.h' \) -not -path '*/build*' 2>/dev/null | sort)
bad=()
for f in "${files[@]}"; do
  clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
echo "checked ${#files[@]} files with $(clang-format --version)"
if [ ${#bad[@]} != 0 ]; then
  echo "FAIL: not clang-formatted (fix with clang-format -i FILE):"
  printf '  %s\n' "${bad[@]}"
  exit 1
fi
echo PASS
