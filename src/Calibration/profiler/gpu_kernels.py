#!/usr/bin/env python3
"""GPU kernel profiler for `sim calibrate gpu-fit`.

Measures, on one device, the kernels Sim's GPU compute model (GemmCost, KernelCompute) costs:
bf16 GEMMs over a shape grid (tile counts just below, at and above SM-count multiples, plus held-out
shapes never used to fit), fused attention (scaled_dot_product_attention) forward and backward,
memory-bound kernels with known bytes moved (add, layer_norm, gelu), an empty-kernel launch loop
(per-kernel overhead), one transformer-block training step, and a soak: one large GEMM timed in a
short burst after the device idled, then again after --soak-seconds of back-to-back runs, when the
board sits at its power limit and the SM clock has settled (the sustained clock fraction). Times come
from CUDA events (median of the repeats after warm-up); one Kineto trace of the block step is written
with torch.profiler. Output: DIR/gpu-measurements.json ("sim-gpu-measurements" v2) and
DIR/trace-block-step.json.

`--device cpu` runs a tiny grid with wall-clock timers so the format is checked end to end on a
machine without a GPU; its figures are CPU figures and the file says so (device.kind = "cpu").
"""
import argparse
import datetime
import json
import os
import statistics
import sys
import time

# The tile shapes the model assumes (dgx presets: 256x128, 128x256, 128x128); 128 is the common edge.
TILE = 128


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--device", choices=["cpu", "cuda"], required=True)
    p.add_argument("--out", required=True, help="output directory")
    p.add_argument("--repeats", type=int, default=0, help="timed repeats per point (default: 20 cuda, 3 cpu)")
    p.add_argument("--soak-seconds", type=float, default=0, help="seconds of back-to-back GEMMs before the sustained timing (default: 60 cuda, 0.5 cpu)")
    return p.parse_args()


def sm_clock_mhz(device):
    """The SM clock NVML reports now (MHz), or None where NVML (nvidia-ml-py) is not available."""
    if device != "cuda":
        return None
    try:
        import pynvml
        pynvml.nvmlInit()
        return float(pynvml.nvmlDeviceGetClockInfo(pynvml.nvmlDeviceGetHandleByIndex(0), pynvml.NVML_CLOCK_SM))
    except Exception:  # NVML is optional: the clocks are recorded for the reader, not used by the fit
        return None


def soak(torch, device, seconds, rand):
    """One large GEMM: its mean time over a short burst after 2 s idle (the boost clock, the regime every
    other point here is measured in), then after `seconds` of back-to-back runs (the power-limited clock)."""
    side = 8192 if device == "cuda" else 256
    a, b = rand(side, side), rand(side, side)

    def sync():
        if device == "cuda":
            torch.cuda.synchronize()

    def mean_seconds(iterations):
        sync()
        if device == "cuda":
            start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            start.record()
            for _ in range(iterations):
                torch.matmul(a, b)
            end.record()
            sync()
            return start.elapsed_time(end) / 1e3 / iterations
        t0 = time.perf_counter()
        for _ in range(iterations):
            torch.matmul(a, b)
        return (time.perf_counter() - t0) / iterations

    mean_seconds(3)  # the library picks its kernel; then idle so the clock recovers
    time.sleep(2.0 if device == "cuda" else 0.1)
    burst = mean_seconds(10)
    burst_clock = sm_clock_mhz(device)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        mean_seconds(20)
    sustained = statistics.median(mean_seconds(20) for _ in range(5))
    return {"m": side, "n": side, "k": side, "soak_seconds": seconds, "burst_seconds": burst, "sustained_seconds": sustained,
            "burst_clock_mhz": burst_clock, "sustained_clock_mhz": sm_clock_mhz(device)}


class Timer:
    """Median seconds of fn() over repeats, CUDA events on a GPU, perf_counter on a CPU."""

    def __init__(self, torch, device, repeats):
        self.torch, self.device, self.repeats = torch, device, repeats

    def median(self, fn, inner=1):
        torch = self.torch
        for _ in range(2):
            fn()
        samples = []
        for _ in range(self.repeats):
            if self.device == "cuda":
                start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
                start.record()
                for _ in range(inner):
                    fn()
                end.record()
                torch.cuda.synchronize()
                samples.append(start.elapsed_time(end) / 1e3 / inner)
            else:
                t0 = time.perf_counter()
                for _ in range(inner):
                    fn()
                samples.append((time.perf_counter() - t0) / inner)
        return statistics.median(samples)


