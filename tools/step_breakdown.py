#!/usr/bin/env python3
"""Where does a CPU training step's time go? Splits real PyTorch training steps of the profiler's
small models (one compute thread per process) into measured parts, for docs/calibration.md.

  /usr/bin/python3 tools/step_breakdown.py [--models mlp,cnn,transformer] [--batches 8,32] [--steps 60] [--out FILE.json]

For each model and batch it runs three configurations, one after the other:
  plain x1   one process, no process group: the step as the single-process profile sees it;
  plain x2   two processes training the same model independently, meeting at a gloo barrier before
             every step (no gradient exchange): what sharing the machine's two cores costs a step, and
             what the per-step barrier alone costs gloo's threads;
  ddp x2     two processes under DistributedDataParallel over gloo, the same barrier before every step.
Each step is timed per phase (zero_grad + forward + loss, backward, optimizer) with the wall clock and
the compute thread's CPU clock; around the measured loop every thread of the process is read from
/proc/self/task/<tid>/schedstat (nanoseconds on a CPU; precise, unlike the 10 ms ticks of stat) and
/proc/self/task/<tid>/status (voluntary context switches: the thread blocked and was woken again).
DDP x2 minus plain x2 is what DDP costs beyond sharing the cores: on the compute thread (the reducer's
autograd hooks, copying gradients into buckets and back, waiting for the all-reduces) and on gloo's
threads (the all-reduces themselves). Then micro-benchmarks of the framework's fixed costs, one
thread, one process: an operator call on a one-element tensor (dispatch), the same with autograd
(forward node + backward node), SGD over many small tensors (per tensor) and one large one (per
element), and a fresh allocation.

Nothing here is read by the simulator: it is the measurement behind the model's terms.
"""
import argparse
import json
import os
import statistics
import sys
import time

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "Calibration", "profiler"))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
import sim_profile  # noqa: E402  (the profiler's models, port helper and process-group setup)


def threads():
    """{tid: (name, ns on CPU, voluntary switches, involuntary switches)} for every thread of this process."""
    out = {}
    for tid in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{tid}/schedstat") as f:
                ns = int(f.read().split()[0])
            with open(f"/proc/self/task/{tid}/comm") as f:
                name = f.read().strip()
            vol = invol = 0
            with open(f"/proc/self/task/{tid}/status") as f:
                for line in f:
                    if line.startswith("voluntary_ctxt_switches"):
                        vol = int(line.split()[1])
                    elif line.startswith("nonvoluntary_ctxt_switches"):
                        invol = int(line.split()[1])
            out[int(tid)] = (name, ns, vol, invol)
        except OSError:
            pass
    return out


def thread_delta(before, after, steps):
    """Per step: the compute thread (tid == pid) and all other threads, CPU ms and voluntary switches."""
    main, other, main_sw, other_sw, other_inv = 0, 0, 0, 0, 0
    for tid, (name, ns, vol, inv) in after.items():
        b = before.get(tid, (name, 0, 0, 0))
        if tid == os.getpid():
            main += ns - b[1]
            main_sw += vol - b[2]
        else:
            other += ns - b[1]
            other_sw += vol - b[2]
            other_inv += inv - b[3]
    return {"main_thread_cpu_ms": main / 1e6 / steps, "other_threads_cpu_ms": other / 1e6 / steps,
            "main_thread_switches": main_sw / steps, "other_threads_switches": other_sw / steps,
            "other_threads_involuntary": other_inv / steps, "threads": len(after)}


def worker(rank, world, port, model_name, batch, ddp, steps, queue):
    torch.set_num_threads(1)
    dist = sim_profile._init_pg(rank, world, port) if world > 1 else None
    ctor, make_x, make_y = sim_profile.MODELS[model_name]
    torch.manual_seed(0)
    model = ctor()
    if ddp:
        from torch.nn.parallel import DistributedDataParallel as DDP
        model = DDP(model)
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    x, y = make_x(batch, "cpu"), make_y(batch, "cpu")
    phases = {k: [] for k in ("wall", "cpu", "fwd_cpu", "bwd_cpu", "opt_cpu", "fwd_wall", "bwd_wall", "opt_wall", "proc_cpu")}

    def step(record):
        w0, c0, p0 = time.perf_counter(), time.thread_time(), time.process_time()
        opt.zero_grad(set_to_none=True)
        out = model(x)
        loss = F.cross_entropy(out.reshape(-1, out.shape[-1]), y.reshape(-1))
        w1, c1 = time.perf_counter(), time.thread_time()
        loss.backward()
        w2, c2 = time.perf_counter(), time.thread_time()
        opt.step()
        w3, c3, p3 = time.perf_counter(), time.thread_time(), time.process_time()
        if record:
            for k, v in (("wall", w3 - w0), ("cpu", c3 - c0), ("fwd_cpu", c1 - c0), ("bwd_cpu", c2 - c1), ("opt_cpu", c3 - c2),
                         ("fwd_wall", w1 - w0), ("bwd_wall", w2 - w1), ("opt_wall", w3 - w2), ("proc_cpu", p3 - p0)):
                phases[k].append(v)

    for _ in range(5):
        if dist:
            dist.barrier()
        step(False)
    before, w0 = threads(), time.perf_counter()
    for _ in range(steps):
        if dist:
            dist.barrier()
        step(True)
    window = time.perf_counter() - w0
    row = {k: statistics.median(v) * 1e3 for k, v in phases.items()}
    row.update(thread_delta(before, threads(), steps))
    row["window_ms_per_step"] = window * 1e3 / steps
    if dist:
        rows = [None] * world
        dist.all_gather_object(rows, row)
        dist.barrier()
        if rank == 0:
            queue.put(rows)
        # No process-group teardown: gloo's worker thread may hold the last reference to a tensor, and
        # freeing it there needs the GIL that the tearing-down main thread holds (a deadlock seen with
        # DDP here; see _COLLECTIVE_TENSORS in sim_profile.py). SimpleQueue.put has already written.
        os._exit(0)
    else:
        queue.put([row])


