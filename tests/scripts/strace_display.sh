#!/bin/bash
# --strace of the display and input devices' ioctls, in strace 6.1's
# format. The host has no /dev/fb0 or /dev/input to trace natively, so
# the expected lines were taken from the host's strace 6.1 on the same
# requests made to succeed or fail with these values (a seccomp
# user-notification supervisor answering for the kernel): fbdev requests
# by name with the argument's address (strace has no fbdev decoder),
# evdev ones with their size and type, structures, strings of the
# length returned, bit sets by name, four and then "...". Addresses and
# the column padding are left out of the comparison.
#
# usage: strace_display.sh EMU GUEST   (GUEST: tests/emu_only/fb_draw.c)
set -u
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"
make_scratch
timeout -k 10 "$EMU_TIMEOUT" "$1" --display none --strace -o "$scratch/trace" \
  "$2" >/dev/null 2>&1
status=$?
sed 's/0x7ff[0-9a-f]*/ADDR/g; s/ \{2,\}= / = /' "$scratch/trace" >"$scratch/got"
fail=0
[ "$status" = 0 ] || { echo "FAIL: status $status"; fail=1; }
while IFS= read -r line; do
  if grep -qxF -- "$line" "$scratch/got"; then
    echo "ok: $line"
  else
    echo "FAIL: missing: $line"
    fail=1
  fi
done <<'END'
ioctl(3, FBIOGET_VSCREENINFO, ADDR) = 0
ioctl(3, FBIOGET_FSCREENINFO, ADDR) = 0
ioctl(3, FBIOPUT_VSCREENINFO, ADDR) = -1 EINVAL (Invalid argument)
ioctl(3, FBIOPAN_DISPLAY, ADDR) = 0
ioctl(3, FBIOBLANK, 0x5) = -1 EINVAL (Invalid argument)
ioctl(3, FBIOBLANK, 0) = 0
ioctl(3, FBIO_WAITFORVSYNC, ADDR) = 0
ioctl(4, EVIOCGNAME(64), "emu keyboard\0") = 13
ioctl(4, EVIOCGBIT(0, 96), [EV_SYN EV_KEY EV_REP]) = 8
ioctl(4, EVIOCGBIT(EV_KEY, 96), [KEY_ESC KEY_1 KEY_2 KEY_3 ...]) = 96
ioctl(4, EVIOCGBIT(0x19 /* EV_??? */, 8), ADDR) = -1 EINVAL (Invalid argument)
ioctl(5, EVIOCGBIT(EV_REL, 8), [REL_X REL_Y REL_WHEEL]) = 8
ioctl(5, EVIOCGREP, ADDR) = -1 ENOSYS (Function not implemented)
ioctl(4, EVIOCGRAB, 1) = 0
ioctl(4, EVIOCGRAB, 1) = -1 EBUSY (Device or resource busy)
ioctl(4, EVIOCGRAB, 0) = -1 EINVAL (Invalid argument)
END
[ "$fail" = 0 ] && echo PASS
exit "$fail"
