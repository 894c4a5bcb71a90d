#!/usr/bin/env python3
"""Median of the ratios of interleaved runs: mergemark then ripgrep on the same tree, RUNS times,
so that a noisy machine slows both sides of each pair alike. Prints one line per tree.

Usage: bench/ratio.py MERGEMARK RUNS TREE...
"""
import statistics
import subprocess
import sys
import time

PATTERN = r"^(<<<<<<<|=======|>>>>>>>|\|\|\|\|\|\|\|)( |$)"


def seconds(command):
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


binary, runs, trees = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
for tree in trees:
    mergemark = [binary, "check", "--format", "concise", tree]
    ripgrep = ["rg", "-c", PATTERN, tree]
    for _ in range(2):  # warm the cache for both
        seconds(mergemark), seconds(ripgrep)
    pairs = [(seconds(mergemark), seconds(ripgrep)) for _ in range(runs)]
    ratios = [m / r for m, r in pairs]
    print(f"{tree}: median ratio mergemark/ripgrep {statistics.median(ratios):.2f} over {runs} "
          f"interleaved pairs (min {min(ratios):.2f}, max {max(ratios):.2f}); medians "
          f"{statistics.median(m for m, _ in pairs) * 1000:.0f} ms vs "
          f"{statistics.median(r for _, r in pairs) * 1000:.0f} ms")