def run(model, batch, world, ddp, steps):
    import torch.multiprocessing as mp
    ctx = mp.get_context("spawn")
    q = ctx.SimpleQueue()
    port = sim_profile.free_port()
    procs = [ctx.Process(target=worker, args=(r, world, port, model, batch, ddp, steps, q)) for r in range(world)]
    for p in procs:
        p.start()
    rows = q.get()
    for p in procs:
        p.join()
    # mean over ranks of each rank's medians
    return {k: statistics.mean(r[k] for r in rows) for k in rows[0]}


def per_call(fn, n):
    for _ in range(n // 10):
        fn()
    t0 = time.thread_time()
    for _ in range(n):
        fn()
    return (time.thread_time() - t0) / n


def micro():
    """Fixed framework costs on one thread, median of 7 repeats each, microseconds."""
    torch.set_num_threads(1)
    a, b = torch.ones(1), torch.ones(1)
    ga = torch.ones(1, requires_grad=True)
    res = {}

    def med(fn, n, repeats=7):
        return statistics.median(per_call(fn, n) for _ in range(repeats)) * 1e6

    res["dispatch_us"] = med(lambda: torch.add(a, b), 20000)
    res["empty_alloc_1k_us"] = med(lambda: torch.empty(1024), 20000)
    res["empty_alloc_1m_us"] = med(lambda: torch.empty(1 << 20), 5000)

    def fwd_bwd():
        (ga * 2.0).sum().backward()
    # two forward ops (mul, sum), their two backward nodes, AccumulateGrad: autograd on a one-element tensor
    res["autograd_two_ops_us"] = med(fwd_bwd, 5000)
    res["two_ops_no_grad_us"] = med(lambda: (a * 2.0).sum(), 20000)

    for count, numel in ((64, 1), (256, 1), (4, 1 << 20), (4, 1 << 18)):
        params = [torch.zeros(numel, requires_grad=True) for _ in range(count)]
        for p in params:
            p.grad = torch.ones(numel)
        opt = torch.optim.SGD(params, lr=0.01)
        res[f"sgd_{count}x{numel}_us"] = med(opt.step, 2000 if numel == 1 else 200)
    per_tensor = (res["sgd_256x1_us"] - res["sgd_64x1_us"]) / 192
    per_elem = (res["sgd_4x1048576_us"] - res["sgd_4x262144_us"]) / (4 * ((1 << 20) - (1 << 18)))
    res["sgd_per_tensor_us"] = per_tensor
    res["sgd_per_element_ns"] = per_elem * 1e3
    return res


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--models", default="mlp,cnn,transformer")
    p.add_argument("--batches", default="8,32")
    p.add_argument("--steps", type=int, default=60)
    p.add_argument("--out", default=None)
    a = p.parse_args()
    doc = {"created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "loadavg_before": os.getloadavg()[0],
           "micro": micro(), "steps": []}
    print(json.dumps(doc["micro"], indent=1), flush=True)
    for m in a.models.split(","):
        for b in (int(s) for s in a.batches.split(",")):
            for world, ddp, label in ((1, False, "plain x1"), (2, False, "plain x2"), (2, True, "ddp x2")):
                row = run(m, b, world, ddp, a.steps)
                row.update(model=m, batch=b, config=label, loadavg=os.getloadavg()[0])
                doc["steps"].append(row)
                print(f"{m:11s} {b:3d} {label:8s} wall {row['wall']:7.3f} window/step {row['window_ms_per_step']:7.3f} "
                      f"main cpu {row['main_thread_cpu_ms']:7.3f} (fwd {row['fwd_cpu']:.3f} bwd {row['bwd_cpu']:.3f} opt {row['opt_cpu']:.3f}) "
                      f"other threads {row['other_threads_cpu_ms']:6.3f} sw main {row['main_thread_switches']:5.1f} other {row['other_threads_switches']:5.1f} "
                      f"load {row['loadavg']:.2f}", flush=True)
    doc["loadavg_after"] = os.getloadavg()[0]
    if a.out:
        with open(a.out, "w") as f:
            json.dump(doc, f, indent=1)


if __name__ == "__main__":
    # the profiler's and the validated runs' allocator (fixed glibc malloc thresholds; see sim_profile.ALLOCATOR_TUNABLES)
    sim_profile._pin_allocator(sys.argv)
    main()
