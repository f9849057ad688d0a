#!/bin/bash
# `emu hello` runs the embedded hello ROM (no file called hello in the
# cwd): its stdout and status must equal those of the very ELF that was
# embedded, run natively.
#
# usage: rom_hello.sh EMU NATIVE_HELLO_ELF
set -u
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"
emu=$(realpath "$1")
native=$2
make_scratch
cd "$scratch" || exit 1

"$native" >native.out
native_status=$?
timeout -k 10 "$EMU_TIMEOUT" "$emu" hello >emu.out 2>emu.err
emu_status=$?
echo "native $native: status $native_status, stdout: $(cat native.out)"
echo "emu hello: status $emu_status, stdout: $(cat emu.out)"
if cmp -s native.out emu.out && [ "$native_status" = "$emu_status" ]; then
  echo PASS
  exit 0
fi
echo "FAIL: emu hello differs from the native run"
diff -u --label native --label emu native.out emu.out
tail -n 20 emu.err
exit 1
