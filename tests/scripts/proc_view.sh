#!/bin/bash
# /proc/PID of another emu process shows its guest, not emu: a
# background `emu /bin/sleep` read by an emulated cat/readlink/grep must
# look like a native `/bin/sleep` read natively (cmdline, environ, comm,
# exe, maps naming the guest's image). Its published view
# (devices/proc_view.c) must be gone after emu exits, and a view left by
# an emu killed with SIGKILL must not be believed and is swept by the
# next emu.
#
# usage: proc_view.sh EMU
set -u
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"
emu=$1
# The view is in /dev/shm/emu-UID, or /tmp/emu-UID where /dev/shm is not
# usable (devices/proc_view.c): found below once the emu has published.
view=
fail=0
check() { # NAME EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then
    echo "ok: $1"
  else
    echo "FAIL: $1: native '$2', emu '$3'"
    fail=1
  fi
}

/bin/sleep 30 &
native=$!
"$emu" /bin/sleep 30 &
emulated=$!
trap 'kill $native $emulated 2>/dev/null' EXIT
for _ in $(seq 100); do
  for root in /dev/shm /tmp; do
    [ -e "$root/emu-$(id -u)/$emulated/exe" ] && view=$root/emu-$(id -u)
  done
  [ -n "$view" ] && break
  sleep 0.05
done
check "view published" yes "$([ -n "$view" ] && echo yes)"

check cmdline "$(tr '\0' ' ' </proc/$native/cmdline)" \
  "$("$emu" /bin/cat /proc/$emulated/cmdline | tr '\0' ' ')"
# The shell sets _ to the program it runs: /bin/sleep, or emu.
check environ "$(tr '\0' '\n' </proc/$native/environ | grep -v ^_= | md5sum)" \
  "$("$emu" /bin/cat /proc/$emulated/environ | tr '\0' '\n' | grep -v ^_= |
    md5sum)"
check comm "$(cat /proc/$native/comm)" \
  "$("$emu" /bin/cat /proc/$emulated/comm)"
check exe "$(readlink /proc/$native/exe)" \
  "$("$emu" /bin/readlink /proc/$emulated/exe)"
# The map is published at execve (ld.so's later mprotects split no line
# there yet): it names the guest's image and libc, never emu.
image=$(readlink /proc/$native/exe)
check "maps name the image" yes \
  "$("$emu" /bin/grep -q "$image" /proc/$emulated/maps && echo yes)"
check "maps do not name emu" no \
  "$("$emu" /bin/grep -q "$(readlink -f "$emu")" /proc/$emulated/maps &&
    echo yes || echo no)"
check "a native process is the host's" "$(tr '\0' ' ' </proc/$native/cmdline)" \
  "$("$emu" /bin/cat /proc/$native/cmdline | tr '\0' ' ')"

kill -KILL $emulated
wait $emulated 2>/dev/null
check "a dead emu's view is not believed" "" \
  "$("$emu" /bin/cat /proc/$emulated/cmdline 2>/dev/null)"
"$emu" /bin/true
check "a dead emu's view is swept" absent \
  "$([ -e "$view/$emulated" ] && echo present || echo absent)"
pid=$("$emu" /bin/sh -c 'echo $$')
check "removed when emu exits" absent \
  "$([ -e "$view/$pid" ] && echo present || echo absent)"
exit $fail