def gemm_grid(device, sms):
    """(m, n, k, held_out): on a GPU, output tile counts one below, at and one above whole waves of SMs."""
    if device == "cpu":
        return [(64, 64, 64, False), (128, 64, 128, False), (96, 96, 64, True)]
    shapes = []
    # Four 128-wide tile columns (n = 512, compute bound on bf16): rows of tiles one below, at and one
    # above a whole number of waves; narrower n would be bound by moving A through memory.
    for k in (4096, 8192):
        for waves in (1, 2, 4):
            rows = max(1, round(waves * sms / 4))
            for delta in (-1, 0, 1):
                shapes.append((TILE * (rows + delta), 4 * TILE, k, False))
        for side in (2048, 4096, 8192):
            shapes.append((side, side, k, False))
    # Held out: training-like shapes (hidden 4096/5120/8192 projections) never used in the fit.
    for m, n, k in ((8192, 12288, 4096), (8192, 4096, 4096), (8192, 13824, 5120), (6144, 24576, 6144), (4096, 28672, 8192)):
        shapes.append((m, n, k, True))
    fitted = {x[:3] for x in shapes if not x[3]}
    assert not any(x[:3] in fitted for x in shapes if x[3]), "a held-out shape is also in the fitting grid"
    return shapes


def unfused_attention(q, k, v, is_causal=False):
    """softmax(q k^T / sqrt(d)) v, for PyTorch 1.x on the CPU format check only (GPU runs need the fused kernel)."""
    import torch
    scores = (q @ k.transpose(-2, -1)) / (q.shape[-1] ** 0.5)
    if is_causal:
        s = q.shape[-2]
        scores = scores.masked_fill(torch.ones(s, s, dtype=torch.bool, device=q.device).triu(1), float("-inf"))
    return torch.softmax(scores, dim=-1) @ v


