#!/usr/bin/env python3
"""Thread scaling: bench/scaling/spread.c's fixed job with 1 and 2
threads, natively and under emu (and qemu-x86_64 when installed), side
by side in one run: medians of 3, alternating. The speed-up of 2 threads
over 1 shows whether the guest's threads use two host cores.
usage: bench/scaling.py [--build DIR] [--emu PATH]"""
import argparse, os, shutil, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))


def timed(argv):
    t = time.monotonic()
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    return time.monotonic() - t, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(HERE, "..", "build"))
    ap.add_argument("--emu", default=None)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    emu = args.emu or os.path.join(args.build, "emu")
    exe = os.path.join(args.build, "bench", "spread")
    os.makedirs(os.path.dirname(exe), exist_ok=True)
    subprocess.run(["gcc", "-O2", "-static", "-pthread", "-o", exe,
                    os.path.join(HERE, "scaling", "spread.c")], check=True)
    runners = [("native", []), ("emu", [emu])]
    if shutil.which("qemu-x86_64"):
        runners.append(("qemu", ["qemu-x86_64"]))
    print(f"host cores: {os.cpu_count()}")
    print(f"{'runner':8} {'1 thread s':>11} {'2 threads s':>12} {'speed-up':>9}")
    for name, prefix in runners:
        times = {1: [], 2: []}
        outs = set()
        for _ in range(args.runs):
            for n in (1, 2):
                t, out = timed(prefix + [exe, str(n)])
                times[n].append(t)
                outs.add(out.split(":")[1])
        one, two = (statistics.median(times[n]) for n in (1, 2))
        same = "ok" if len(outs) == 1 else "RESULTS DIFFER"
        print(f"{name:8} {one:11.3f} {two:12.3f} {one / two:8.2f}x {same}")


if __name__ == "__main__":
    sys.exit(main())
