#!/bin/bash
# The bundled demo, headless: `emu --display none --screenshot FILE
# fbdemo --frames 60` exits 0 with a picture that is not blank; with an
# --input-script the picture changes as the script says (the cursor
# moved and yellow with the button held, the square moved, the colours
# changed), the same in two runs; Esc from the script ends it early.
#
# usage: fbdemo.sh EMU
set -u
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"
emu=$(realpath "$1")
image="python3 $(cd "$(dirname "$0")" && pwd)/fb_image.py"
make_scratch
cd "$scratch" || exit 1
fail=0
demo() { # NAME FRAMES [emu options...]: fbdemo --frames FRAMES
  local name=$1 frames=$2
  shift 2
  timeout -k 10 "$EMU_TIMEOUT" "$emu" --display none --stats \
    --screenshot "$name.bmp" "$@" fbdemo --frames "$frames" \
    >"$name.out" 2>"$name.err"
  status=$?
  echo "--- $name: status $status"
  cat "$name.out"
  grep 'frames presented' "$name.err"
  [ "$status" = 0 ] || { echo "FAIL: status $status"; sed 's/^/  | /' "$name.err"; fail=1; }
}
expect() { # WHAT ACTUAL EXPECTED
  if [ "$2" = "$3" ]; then
    echo "ok: $1 ($2)"
  else
    echo "FAIL: $1: $2, expected $3"
    fail=1
  fi
}

demo plain 60
expect "summary" "$(cat plain.out)" \
  "fbdemo: 60 frames, 640x480x32, cursor 320,240, square 32,32, palette 0"
colours=$($image colours plain.bmp)
if [ "${colours:-0}" -ge 100 ]; then
  echo "ok: $colours colours"
else
  echo "FAIL: a blank picture ($colours colours)"
  fail=1
fi
presented=$(sed -n 's/^frames presented *//p' plain.err)
if [ "${presented:-0}" -ge 30 ]; then
  echo "ok: $presented frames presented"
else
  echo "FAIL: frames presented '$presented', expected one a pan or more"
  fail=1
fi
# A screen that does not change is not presented again: one frame drawn,
# then a second of the same picture (60 scans of the display).
timeout -k 10 "$EMU_TIMEOUT" "$emu" --display none --stats fbdemo --frames 1 \
  --hold 1 >still.out 2>still.err
presented=$(sed -n 's/^frames presented *//p' still.err)
if [ "${presented:-9}" -le 3 ]; then
  echo "ok: a still screen: $presented frames presented in a second"
else
  echo "FAIL: a still screen was presented $presented times in a second"
  fail=1
fi
expect "no cursor there without the script" \
  "$($image pixel plain.bmp 432 290 | grep -c '^255 255 0$')" 0

cat >script <<'END'
# at frame 5: the cursor 100 right and 50 down, other colours, the
# square two steps right, the button held (a yellow cursor)
frame 5
move 100 50
key c
key right
key KEY_RIGHT
button left down
frame 10
wheel 3   # a bigger cursor
END
for run in 1 2; do
  demo "script$run" 20 --input-script script
done
expect "summary" "$(cat script1.out)" \
  "fbdemo: 20 frames, 640x480x32, cursor 420,290, square 64,32, palette 1"
expect "cursor centre" "$($image pixel script1.bmp 420 290)" "255 255 0"
expect "cursor arm, grown by the wheel" "$($image pixel script1.bmp 432 290)" \
  "255 255 0"
expect "square" "$($image pixel script1.bmp 70 40)" "0 200 0"
expect "old square place" "$($image pixel script1.bmp 40 40 | grep -c '^0 200 0$')" 0
if cmp -s script1.bmp script2.bmp; then
  echo "ok: two scripted runs, the same picture"
else
  echo "FAIL: two scripted runs drew different pictures"
  fail=1
fi

printf 'frame 3\nkey ESC\n' >quit
timeout -k 10 "$EMU_TIMEOUT" "$emu" --display none --input-script quit \
  fbdemo >quit.out 2>&1
status=$?
expect "Esc quits" "$status $(cut -d, -f1 quit.out)" "0 fbdemo: 3 frames"
[ "$fail" = 0 ] && echo PASS
exit "$fail"