def main():
    args = parse_args()
    try:
        import torch
        import torch.nn.functional as F
    except ImportError as e:
        print(f"error: PyTorch is not importable: {e}", file=sys.stderr)
        return 3
    device = args.device
    if device == "cuda" and not torch.cuda.is_available():
        print("error: --device cuda but torch.cuda.is_available() is False", file=sys.stderr)
        return 3
    sdpa = getattr(F, "scaled_dot_product_attention", None)
    if sdpa is None:
        if device == "cuda":
            print(f"error: torch {torch.__version__} has no scaled_dot_product_attention; the GPU path needs PyTorch 2.x", file=sys.stderr)
            return 3
        sdpa = unfused_attention  # the CPU format check on PyTorch 1.x: same shapes, unfused
    os.makedirs(args.out, exist_ok=True)
    repeats = args.repeats or (20 if device == "cuda" else 3)
    dtype = torch.bfloat16
    timer = Timer(torch, device, repeats)
    torch.manual_seed(0)
    if device == "cuda":
        props = torch.cuda.get_device_properties(0)
        name, sms, cuda = props.name, props.multi_processor_count, torch.version.cuda or "unknown"
    else:
        name, sms, cuda = "CPU (format check only, not GPU figures)", os.cpu_count() or 1, "none"
        torch.set_num_threads(1)

    def rand(*shape, grad=False):
        return torch.randn(*shape, device=device, dtype=dtype, requires_grad=grad)

    # Empty-kernel launch loop: an element-wise op on a one-element tensor is a launch and nothing else.
    tiny = torch.zeros(1, device=device, dtype=dtype)
    launches = 1000 if device == "cuda" else 100
    overhead = timer.median(lambda: tiny.add_(0), inner=launches)

    gemms = []
    for m, n, k, held_out in gemm_grid(device, sms):
        a, b = rand(m, k), rand(k, n)
        gemms.append({"m": m, "n": n, "k": k, "seconds": timer.median(lambda: torch.matmul(a, b)), "held_out": held_out})
        del a, b

    attention = []
    att_shapes = [(1, 2, 64, 32, True)] if device == "cpu" else [(b, h, s, 128, c) for (b, h, s) in ((4, 32, 2048), (2, 32, 4096), (1, 64, 8192)) for c in (True, False)]
    for batch, heads, seq, dim, causal in att_shapes:
        q, k_, v = (rand(batch, heads, seq, dim, grad=True) for _ in range(3))
        fwd = timer.median(lambda: sdpa(q, k_, v, is_causal=causal))
        out = sdpa(q, k_, v, is_causal=causal)
        grad = torch.randn_like(out)
        bwd = timer.median(lambda: torch.autograd.grad(out, (q, k_, v), grad, retain_graph=True))
        attention.append({"batch": batch, "heads": heads, "seq": seq, "head_dim": dim, "causal": causal, "forward_seconds": fwd, "backward_seconds": bwd})

    memory = []
    elems = 1 << 18 if device == "cpu" else 1 << 28  # CPU: large enough that the op, not the launch, dominates
    x, y = rand(elems), rand(elems)
    memory.append({"op": "add", "bytes": 3 * 2 * elems, "seconds": timer.median(lambda: torch.add(x, y))})  # read 2, write 1
    memory.append({"op": "gelu", "bytes": 2 * 2 * elems, "seconds": timer.median(lambda: F.gelu(x))})  # read 1, write 1
    hidden = 1024 if device == "cpu" else 8192
    rows = elems // hidden
    xr = x.view(rows, hidden)
    ln_w, ln_b = rand(hidden), rand(hidden)
    memory.append({"op": "layer_norm", "bytes": 2 * 2 * elems, "seconds": timer.median(lambda: F.layer_norm(xr, (hidden,), ln_w, ln_b))})
    del x, y, xr

    # One pre-norm GPT block without biases or dropout (fused causal attention, GELU MLP of 4 x hidden),
    # forward + backward; the weight gradients accumulate, which costs what writing them would.
    if device == "cpu":
        b_, s_, h_, heads = 1, 32, 64, 2
    else:
        b_, s_, h_, heads = 4, 2048, 4096, 32
    d_ = h_ // heads
    tokens = b_ * s_
    w_qkv, w_o, w_1, w_2 = rand(h_, 3 * h_, grad=True), rand(h_, h_, grad=True), rand(h_, 4 * h_, grad=True), rand(4 * h_, h_, grad=True)
    inp = rand(tokens, h_, grad=True)

    def block_step():
        n1 = F.layer_norm(inp, (h_,))
        qkv = (n1 @ w_qkv).view(b_, s_, 3, heads, d_).permute(2, 0, 3, 1, 4)
        att = sdpa(qkv[0], qkv[1], qkv[2], is_causal=True)
        r1 = inp + att.transpose(1, 2).reshape(tokens, h_) @ w_o
        r2 = r1 + F.gelu(F.layer_norm(r1, (h_,)) @ w_1) @ w_2
        r2.sum().backward()

    # The shape alone: sim rebuilds the block's kernels (Transformer.BlockKernels) and costs them.
    block = {"batch": b_, "seq": s_, "hidden": h_, "heads": heads, "ffn": 4 * h_, "seconds": timer.median(block_step)}

    # Last, so the grid above was measured before the soak heated the device.
    soaked = soak(torch, device, args.soak_seconds or (60.0 if device == "cuda" else 0.5), rand)

    from torch.profiler import profile, ProfilerActivity
    activities = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if device == "cuda" else [])
    with profile(activities=activities) as prof:
        block_step()
        if device == "cuda":
            torch.cuda.synchronize()
    prof.export_chrome_trace(os.path.join(args.out, "trace-block-step.json"))

    result = {
        "format": "sim-gpu-measurements", "version": 2,
        "device": {"kind": device, "name": name, "sms": sms, "torch": torch.__version__, "cuda": cuda},
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d"),
        "dtype": "bf16",
        "launch_overhead": {"kernels": launches, "seconds_per_kernel": overhead},
        "gemms": gemms, "attention": attention, "memory": memory, "block_step": block, "soak": soaked,
    }
    path = os.path.join(args.out, "gpu-measurements.json")
    with open(path + ".tmp", "w") as f:
        json.dump(result, f, indent=1)
    os.replace(path + ".tmp", path)
    print(f"measurements: {path}")
    if device == "cpu":
        print("note: --device cpu measures CPU kernels: a format check, not GPU figures")
    return 0


if __name__ == "__main__":
    sys.exit(main())
