#!/bin/bash
# Debian's fbset, an unmodified fbdev program, under emu:
# 1. `fbset -i` prints the mode emu offers (640x480, 32 bpp XRGB8888, a
#    virtual height of two screens, 60 Hz timings) and the fixed
#    information (emufb, 8 MiB, 2560-byte lines, packed true colour);
# 2. a mode one process sets is the mode the next one sees (the
#    registers are the machine's, shared by the run's processes);
# 3. a mode the device cannot do fails with EINVAL.
# Skipped when fbset is not installed.
#
# usage: fbset.sh EMU
set -u
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"
emu=$1
fbset=$(command -v fbset || echo /usr/sbin/fbset)
if [ ! -x "$fbset" ]; then
  echo "SKIP: fbset is not installed"
  exit "$SKIP"
fi
make_scratch
fail=0
run() {
  timeout -k 10 "$EMU_TIMEOUT" "$emu" --display none "$@" \
    >"$scratch/out" 2>&1
}

run "$fbset" -i
status=$?
cat "$scratch/out"
# The address is the window's physical address: above the RAM, so it
# depends on the machine's memory size and is left out.
sed '/Address/d' "$scratch/out" >"$scratch/got"
cat >"$scratch/want" <<'END'

mode "640x480-60"
    # D: 25.200 MHz, H: 31.500 kHz, V: 60.001 Hz
    geometry 640 480 640 960 32
    timings 39682 48 16 33 10 96 2
    rgba 8/16,8/8,8/0,0/0
endmode

Frame buffer device information:
    Name        : emufb
    Size        : 8388608
    Type        : PACKED PIXELS
    Visual      : TRUECOLOR
    XPanStep    : 1
    YPanStep    : 1
    YWrapStep   : 0
    LineLength  : 2560
    Accelerator : No
END
if [ "$status" != 0 ] || ! diff -u "$scratch/want" "$scratch/got"; then
  echo "FAIL: fbset -i (status $status)"
  fail=1
fi
grep -q 'Address     : 0x[0-9a-f]*000$' "$scratch/out" || {
  echo "FAIL: no page-aligned Address"
  fail=1
}

run /bin/sh -c "$fbset -g 800 600 800 1200 16 && $fbset"
status=$?
cat "$scratch/out"
if [ "$status" != 0 ] ||
  ! grep -qx '    geometry 800 600 800 1200 16' "$scratch/out" ||
  ! grep -qx '    rgba 5/11,6/5,5/0,0/0' "$scratch/out"; then
  echo "FAIL: the mode set by one process is not the next one's"
  fail=1
fi

run "$fbset" -depth 24
status=$?
cat "$scratch/out"
if [ "$status" = 0 ] ||
  ! grep -q 'FBIOPUT_VSCREENINFO: Invalid argument' "$scratch/out"; then
  echo "FAIL: 24 bpp was not refused with EINVAL"
  fail=1
fi
[ "$fail" = 0 ] && echo PASS
exit "$fail"
