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
mkfifo|$R /usr/bin/mkfifo -m 640 f.fifo; $R /usr/bin/stat -c '%F %a' f.fifo; rm -f f.fifo
fallocate|$R /usr/bin/fallocate -l 1M f.alloc; $R /usr/bin/stat -c '%s' f.alloc; rm -f f.alloc
sync|$R /usr/bin/sync; $R /usr/bin/sync -f lines.txt; $R /usr/bin/sync -d lines.txt; echo synced
setarch_R|$R /usr/bin/setarch x86_64 -R /bin/echo ok; $R /usr/bin/setarch x86_64 --addr-no-randomize /bin/echo ok
ionice|$R /usr/bin/ionice -c 2 -n 5 /usr/bin/ionice; $R /usr/bin/ionice -c 3 /usr/bin/ionice
ps|$R /usr/bin/ps -o pid=,comm= -p 1; $R /usr/bin/ps -o user= -p $$
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
make_j2|$R /usr/bin/make -s -j2 -C proj && $R /usr/bin/make -q -C proj; echo "up to date: $?"; $R /usr/bin/make -s -C proj clean nosuch; echo "status $?"
gcc_pipe|$R /usr/bin/gcc -pipe -O2 -Wall -o hello proj/hello.c && ./hello && $R /usr/bin/gcc -c -o m.o proj/main.c && $R /usr/bin/gcc -o m m.o proj/twice.c && ./m; echo "status $?"; $R /usr/bin/gcc -fsyntax-only proj/bad.c 2>/dev/null; echo "bad: $?"
gpp|$R /usr/bin/g++ -pipe -O1 -o sortv proj/sortv.cc && ./sortv 5 3 9 1
bash_processes|$R /bin/bash processes.sh
bash_procsub_dev_fd|$R /bin/bash -c 'diff <(printf "1\n2\n") <(printf "1\n3\n"); echo "diff $?"; exec 3< words.txt; head -n 2 /dev/fd/3; wc -l < /dev/stdin < lines.txt; ls /dev/fd/ | grep -c "^3$"; cat /dev/stdin <<< "here string"'
dash|$R /usr/bin/dash dash.sh
busybox_sh|$R /usr/bin/busybox sh dash.sh; $R /usr/bin/busybox sh -c 'sleep 5 & p=$!; kill $p; wait $p; echo "wait killed $?"; (exit 4) & wait $!; echo "bg $?"; echo a b | { read x y; echo "$y $x"; }'
lua_popen|$R /usr/bin/lua5.4 -e 'local f = io.popen("echo hi; exit 3"); io.write(f:read("a")); print(f:close()); local w = io.popen("tr a-z A-Z", "w"); w:write("up\n"); print(w:close()); print(os.execute("exit 2"))'
python3_subprocess|$R /usr/bin/python3 subproc.py
perl_processes|$R /usr/bin/perl processes.pl
tar_gzip|$R /usr/bin/tar czf t.tgz lines.txt tree && rm -r tree && $R /usr/bin/tar xzf t.tgz && $R /usr/bin/tar tzf t.tgz && cat tree/file && $R /usr/bin/tar xzOf t.tgz lines.txt | md5sum
sort_compress|seq 1 200000 | sort -R --random-source=lines.txt > big.txt; $R /usr/bin/sort -S 512K -T . --compress-program=gzip -n big.txt | md5sum; ls | grep -c '^sort'
xargs_P2|seq 1 20 | $R /usr/bin/xargs -P2 -n3 /bin/echo | sort
find_exec|$R /usr/bin/find tree lines.txt -exec /usr/bin/wc -c {} + | sort; $R /usr/bin/find tree -type f -exec /bin/echo found {} \;
env_nohup_nice|$R /usr/bin/env -i PATH=/bin /bin/sh -c 'echo $PATH'; $R /usr/bin/nohup /bin/echo hup 2>/dev/null; $R /usr/bin/nice -n 5 /usr/bin/nice; $R /usr/bin/nice -n 3 /bin/sh -c 'nice'
comm_exec_name|$R /bin/sh -c 'cat /proc/$$/comm; /bin/cat /proc/self/comm; exec /bin/cat /proc/self/comm'
timeout|$R /usr/bin/timeout 0.5 /bin/sleep 10; echo "expired $?"; $R /usr/bin/timeout -s INT 0.3 /bin/sleep 10; echo "int $?"; $R /usr/bin/timeout 20 /bin/true; echo "in time $?"; $R /usr/bin/timeout -k 0.2 2 /bin/sh -c 'trap "" TERM; sleep 10'; echo "killed $?"; $R /usr/bin/timeout 5 /bin/sh -c 'kill -USR1 $$'; echo "signalled $?"
python3_threads|$R /usr/bin/python3 threads.py
python3_multiprocessing|$R /usr/bin/python3 pool.py
go_goroutines|GOCACHE=$PWD/gocache GOPATH=$PWD/gopath /usr/bin/go build -o gor gor.go && $R ./gor
gcc_openmp|/usr/bin/gcc -fopenmp -O2 -o omp omp.c && $R ./omp
ripgrep_j4|$R /usr/bin/rg -j4 --sort path -n 'fox|7$' rgdir; $R /usr/bin/rg -j4 -c line rgdir | sort
sort_parallel|$R /usr/bin/sort --parallel=2 -S 1M -n shuffled.txt | md5sum; $R /usr/bin/sort --parallel=2 -S 64K -T . -k2,2 -t, pairs.txt | md5sum
xz_T2|$R /usr/bin/xz -T2 -3 --block-size=256KiB -c big.txt > big.xz && $R /usr/bin/xz -T2 -dc big.xz | md5sum; xz -dc big.xz | md5sum
java_version|$R /usr/bin/java -version 2>&1 | head -n 1 | cut -d'"' -f1
java_threads|/usr/bin/javac -d . Par.java && $R /usr/bin/java Par
python3_asyncio|$R /usr/bin/python3 echo.py
python3_http_server|$R /usr/bin/python3 web.py
python3_unix_sockets|$R /usr/bin/python3 unixsock.py
python3_selectors_10mb|$R /usr/bin/python3 sel.py
python3_udp_refused|$R /usr/bin/python3 udp.py
perl_io_socket|$R /usr/bin/perl iosock.pl
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
  word=${word%%[;&|\']*} # "/bin/true;": the program's name only
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

# Fixtures of the process cases: a small C project for make and gcc, and
# scripts. Children may finish in any order, so what is compared never
# depends on it (sorted, or each child waited for before the next); the
# timeout case gives sh 2 s to ignore TERM before it comes, even on a
# loaded machine.
mkdir -p proj
printf '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n' > proj/hello.c
printf 'int twice(int);\nint main(void) { return twice(21) - 40; }\n' > proj/main.c
printf 'int twice(int x) { return 2 * x; }\n' > proj/twice.c
printf 'int main(void) { return x; }\n' > proj/bad.c
cat > proj/sortv.cc <<'EOF'
#include <algorithm>
#include <iostream>
#include <string>
#include <vector>
int main(int argc, char **argv) {
  std::vector<int> v;
  for (int i = 1; i < argc; i++)
    v.push_back(std::stoi(argv[i]));
  std::sort(v.begin(), v.end());
  for (int x : v)
    std::cout << x << ' ';
  std::cout << '\n';
}
EOF
# Fixtures of the thread cases: every line is the same however the
# threads are scheduled (results joined in order, sums, sorted output).
mkdir -p rgdir
for i in 1 2 3 4 5 6; do seq $i 3 3000 | sed 's/^/line /' > rgdir/f$i.txt; done
echo "the quick brown fox" >> rgdir/f4.txt
seq 1 30000 | sort -R --random-source=lines.txt > shuffled.txt
seq 1 20000 | awk '{ printf "%d,%d\n", $1, ($1 * 7919) % 1000 }' > pairs.txt
# 2 MiB of compressible text, in 256 KiB blocks that xz -T2 shares out.
seq 1 200000 | awk '{ print $1 * 31 % 9973, $1 }' > big.txt
cat > Par.java <<'EOF'
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.*;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
// Threads of a pool, futures, an atomic, a parallel stream, and null
// checks the JVM makes with SIGSEGV.
public class Par {
  public static void main(String[] a) throws Exception {
    ExecutorService ex = Executors.newFixedThreadPool(4);
    AtomicLong sum = new AtomicLong();
    List<Future<Long>> fs = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      final int k = t;
      fs.add(ex.submit(() -> {
        long s = 0;
        for (int i = 0; i < 200000; i++) s += (i ^ k) % 7;
        sum.addAndGet(s);
        return s;
      }));
    }
    long total = 0;
    for (Future<Long> f : fs) total += f.get();
    ex.shutdown();
    Object o = null;
    int npe = 0;
    for (int i = 0; i < 3; i++)
      try { o.hashCode(); } catch (NullPointerException e) { npe++; }
    int stream = IntStream.range(0, 1000).parallel().map(x -> x * 2).sum();
    System.out.println("tasks " + total + " " + sum.get() + " npe " + npe + " stream " + stream);
  }
}
EOF
cat > threads.py <<'EOF'
import queue, threading
from concurrent.futures import ThreadPoolExecutor
total = 0
lock = threading.Lock()
def work(n):
    global total
    for _ in range(n):
        with lock:
            total += 1
ts = [threading.Thread(target=work, args=(5000,)) for _ in range(4)]
for t in ts: t.start()
for t in ts: t.join()
print("locked total", total)
q = queue.Queue()
def produce():
    for i in range(100): q.put(i)
    q.put(None)
threading.Thread(target=produce).start()
s = 0
while (v := q.get()) is not None: s += v
print("queue sum", s)
with ThreadPoolExecutor(max_workers=3) as ex:
    print("pool", list(ex.map(lambda x: x * x, range(10))))
ev = threading.Event()
t = threading.Timer(0.05, ev.set); t.start()
print("timer fired", ev.wait(5))
t.join()
print("threads left", threading.active_count())
EOF
cat > pool.py <<'EOF'
import multiprocessing as mp
def square(x): return x * x
if __name__ == "__main__":
    with mp.Pool(2) as pool:
        print(pool.map(square, range(10)))
    q = mp.Queue()
    p = mp.Process(target=q.put, args=("from a child",))
    p.start(); print(q.get()); p.join(); print("exit", p.exitcode)
EOF
cat > gor.go <<'EOF'
package main

import (
	"fmt"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	runtime.GOMAXPROCS(4)
	var wg sync.WaitGroup
	var n int64
	var mu sync.Mutex
	total := 0
	ch := make(chan int, 16)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 5000; j++ {
				atomic.AddInt64(&n, 1)
				mu.Lock()
				total++
				mu.Unlock()
			}
			ch <- i
		}(i)
	}
	wg.Wait()
	close(ch)
	var got []int
	for v := range ch {
		got = append(got, v)
	}
	sort.Ints(got)
	start := time.Now()
	time.Sleep(20 * time.Millisecond)
	tick := time.NewTicker(5 * time.Millisecond)
	for k := 0; k < 3; k++ {
		<-tick.C
	}
	tick.Stop()
	fmt.Println(n, total, got, time.Since(start) >= 20*time.Millisecond)
	done := make(chan string)
	go func() { done <- "from goroutine" }()
	select {
	case s := <-done:
		fmt.Println(s)
	case <-time.After(5 * time.Second):
		fmt.Println("timeout")
	}
}
EOF
cat > omp.c <<'EOF'
#include <omp.h>
#include <stdio.h>
int main(void) {
  long sum = 0;
  int threads = 0;
#pragma omp parallel num_threads(4) reduction(+ : sum)
  {
#pragma omp atomic
    threads++;
#pragma omp for
    for (int i = 0; i < 400000; i++)
      sum += i % 7;
  }
  printf("%ld %d\n", sum, threads);
  return 0;
}
EOF
cat > proj/Makefile <<'EOF'
OBJS := main.o twice.o
NAMES := $(shell ls *.c | sort | tr '\n' ' ')
all: prog
	./prog; echo "prog $$?"
	echo "$(NAMES)"
	$(MAKE) -s sub
