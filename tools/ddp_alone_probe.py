#!/usr/bin/env python3
"""What DDP costs a single process (gloo, a world of one, one compute thread), one factor at a time, on synthetic models
only (never a validated model at a validated batch): a diagnostic behind docs/calibration.md's 2026-12-08 section, never
read by the simulator.

  GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=268435456 \\
  /usr/bin/python3 tools/ddp_alone_probe.py [group ...]

For every configuration the plain model and its DDP-wrapped twin (same shapes, own parameters) live in this one process
and run in blocks of BLOCK consecutive steps, plain then DDP, one block of every configuration of a group in turn, REPEATS
rounds, so that a change of the machine's load falls on all of them alike; each prints the median over rounds of the DDP-
minus-plain difference of block medians of process CPU per step (DDP's cost) and of compute-thread CPU.
"""
import os
import statistics
import sys
import time

import torch
import torch.distributed as dist
import torch.nn as nn
from torch.nn.parallel import DistributedDataParallel as DDP

BLOCK, REPEATS = 25, int(os.environ.get("PROBE_REPEATS", "8"))


def stack(layers, width, bias=False, relu=0, out=None, inp=None):
    """Linear layers width x width (first input `inp`, last output `out` if given) with `relu` ReLUs after each but the last."""
    mods = []
    for i in range(layers):
        mods.append(nn.Linear(inp if (i == 0 and inp) else width, out if (i == layers - 1 and out) else width, bias=bias))
        if i < layers - 1:
            mods += [nn.ReLU() for _ in range(relu)]
    return nn.Sequential(*mods)


class Pair:
    """A configuration's plain model and its DDP twin, built once, stepped in blocks."""

    def __init__(self, make, inp, batch, cap=25, view=False):
        torch.manual_seed(0)
        self.x = torch.randn(batch, inp)
        self.plain, self.wrapped = make(), DDP(make(), bucket_cap_mb=cap, gradient_as_bucket_view=view)
        self.opts = {m: torch.optim.SGD(m.parameters(), lr=1e-6) for m in (self.plain, self.wrapped)}
        self.cpu = {self.plain: [], self.wrapped: []}
        self.main = {self.plain: [], self.wrapped: []}
        for m in (self.plain, self.wrapped):
            for _ in range(5):
                self.step(m)

    def step(self, m):
        self.opts[m].zero_grad(set_to_none=True)
        m(self.x).sum().backward()
        self.opts[m].step()

    def block(self):
        for m in (self.plain, self.wrapped):
            cpu, main = [], []
            for _ in range(BLOCK):
                c0, m0 = time.process_time(), time.thread_time()
                self.step(m)
                cpu.append(time.process_time() - c0)
                main.append(time.thread_time() - m0)
            self.cpu[m].append(statistics.median(cpu))
            self.main[m].append(statistics.median(main))

    def result(self):
        """Median over blocks of the DDP-minus-plain difference of block medians (us), and the layout."""
        cost = statistics.median(d - p for d, p in zip(self.cpu[self.wrapped], self.cpu[self.plain])) * 1e6
        main = statistics.median(d - p for d, p in zip(self.main[self.wrapped], self.main[self.plain])) * 1e6
        data = self.wrapped._get_ddp_logging_data()
        buckets = [int(v) for v in str(data.get("rebuilt_bucket_sizes") or data.get("bucket_sizes", "")).replace(",", " ").split() if v.isdigit()]
        params = list(self.plain.parameters())
        # the least block median of each (the least-disturbed block; on a loaded machine closer to a quiet one's step)
        least = (min(self.cpu[self.wrapped]) - min(self.cpu[self.plain])) * 1e6
        return dict(tensors=len(params), bytes=sum(p.numel() * 4 for p in params), buckets=len(buckets),
                    modules=len(list(self.plain.children())), plain=statistics.median(self.cpu[self.plain]) * 1e6, cost=cost, main=main,
                    least=least, least_plain=min(self.cpu[self.plain]) * 1e6)


def measure_group(configs, view):
    """Every configuration of a group built first, then REPEATS rounds of one block each, round-robin."""
    pairs = [Pair(make, inp, batch, cap, view) for _, make, inp, batch, cap in configs]
    for _ in range(REPEATS):
        for p in pairs:
            p.block()
    return [p.result() for p in pairs]


