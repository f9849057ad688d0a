#!/usr/bin/env bash
# Run one of the host's own dynamic programs natively and under emu, on
# fixtures made here, and compare stdout byte for byte and the exit status.
# Usage: host_program.sh EMU CASE   (CASE names a line of the table below;
# `host_program.sh EMU --list` prints them). Exit 77 (skip) when the
# program is not installed.
set -u
emu=$1
case_name=$2

# name | command line; $R is the runner ("" natively, emu otherwise) and is
# written before every program of a pipeline.
table() {
  cat <<'TABLE'
true|$R /bin/true
false|$R /bin/false
echo|$R /bin/echo hello world -n x
printf|$R /usr/bin/printf '%d %x %s %.3f %e %g\n' 42 255 str 3.14159 12345.678 0.0001
cat|$R /usr/bin/cat lines.txt words.txt
sigpipe|$R /usr/bin/yes | $R /usr/bin/head -n 3; echo "yes: status ${PIPESTATUS[0]}"
head|$R /usr/bin/head -n 3 lines.txt
tail|$R /usr/bin/tail -n 2 lines.txt
wc|$R /usr/bin/wc lines.txt words.txt
sort_n|$R /usr/bin/sort -n numbers.txt
uniq_c|$R /usr/bin/sort words.txt | $R /usr/bin/uniq -c
tr|$R /usr/bin/tr a-z A-Z < words.txt
cut|$R /usr/bin/cut -d: -f1,3 passwd.txt
seq|$R /usr/bin/seq 1 10000
expr|$R /usr/bin/expr 6 \* 7 + 100 / 3
factor|$R /usr/bin/factor 1234567890 600851475143 97
sha256sum|$R /usr/bin/sha256sum lines.txt random.bin
md5sum|$R /usr/bin/md5sum lines.txt random.bin
base64|$R /usr/bin/base64 random.bin
od|$R /usr/bin/od -A x -t x1z random.bin
cmp|$R /usr/bin/cmp lines.txt lines2.txt
diff|$R /usr/bin/diff lines.txt lines2.txt
grep_E|$R /usr/bin/grep -E -n '^(l|w)ine [0-9]+$|fox' lines.txt words.txt
sed_E|$R /usr/bin/sed -E 's/([a-z]+) ([0-9]+)/\2-\1/; 3q' lines.txt
mawk|$R /usr/bin/mawk '{ s += $2; p = p * 1.5 + $2 / 7 } END { printf "%d %.6f %g\n", s, p, sqrt(s) }' lines.txt
gawk|$R /usr/bin/gawk '{ s += $2; p = p * 1.5 + $2 / 7 } END { printf "%d %.6f %g %s\n", s, p, exp(log(s)), toupper("x") }' lines.txt
gzip|$R /usr/bin/gzip -6 -c lines.txt | $R /usr/bin/gunzip -c | $R /usr/bin/sha256sum
bzip2|$R /usr/bin/bzip2 -c random.bin | $R /usr/bin/bzip2 -dc | $R /usr/bin/md5sum
xz|$R /usr/bin/xz -c lines.txt | $R /usr/bin/xz -dc | $R /usr/bin/md5sum
tar|$R /usr/bin/tar --mtime=@0 --owner=0 --group=0 -cf - lines.txt words.txt | $R /usr/bin/tar tvf -
ls_la|$R /usr/bin/ls -la --time-style=+%s tree
stat_c|$R /usr/bin/stat -c '%n %s %a %F %Y' lines.txt tree
date|$R /usr/bin/date -u -d @0
readlink_f|$R /usr/bin/readlink -f tree/link
env|$R /usr/bin/env -i A=1 B=two /usr/bin/env
sqlite3|$R /usr/bin/sqlite3 :memory: 'create table t(a integer, b text); insert into t values (1,"x"),(2,"y"),(40,"z"); select sum(a), group_concat(b), avg(a) from t;'
lua|$R /usr/bin/lua5.4 -e 'local s=0 for i=1,10000 do s = s + math.sqrt(i) end print(string.format("%.6f", s), 7 // 2, 2^10)'
perl|$R /usr/bin/perl -e 'my %h; $h{$_ % 7}++ for 1..1000; print join(",", map {"$_=$h{$_}"} sort keys %h), "\n"; printf "%.5f\n", atan2(1,1)*4'
python3|$R /usr/bin/python3 -c 'import json, re, hashlib; print(sum(i*i for i in range(1000)), 2**100, 1/3); print(json.dumps({"a": [1, 2.5, None]}, sort_keys=True)); print(re.findall(r"\d+", "a1b22c333")); print(hashlib.sha256(b"emu").hexdigest())'
TABLE
}

if [ "$case_name" = --list ]; then
  table | cut -d'|' -f1
  exit 0
fi
line=$(table | grep -m1 "^$case_name|") || { echo "no case $case_name"; exit 2; }
cmd=${line#*|}

# Skip when a program the case needs is missing.
for word in $cmd; do
  case $word in
  /usr/bin/* | /bin/*)
    [ -x "$word" ] || { echo "SKIP: $word not installed"; exit 77; } ;;
  esac
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
for i in $(seq 1 200); do echo "line $i"; done > lines.txt
sed 's/line 100$/line one hundred/' lines.txt > lines2.txt
printf 'the\nquick\nbrown\nfox\njumps\nover\nthe\nlazy\ndog\nthe\n' > words.txt
printf '10\n-3\n2.5\n100\n7\n0\n42\n' > numbers.txt
printf 'root:x:0:0:root:/root:/bin/bash\nemu:x:1000:1000::/home/emu:/bin/sh\n' > passwd.txt
head -c 3000 /dev/zero | tr '\0' 'q' | od -An -tx1 | head -c 4096 > random.bin
mkdir -p tree/sub && echo hi > tree/file && ln -s ../lines.txt tree/link
touch -h -d @86400 tree/file tree/sub tree/link tree lines.txt

export LC_ALL=C TZ=UTC
R="" eval "$cmd" > native.out 2> native.err
native=$?
R="$emu" eval "$cmd" > emu.out 2> emu.err
emu_status=$?
if [ "$native" != "$emu_status" ] || ! cmp -s native.out emu.out; then
  echo "FAIL: $case_name: status native $native, emu $emu_status"
  diff native.out emu.out | head -20
  echo "--- emu stderr:"
  head -20 emu.err
  exit 1
fi
echo "ok: $case_name (status $native, $(wc -c < native.out) bytes identical)"
