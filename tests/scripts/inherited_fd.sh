#!/bin/bash
# A descriptor the shell opened before starting emu is the guest's, as a
# child inherits it natively (syscalls/fs/fd.c reads them from
# /proc/self/fd at start): perl reads descriptor 5 and writes to 7, the
# same natively and under emu; emu's own descriptors stay out of reach.
#
# usage: inherited_fd.sh EMU
set -u
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"
emu=$1
perl=$(command -v perl) || exit $SKIP
make_scratch
close_stray_fds
printf 'inherited line\n' >"$scratch/in"
# shellcheck disable=SC2016 # perl's variables, not the shell's
script='open(my $i, "<&=", 5) or die "fd 5: $!";
        open(my $o, ">&=", 7) or die "fd 7: $!";
        print $o scalar(<$i>);
        print open(my $x, "<&=", 9) ? "fd 9 open\n" : "fd 9 closed\n";'
native=$("$perl" -e "$script" 5<"$scratch/in" 7>"$scratch/native.out" 2>&1)
under_emu=$(timeout -k 10 "$EMU_TIMEOUT" "$emu" "$perl" -e "$script" \
  5<"$scratch/in" 7>"$scratch/emu.out" 2>&1)
echo "native:   $native / $(cat "$scratch/native.out")"
echo "emu:      $under_emu / $(cat "$scratch/emu.out")"
fail=0
[ "$native" = "$under_emu" ] || { echo "FAIL: stdout differs"; fail=1; }
cmp -s "$scratch/native.out" "$scratch/emu.out" ||
  { echo "FAIL: what reached descriptor 7 differs"; fail=1; }
grep -q "inherited line" "$scratch/emu.out" ||
  { echo "FAIL: the guest did not read descriptor 5"; fail=1; }
[ $fail = 0 ] && echo PASS
exit $fail