prog: $(OBJS)
	gcc -o $@ $(OBJS)
%.o: %.c
	gcc -c -O2 $< -o $@
sub:
	echo "sub-make level $(MAKELEVEL)"
clean:
	rm -f prog *.o
.PHONY: all sub clean
EOF
cat > processes.sh <<'EOF'
trap 'echo got INT' INT; kill -INT $$; echo after
n=0; trap 'n=$((n+1))' CHLD; /bin/true; /bin/true; (exit 1); trap - CHLD; echo "chld traps: $n"
false | true; echo "pipe $? ${PIPESTATUS[*]}"
set -o pipefail; false | true; echo "pipefail $?"; set +o pipefail
sh -c 'kill -TERM $$' 2>/dev/null; echo "killed status $?"
sleep 10 & p=$!; kill $p; wait $p; echo "wait killed $?"
sleep 0.2 & q=$!; (exit 5) & r=$!; wait $r; echo "wait r $?"; wait $q; echo "wait q $?"
(exit 6) & wait -n; echo "wait -n $?"
(set -e; false; echo not); echo "subshell set -e $?"
bash -c 'set -e; echo one; false; echo two'; echo "set -e $?"
read -r l < <(echo procsub); echo "$l"
coproc C { tr a-z A-Z; }; echo hello >&"${C[1]}"; exec {C[1]}>&-; read -r u <&"${C[0]}"; echo "$u"; wait
exec 3> >(tr a-z A-Z); echo to-fd3 >&3; exec 3>&-; wait
echo "$(echo "$(echo nested)")"; x=$(exit 9); echo "cmdsub $?"
for i in 1 2 3; do echo "job $i" & done | sort; wait
{ echo g1; echo g2; } | cat; echo "$BASH_SUBSHELL $(echo $BASH_SUBSHELL)"
EOF
cat > dash.sh <<'EOF'
x=$(echo hi | tr a-z A-Z); echo $x; (exit 3); echo "subshell $?"
sleep 0.1 & wait $!; echo "background $?"
sh -c 'kill -TERM $$'; echo "killed $?"
trap 'echo on exit' EXIT
cat <<END
here $x $(echo inner)
END
EOF
cat > subproc.py <<'EOF'
import os, subprocess
print(subprocess.run(["/bin/echo", "hi"], capture_output=True).stdout)
p = subprocess.Popen("cat | tr a-z A-Z", shell=True, stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE)
print(p.communicate(b"abc"), p.returncode)
try:
    subprocess.run(["/bin/sleep", "10"], timeout=0.3)
