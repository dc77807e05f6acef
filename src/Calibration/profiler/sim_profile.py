#!/usr/bin/env python3
"""Sim calibration profiler: times real PyTorch kernels and training steps on this machine.

Like a dynamometer for a car engine: it runs the real engine (PyTorch) through a range of loads
and writes down what it measured; all interpretation (fitting, simulation) happens in C#.

Modes
  profile  --device cpu|cuda --out DIR [--threads N] [--grid short|full] [--repeats N] [--no-collectives]
           writes DIR/measurements.json (schema "sim-measurements" v8; v4: v2 plus "ddp_pattern", gloo's
           cost in DDP's asynchronous bucket pattern (v3), and "ddp_steps", what real DDP steps of
           synthetic Linear stacks cost a rank beyond the same steps without DDP (v4), with the plain step on
           one rank alone and the same configurations in a single process (v5); every model layer also records
           "buffer_bytes", what DDP broadcasts before each forward, an optional key, and "collectives" also
           holds gloo broadcasts, rows with op "broadcast"), one PyTorch profiler trace
           per model (DIR/trace-<model>.json: legacy JSON array on torch 1.x, Kineto JSON on 2.x),
           and DIR/steps-<model>.log (sim-steplog v3) with every timed training step. v6: model steps are timed in
           steady state (consecutive steps, each model and batch size in a fresh process) and "allocator" records the
           pinned glibc malloc thresholds (below); "ddp_buffer_sync" is what DDP's buffer sync before each forward
           costs a single process (synthetic BatchNorm stacks), and layers record "parameter_tensors" and "buffer_tensors".
           v7: the "ddp_steps" rows of two ranks are measured as free-running loops (no barrier per step; the plain and
           DDP models each in their own pair of fresh processes), same keys. v8: "ddp_buffer_broadcast", two free-running
           ranks of conv + BatchNorm2d + ReLU stacks as the plain model, DDP and DDP with broadcast_buffers=False (what the
           buffer broadcast before every forward costs a rank inside a training loop; see DDP_BN_CONFIGS), and every
           "ddp_steps" row also records "cpu_mean_s" and "plain_cpu_mean_s" (the loops' mean process CPU per step). v9: model
           steps in round-robin windows. v10: "speed_reference", the machine's speed while the steps ran (make_speed_reference;
           null on a GPU).
  ddp      --model mlp|cnn|transformer --batch B --procs N --iters K [--warmup W] [--min-window S]
           runs DistributedDataParallel over gloo on 127.0.0.1 with N processes (one thread each)
           and prints one sim-steplog line per measured iteration of rank 0 to stdout: at least K
           iterations after W warm-up ones, and as many more as make the measured window last S
           seconds (default 1), with the cores every other scheduling group used during that window.
  ddp-rounds --configs model:batch:procs,... [--rounds R] [--window S] [--iters K] [--warmup W] [--reference]
           the same runs, every configuration in R short windows taken round-robin (sim-steplog v4, window=<index>); with
           --reference the speed reference is one more configuration, its rows model=speed-reference with seconds=<wall>
           and step_cpu_s=<process CPU> per unit.

sim-steplog v3: a text file whose first line is "# sim-steplog v3" (v1 and v2 are still read); every other
non-empty line that does not start with '#' is a list of space separated key=value pairs and must contain
iter=<int> and seconds=<float>; optional keys: model, batch, rank, world, and (v3) background=
<cores>+<cores>+... (cores each other scheduling group used during the measured window, largest first;
"0" for none), job_cores=<cores> (the run's own processes over the window), session_cores=<cores> (the
rest of the run's own scheduling group), window_s=<seconds> (the window's length), step_cpu_s=<seconds>
(CPU time all ranks' processes spent per measured step, mean over the steps). v2 had background=
only, meaning the other groups' demand measured in the 1 s before and after the run.
"""
import argparse
import json
import os
import platform
import socket
import statistics
import sys
import time


def _preset_blas_threads(argv):
    """BLAS libraries size their thread pools when they are loaded, and torch.set_num_threads
    does not reach OpenBLAS's pthread pool: the thread count must be in the environment before
    torch is imported. "ddp" and "ddp-rounds" workers always use one thread each."""
    n = None
    if len(argv) > 1 and argv[1] in ("ddp", "ddp-rounds"):
        n = "1"
    elif "--threads" in argv and argv.index("--threads") + 1 < len(argv):
        n = argv[argv.index("--threads") + 1]
    elif len(argv) > 1 and argv[1] == "profile":
        n = "1"  # the default of --threads
    if n is not None and n != "0":
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[var] = n


# glibc's malloc adapts its thresholds to what a process has freed so far (the mmap threshold rises to the largest
# mmap-ed block freed, the trim threshold to twice that), so the same training step costs a process page faults or not
# depending on its history: measured 2026-12-07 (torch 1.13, one thread), the CNN at batch 32 in a fresh process takes
# 743 minor page faults and 1.8 ms of kernel time per step, the same step after one batch-128 step none; an MLP
# process wrapped in DDP takes none (DDP's parameter broadcast at construction freed a large block) while the same
# process unwrapped takes 228 per step at batch 8. The simulator has no input for a process's allocation history,
# so every process this script starts (profile and ddp, and the workers they spawn, which inherit the environment)
# runs with both thresholds fixed (fixed values also switch glibc's adaptation off): blocks up to 32 MiB (glibc's
# largest dynamic mmap threshold on 64-bit) come from the heap, and the heap is trimmed only above 256 MiB, so a
# training loop reuses its memory from step to step. The choice is recorded in measurements.json ("allocator").
# The same string is MeasurementSet.PinnedGlibcAllocator in C# (what `sim validate ddp` requires of the profile).
ALLOCATOR_TUNABLES = "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=268435456"


def _pin_allocator(argv):
    """Re-executes this script with ALLOCATOR_TUNABLES in GLIBC_TUNABLES (read by glibc only at process start)."""
    if platform.libc_ver()[0] != "glibc" or ALLOCATOR_TUNABLES in os.environ.get("GLIBC_TUNABLES", ""):
        return
    if os.environ.get("SIM_PROFILER_ALLOCATOR") == "default":   # for comparisons: glibc's adaptive thresholds, recorded as "default"
        return
    env = dict(os.environ)
    env["GLIBC_TUNABLES"] = ":".join(t for t in (env.get("GLIBC_TUNABLES"), ALLOCATOR_TUNABLES) if t)
    os.execve(sys.executable, [sys.executable] + argv, env)


def allocator():
    """What the measured processes allocated with: the pinned glibc tunables, or "default"."""
    return ALLOCATOR_TUNABLES if ALLOCATOR_TUNABLES in os.environ.get("GLIBC_TUNABLES", "") else "default"


if __name__ == "__main__":
    _pin_allocator(sys.argv)
    _preset_blas_threads(sys.argv)

import torch  # noqa: E402  (after the thread environment is set)
import cpu_usage  # noqa: E402  (next to this script)
import torch.nn as nn
import torch.nn.functional as F

SCHEMA_VERSION = 10
STEPLOG_HEADER = "# sim-steplog v3"
STEPLOG_HEADER_WINDOWS = "# sim-steplog v4"   # v3 and a window index per step (ddp-rounds)


# ---------------------------------------------------------------- timing helpers
# The clock for kernel and step timings. With one compute thread on the CPU, the CPU time of
# the process is the duration the work would take on an otherwise idle core: time during which
# another process holds the core is not counted, so a shared machine gives the same answer as
# an idle one. With several threads or a GPU, work overlaps outside one timeline and wall time
# is the only honest clock. Collectives and DDP runs always use wall time (they wait on peers).
CLOCK = {"name": "wall", "fn": time.perf_counter}


def choose_clock(device):
    if device == "cpu" and torch.get_num_threads() == 1:
        CLOCK.update(name="process_cpu", fn=time.process_time)
    else:
        CLOCK.update(name="wall", fn=time.perf_counter)


def now():
    return CLOCK["fn"]()


def _sync(device):
    if device == "cuda":
        torch.cuda.synchronize()


