#!/usr/bin/env python3
"""emu's benchmark: each workload run natively, under emu and (when
installed) under qemu-x86_64, alternating, several times each; prints
median wall times, the slowdown ratios emu/native and emu/qemu, guest MIPS
(retired instructions from --stats over emu's wall time) and peak RSS.
It checks that emu's output equals native's. A benchmark, not a test: it
never fails on time."""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def run_measured(argv, stdin_path=None):
    """Wall seconds, peak RSS in KiB, stdout, stderr, exit status. The RSS
    comes from GNU time when installed: the rusage of a child forked from
    Python would include Python's own pages from before the exec."""
    rss_file = None
    if GNU_TIME:
        import tempfile
        fd, rss_file = tempfile.mkstemp(prefix="bench-rss-")
        os.close(fd)
        argv = [GNU_TIME, "-q", "-f", "%M", "-o", rss_file] + list(argv)
    wall, maxrss, out, err, code = run_forked(argv, stdin_path)
    if rss_file:
        try:
            with open(rss_file) as f:
                maxrss = int(f.read().split()[-1])
        except (OSError, ValueError, IndexError):
            pass
        os.unlink(rss_file)
    return wall, maxrss, out, err, code


def run_forked(argv, stdin_path=None):
    stdin = open(stdin_path, "rb") if stdin_path else None
    r_out, w_out = os.pipe()
    r_err, w_err = os.pipe()
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            if stdin:
                os.dup2(stdin.fileno(), 0)
            else:
                fd = os.open(os.devnull, os.O_RDONLY)
                os.dup2(fd, 0)
            os.dup2(w_out, 1)
            os.dup2(w_err, 2)
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    os.close(w_out)
    os.close(w_err)
    chunks = {r_out: [], r_err: []}
    open_fds = [r_out, r_err]
    import select
    while open_fds:
        ready, _, _ = select.select(open_fds, [], [])
        for fd in ready:
            data = os.read(fd, 1 << 16)
            if data:
                chunks[fd].append(data)
            else:
                open_fds.remove(fd)
                os.close(fd)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    if stdin:
        stdin.close()
    code = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss, b"".join(chunks[r_out]), b"".join(chunks[r_err]), code


def stats_instructions(err):
    for line in err.decode(errors="replace").splitlines():
        if line.startswith("instructions "):
            return int(line.split()[-1])
    return None


def build_workloads(build, cc):
    os.makedirs(build, exist_ok=True)
    made = []
    for src in sorted(os.listdir(os.path.join(HERE, "workloads"))):
        if not src.endswith(".c"):
            continue
        name = src[:-2]
        for kind, flags in (("static", ["-static"]), ("dynamic", [])):
            exe = os.path.join(build, f"{name}-{kind}")
            path = os.path.join(HERE, "workloads", src)
            if not os.path.exists(exe) or os.path.getmtime(exe) < os.path.getmtime(path):
                subprocess.check_call([cc, "-O2", *flags, "-o", exe, path, "-lm"])
            made.append((f"{name} ({kind})", exe))
    return made


