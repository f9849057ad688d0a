#!/bin/bash
# --mem-limit sets the machine's RAM + swap, so memory limits can be
# tested whatever the host has:
# 1. tests/guest/overcommit.c asking for 128 MiB under --mem-limit 64M
#    meets the outcomes its 1 TiB requests meet natively (the overcommit
#    heuristic refuses what it refuses on any host with less than 1 TiB);
# 2. tests/emu_only/oom.c touching 64 MiB under --mem-limit 32M is
#    killed by SIGKILL (137) as Linux's OOM killer would kill it, its
#    output so far intact and nothing on stderr.
#
# usage: mem_limit.sh EMU OVERCOMMIT OOM
set -u
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"
emu=$1
make_scratch
fail=0

cd "$scratch" || exit 1
run_native "$2" >native.out
skip_if_native_hung "$2"
{
  ( exec timeout -k 10 "$EMU_TIMEOUT" "$emu" --mem-limit 64M "$2" 128 \
    </dev/null >emu.out 2>emu.err )
  status=$?
} 2>/dev/null
echo "overcommit: native $(describe_status "$native_status"), emu --mem-limit 64M with 128 MiB requests $(describe_status $status)"
if ! diff -u native.out emu.out; then
  echo "FAIL: outcomes differ (above)"
  fail=1
fi
[ "$status" = "$native_status" ] || { echo "FAIL: status differs"; fail=1; }

{
  ( exec timeout -k 10 "$EMU_TIMEOUT" "$emu" --mem-limit 32M "$3" 64 \
    </dev/null >oom.out 2>oom.err )
  status=$?
} 2>/dev/null
echo "oom: emu --mem-limit 32M touching 64 MiB -> $(describe_status $status)"
sed 's/^/  | /' oom.out oom.err
[ "$status" = 137 ] || { echo "FAIL: expected SIGKILL (137)"; fail=1; }
head -n 1 oom.out | grep -qx '4 MiB touched' ||
  { echo "FAIL: the first 4 MiB should have been touched"; fail=1; }
grep -q 'all touched' oom.out &&
  { echo "FAIL: 64 MiB cannot fit in 32M"; fail=1; }
[ -s oom.err ] && { echo "FAIL: nothing expected on stderr"; fail=1; }
[ $fail = 0 ] && echo PASS
exit $fail
