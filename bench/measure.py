#!/usr/bin/env python3
"""Runs a command R times and prints its best and median wall time (seconds)
and the largest peak resident set size (MB) of the runs, from getrusage.

Usage: measure.py R COMMAND... — prints "BEST MEDIAN PEAK_MB"; exits 1 if
any run fails."""
import os, statistics, subprocess, sys, time

runs, cmd = int(sys.argv[1]), sys.argv[2:]
walls, peak = [], 0
for _ in range(runs):
    t0 = time.perf_counter()
    # each run in its own child, so ru_maxrss of that child is this run's peak
    pid = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).pid
    _, status, ru = os.wait4(pid, 0)
    walls.append(time.perf_counter() - t0)
    if status != 0:
        print(f"command failed: {' '.join(cmd)}", file=sys.stderr)
        sys.exit(1)
    peak = max(peak, ru.ru_maxrss // 1024)
print(f"{min(walls):.3f} {statistics.median(walls):.3f} {peak}")