except subprocess.TimeoutExpired:
    print("timeout expired")
print(subprocess.call("exit 5", shell=True))
print(subprocess.run(["/bin/sh", "-c", "kill -9 $$"]).returncode)
pid = os.fork()
if pid == 0:
    os._exit(7)
print(os.WEXITSTATUS(os.waitpid(pid, 0)[1]))
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(r)
    os.write(w, b"from child")
    os._exit(0)
os.close(w)
print(os.read(r, 100), os.waitpid(pid, 0)[1])
print(os.popen("echo popen; exit 3").read(), end="")
print(subprocess.check_output("ls | grep -c txt", shell=True, cwd="."))
print(os.system("exit 4") >> 8)
EOF
cat > processes.pl <<'EOF'
my $pid = fork(); if (!$pid) { exit 3 } waitpid($pid, 0); print $? >> 8, "\n";
pipe(R, W); if (!fork()) { close R; print W "from child\n"; exit 0 }
close W; print <R>; wait;
open(my $f, "-|", "/bin/echo", "read pipe") or die; print <$f>; close $f;
open(my $g, "|-", "tr a-z A-Z") or die; print $g "write pipe\n"; close $g;
print system("exit 2") >> 8, "\n"; print `echo backticks`; print $? >> 8, "\n";
if (!fork()) { exec "/bin/echo", "exec-ed" } wait; print "$?\n";
system("kill -TERM \$\$"); print $? & 127, "\n";
EOF

