#!/usr/bin/env python3
"""A/B of `sim validate ddp`'s measurement protocols on this machine, interleaved: a diagnostic, never read by the
simulator. Each repeat runs the whole grid both ways, one after the other (order alternating between repeats):

  one window:  sim_profile.py ddp per configuration, one contiguous window of >= 1 s (the protocol before 2026-12-07 21:00);
  round-robin: sim_profile.py ddp-rounds over the grid, 5 windows of >= 0.3 s per configuration (median of window medians).

and prints, per configuration and protocol, the measured figure of every repeat and its spread over the repeats
((max - min) / median): what a user re-running the validation would see move, with nothing changed but time.

  /usr/bin/python3 tools/ddp_window_ab.py [REPEATS]
"""
import os
import statistics
import subprocess
import sys
import time

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "Calibration", "profiler", "sim_profile.py")
GRID = [(m, b, p) for m in ("mlp", "cnn", "transformer") for b in (8, 32) for p in (1, 2)]


def parse(text):
    """{(model, batch, world): {window: [seconds]}} from a sim-steplog."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        kv = dict(x.split("=", 1) for x in line.split())
        key = (kv["model"], int(kv["batch"]), int(kv["world"]))
        out.setdefault(key, {}).setdefault(int(kv.get("window", 0)), []).append(float(kv["seconds"]))
    return out


def figure(windows):
    medians = [statistics.median(v) for _, v in sorted(windows.items())]
    return statistics.median(medians)


def one_window():
    res = {}
    for m, b, p in GRID:
        out = subprocess.run([sys.executable, SCRIPT, "ddp", "--model", m, "--batch", str(b), "--procs", str(p), "--iters", "20"],
                             check=True, capture_output=True, text=True).stdout
        res[(m, b, p)] = figure(parse(out)[(m, b, p)])
    return res


def round_robin():
    configs = ",".join(f"{m}:{b}:{p}" for m, b, p in GRID)
    out = subprocess.run([sys.executable, SCRIPT, "ddp-rounds", "--configs", configs], check=True, capture_output=True, text=True).stdout
    return {k: figure(v) for k, v in parse(out).items()}


def main():
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    runs = {"one window": [], "round-robin": []}
    for r in range(repeats):
        order = [("one window", one_window), ("round-robin", round_robin)]
        for name, fn in (order if r % 2 == 0 else order[::-1]):
            t0 = time.time()
            runs[name].append(fn())
            with open("/proc/loadavg") as f:
                load = f.read().split()[0]
            print(f"repeat {r + 1} {name}: {time.time() - t0:.0f} s, load {load}", flush=True)
    for name, rs in runs.items():
        spreads = []
        print(f"\n{name}: ms per repeat, spread (max-min)/median")
        for key in GRID:
            v = [x[key] * 1e3 for x in rs]
            spread = (max(v) - min(v)) / statistics.median(v)
            spreads.append(spread)
            print(f"  {key[0]:11s} b{key[1]:<3d} x{key[2]}: {' '.join(f'{x:8.3f}' for x in v)}  {100 * spread:5.1f}%")
        print(f"  mean spread {100 * statistics.mean(spreads):.1f}%, median {100 * statistics.median(spreads):.1f}%")


if __name__ == "__main__":
    main()
