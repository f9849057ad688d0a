#!/bin/bash
# Minor faults of file mappings under emu against the model Linux
# documents (guest/file_faults.c says which): fault-around maps the
# 16-page-aligned block around a read fault, read-only; the first write
# to such a page of a private mapping is its copy-on-write fault; a
# shared mapping of a file on a disk file system (page_mkwrite) takes a
# fault at its first write, one on tmpfs does not. The host is not the
# truth for these counts: they follow its fault_around_bytes and its
# file systems' folio sizes; its counts are printed beside emu's.
#
# usage: file_faults.sh EMU PROGRAM
set -u
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"
emu=$1
prog=$2
make_scratch

# The program's file lives in /tmp: memory file systems map a shared
# page writable at its first read, and the pages around it too.
case $(stat -f -c %T /tmp) in
tmpfs | ramfs) shared_write=0 ;;
*) shared_write=1 ;;
esac
expected="read page 0|1
read pages 1-15|0
read page 16|1
read pages 0-19 again|0
read the last page|0
page past the end|0
private: read page 0|1
private: write page 0|1
private: write page 1 (around)|1
private: write page 1 again|0
private: write page 17 (unmapped)|1
private: read page 18|1
private: checks|0
shared: read page 2|1
shared: write page 2|$shared_write
shared: write page 3 (around)|$shared_write"

counts() { # FILE: "what|N" lines
  sed -n 's/^faults \(.*[^ ]\)  *\([0-9-]*\)$/\1|\2/p' "$1"
}
timeout -k 10 "$EMU_TIMEOUT" "$emu" "$prog" faults >"$scratch/emu" ||
  { echo "FAIL: emu $prog faults exited with $?"; exit 1; }
"$prog" faults >"$scratch/native" 2>&1 || true
fail=0
while IFS='|' read -r what want; do
  got=$(counts "$scratch/emu" | awk -F'|' -v w="$what" '$1 == w { print $2 }')
  host=$(counts "$scratch/native" | awk -F'|' -v w="$what" '$1 == w { print $2 }')
  if [ "$got" = "$want" ]; then
    echo "ok: $what: $got (host: ${host:-?})"
  else
    echo "FAIL: $what: emu ${got:-none}, model $want (host: ${host:-?})"
    fail=1
  fi
done <<<"$expected"
exit $fail