# Fixtures of the socket cases (127.0.0.1 and AF_UNIX only, ports the
# kernel chooses): what they print never depends on ports, pids or
# which connection the event loop serves first.
cat > echo.py <<'EOF'
import asyncio, os, tempfile
async def handle(reader, writer):
    while data := await reader.readline():
        writer.write(data.upper())
        await writer.drain()
    writer.close()
    await writer.wait_closed()
async def talk(reader, writer, lines):
    got = []
    for line in lines:
        writer.write(line)
        await writer.drain()
        back = await reader.readline()
        got.append((len(back), back[:20]))
    writer.close()
    await writer.wait_closed()
    return got
async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        conns = [await asyncio.open_connection("127.0.0.1", port) for _ in range(3)]
        for got in await asyncio.gather(
                *(talk(r, w, [b"client %d\n" % k, b"x" * 50000 + b"\n"])
                  for k, (r, w) in enumerate(conns))):
            print(got)
    path = os.path.join(tempfile.mkdtemp(), "echo.sock")
    userver = await asyncio.start_unix_server(handle, path)
    async with userver:
        print(await talk(*await asyncio.open_unix_connection(path),
                         [b"over unix\n"]))
    os.unlink(path)
    os.rmdir(os.path.dirname(path))
    print("gather", await asyncio.gather(*(asyncio.sleep(0.01, result=i) for i in range(5))))
    try:
        await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 10)
    except ConnectionRefusedError:
        print("closed server refuses")