def make_fixtures(build, scale=1):
    """A 16 MiB pseudo-random file and an 8 MiB text of words and numbers
    (divided by `scale`: --callgrind runs smaller inputs)."""
    suffix = "" if scale == 1 else f"-{scale}"
    rnd = os.path.join(build, f"random16m{suffix}.bin")
    if not os.path.exists(rnd):
        with open(rnd, "wb") as f:
            x = 0x12345678
            out = bytearray()
            for _ in range((16 << 20) // 4 // scale):
                x = (x * 1103515245 + 12345) & 0xffffffff
                out += x.to_bytes(4, "little")
            f.write(out)
    text = os.path.join(build, f"text8m{suffix}.txt")
    if not os.path.exists(text):
        words = ["emu", "page", "table", "walk", "cycle", "decode", "block",
                 "kernel", "signal", "fault", "tlb", "x86", "linux", "guest"]
        with open(text, "w") as f:
            n, i = 0, 0
            while n < (8 << 20) // scale:
                line = " ".join(words[(i * 7 + k * 3) % len(words)] for k in range(12)) + f" {i}\n"
                f.write(line)
                n += len(line)
                i += 1
    return rnd, text


# The host programs, each (name, argv); `scale` divides the work.
AWK_SUM = "{ s += $NF } END { print s }"
LUA_FIB = ("local function fib(n) if n < 2 then return n end "
           "return fib(n - 1) + fib(n - 2) end print(fib({n}))")


def real_programs(build, quick, scale=1):
    rnd, text = make_fixtures(build, scale)
    big, small = f"{16 / scale:g} MiB", f"{8 / scale:g} MiB"
    progs = []
    which = shutil.which
    if which("sha256sum"):
        progs.append((f"sha256sum {big}", [which("sha256sum"), rnd], None))
    if which("gzip"):
        progs.append((f"gzip -6 {small} text", [which("gzip"), "-6", "-c", text], None))
    if which("mawk"):
        progs.append((f"mawk sum over {small}", [which("mawk"), AWK_SUM, text], None))
    if which("gawk"):
        progs.append((f"gawk sum over {small}", [which("gawk"), AWK_SUM, text], None))
    if which("busybox"):
        progs.append((f"busybox awk sum over {small}", [which("busybox"), "awk", AWK_SUM, text], None))
    lua = which("lua5.4")
    if lua:
        n = 3000000 // scale
        progs.append(("lua5.4 loop", [lua, "-e", f"local s=0 for i=1,{n} do s=s+i%7 end print(s)"], None))
        progs.append(("lua5.4 fib", [lua, "-e", LUA_FIB.replace("{n}", "30" if scale == 1 else "25")], None))
    if which("python3"):
        py = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else which("python3")
        n = 300000 // scale
        progs.append(("python3 loop", [py, "-c", f"print(sum(i % 7 for i in range({n})))"], None))
    return progs


def geomean(xs):
    import math
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")


def callgrind(emu, args):
    """Host instructions per guest instruction: emu --stats under
    valgrind's callgrind (exact counts, unlike wall time on a shared
    machine), on inputs divided by --scale."""
    work = [(n, [exe]) for n, exe in build_workloads(args.build, args.cc)
            if n.endswith("(static)") and not n.startswith(("fork", "writes"))]
    work += [(n, argv) for n, argv, _ in real_programs(args.build, False, args.scale)]
    work.append(("/bin/true", ["/bin/true"]))
    print(f"{'workload':28} {'guest insns':>12} {'host insns':>14} {'host/guest':>10}")
    out_dir = args.build
    for name, argv in work:
        if args.only and args.only not in name:
            continue
        prof = os.path.join(out_dir, "callgrind." + "".join(ch if ch.isalnum() else "_" for ch in name))
        cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={prof}"]
        if args.dump_instr:
            cmd.append("--dump-instr=yes")
        r = subprocess.run(cmd + [emu, "--stats"] + argv, stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        err = r.stderr.decode(errors="replace")
        host = None
        for line in err.splitlines():
            if "Collected :" in line:
                host = int(line.split()[-1])
        guest = stats_instructions(r.stderr)
        if not args.dump_instr:
            os.unlink(prof)
        if host and guest:
            print(f"{name:28} {guest:12d} {host:14d} {host / guest:10.2f}", flush=True)
        else:
            print(f"{name:28} failed (status {r.returncode})", flush=True)


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def strace_overhead(emu, work, args):
    """--strace's cost on compute-bound workloads: emu with and without
    --strace -o /dev/null, alternating, medians."""
    picks = [w for w in work if w[0] in ("crc (static)", "qsort (static)")]
    if args.only:
        picks = [w for w in picks if args.only in w[0]]
    if not picks:
        return
    print(f"\n{'--strace overhead':28} {'emu s':>9} {'--strace s':>10} {'cost':>7}")
    for name, argv, stdin in picks:
        plain, traced = [], []
        for _ in range(max(args.runs, 3)):
            plain.append(run_measured([emu] + argv, stdin)[0])
            traced.append(run_measured([emu, "--strace", "-o", "/dev/null"] + argv, stdin)[0])
        p, t = median(plain), median(traced)
        print(f"{name:28} {p:9.3f} {t:10.3f} {100 * (t - p) / p:6.1f}%", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--emu", default=os.path.join(ROOT, "build", "emu"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--build", default=os.path.join(ROOT, "build", "bench"))
    ap.add_argument("--cc", default="gcc")
    ap.add_argument("--only", help="run only workloads whose name contains this")
    ap.add_argument("--quick", action="store_true", help="one run each, smaller sets")
    ap.add_argument("--callgrind", action="store_true",
                    help="host instructions per guest instruction under callgrind (emu only)")
    ap.add_argument("--scale", type=int, default=8,
                    help="with --callgrind: divide the host programs' work by this")
    ap.add_argument("--dump-instr", action="store_true",
                    help="with --callgrind: keep the profiles (--dump-instr=yes) in --build")
    args = ap.parse_args()
    if args.quick:
        args.runs = 1
    emu = os.path.abspath(args.emu)
    if args.callgrind:
        return callgrind(emu, args)
    qemu = shutil.which("qemu-x86_64")
    work = [(n, [exe], None) for n, exe in build_workloads(args.build, args.cc)]
    work += real_programs(args.build, args.quick)
    rows = []
    print(f"emu: {emu}\nqemu-x86_64: {qemu or 'not installed'}\nruns: {args.runs} each, alternating\n")
    header = f"{'workload':28} {'native s':>9} {'emu s':>9} {'emu/nat':>8} {'qemu s':>9} {'emu/qemu':>8} {'MIPS':>7} {'RSS MiB nat/emu/qemu':>22} ok"
    print(header)
    print("-" * len(header))
    workloads = work + [("/bin/true x50 (start-up)", None, None)]
    for name, argv, stdin in workloads:
        if args.only and args.only not in name:
            continue
        runners = {"native": None, "emu": [emu, "--stats"], "qemu": [qemu] if qemu else None}
        times = {k: [] for k in runners}
        rss = {k: 0 for k in runners}
        outs = {}
        instructions = None
        for _ in range(args.runs):
            for kind, prefix in runners.items():
                if kind == "qemu" and not qemu:
                    continue
                if argv is None:  # the start-up loop: the runner is $0
                    loop_runner = "" if kind == "native" else " ".join(prefix if kind != "emu" else [emu])
                    cmd = ["sh", "-c", f'for i in $(seq 50); do {loop_runner} /bin/true; done']
                else:
                    cmd = (prefix or []) + argv
                wall, maxrss, out, err, code = run_measured(cmd, stdin)
                times[kind].append(wall)
                rss[kind] = max(rss[kind], maxrss)
                outs[kind] = (out, code)
                if kind == "emu" and argv is not None:
                    instructions = stats_instructions(err) or instructions
        nat, em = median(times["native"]), median(times["emu"])
        qe = median(times["qemu"]) if qemu else float("nan")
        ok = outs.get("emu") == outs.get("native")
        mips = instructions / em / 1e6 if instructions and em else float("nan")
        rows.append((name, nat, em, qe, ok))
        qs = f"{qe:9.3f}" if qemu else f"{'-':>9}"
        qr = f"{em / qe:8.2f}" if qemu and qe else f"{'-':>8}"
        rs = f"{rss['native'] / 1024:.0f}/{rss['emu'] / 1024:.0f}/" + (f"{rss['qemu'] / 1024:.0f}" if qemu else "-")
        print(f"{name:28} {nat:9.3f} {em:9.3f} {em / nat:8.1f} {qs} {qr} {mips:7.1f} {rs:>22} {'yes' if ok else 'NO'}", flush=True)
    c_rows = [r for r in rows if "(static)" in r[0] or "(dynamic)" in r[0]]
    host_rows = [r for r in rows if r not in c_rows and not r[0].startswith("/bin/true")]
    for label, group in (("C workloads", c_rows), ("host programs", host_rows)):
        if not group:
            continue
        g = geomean([r[2] / r[1] for r in group])
        print(f"\ngeometric-mean slowdown emu/native over {len(group)} {label}: {g:.1f}x"
              f" (worst {max(r[2] / r[1] for r in group):.1f}x)")
        if qemu:
            gq = geomean([r[2] / r[3] for r in group])
            print(f"geometric-mean emu/qemu over the same: {gq:.2f}x")
    strace_overhead(emu, work, args)
    bad = [r[0] for r in rows if not r[4]]
    if bad:
        print("output differs from native for: " + ", ".join(bad))


if __name__ == "__main__":
    sys.exit(main())