# ---------------------------------------------------------------- kernel grid
def kernel_grid():
    """(op, class, work kind, builder) tuples; builder(device) -> (fn, shapes, flops, bytes)."""
    f32 = 4
    # The kernel grid is the same for both grids: it is cheap (about 1 s of kernels at one
    # thread) and dense sizes (x1.5 to x2 apart) let the fitted curves be checked on held-out
    # sizes between fitted ones. "short" trims the model batch sizes and collective sizes instead.
    mm = [32, 48, 64, 96, 128, 192, 256, 384, 512, 768]
    conv = [(8, 8), (8, 16), (16, 16), (16, 32), (32, 32), (32, 64), (64, 64), (64, 128)]
    elem = [2 ** k for k in range(10, 23)]
    rows = [16, 32, 64, 128, 256, 512, 1024, 2048, 4096]
    out = []
    for n in mm:
        def b(dev, n=n):
            a = torch.randn(n, n, device=dev); w = torch.randn(n, n, device=dev)
            return (lambda: torch.matmul(a, w)), [[n, n], [n, n]], 2 * n * n * n, 3 * n * n * f32
        out.append(("aten::mm", "matmul", b))
    for n in mm:
        def b(dev, n=n):
            x = torch.randn(64, n, device=dev); lin = nn.Linear(n, n).to(dev)
            return (lambda: lin(x)), [[64, n], [n, n]], 2 * 64 * n * n, (2 * 64 * n + n * n) * f32
        out.append(("aten::linear", "matmul", b))
    for cin, cout in conv:
        def b(dev, cin=cin, cout=cout):
            x = torch.randn(8, cin, 16, 16, device=dev); c = nn.Conv2d(cin, cout, 3, padding=1).to(dev)
            fl = 2 * 8 * cout * 16 * 16 * cin * 9
            by = (8 * cin * 256 + 8 * cout * 256 + cout * cin * 9) * f32
            return (lambda: c(x)), [[8, cin, 16, 16], [cout, cin, 3, 3]], fl, by
        out.append(("aten::conv2d", "conv2d", b))
    for n in elem:
        def b(dev, n=n):
            x = torch.randn(n, device=dev); y = torch.randn(n, device=dev)
            return (lambda: torch.add(x, y)), [[n], [n]], n, 3 * n * f32
        out.append(("aten::add", "elementwise", b))
        def b2(dev, n=n):
            x = torch.randn(n, device=dev)
            return (lambda: torch.relu(x)), [[n]], n, 2 * n * f32
        out.append(("aten::relu", "elementwise", b2))
    for r in rows:
        def b(dev, r=r):
            x = torch.randn(r, 256, device=dev)
            return (lambda: torch.softmax(x, dim=-1)), [[r, 256]], 5 * r * 256, 2 * r * 256 * f32
        out.append(("aten::softmax", "softmax", b))
        def b2(dev, r=r):
            x = torch.randn(r, 256, device=dev); ln = nn.LayerNorm(256).to(dev)
            return (lambda: ln(x)), [[r, 256]], 8 * r * 256, 2 * r * 256 * f32
        out.append(("aten::layer_norm", "layernorm", b2))
    return out


WORK_KIND = {"matmul": "flops", "conv2d": "flops", "elementwise": "bytes", "softmax": "bytes",
             "layernorm": "bytes"}


def run_kernels(device, repeats, sample_s=0.0005):
    """Median time per call of every kernel in the grid. Each sample loops a kernel for about
    sample_s so that timer resolution does not matter; repeats run round-robin over the whole
    grid (as in run_models) so that load bursts from other processes spread over all sizes."""
    results = []
    with torch.no_grad():
        entries = []
        for op, cls, builder in kernel_grid():
            fn, shapes, flops, nbytes = builder(device)
            for _ in range(2):
                fn()
            _sync(device)
            t0 = now()
            fn()
            _sync(device)
            single = max(now() - t0, 1e-7)
            inner = max(1, min(1000, int(sample_s / single)))
            entries.append((op, cls, fn, shapes, flops, nbytes, inner, []))
        for _ in range(repeats):
            for op, cls, fn, shapes, flops, nbytes, inner, samples in entries:
                _sync(device)
                t0 = now()
                for _ in range(inner):
                    fn()
                _sync(device)
                samples.append((now() - t0) / inner)
        for op, cls, fn, shapes, flops, nbytes, inner, samples in entries:
            results.append({"op": op, "class": cls, "work": WORK_KIND[cls], "shapes": shapes,
                            "flops": flops, "bytes": nbytes, "median_s": statistics.median(samples),
                            "repeats": repeats})
    return results


# ---------------------------------------------------------------- speed reference (v10)
# The machine's speed, measured: this VM's cores run 10-20% faster or slower from one few minutes to the next (other
# tenants on the SMT siblings, steal, clock; docs/calibration.md, "Validation"), which moves every measured time by the
# same proportion. The reference is a small fixed mix of the kernel grid's own operation kinds, none of them a validated
# model's step: two 256x256 matmuls (compute-bound), two adds of 2^20 floats (memory-bound, 12 MiB per add, beyond the
# caches) and 256 adds of 64 floats (dispatcher- and Python-bound, as small models' steps are), one thread, ~5 ms.
# Timed with the process CPU clock, the same clock as the profile's one-thread model steps, so that the factor says how
# much slower a CPU second of work runs now; the other processes' share of the cores is modelled apart (SharedCpuHost).
SPEED_REFERENCE = "speed-reference"            # its rows' model name in steplogs and round-robin configurations
SPEED_REFERENCE_MIX = "mm256x2+add1Mx2+add64x256 v1"   # a different mix is a different reference: never compared
SPEED_REFERENCE_UNITS = 10                      # timed units per window, at least


def make_speed_reference():
    """The reference's unit of work as three closures (matmul, elementwise, dispatch), inputs built once."""
    torch.manual_seed(0)
    a, w = torch.randn(256, 256), torch.randn(256, 256)
    x, y = torch.randn(1 << 20), torch.randn(1 << 20)
    s, t = torch.randn(64), torch.randn(64)

    def matmul():
        for _ in range(2):
            torch.matmul(a, w)

    def elementwise():
        for _ in range(2):
            torch.add(x, y)

    def dispatch():
        for _ in range(256):
            torch.add(s, t)
    return matmul, elementwise, dispatch


def time_speed_reference(parts, units, min_s=0.0):
    """At least `units` units of the reference and at least `min_s` seconds of wall time; per unit (CPU seconds of the
    whole unit, its wall seconds, and the CPU seconds of each part)."""
    samples = []
    start = time.perf_counter()
    with torch.no_grad():
        while len(samples) < units or time.perf_counter() - start < min_s:
            w0, c0 = time.perf_counter(), time.process_time()
            cpu = []
            for part in parts:
                p0 = time.process_time()
                part()
                cpu.append(time.process_time() - p0)
            samples.append((time.process_time() - c0, time.perf_counter() - w0, *cpu))
    return samples


def speed_reference_summary(windows):
    """The window medians the measurements record (v10) from each window's unit samples."""
    def medians(k):
        return [statistics.median(s[k] for s in win) for win in windows]
    return {"mix": SPEED_REFERENCE_MIX, "clock": "process_cpu", "window_medians_s": medians(0),
            "wall_window_medians_s": medians(1), "matmul_window_medians_s": medians(2),
            "elementwise_window_medians_s": medians(3), "dispatch_window_medians_s": medians(4)}


def _speed_reference_worker(config, min_s, go, results):
    """In a fresh process of its own, one thread (as the DDP ranks and one-thread profiles run): the speed reference as
    one more round-robin configuration. Each `go` message is a window index (None: stop): one untimed unit (caches went
    cold), then the timed units."""
    torch.set_num_threads(1)
    parts = make_speed_reference()
    time_speed_reference(parts, 3)
    results.put(("ready", config))
    while (window := go.get()) is not None:
        if isinstance(window, tuple):
            window = window[0]
        time_speed_reference(parts, 1)
        results.put(("reference", config, window, time_speed_reference(parts, SPEED_REFERENCE_UNITS, min_s)))


# ---------------------------------------------------------------- model zoo (small)
class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False); self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False); self.bn2 = nn.BatchNorm2d(cout)
        self.short = None
        if stride != 1 or cin != cout:
            self.short = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + (x if self.short is None else self.short(x)))


class TinyResNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU())
        self.layer1 = BasicBlock(16, 16, 1)
        self.layer2 = BasicBlock(16, 32, 2)
        self.head = nn.Linear(32, 10)

    def forward(self, x):
        x = self.layer2(self.layer1(self.stem(x)))
        return self.head(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


class TinyTransformer(nn.Module):
    def __init__(self, d=128, heads=4, ff=512, vocab=512):
        super().__init__()
        self.embed = nn.Embedding(vocab, d)
        self.block = nn.TransformerEncoderLayer(d, heads, ff, dropout=0.0, batch_first=True)
        self.head = nn.Linear(d, vocab)

    def forward(self, x):
        return self.head(self.block(self.embed(x)))


def make_mlp():
    return nn.Sequential(nn.Linear(256, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))


SEQ = 32
MODELS = {
    "mlp": (make_mlp, lambda b, dev: torch.randn(b, 256, device=dev),
            lambda b, dev: torch.randint(0, 10, (b,), device=dev)),
    "cnn": (TinyResNet, lambda b, dev: torch.randn(b, 3, 16, 16, device=dev),
            lambda b, dev: torch.randint(0, 10, (b,), device=dev)),
    "transformer": (TinyTransformer, lambda b, dev: torch.randint(0, 512, (b, SEQ), device=dev),
                    lambda b, dev: torch.randint(0, 512, (b, SEQ), device=dev)),
}


def flop_counts(model, x):
    """Multiply-add FLOPs (2 per MAC) of Linear, Conv2d and attention matmuls for one forward
    pass, per module that performs them."""
    counts = {}
    hooks = []

    def add(m, n):
        counts[m] = counts.get(m, 0) + n

    def lin(m, inp, out):
        add(m, 2 * out.numel() * m.in_features)

    def conv(m, inp, out):
        add(m, 2 * out.numel() * (m.in_channels // m.groups) * m.kernel_size[0] * m.kernel_size[1])

    def mha(m, inp, out):
        b, s, d = inp[0].shape
        add(m, 2 * b * s * d * 3 * d + 2 * b * s * d * d   # in-projection and out-projection
            + 2 * 2 * b * s * s * d)                      # scores and weighted sum

    for m in model.modules():
        if isinstance(m, nn.Linear) and not isinstance(m, nn.modules.linear.NonDynamicallyQuantizableLinear):
            hooks.append(m.register_forward_hook(lin))
        elif isinstance(m, nn.Conv2d):
            hooks.append(m.register_forward_hook(conv))
        elif isinstance(m, nn.MultiheadAttention):
            hooks.append(m.register_forward_hook(mha))
    with torch.no_grad():
        model(x)
    for h in hooks:
        h.remove()
    return counts


def forward_flops(model, x):
    return sum(flop_counts(model, x).values())


def time_consecutive_steps(step, steps):
    """Runs `step` `steps` times back to back (no barrier between them, as a training loop runs) and returns three
    lists of seconds per step: the process's CPU (every thread, user + kernel), the calling thread's CPU and the wall."""
    cpu, main, wall = [], [], []
    for _ in range(steps):
        t0, c0, m0 = time.perf_counter(), time.process_time(), time.thread_time()
        step()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        main.append(time.thread_time() - m0)
    return cpu, main, wall


def time_layers(model, x, y, device, repeats):
    """Forward and backward time of each top-level child (the model's layers, in forward order): layer_rows of
    layer_samples. Medians over repeats."""
    fwd, bwd = layer_samples(model, x, y, device, repeats)
    return layer_rows(model, x, fwd, bwd)


def layer_samples(model, x, y, device, repeats):
    """Forward and backward seconds of each top-level child (the model's layers, in forward order), one list per layer,
    one entry per repeat. Forward: between the child's forward pre-hook and forward hook. Backward: from the moment
    the gradient of its output is ready (the next layer's backward hook, or a hook on the model's
    output for the last layer, so the loss's own backward is not counted) to its own backward hook
    (for the first layer, to the end of loss.backward())."""
    children = list(model.named_children())
    marks = {"fs": {}, "fe": {}, "b": {}}

    def stamp():
        _sync(device)
        return now()

    hooks = []
    for i, (_, m) in enumerate(children):
        hooks.append(m.register_forward_pre_hook(lambda mod, inp, i=i: marks["fs"].__setitem__(i, stamp())))
        hooks.append(m.register_forward_hook(lambda mod, inp, out, i=i: marks["fe"].__setitem__(i, stamp())))
        hooks.append(m.register_full_backward_hook(lambda mod, gi, go, i=i: marks["b"].__setitem__(i, stamp())))
    fwd = [[] for _ in children]
    bwd = [[] for _ in children]
    for _ in range(repeats):
        for d in marks.values():
            d.clear()
        model.zero_grad(set_to_none=True)
        out = model(x)
        # the last layer's backward starts when the loss has produced the output's gradient
        out.register_hook(lambda g: marks["fs"].__setitem__("out_grad", stamp()))
        loss = F.cross_entropy(out.reshape(-1, out.shape[-1]), y.reshape(-1))
        loss.backward()
        t_end = stamp()
        ready = marks["fs"]["out_grad"]
        for i in reversed(range(len(children))):
            # the first layer's hook fires as soon as its output gradient exists when its input
            # needs no gradient, before its weight gradient is computed: its backward ends with
            # loss.backward() itself
            done = t_end if i == 0 else marks["b"].get(i, ready)
            bwd[i].append(max(done - ready, 0.0))
            ready = done
        for i in range(len(children)):
            fwd[i].append(marks["fe"][i] - marks["fs"][i])
    for h in hooks:
        h.remove()
    return fwd, bwd


def layer_rows(model, x, fwd, bwd):
    """The layers' rows of measurements.json: what each layer is and its median forward and backward seconds over the
    samples (layer_samples)."""
    children = list(model.named_children())
    counts = flop_counts(model, x)
    out_bytes = {}
    with torch.no_grad():
        act = x
        for i, (_, m) in enumerate(children):
            if i == len(children) - 1 and isinstance(model, TinyResNet):
                act = torch.flatten(F.adaptive_avg_pool2d(act, 1), 1)
            act = m(act)
            out_bytes[i] = act.numel() * act.element_size()
    layers = []
    for i, (name, m) in enumerate(children):
        layers.append({"name": name, "kind": type(m).__name__,
                       "forward_flops": sum(c for mod, c in counts.items() if mod is m or any(mod is s for s in m.modules())),
                       "parameters": sum(p.numel() for p in m.parameters()),
                       "parameter_tensors": sum(1 for _ in m.parameters()),
                       "output_bytes": out_bytes[i], "buffer_bytes": buffer_bytes(m),
                       "buffer_tensors": sum(1 for _ in m.buffers()),
                       "forward_s": statistics.median(fwd[i]), "backward_s": statistics.median(bwd[i])})
    return layers


def buffer_bytes(module):
    """Bytes of a module's buffers (BatchNorm's running mean and variance and its int64 batch counter): what
    DistributedDataParallel (broadcast_buffers=True, the default) broadcasts from rank 0 before every forward."""
    return sum(b.numel() * b.element_size() for b in module.buffers())


def make_step(name, batch, device):
    ctor, make_x, make_y = MODELS[name]
    torch.manual_seed(0)
    model = ctor().to(device)
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    x, y = make_x(batch, device), make_y(batch, device)

    def step():
        opt.zero_grad(set_to_none=True)
        out = model(x)
        loss = F.cross_entropy(out.reshape(-1, out.shape[-1]), y.reshape(-1))
        loss.backward()
        opt.step()
    return model, x, step


def _next_result(results, procs, timeout=600):
    """The next message a round-robin worker put on `results`; fails at once, naming the exit code, when a worker died
    instead of waiting out the timeout."""
    import queue as queue_module
    deadline = time.monotonic() + timeout
    while True:
        try:
            return results.get(timeout=1)
        except queue_module.Empty:
            dead = [p for p in procs if p.exitcode not in (None, 0)]
            if dead:
                for p in procs:
                    if p.exitcode is None:
                        p.terminate()
                raise SystemExit(f"a measuring process died (exit code {dead[0].exitcode}); see its error above")
            if time.monotonic() > deadline:
                raise SystemExit(f"no result from the measuring processes within {timeout} s")


STEADY_STEPS = 3   # timed consecutive steps per repeat (v6): a configuration gets repeats x STEADY_STEPS
MODEL_ROUNDS = 5   # windows per configuration, taken round-robin over all configurations (v9)


def _steps_window_worker(name, batch, device, threads, config, go, results):
    """In a fresh process of its own: the training loop of one model at one batch size. Three warm-up steps, then it
    sleeps on its `go` queue; each message is a window (index, steps, layer repeats): one untimed step (the caches went
    cold while other configurations ran), `steps` consecutive timed steps, then `layer repeats` instrumented steps of
    the same model for its per-layer times (layer_samples). None: stop."""
    if threads > 0:
        torch.set_num_threads(threads)
    choose_clock(device)
    model, x, step = make_step(name, batch, device)
    y = MODELS[name][2](batch, device)
    for _ in range(3):
        step()
    results.put(("ready", config))
    while (message := go.get()) is not None:
        window, steps, layer_repeats = message
        step()
        samples = []
        for _ in range(steps):
            _sync(device)
            t0 = now()
            step()
            _sync(device)
            samples.append(now() - t0)
        fwd, bwd = layer_samples(model, x, y, device, layer_repeats)
        results.put(("window", config, window, samples, fwd, bwd))


def time_steps_round_robin(configs, device, steps, layer_repeats, rounds=MODEL_ROUNDS, reference=False):
    """Training steps timed as a training loop runs them (consecutive steps of one model at one batch size in a process
    of its own: measured 2026-12-07, load 5-6, the same steps timed round-robin inside one long-lived process holding
    every model took 2-22% more CPU than in a fresh process, which is what a training run, and `sim validate ddp`'s, is),
    in `rounds` short windows per configuration taken round-robin over all configurations (v9): every configuration's
    process is started first and idles but for its windows, one configuration at a time, the order reversed every other
    round. A change of clock or a burst of cache or memory-bandwidth contention from other load then lands on one window
    of several configurations rather than on the whole of one, and the windows' spread shows it.
    `steps` and `layer_repeats` are per configuration in all, spread over its windows as evenly as they divide.
    With `reference` (v10), the speed reference (make_speed_reference) is one more configuration in its own process, so
    that the measurements record the speed the machine ran at in the same time slices as the steps.
    Returns, per configuration, its windows in order: (step samples, per-layer forward samples, backward samples); and
    the reference's windows (lists of time_speed_reference samples; empty without `reference`)."""
    import torch.multiprocessing as mp
    rounds = max(1, min(rounds, steps))   # every window times a step at least
    ctx = mp.get_context("spawn")
    results = ctx.Queue()
    go, procs = [], []
    for c, (name, batch) in enumerate(configs):
        q = ctx.Queue()
        go.append(q)
        p = ctx.Process(target=_steps_window_worker, args=(name, batch, device, torch.get_num_threads(), c, q, results))
        p.start()
        procs.append(p)
    if reference:
        q = ctx.Queue()
        go.append(q)
        p = ctx.Process(target=_speed_reference_worker, args=(len(configs), 0.0, q, results))
        p.start()
        procs.append(p)
    for _ in go:
        kind, _c = _next_result(results, procs)
        assert kind == "ready"
    windows, reference_windows = [[] for _ in configs], []
    for r in range(rounds):
        for c in (range(len(go)) if r % 2 == 0 else reversed(range(len(go)))):
            go[c].put((r, steps // rounds + (r < steps % rounds), layer_repeats // rounds + (r < layer_repeats % rounds)))
            message = _next_result(results, procs)
            if message[0] == "reference":
                reference_windows.append(message[3])
                continue
            _kind, cfg, _w, samples, fwd, bwd = message
            windows[cfg].append((samples, fwd, bwd))
    for q in go:
        q.put(None)
    for p in procs:
        p.join(timeout=120)
    return windows, reference_windows


def run_models(device, grid, repeats, out_dir, rounds=MODEL_ROUNDS):
    """Times training steps of every model at every batch size in steady state, as a training loop runs them (v6):
    each configuration in a process of its own, repeats x STEADY_STEPS consecutive steps and `repeats` instrumented
    steps for the per-layer times (only their shares of the step are used), spread over MODEL_ROUNDS windows taken
    round-robin over all configurations (time_steps_round_robin, v9). A configuration's step is the median of its
    windows' median steps; the windows' medians are recorded (step_window_medians_s: how much the machine moved the
    measurement); a layer's times are the medians over all its windows' samples. On the CPU the speed reference runs in
    the same round-robin (v10). Returns the model rows and the reference's windows."""
    batches = [1, 2, 4, 8, 16, 32] if grid == "short" else [1, 2, 4, 8, 16, 32, 64, 128]
    configs = [(name, b) for name in MODELS for b in batches]
    windows, reference = time_steps_round_robin(configs, device, repeats * STEADY_STEPS, repeats, rounds, device == "cpu")
    results = []
    for name in MODELS:
        log_lines = [STEPLOG_HEADER_WINDOWS]
        for (n, b), wins in zip(configs, windows):
            if n != name:
                continue
            i = 0
            model, x, _ = make_step(name, b, device)
            fwd_flops = forward_flops(model, x)
            params = sum(p.numel() for p in model.parameters())
            samples = [s for w in wins for s in w[0]]
            medians = [statistics.median(w[0]) for w in wins]
            fwd = [[v for w in wins for v in w[1][layer]] for layer in range(len(wins[0][1]))]
            bwd = [[v for w in wins for v in w[2][layer]] for layer in range(len(wins[0][2]))]
            results.append({"model": name, "batch": b, "forward_flops": fwd_flops, "train_flops": 3 * fwd_flops,
                            "parameters": params, "step_median_s": statistics.median(medians),
                            "step_window_medians_s": medians, "step_samples_s": samples,
                            "layers": layer_rows(model, x, fwd, bwd)})
            for w, win in enumerate(wins):
                for s in win[0]:
                    log_lines.append(f"iter={i} window={w} seconds={s:.9g} model={name} batch={b} rank=0 world=1")
                    i += 1
        with open(os.path.join(out_dir, f"steps-{name}.log"), "w") as f:
            f.write("\n".join(log_lines) + "\n")
        write_trace(name, 8, device, os.path.join(out_dir, f"trace-{name}.json"))
    return results, reference


def write_trace(name, batch, device, path):
    """Two profiled training steps: a small, real PyTorch profiler trace of this model."""
    _, _, step = make_step(name, batch, device)
    step()
    acts = [torch.profiler.ProfilerActivity.CPU]
    if device == "cuda":
        acts.append(torch.profiler.ProfilerActivity.CUDA)
    with torch.profiler.profile(activities=acts, record_shapes=True) as prof:
        for _ in range(2):
            step()
        _sync(device)
    prof.export_chrome_trace(path)


# ---------------------------------------------------------------- gloo collectives
def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _init_pg(rank, world, port):
    import torch.distributed as dist
    os.environ["MASTER_ADDR"] = "127.0.0.1"
    os.environ["MASTER_PORT"] = str(port)
    dist.init_process_group("gloo", rank=rank, world_size=world)
    return dist


def _allreduce_worker(rank, world, port, sizes, repeats, queue):
    """All-reduce, then broadcast from rank 0 (what DDP does with the module's buffers before every forward),
    at every size; rows of both have the same keys, told apart by "op"."""
    torch.set_num_threads(1)
    dist = _init_pg(rank, world, port)
    rows = []
    ops = (("all_reduce", dist.all_reduce), ("broadcast", lambda t: dist.broadcast(t, src=0)))
    for (op, collective), nbytes in ((o, n) for o in ops for n in sizes):
        t = torch.ones(nbytes // 4)
        for _ in range(5):
            collective(t)
        samples, cpu = [], []
        # small messages cost little and are the noisiest (one scheduler tick is several
        # messages long), so they get more samples
        for _ in range(repeats if nbytes > (1 << 20) else max(repeats, 15)):
            dist.barrier()
            t0, c0 = time.perf_counter(), time.process_time()
            collective(t)
            samples.append(time.perf_counter() - t0)
            # CPU time of the whole process (the calling thread and gloo's worker threads, user
            # and kernel: on loopback the "wire" is memcpy through the kernel's TCP stack): the
            # CPU work one rank spends on the all-reduce, independent of how many cores it got
            cpu.append(time.process_time() - c0)
        # the slowest rank defines the collective's completion; the CPU work is each rank's own
        # (its median over repeats; the larger of the ranks' medians)
        worst = torch.tensor(samples + [statistics.median(cpu)], dtype=torch.float64)
        dist.all_reduce(worst, op=dist.ReduceOp.MAX)
        worst = worst.tolist()
        rows.append({"backend": "gloo", "op": op, "world": world, "bytes": nbytes,
                     "median_s": statistics.median(worst[:len(samples)]),
                     "cpu_median_s": worst[-1], "repeats": len(samples)})
    if rank == 0:
        queue.put(rows)
    dist.destroy_process_group()


def run_allreduce(grid, repeats):
    top = 26 if grid == "full" else 24
    sizes = [2 ** k for k in range(12, top + 1, 2)]   # 4 KiB .. 64 MiB (16 MiB for short)
    return _run_two_ranks(_allreduce_worker, (sizes, repeats), timeout=300)


def _run_two_ranks(worker, args, timeout):
    """Runs worker(rank, 2, port, *args, queue) in two spawned processes; returns what rank 0 put."""
    import torch.multiprocessing as mp
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    port = free_port()
    procs = [ctx.Process(target=worker, args=(r, 2, port, *args, q)) for r in range(2)]
    for p in procs:
        p.start()
    rows = q.get(timeout=timeout)
    for p in procs:
        p.join()
    return rows


# ---------------------------------------------------------------- gloo in DDP's pattern
# DDP does not call all_reduce the way the isolated benchmark above does (both ranks enter one
# blocking call together after a barrier). Its reducer launches each bucket's all-reduce
# asynchronously as soon as backward has produced the bucket's gradients, keeps computing the next
# bucket's gradients while gloo's worker thread reduces, and waits for every handle at the end of
# backward. This benchmark reproduces that pattern with synthetic work of known size (a square
# matmul per bucket), so the CPU gloo costs in it is measured without any of the validated models.
DDP_PATTERN_MATMUL = 256   # compute per bucket: one 256 x 256 x 256 matmul (33.6 MFLOP)


def _ddp_pattern_worker(rank, world, port, configs, steps, queue):
    torch.set_num_threads(1)
    dist = _init_pg(rank, world, port)
    a = torch.randn(DDP_PATTERN_MATMUL, DDP_PATTERN_MATMUL)
    rows = []
    for nbytes, nbuckets in configs:
        grads = [torch.ones(nbytes // 4) for _ in range(nbuckets)]
        _COLLECTIVE_TENSORS.extend(grads)

        def step(communicate):
            handles = []
            for g in grads:
                torch.mm(a, a)      # backward producing this bucket's gradients
                if communicate:
                    handles.append(dist.all_reduce(g, async_op=True))
            for h in handles:       # the reducer waits for every bucket at the end of backward
                h.wait()

        for _ in range(3):
            dist.barrier()
            step(True)
        # Steps with and without the all-reduces alternate, so that a change in the machine's load
        # falls on both alike; their CPU difference is what the communication costs the rank.
        meters = {"wall": [], "cpu": [], "main_cpu": [], "compute_wall": [], "compute_cpu": []}
        for _ in range(steps):
            for communicate in (True, False):
                dist.barrier()
                t0, c0, m0 = time.perf_counter(), time.process_time(), time.thread_time()
                step(communicate)
                t1, c1, m1 = time.perf_counter(), time.process_time(), time.thread_time()
                if communicate:
                    meters["wall"].append(t1 - t0)
                    meters["cpu"].append(c1 - c0)        # every thread of the process, user + kernel
                    meters["main_cpu"].append(m1 - m0)   # the compute thread alone
                else:
                    meters["compute_wall"].append(t1 - t0)
                    meters["compute_cpu"].append(c1 - c0)
        medians = torch.tensor([statistics.median(meters[k]) for k in
                                ("wall", "cpu", "main_cpu", "compute_wall", "compute_cpu")], dtype=torch.float64)
        walls = medians[[0, 3]].clone()
        dist.all_reduce(medians)                                  # CPU: mean over ranks
        dist.all_reduce(walls, op=dist.ReduceOp.MAX)              # wall: the slowest rank
        m = (medians / world).tolist()
        rows.append({"backend": "gloo", "world": world, "bucket_bytes": nbytes, "buckets": nbuckets,
                     "compute_flops": 2 * DDP_PATTERN_MATMUL ** 3, "steps": steps,
                     "wall_median_s": walls[0].item(), "cpu_median_s": m[1], "main_cpu_median_s": m[2],
                     "compute_wall_median_s": walls[1].item(), "compute_cpu_median_s": m[4]})
    if rank == 0:
        queue.put(rows)
    dist.barrier()
    dist.destroy_process_group()


def run_ddp_pattern(grid, steps=15):
    sizes = [1 << 16, 1 << 18, 1 << 20, 1 << 22, 25 << 20]   # 64 KiB .. 25 MiB (DDP's default bucket cap)
    if grid != "full":
        sizes = [1 << 16, 1 << 20, 1 << 22, 25 << 20]
    configs = [(s, n) for s in sizes for n in (1, 4)]
    return _run_two_ranks(_ddp_pattern_worker, (configs, steps), timeout=600)


# ---------------------------------------------------------------- DDP's step cost on synthetic models
# What a real DistributedDataParallel step costs a rank beyond the same step without DDP, measured on
# synthetic models (stacks of bias-free square Linear layers: known tensor count and bytes), never on
# the models `sim validate ddp` checks. The DDP-pattern benchmark above reproduces the reducer's
# calls with bare tensors; the real reducer also runs an autograd hook per parameter, copies every
# gradient into its bucket and back, divides by the world size and launches the work from its own
# hooks. The process CPU difference per step between the DDP-wrapped and the plain model is DDP's whole
# cost to a rank (compute thread plus gloo's threads). Configurations vary the bytes per bucket and the
# buckets per step independently (bucket_cap_mb); the bucket count is read from DDP itself after its
# buckets were rebuilt.
DDP_STEP_BATCH = 4


def ddp_step_configs(grid):
    """(layers, width, bucket_cap_mb[, kind, batch]): 64 KiB .. 16 MiB of gradients in 1 .. 16 tensors, 1 .. 4 buckets
    (Linear stacks), then stacks of 3x3 convolutions (width: channels), for the co-run factor of convolutions."""
    configs = [(1, 128, 25), (4, 128, 25), (1, 512, 25), (16, 128, 25), (4, 512, 25), (4, 512, 1), (16, 256, 1)]
    if grid == "full":
        configs += [(4, 1024, 25), (4, 1024, 4)]
    return configs + DDP_STEP_TENSOR_CONFIGS + DDP_STEP_CONV_CONFIGS


# v6: Linear stacks with biases, many small parameter tensors at few bytes (16 to 128 tensors in 68 KiB to 2.1 MiB), so
# that the tensor count varies independently of the bytes and buckets: DDP's reducer hooks every parameter and copies
# each gradient into its bucket and back one tensor at a time, a cost per tensor that models with many small tensors
# (BatchNorm weights and biases) pay and the bias-free stacks above, one tensor per layer, barely show.
DDP_STEP_TENSOR_CONFIGS = [(8, 64, 25, "linear", DDP_STEP_BATCH, True), (32, 32, 25, "linear", DDP_STEP_BATCH, True),
                           (64, 16, 25, "linear", DDP_STEP_BATCH, True), (32, 128, 25, "linear", DDP_STEP_BATCH, True)]


# v9 (profile v9): configurations measured in a world of one only, so that each of the four terms a single process pays
# (per step, per bucket, per byte, per parameter tensor; DdpStepCostFitter.FitWithStep) varies alone against the rows above:
# the smallest model (1 KiB in one tensor and bucket: mostly the per-step cost), 1 MiB in 4 and in 64 tensors (beside 1 x 512
# and 16 x 128: tensors at fixed bytes and one bucket), 16 x 256 (4 MiB, 16 tensors) in 2, 7 and 13 buckets (beside DDP's 4 at
# a 1 MB cap: buckets at fixed tensors and bytes), and 4 x 256 (beside 4 x 128 and 4 x 512: bytes at fixed tensors). Op counts
# of torch.autograd.profiler (docs/calibration.md, 2026-12-08) show no DDP work per autograd node, so no row varies those.
DDP_ALONE_CONFIGS = [(1, 16, 25), (4, 256, 25), (64, 64, 25), (16, 256, 25), (16, 256, 0.5), (16, 256, 0.25)]


# Convolution stacks for the co-run factor of convolutions: a second busy process slows convolutions more than
# the Linear stacks above (larger working sets on the shared caches and memory). Shapes like the validated CNN's
# (16 and 32 channels on 16x16 maps), at its two validated batch sizes.
DDP_STEP_CONV_CONFIGS = [(3, 16, 25, "conv", 8), (3, 32, 25, "conv", 8), (3, 16, 25, "conv", 32), (3, 32, 25, "conv", 32)]
DDP_STEP_CONV_SIZE = 16


def _ddp_step_model(config):
    """The synthetic model, its input and row fields of one DDP step configuration."""
    layers, width, cap = config[:3]
    kind, batch = (config[3], config[4]) if len(config) > 3 else ("linear", DDP_STEP_BATCH)
    if kind == "conv":
        make = lambda: nn.Sequential(*[nn.Conv2d(width, width, 3, padding=1, bias=False) for _ in range(layers)])  # noqa: E731
        return make, torch.randn(batch, width, DDP_STEP_CONV_SIZE, DDP_STEP_CONV_SIZE), kind, batch, 4 * layers * width * width * 9
    if kind == "convbn":   # v8: `layers` blocks of bias-free 3x3 convolution, BatchNorm2d and ReLU (3 parameter, 3 buffer tensors)
        make = lambda: nn.Sequential(*[m for _ in range(layers)  # noqa: E731
                                       for m in (nn.Conv2d(width, width, 3, padding=1, bias=False), nn.BatchNorm2d(width), nn.ReLU())])
        size = DDP_BN_SIZE
        return make, torch.randn(batch, width, size, size), kind, batch, 4 * layers * (width * width * 9 + 2 * width)
    bias = len(config) > 5 and config[5]
    make = lambda: nn.Sequential(*[nn.Linear(width, width, bias=bias) for _ in range(layers)])  # noqa: E731
    return make, torch.randn(batch, width), kind, batch, 4 * layers * (width * width + (width if bias else 0))


def _bucket_sizes(ddp_model):
    """The bytes of each bucket DDP reduces per step, from DDP's own log of the buckets it rebuilt after
    the first iteration (in gradient-ready order; the first one capped at 1 MiB)."""
    data = ddp_model._get_ddp_logging_data()
    sizes = str(data.get("rebuilt_bucket_sizes") or data.get("bucket_sizes", ""))
    return [int(x) for x in sizes.replace(",", " ").split() if x.isdigit()]


# v7: every row is measured as a training process runs: free-running loops of consecutive steps after warm-up, the
# DDP-wrapped and the plain models each in processes of their own (a pair of fresh processes for two ranks, one for a
# world of one), one barrier before each configuration's measured loop and none inside it. Until v6 the two-rank rows ran
# plain and DDP steps alternately in the same two processes with a barrier before every step: measured 2026-12-07 on the
# validated MLP (two ranks, load 3-5) DDP cost 1.23 ms CPU per rank and step with that barrier against 1.79 ms in free-
# running loops (the gloo threads of one step's last buckets overlap the next step's forward, and two models share the
# caches); the validated runs (`sim validate ddp`) are free-running loops. v6 already measured a world of one this way (the
# barrier-free, one-model-per-process loop lowered what DDP costs one process by 12-72%). Plain, DDP and the solo plain step
# (one process alone, which the co-run factor compares the two-rank plain step with) alternate DDP_STEP_REPEATS times so
# that a change of load falls on all of them; each figure is the median over the repeats of the per-step medians.
DDP_STEP_REPEATS = 2


def _ddp_free_worker(rank, world, port, configs, steps, wrap, queue):
    """Free-running loops of every configuration in this process; wrap: False (plain model), True (DDP) or "nobuf" (v8: DDP
    with broadcast_buffers=False, which skips the buffer broadcast before every forward)."""
    torch.set_num_threads(1)
    dist = _init_pg(rank, world, port)
    from torch.nn.parallel import DistributedDataParallel as DDP
    rows = []
    for config in configs:
        torch.manual_seed(0)
        make, x, kind, batch, grad_bytes = _ddp_step_model(config)
        model = DDP(make(), bucket_cap_mb=config[2], broadcast_buffers=wrap is True) if wrap else make()
        opt = torch.optim.SGD(model.parameters(), lr=1e-6)

        def step():
            opt.zero_grad(set_to_none=True)
            model(x).sum().backward()
            opt.step()
        for _ in range(4):   # DDP rebuilds its buckets after the first iteration
            step()
        dist.barrier()       # the ranks start the measured loop together; no barrier inside it
        cpu, main, wall = time_consecutive_steps(step, steps)
        med = torch.tensor([statistics.median(cpu), statistics.median(main), statistics.fmean(cpu)], dtype=torch.float64)
        slowest = torch.tensor([statistics.median(wall)], dtype=torch.float64)
        _COLLECTIVE_TENSORS.extend([med, slowest])
        dist.all_reduce(med)                                   # CPU: mean over ranks
        dist.all_reduce(slowest, op=dist.ReduceOp.MAX)         # wall: the slowest rank
        rows.append({"cpu": med[0].item() / world, "main": med[1].item() / world, "cpu_mean": med[2].item() / world, "wall": slowest.item(),
                     "bucket_sizes": _bucket_sizes(model) if wrap else None, "kind": kind, "batch": batch,
                     "bytes": grad_bytes, "tensors": sum(1 for _ in model.parameters()),
                     "buffer_tensors": sum(1 for _ in model.buffers()), "buffer_bytes": buffer_bytes(model)})
        del model, opt
    if rank == 0:
        queue.put(rows)
    dist.barrier()
    dist.destroy_process_group()


def run_ddp_steps(grid, steps=31):
    """Two ranks, then (v5) the Linear configurations with a world of one: DDP with one process still hooks every
    gradient, copies it into its bucket and back and runs a one-rank all-reduce, which is what the validated
    one-process runs pay. The convolution stacks only measure a co-run factor, which a world of one does not have,
    but their solo plain step is measured in one process too."""
    configs = ddp_step_configs(grid)
    # v9: the world of one also measures DDP_ALONE_CONFIGS (its four terms, one factor at a time)
    linear = [c for c in configs if c not in DDP_STEP_CONV_CONFIGS] + DDP_ALONE_CONFIGS
    solo = configs + DDP_ALONE_CONFIGS
    runs = {key: [] for key in ((2, False), (2, True), (1, False), (1, True))}
    for _ in range(DDP_STEP_REPEATS):
        for wrap in (False, True):
            runs[(2, wrap)].append(dict(zip(configs, _run_two_ranks(_ddp_free_worker, (configs, steps, wrap), timeout=600))))
        runs[(1, False)].append(dict(zip(solo, _run_one_rank(_ddp_free_worker, (solo, steps, False), timeout=600))))
        runs[(1, True)].append(dict(zip(linear, _run_one_rank(_ddp_free_worker, (linear, steps, True), timeout=600))))

    def row(config, world):
        layers, width, cap = config[:3]
        med = lambda key, k: statistics.median(run[config][k] for run in runs[key])  # noqa: E731
        ddp = runs[(world, True)][0][config]
        return {"backend": "gloo", "world": world, "kind": ddp["kind"], "batch": ddp["batch"], "layers": layers, "width": width,
                "tensors": ddp["tensors"], "bytes": ddp["bytes"], "bucket_cap_bytes": int(cap * (1 << 20)), "bucket_sizes": ddp["bucket_sizes"],
                "steps": steps, "cpu_median_s": med((world, True), "cpu"), "main_cpu_median_s": med((world, True), "main"),
                "plain_cpu_median_s": med((world, False), "cpu"), "plain_main_cpu_median_s": med((world, False), "main"),
                "solo_main_cpu_median_s": med((1, False), "main"), "wall_median_s": med((world, True), "wall"),
                "plain_wall_median_s": med((world, False), "wall"), "solo_wall_median_s": med((1, False), "wall"),
                # v8: the loops' mean process CPU per step, DDP and plain (median over repeats): what a rank's CPU budget pays
                "cpu_mean_s": med((world, True), "cpu_mean"), "plain_cpu_mean_s": med((world, False), "cpu_mean")}
    return [row(c, 2) for c in configs] + [row(c, 1) for c in linear]


# v8: what DDP's buffer broadcast and its per-tensor work cost two free-running ranks of a model with BatchNorm. Measured
# 2026-12-07 (tools/ddp_free_probe.py, load 2-7) on the validated CNN, b8, two ranks: DDP cost its rank 1.0-1.9 ms CPU per step
# over the plain model, of which broadcast_buffers=False removed 0.74-1.69 ms, while the isolated gloo broadcast of its
# 1.2 KB of buffers (the collectives rows, after a barrier) costs 0.05 ms and a single process's buffer sync 0.07 ms: the
# broadcast before each forward costs far more inside a free-running loop than alone. So it is measured there, on synthetic
# stacks of conv + BatchNorm2d + ReLU blocks (never on a validated model): each configuration free-running (as
# _ddp_free_worker) as the plain model, as DDP, and as DDP with broadcast_buffers=False, each in its own pair of fresh
# processes, alternating DDP_STEP_REPEATS times. DDP minus its no-broadcast twin is the broadcast's cost (block counts vary
# the buffer tensors: 3 per BatchNorm2d); the twin minus the plain model is DDP's per-bucket and per-tensor cost with conv
# and BatchNorm parameters (3 tensors per block). Batch sizes vary the compute between two broadcasts. Each variant also
# records its mean process CPU per step (median over repeats of the loops' means): the broadcast's cost is heavy-tailed
# (measured 2026-12-07 18:43, load 12, _sync_buffers() timed inside the loop: per call median 0.14-0.26 ms of process CPU,
# mean 0.23-0.99 ms, on the validated CNN and on a 4-block stack alike), so a difference of per-step medians misses most of
# what it costs over a run, which is what a rank's CPU budget pays (and what `sim validate ddp`'s step_cpu_ms, a mean, shows).
DDP_BN_CONFIGS = [(1, 16, 25, "convbn", 4), (4, 16, 25, "convbn", 4), (16, 16, 25, "convbn", 4), (4, 16, 25, "convbn", 16),
                  (4, 32, 25, "convbn", 4)]
DDP_BN_SIZE = 8   # 8 x 8 maps: little compute per block, so DDP's share of the step is large


DDP_BN_REPEATS = 3


def run_ddp_buffer_broadcast(steps=101):
    """The v8 rows (see DDP_BN_CONFIGS): per configuration the median over repeats of the per-step medians, CPU per rank
    (process and compute thread) and the slowest rank's wall, for the plain model, DDP and DDP without the broadcast. The
    differences sought (a few hundred microseconds in steps of one or two milliseconds) are small against a loaded machine's
    bursts, so each loop runs 101 steps (about 0.1-0.3 s, many scheduler ticks) and the variants alternate three times."""
    configs = DDP_BN_CONFIGS
    variants = (False, True, "nobuf")
    runs = {v: [] for v in variants}
    for _ in range(DDP_BN_REPEATS):
        for v in variants:
            runs[v].append(dict(zip(configs, _run_two_ranks(_ddp_free_worker, (configs, steps, v), timeout=600))))

    def row(config):
        layers, width = config[:2]
        med = lambda v, k: statistics.median(run[config][k] for run in runs[v])  # noqa: E731
        ddp = runs[True][0][config]
        out = {"backend": "gloo", "world": 2, "kind": ddp["kind"], "batch": ddp["batch"], "blocks": layers, "width": width,
               "map_size": DDP_BN_SIZE, "tensors": ddp["tensors"], "bytes": ddp["bytes"], "buffer_tensors": ddp["buffer_tensors"],
               "buffer_bytes": ddp["buffer_bytes"], "bucket_cap_bytes": config[2] << 20, "bucket_sizes": ddp["bucket_sizes"],
               "steps": steps}
        for prefix, v in (("", True), ("nobuf_", "nobuf"), ("plain_", False)):
            out[prefix + "cpu_median_s"] = med(v, "cpu")
            out[prefix + "cpu_mean_s"] = med(v, "cpu_mean")
            out[prefix + "main_cpu_median_s"] = med(v, "main")
            out[prefix + "wall_median_s"] = med(v, "wall")
        return out
    return [row(c) for c in configs]


# v6: DDP's buffer sync in a single process. torch 1.13's DistributedDataParallel.forward calls _sync_buffers() before every
# forward whenever the module has buffers and broadcast_buffers is set (the default), with no check of the world size
# (torch/nn/parallel/distributed.py: _check_sync_bufs_pre_fwd -> _sync_buffers -> dist._broadcast_coalesced, which flattens
# the buffers, broadcasts the flat tensor and copies it back into each one). So a one-process DDP run of a model with
# BatchNorm pays it at every step. Measured on synthetic stacks of BatchNorm1d layers (three buffer tensors each: running
# mean and variance, the batch counter), never on a validated model: CPU per call of _sync_buffers() itself.
DDP_BUFFER_SYNC_CONFIGS = [(1, 16), (4, 16), (16, 16), (64, 16), (4, 4096)]   # (BatchNorm1d layers, features)


def _ddp_buffer_sync_worker(rank, world, port, configs, calls, queue):
    torch.set_num_threads(1)
    dist = _init_pg(rank, world, port)
    from torch.nn.parallel import DistributedDataParallel as DDP
    rows = []
    for layers, width in configs:
        module = nn.Sequential(*[nn.BatchNorm1d(width) for _ in range(layers)])
        wrapped = DDP(module)
        for _ in range(5):
            wrapped._sync_buffers()
        samples = []
        for _ in range(calls):
            c0 = time.process_time()
            wrapped._sync_buffers()
            samples.append(time.process_time() - c0)
        rows.append({"backend": "gloo", "world": world, "layers": layers, "width": width,
                     "tensors": sum(1 for _ in module.buffers()), "bytes": buffer_bytes(module), "calls": calls,
                     "cpu_median_s": statistics.median(samples)})
    if rank == 0:
        queue.put(rows)
    dist.barrier()
    dist.destroy_process_group()


def run_ddp_buffer_sync(calls=101):
    return _run_one_rank(_ddp_buffer_sync_worker, (DDP_BUFFER_SYNC_CONFIGS, calls), timeout=300)


def _run_one_rank(worker, args, timeout):
    """Runs worker(0, 1, port, *args, queue) in one spawned process; returns what it put."""
    import torch.multiprocessing as mp
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=worker, args=(0, 1, free_port(), *args, q))
    p.start()
    rows = q.get(timeout=timeout)
    p.join()
    return rows


# ---------------------------------------------------------------- DDP measured runs
# Tensors created in Python that went through a gloo collective. gloo's worker thread may hold the
# last reference to such a tensor; freeing it there needs the GIL, which the main thread holds while
# tearing the process group down and joining that very thread: a deadlock, seen here about one run in
# ten. Kept alive until the interpreter exits, they are never freed on the worker thread.
_COLLECTIVE_TENSORS = []


def _sync_continue(dist, flag, go):
    """One all-reduce that is both the iteration's barrier and rank 0's decision to go on (the
    other ranks contribute 0): every rank runs the same number of iterations."""
    flag.fill_(1 if go else 0)
    dist.all_reduce(flag, op=dist.ReduceOp.MAX)
    return bool(flag.item())


def _ddp_rank(rank, world, port, model_name, batch):
    """One rank of a real gloo DDP job on a single thread: its process group, a `step` closure (zero_grad, forward,
    loss, backward, SGD step) and the shared tensors of the timed windows (the continue flag, the summed step CPU
    time, the job's process ids for the CPU meters)."""
    torch.set_num_threads(1)
    dist = _init_pg(rank, world, port)
    from torch.nn.parallel import DistributedDataParallel as DDP
    ctor, make_x, make_y = MODELS[model_name]
    torch.manual_seed(0)
    model = DDP(ctor())
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    x, y = make_x(batch, "cpu"), make_y(batch, "cpu")
    pids, flag = [torch.zeros(1, dtype=torch.int64) for _ in range(world + 1)], torch.zeros(1, dtype=torch.int64)
    step_cpu = torch.zeros(1, dtype=torch.float64)
    _COLLECTIVE_TENSORS.extend(pids + [flag, step_cpu])
    pids[world].fill_(os.getpid())
    dist.all_gather(pids[:world], pids[world])
    job_pids = {int(p.item()) for p in pids[:world]}

    def step():
        opt.zero_grad(set_to_none=True)
        out = model(x)
        F.cross_entropy(out.reshape(-1, out.shape[-1]), y.reshape(-1)).backward()
        opt.step()

    return dist, step, flag, step_cpu, job_pids


def _timed_window(dist, rank, step, flag, step_cpu, iters, min_window):
    """The measured window: at least `iters` iterations and at least `min_window` seconds, so that the CPU meters
    (10 ms clock ticks) resolve what every scheduling group used during it. Returns the step times and, on rank 0,
    the meters' snapshot at its start; `step_cpu` holds the ranks' summed CPU seconds of their own steps after it."""
    before = cpu_usage.snapshot() if rank == 0 else None
    seconds, cpu = [], 0.0
    while _sync_continue(dist, flag, rank == 0 and (len(seconds) < iters or time.perf_counter() - before[0] < min_window)):
        t0, c0 = time.perf_counter(), time.process_time()
        step()
        seconds.append(time.perf_counter() - t0)
        # the whole process (compute thread and gloo's threads) during this rank's own step
        cpu += time.process_time() - c0
    step_cpu.fill_(cpu)
    dist.all_reduce(step_cpu)
    return seconds, before


def _ddp_worker(rank, world, port, model_name, batch, iters, warmup, min_window, queue):
    dist, step, flag, step_cpu, job_pids = _ddp_rank(rank, world, port, model_name, batch)
    for _ in range(warmup):
        dist.barrier()
        step()
    seconds, before = _timed_window(dist, rank, step, flag, step_cpu, iters, min_window)
    # The last sync above came after every rank's last step: read the meters now, then hold the
    # other ranks until rank 0 is done (a rank that tears its process group down while a peer is
    # still busy can hang gloo).
    if rank == 0:
        usage = cpu_usage.window_usage(before, cpu_usage.snapshot(), job_pids, cpu_usage.own_group(),
                                       os.sysconf("SC_CLK_TCK"), os.cpu_count() or 1)
        usage["step_cpu"] = step_cpu.item() / len(seconds)
    dist.barrier()
    if rank == 0:
        queue.put((seconds, usage))
    dist.destroy_process_group()


def cmd_ddp(a):
    import torch.multiprocessing as mp
    if a.model not in MODELS:
        raise SystemExit(f"unknown model '{a.model}', expected one of {sorted(MODELS)}")
    ctx = mp.get_context("spawn")
    q = ctx.SimpleQueue()
    mp.start_processes(_ddp_worker, args=(a.procs, free_port(), a.model, a.batch, a.iters, a.warmup, a.min_window, q),
                       nprocs=a.procs, start_method="spawn")
    seconds, usage = q.get()
    # What the run shared the cores with, measured while it ran (see cpu_usage.py).
    shared = (f"background={'+'.join(f'{c:.3f}' for c in usage['background']) or '0'} "
              f"job_cores={usage['job']:.3f} session_cores={usage['session']:.3f} window_s={usage['seconds']:.4f} "
              f"step_cpu_s={usage['step_cpu']:.6g}")
    print(STEPLOG_HEADER)
    print("\n".join(f"iter={i} seconds={dt:.9g} model={a.model} batch={a.batch} rank=0 world={a.procs} {shared}"
                    for i, dt in enumerate(seconds)), flush=True)


def _ddp_window_worker(rank, world, port, model_name, batch, iters, warmup, window_s, config, go, results):
    """One rank of one configuration of `ddp-rounds`, in a fresh process of its own (as `ddp` runs it): builds the
    model, warms up, then sleeps on its `go` queue; each message is a window to measure (None: stop). A window is
    `warmup` untimed steps (the caches went cold while other configurations ran) and then at least `iters` steps
    and `window_s` seconds, timed as in _ddp_worker; rank 0 reports the steps and the window's CPU meter ticks."""
    dist, step, flag, step_cpu, job_pids = _ddp_rank(rank, world, port, model_name, batch)
    for _ in range(3):
        dist.barrier()
        step()
    if rank == 0:
        results.put(("ready", config))
    while (window := go.get()) is not None:
        for _ in range(warmup):
            dist.barrier()
            step()
        seconds, before = _timed_window(dist, rank, step, flag, step_cpu, iters, window_s)
        if rank == 0:
            ticks = cpu_usage.window_ticks(before, cpu_usage.snapshot(), job_pids, cpu_usage.own_group())
        dist.barrier()
        if rank == 0:
            results.put(("window", config, window, seconds, step_cpu.item(), ticks))
    dist.barrier()
    dist.destroy_process_group()


def parse_configs(text):
    """"mlp:8:1,cnn:32:2" -> [("mlp", 8, 1), ("cnn", 32, 2)] (model:batch:processes)."""
    configs = []
    for item in text.split(","):
        parts = item.split(":")
        if len(parts) != 3 or parts[0] not in MODELS or not parts[1].isdigit() or not parts[2].isdigit() \
                or int(parts[1]) < 1 or int(parts[2]) < 1:
            raise SystemExit(f"--configs: expected model:batch:processes with a model of {sorted(MODELS)}, got '{item}'")
        configs.append((parts[0], int(parts[1]), int(parts[2])))
    return configs


def cmd_ddp_rounds(a):
    """Real DDP runs of several configurations measured in short windows taken round-robin: every configuration's ranks
    are fresh processes of their own, started together and then idle (blocked on a queue) but for their windows, one
    configuration at a time, `rounds` windows each, the order reversed every other round. A burst of other load or a
    change of clock then lands on one window of several configurations instead of the whole of one configuration, the
    median over windows discards it, and the windows' spread shows how noisy the machine was."""
    import torch.multiprocessing as mp
    configs = parse_configs(a.configs)
    if a.rounds < 1 or a.iters < 1 or a.warmup < 0 or not (0 <= a.window < 3600):
        raise SystemExit("--rounds and --iters: at least 1; --warmup: 0 or more; --window: 0 to 3600 s")
    ctx = mp.get_context("spawn")
    results = ctx.Queue()
    sockets = [socket.socket(socket.AF_INET, socket.SOCK_STREAM) for _ in configs]
    for s in sockets:   # held open together so that every configuration gets a port of its own
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    go, procs = [], []
    for c, (model, batch, world) in enumerate(configs):
        queues = [ctx.Queue() for _ in range(world)]
        go.append(queues)
        for rank in range(world):
            p = ctx.Process(target=_ddp_window_worker, args=(rank, world, ports[c], model, batch, a.iters, a.warmup,
                                                               a.window, c, queues[rank], results))
            p.start()
            procs.append(p)
    if a.reference:
        # the machine's speed now, in the same time slices as the DDP runs (v10; see make_speed_reference)
        q = ctx.Queue()
        go.append([q])
        p = ctx.Process(target=_speed_reference_worker, args=(len(configs), a.window, q, results))
        p.start()
        procs.append(p)
    for _ in go:
        kind, _c = _next_result(results, procs)
        assert kind == "ready"
    windows = {c: [] for c in range(len(configs))}
    reference = []
    for r in range(a.rounds):
        for c in (range(len(go)) if r % 2 == 0 else reversed(range(len(go)))):
            for q in go[c]:
                q.put(r)
            message = _next_result(results, procs)
            if message[0] == "reference":
                reference.append((message[2], message[3]))
                continue
            _kind, cfg, window, seconds, step_cpu, ticks = message
            windows[cfg].append((window, seconds, step_cpu, ticks))
    for queues in go:
        for q in queues:
            q.put(None)
    for p in procs:
        p.join(timeout=120)
    tps, cores = os.sysconf("SC_CLK_TCK"), os.cpu_count() or 1
    print(STEPLOG_HEADER_WINDOWS)
    for c, (model, batch, world) in enumerate(configs):
        ticks, steps, cpu = None, 0, 0.0
        for _w, seconds, step_cpu, t in windows[c]:
            ticks = t if ticks is None else cpu_usage.add_ticks(ticks, t)
            steps += len(seconds)
            cpu += step_cpu
        usage = cpu_usage.usage_of(ticks, tps, cores)
        # What the configuration shared the cores with over all its windows together (see cpu_usage.py).
        shared = (f"background={'+'.join(f'{x:.3f}' for x in usage['background']) or '0'} "
                  f"job_cores={usage['job']:.3f} session_cores={usage['session']:.3f} window_s={usage['seconds']:.4f} "
                  f"step_cpu_s={cpu / steps:.6g}")
        i = 0
        for w, seconds, _cpu, _t in windows[c]:
            for dt in seconds:
                print(f"iter={i} window={w} seconds={dt:.9g} model={model} batch={batch} rank=0 world={world} {shared}")
                i += 1
    # the reference's units: seconds is the unit's wall time and step_cpu_s its process CPU time (the profile's clock), as
    # for the DDP rows; a comment per window gives the medians and the CPU time of each part (by hand: do the parts drift alike?)
    i = 0
    for w, samples in reference:
        print(f"# {SPEED_REFERENCE} window={w} " + " ".join(
            f"{k}={statistics.median(s[j] for s in samples):.6g}" for j, k in
            [(0, "cpu_s"), (1, "wall_s"), (2, "matmul_s"), (3, "elementwise_s"), (4, "dispatch_s")]))
        for s in samples:
            print(f"iter={i} window={w} seconds={s[1]:.9g} model={SPEED_REFERENCE} rank=0 world=1 step_cpu_s={s[0]:.9g}")
            i += 1
    sys.stdout.flush()


def hardware(device, threads):
    cpu = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    hw = {"device": device, "cpu_model": cpu, "cores": os.cpu_count(), "threads": threads,
          "torch_version": torch.__version__, "python_version": platform.python_version(),
          "library": f"pytorch {torch.__version__} (python {platform.python_version()})"}
    if device == "cuda":
        hw["gpu_model"] = torch.cuda.get_device_name(0)
    return hw


def cmd_profile(a):
    if a.device == "cuda" and not torch.cuda.is_available():
        raise SystemExit("device cuda requested but torch.cuda.is_available() is false")
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    os.makedirs(a.out, exist_ok=True)
    choose_clock(a.device)
    created = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    # the speed reference in this process right before and after the kernel grid (v10), on the CPU: the speed the
    # kernels ran at (the model steps' is measured beside them, in their round-robin)
    parts = make_speed_reference() if a.device == "cpu" else None
    before = time_speed_reference(parts, 3 * SPEED_REFERENCE_UNITS) if parts else None
    kernels = run_kernels(a.device, a.repeats)
    after = time_speed_reference(parts, 3 * SPEED_REFERENCE_UNITS) if parts else None
    models, reference_windows = run_models(a.device, a.grid, a.repeats, a.out, a.model_rounds)
    reference = None
    if parts and reference_windows:
        reference = speed_reference_summary(reference_windows)
        reference["kernel_grid_before_s"] = statistics.median(s[0] for s in before)
        reference["kernel_grid_after_s"] = statistics.median(s[0] for s in after)
    collectives = [] if a.no_collectives else run_allreduce(a.grid, a.repeats)
    pattern = [] if a.no_collectives else run_ddp_pattern(a.grid)
    ddp_steps = [] if a.no_collectives else run_ddp_steps(a.grid)
    buffer_sync = [] if a.no_collectives else run_ddp_buffer_sync()
    buffer_broadcast = [] if a.no_collectives else run_ddp_buffer_broadcast()
    doc = {"schema": "sim-measurements", "version": SCHEMA_VERSION, "created": created,
           "hardware": hardware(a.device, torch.get_num_threads()), "grid": a.grid,
           "clock": CLOCK["name"], "allocator": allocator(),
           "ops": kernels, "models": models, "collectives": collectives, "ddp_pattern": pattern,
           "ddp_steps": ddp_steps, "ddp_buffer_sync": buffer_sync, "ddp_buffer_broadcast": buffer_broadcast,
           "speed_reference": reference}
    tmp = os.path.join(a.out, "measurements.json.tmp")
    with open(tmp, "w") as f:
        json.dump(doc, f, indent=1)
    os.replace(tmp, os.path.join(a.out, "measurements.json"))
    print(f"wrote {a.out}/measurements.json: {len(kernels)} ops, {len(models)} model steps, "
          f"{len(collectives)} collective sizes, {len(pattern)} DDP-pattern configurations, "
          f"{len(ddp_steps)} DDP step configurations, {len(buffer_sync)} DDP buffer sync configurations, "
          f"{len(buffer_broadcast)} two-rank DDP buffer broadcast configurations")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="mode", required=True)
    pp = sub.add_parser("profile")
    pp.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    pp.add_argument("--out", required=True)
    pp.add_argument("--threads", type=int, default=1, help="torch.set_num_threads; 0 keeps the default")
    pp.add_argument("--grid", choices=["short", "full"], default="short")
    pp.add_argument("--repeats", type=int, default=11)
    pp.add_argument("--no-collectives", action="store_true")
    pp.add_argument("--model-rounds", type=int, default=MODEL_ROUNDS,
                    help="windows per model step configuration, taken round-robin (1: each configuration's steps in one block)")
    pd = sub.add_parser("ddp")
    pd.add_argument("--model", default="mlp")
    pd.add_argument("--batch", type=int, default=16)
    pd.add_argument("--procs", type=int, default=2)
    pd.add_argument("--iters", type=int, default=10)
    pd.add_argument("--warmup", type=int, default=3)
    pd.add_argument("--min-window", type=float, default=1.0,
                    help="the measured iterations last at least this many seconds (more iterations than --iters if needed)")
    pr = sub.add_parser("ddp-rounds")
    pr.add_argument("--configs", required=True, help="model:batch:processes, comma-separated")
    pr.add_argument("--rounds", type=int, default=5, help="windows per configuration, taken round-robin")
    pr.add_argument("--window", type=float, default=0.3, help="seconds per window, at least")
    pr.add_argument("--iters", type=int, default=4, help="timed steps per window, at least")
    pr.add_argument("--warmup", type=int, default=2, help="untimed steps before each window")
    pr.add_argument("--reference", action="store_true",
                    help="also time the speed reference (its own process) as one more configuration in the round-robin")
    a = p.parse_args()
    {"profile": cmd_profile, "ddp": cmd_ddp, "ddp-rounds": cmd_ddp_rounds}[a.mode](a)


if __name__ == "__main__":
    main()