GROUPS = {
    # graph nodes at fixed parameters: 4 x 512 bias-free, 0 / 1 / 3 ReLUs between layers
    "nodes": [(f"4x512 relu{r}", lambda r=r: stack(4, 512, relu=r), 512, 4, 25) for r in (0, 1, 3)]
           + [(f"16x128 relu{r}", lambda r=r: stack(16, 128, relu=r), 128, 4, 25) for r in (0, 1, 3)],
    # tensors at fixed bytes (1 MiB, one bucket): 1, 4, 16, 64 bias-free layers
    "tensors": [(f"{n}x{w}", lambda n=n, w=w: stack(n, w), w, 4, 25) for n, w in ((1, 512), (4, 256), (16, 128), (64, 64))],
    # biases: more tensors at the same layers and nodes
    "bias": [(f"16x128 bias{b}", lambda b=b: stack(16, 128, bias=b), 128, 4, 25) for b in (False, True)]
          + [(f"4x512 bias{b}", lambda b=b: stack(4, 512, bias=b), 512, 4, 25) for b in (False, True)],
    # buckets at fixed tensors and bytes: 16 x 256 (4 MiB) with caps 25, 1, 0.5, 0.25 MB
    "buckets": [(f"16x256 cap{c}", lambda: stack(16, 256), 256, 4, c) for c in (25, 1, 0.5, 0.25)],
    # bytes at fixed tensors: 4 bias-free layers of width 64 .. 1024
    "bytes": [(f"4x{w}", lambda w=w: stack(4, w), w, 4, 25) for w in (64, 128, 256, 512, 1024)],
    # the compute between hooks: the same model at batch 4, 32, 128
    "batch": [(f"4x512 b{b}", lambda: stack(4, 512), 512, b, 25) for b in (4, 32, 128)],
    # a per-step constant: the smallest models
    "step": [(f"1x{w}", lambda w=w: stack(1, w), w, 4, 25) for w in (8, 32)],
    # unequal layers with biases and ReLUs (not a validated model: 384 -> 768 -> 768 -> 16)
    # the same layout as a 256 -> 512 -> 512 -> 10 MLP (6 tensors, 1.6 MB, 2 buckets) at batch 4 (a diagnostic, never fitted), with and
    # without ReLUs, beside square stacks of one and two buckets that the profile's rows contain: does this layout pay what the
    # terms fitted on the square stacks charge?
    "layout": [("256-512-512-10 relu b4", lambda: stack(3, 512, bias=True, relu=1, inp=256, out=10), 256, 4, 25),
               ("256-512-512-10 b4", lambda: stack(3, 512, bias=True, inp=256, out=10), 256, 4, 25),
               ("1x512", lambda: stack(1, 512), 512, 4, 25), ("4x128", lambda: stack(4, 128), 128, 4, 25),
               ("4x512", lambda: stack(4, 512), 512, 4, 25), ("16x128", lambda: stack(16, 128), 128, 4, 25),
               ("32x32 bias", lambda: stack(32, 32, bias=True), 32, 4, 25)],
    "unequal": [(f"384-768-768-16 b{b}", lambda: stack(3, 768, bias=True, relu=1, inp=384, out=16), 384, b, 25) for b in (4, 16)]
             + [("3x768 bias relu", lambda: stack(3, 768, bias=True, relu=1), 768, 4, 25)],
}


if __name__ == "__main__":
    torch.set_num_threads(1)
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
    os.environ.setdefault("MASTER_PORT", str(29500 + os.getpid() % 1000))
    dist.init_process_group("gloo", rank=0, world_size=1)
    view = os.environ.get("PROBE_VIEW") == "1"
    print(f"gradient_as_bucket_view={view} load={os.getloadavg()[0]:.2f}")
    for g in sys.argv[1:] or GROUPS:
        for (name, *_), r in zip(GROUPS[g], measure_group(GROUPS[g], view)):
            print(f"{g:8s} {name:22s} T={r['tensors']:3d} B={r['bytes']/2**20:6.3f}MiB N={r['buckets']:2d} mods={r['modules']:3d} "
                  f"plain {r['plain']:7.1f} DDP cost {r['cost']:6.1f} us (compute thread {r['main']:6.1f}); least blocks: plain "
                  f"{r['least_plain']:7.1f}, DDP cost {r['least']:6.1f} us", flush=True)
    print(f"load={os.getloadavg()[0]:.2f}")
    dist.destroy_process_group()