asyncio.run(main())
EOF
cat > web.py <<'EOF'
import os, subprocess, sys, urllib.error, urllib.request
os.makedirs("www", exist_ok=True)
with open("www/hello.txt", "w") as f:
    f.write("hello over http\n")
server = subprocess.Popen(
    [sys.executable, "-u", "-m", "http.server", "--bind", "127.0.0.1",
     "--directory", "www", "0"],
    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
port = int(server.stdout.readline().split()[5])
base = f"http://127.0.0.1:{port}/"
print(urllib.request.urlopen(base + "hello.txt", timeout=30).read().decode(), end="")
with urllib.request.urlopen(base, timeout=30) as r:
    print("listing", r.status, "hello.txt" in r.read().decode())
try:
    urllib.request.urlopen(base + "missing", timeout=30)
except urllib.error.HTTPError as e:
    print("missing", e.code)
server.terminate()
print("server", server.wait())
EOF
cat > unixsock.py <<'EOF'
import os, socket, tempfile, threading
a, b = socket.socketpair()
r, w = os.pipe()
socket.send_fds(a, [b"two fds"], [r, w])
msg, fds, flags, addr = socket.recv_fds(b, 100, 4)
print(msg, len(fds), flags)
os.write(fds[1], b"through a passed pipe")
print(os.read(fds[0], 100))
for fd in fds + [r, w]:
    os.close(fd)
a.close(); b.close()
d = tempfile.mkdtemp()
path = os.path.join(d, "stream.sock")
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(path); srv.listen()
def serve():
    c, _ = srv.accept()
    with c:
        while data := c.recv(1024):
            c.sendall(data[::-1])
t = threading.Thread(target=serve); t.start()
cl = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
cl.connect(path)
for word in [b"stream", b"unix socket"]:
    cl.sendall(word); print(cl.recv(1024))
cl.close(); t.join(); srv.close()
dg = os.path.join(d, "dgram.sock")
s1 = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s1.bind(dg)
s2 = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
for m in [b"one", b"two two", b""]:
    s2.sendto(m, dg)
print([s1.recv(100) for _ in range(3)])
s2.bind(os.path.join(d, "reply.sock"))
s2.sendto(b"who am i", dg)
data, sender = s1.recvfrom(100)
print(data, os.path.basename(sender))
ab = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
ab.bind("\0emu-test-%d" % os.getpid())
s2.sendto(b"abstract", "\0emu-test-%d" % os.getpid())
print(ab.recv(100), ab.getsockname().startswith(b"\0emu-test"))
for s in (s1, s2, ab): s.close()
os.unlink(path); os.unlink(dg); os.unlink(os.path.join(d, "reply.sock")); os.rmdir(d)
EOF
cat > sel.py <<'EOF'
import hashlib, selectors, socket
N = 10 * 1024 * 1024
payload = bytes(range(256)) * (N // 256)
sel = selectors.DefaultSelector()
lst = socket.socket(); lst.bind(("127.0.0.1", 0)); lst.listen()
cli = socket.socket(); cli.setblocking(False)
cli.connect_ex(lst.getsockname())
srv, _ = lst.accept(); srv.setblocking(False)
sent = 0; got = bytearray()
sel.register(cli, selectors.EVENT_WRITE, "send")
sel.register(srv, selectors.EVENT_READ, "recv")
while len(got) < N:
    for key, ev in sel.select(timeout=30):
        if key.data == "send":
            sent += cli.send(payload[sent:sent + 1 << 20])
            if sent == N:
                sel.unregister(cli); cli.shutdown(socket.SHUT_WR)
        else:
            chunk = srv.recv(1 << 18)
            got += chunk
print(sent, len(got), hashlib.sha256(got).hexdigest() == hashlib.sha256(payload).hexdigest())
print("eof", srv.recv(10) == b"" if sel.select(timeout=30) else "timeout")
EOF
cat > udp.py <<'EOF'
import errno, socket
r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); r.bind(("127.0.0.1", 0))
w = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for m in [b"udp one", b"udp two"]:
    w.sendto(m, r.getsockname())
    data, src = r.recvfrom(100)
    print(data, src[0], src[1] == w.getsockname()[1])
r.sendto(b"reply", w.getsockname()); print(w.recv(100))
closed = socket.socket(); closed.bind(("127.0.0.1", 0)); port = closed.getsockname()[1]; closed.close()
try:
    socket.create_connection(("127.0.0.1", port), timeout=10)
except ConnectionRefusedError as e:
    print("tcp refused", errno.errorcode[e.errno])
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", 0)); up = u.getsockname()[1]; u.close()
c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); c.connect(("127.0.0.1", up)); c.settimeout(10)
c.send(b"nobody")
try:
    c.recv(10)
