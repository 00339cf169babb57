#!/usr/bin/env python3
"""Cold start to first frame: the box office against an empty eframe window built the same way.

Runs both release binaries N times, interleaved, under the current DISPLAY (use Xvfb on a
headless machine), and prints medians and ratios. Each program prints its own time from the
start of main() to its first frame; the wall time of the whole process (exec to exit) is
measured here as well.

    cargo build --release --bin boxoffice --example empty_window
    xvfb-run -a python3 benches/cold_start.py [N]

The binaries are looked up under CARGO_TARGET_DIR when it is set, in the profile directory
BENCH_PROFILE (default release; `BENCH_PROFILE=debug` after a plain `cargo build`).
"""
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 21
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Cargo's target directory: CARGO_TARGET_DIR when set (relative to the workspace), else ./target.
TARGET = os.path.join(ROOT, os.environ.get("CARGO_TARGET_DIR", "target"))
# The profile's directory: release unless BENCH_PROFILE names another (e.g. debug).
PROFILE = os.environ.get("BENCH_PROFILE", "release")
APP = os.path.join(TARGET, PROFILE, "boxoffice")
EMPTY = os.path.join(TARGET, PROFILE, "examples", "empty_window")


def run(cmd, env):
    began = time.perf_counter()
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
    wall_ms = (time.perf_counter() - began) * 1000
    match = re.search(r"first frame after ([0-9.]+) ms", out.stdout)
    if out.returncode != 0 or not match:
        sys.exit(f"{cmd[0]} failed: {out.returncode} {out.stdout} {out.stderr}")
    return float(match.group(1)), wall_ms


def main():
    results = {key: ([], []) for key in ("empty", "app", "app_login", "app_first_start")}
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as data:
        base = dict(os.environ, BOXOFFICE_DATA_DIR=os.path.join(data, "ledger"))
        # Warm-up (and the demo ledger for the ordinary starts).
        run([APP], dict(base, BOXOFFICE_PROBE_FIRST_FRAME="login"))
        run([EMPTY], dict(base, BOXOFFICE_PROBE_FIRST_FRAME="1"))
        for i in range(N):
            for key, cmd, env in (
                ("empty", [EMPTY], dict(base, BOXOFFICE_PROBE_FIRST_FRAME="1")),
                ("app", [APP], dict(base, BOXOFFICE_PROBE_FIRST_FRAME="1")),
                ("app_login", [APP], dict(base, BOXOFFICE_PROBE_FIRST_FRAME="login")),
                ("app_first_start", [APP], dict(base, BOXOFFICE_PROBE_FIRST_FRAME="login",
                                                BOXOFFICE_DATA_DIR=os.path.join(data, f"fresh-{i}"))),
            ):
                frame_ms, wall_ms = run(cmd, env)
                results[key][0].append(frame_ms)
                results[key][1].append(wall_ms)
    load_after = os.getloadavg()[0]
    med = {key: (statistics.median(f), statistics.median(w)) for key, (f, w) in results.items()}
    print(f"runs per program: {N}; profile {PROFILE}; load average (1 min) {load_before:.2f} -> {load_after:.2f}")
    print(f"{'program':<18} {'first frame ms':>15} {'ratio':>7} {'process wall ms':>16} {'ratio':>7}")
    for key, label in (("empty", "empty window"), ("app", "box office"),
                       ("app_login", "… login shown"), ("app_first_start", "… first start")):
        frame, wall = med[key]
        print(f"{label:<18} {frame:>15.1f} {frame / med['empty'][0]:>7.2f} {wall:>16.1f} {wall / med['empty'][1]:>7.2f}")


if __name__ == "__main__":
    main()
