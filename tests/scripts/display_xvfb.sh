#!/bin/bash
# A real SDL2 window, as a user sees it: under Xvfb (a virtual X server)
# `emu --display sdl fbdemo` opens a window, and a capture of the X
# screen (xwd -root) holds the demo's last picture pixel for pixel: the
# same as emu's own --screenshot of the framebuffer at exit. The window
# is found by searching the screen for the picture. With --stats, the
# frames the window showed are counted. Then closing the window (as a
# window manager asks, WM_DELETE_WINDOW) hangs the guest up: SIGHUP,
# status 129. Skipped without Xvfb or xwd.
#
# usage: display_xvfb.sh EMU [PNG]   (PNG: also keep the capture there)
set -u
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"
emu=$(realpath "$1")
png=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
image_py="$here/fb_image.py"
# Under ASan: libdbus's globals, which SDL leaves to the process's end.
export LSAN_OPTIONS="suppressions=$here/lsan_sdl.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
image="python3 $image_py"
for tool in Xvfb xwd; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIP: $tool is not installed"
    exit "$SKIP"
  fi
done
make_scratch
cd "$scratch" || exit 1
xvfb_pid=
# shellcheck disable=SC2317 # run by the trap
cleanup() {
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
  rm -rf "$scratch"
}
trap cleanup EXIT

# A free display number, from the server itself.
Xvfb -displayfd 3 -screen 0 800x600x24 -nolisten tcp 3>display 2>xvfb.log &
xvfb_pid=$!
for _ in $(seq 50); do
  [ -s display ] && break
  sleep 0.1
done
if [ ! -s display ]; then
  echo "SKIP: Xvfb did not start"
  sed 's/^/  | /' xvfb.log
  exit "$SKIP"
fi
DISPLAY=":$(cat display)"
export DISPLAY
echo "Xvfb on $DISPLAY"

# 40 frames, then the last picture held for 4 s while the screen is
# captured.
timeout -k 10 "$EMU_TIMEOUT" "$emu" --display sdl --stats \
  --screenshot shot.bmp fbdemo --frames 40 --hold 4 >demo.out 2>demo.err &
demo=$!
for _ in $(seq "$((EMU_TIMEOUT * 10))"); do
  grep -q frames demo.out 2>/dev/null && break
  kill -0 "$demo" 2>/dev/null || break
  sleep 0.1
done
sleep 0.5 # the display thread shows the last frame at its next scan
xwd -root -silent >screen.xwd
wait "$demo"
status=$?
cat demo.out
sed 's/^/stderr: /' demo.err
fail=0
[ "$status" = 0 ] || { echo "FAIL: status $status"; fail=1; }
if ! $image window screen.xwd shot.bmp; then
  echo "FAIL: the X screen does not show the framebuffer's picture"
  fail=1
fi
presented=$(sed -n 's/^frames presented *//p' demo.err)
if [ "${presented:-0}" -ge 10 ]; then
  echo "ok: the window showed $presented frames"
else
  echo "FAIL: the window showed '$presented' frames"
  fail=1
fi

# Closing the window: SIGHUP, whose default action ends fbdemo.
timeout -k 10 "$EMU_TIMEOUT" "$emu" --display sdl fbdemo >close.out 2>&1 &
demo=$!
closed=
for _ in $(seq 100); do
  sleep 0.2
  if python3 "$(dirname "$image_py")/x_close_window.py" "emu /dev/fb0" \
    >/dev/null 2>&1; then
    closed=1
    break
  fi
done
wait "$demo" 2>/dev/null
status=$?
if [ -n "$closed" ] && [ "$status" = 129 ]; then
  echo "ok: closing the window hung the guest up: $(describe_status "$status")"
else
  echo "FAIL: window closed: ${closed:-no}, status $(describe_status "$status")"
  fail=1
fi
[ -n "$png" ] && $image png screen.xwd "$png"
[ "$fail" = 0 ] && echo PASS
exit "$fail"
