#!/bin/bash
# /dev/fb0 and the input devices through their ABIs: the emu-only guest
# tests/emu_only/fb_draw.c checks what the drivers answer and draws a
# known picture (channel offsets from FBIOGET_VSCREENINFO, mmap, a pan
# to the second screen, a line by pwrite, a square from a forked child);
# the --screenshot BMP must be that picture pixel for pixel, in the
# default XRGB8888 mode and in RGB565 (--fb 320x240x16).
#
# usage: fb_draw.sh EMU GUEST
set -u
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"
emu=$1
guest=$2
here=$(cd "$(dirname "$0")" && pwd)
make_scratch
fail=0
for mode in default 320x240x16; do
  args=(--display none --screenshot "$scratch/$mode.bmp")
  depth=32
  if [ "$mode" != default ]; then
    args+=(--fb "$mode")
    depth=16
  fi
  timeout -k 10 "$EMU_TIMEOUT" "$emu" "${args[@]}" "$guest" \
    >"$scratch/out" 2>"$scratch/err"
  status=$?
  echo "--- $mode: status $status"
  grep -v '^ok:' "$scratch/out"
  # Under ASan, a child forked while the display thread ran is told that
  # thread (its parent's) is not there to suspend: only a notice.
  grep -v 'was not suspended. False leaks are possible' "$scratch/err" \
    >"$scratch/err.real"
  sed 's/^/stderr: /' "$scratch/err"
  if [ "$status" != 0 ] || grep -q '^FAIL' "$scratch/out" ||
    [ -s "$scratch/err.real" ]; then
    echo "FAIL: the guest's checks ($mode)"
    fail=1
  fi
  python3 "$here/fb_image.py" draw "$scratch/$mode.bmp" "$depth" || {
    echo "FAIL: the screenshot is not the picture drawn ($mode)"
    fail=1
  }
done
[ "$fail" = 0 ] && echo PASS
exit "$fail"