except ConnectionRefusedError as e:
    print("udp refused", errno.errorcode[e.errno])
r.settimeout(0.05)
try:
    r.recv(10)
except socket.timeout:
    print("timeout")
EOF
cat > iosock.pl <<'EOF'
use strict; use warnings; use IO::Socket::INET;
my $srv = IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => 0, Listen => 5, ReuseAddr => 1) or die "listen: $!";
my $port = $srv->sockport;
my $pid = fork() // die;
if ($pid == 0) {
  my $c = IO::Socket::INET->new(PeerAddr => "127.0.0.1", PeerPort => $port, Proto => "tcp") or die "connect: $!";
  print $c "line one\nline two\n"; $c->shutdown(1);
  my @back = <$c>; print "child got: ", @back; exit 0;
}
my $conn = $srv->accept or die "accept: $!";
my @lines = <$conn>;
print "server got ", scalar(@lines), " lines from ", $conn->peerhost, "\n";
print $conn map { uc } @lines; close $conn;
waitpid($pid, 0); print "child status ", $? >> 8, "\n";
my $u = IO::Socket::INET->new(LocalAddr => "127.0.0.1", Proto => "udp") or die;
my $v = IO::Socket::INET->new(PeerAddr => "127.0.0.1", PeerPort => $u->sockport, Proto => "udp") or die;
$v->send("perl datagram"); my $d; $u->recv($d, 100); print "udp: $d\n";
my $none = IO::Socket::INET->new(PeerAddr => "127.0.0.1", PeerPort => $port, Proto => "tcp");
close $srv;
$none = IO::Socket::INET->new(PeerAddr => "127.0.0.1", PeerPort => $port, Proto => "tcp");
print "refused: ", ($none ? "no" : ($!{ECONNREFUSED} ? "ECONNREFUSED" : "$!")), "\n";
EOF

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
