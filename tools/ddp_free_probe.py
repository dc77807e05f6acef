#!/usr/bin/env python3
"""What DDP costs a validated model's rank in free-running loops, and how much of it is DDP's buffer broadcast: a
diagnostic, never read by the simulator (no constant may come from the validated models; the profile's terms come
from the synthetic rows of sim_profile.py).

  GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=268435456 \\
  PROBE_MODEL=cnn PROBE_BATCH=8 /usr/bin/python3 tools/ddp_free_probe.py

(the tunables are the profiler's pinned allocator, which the validated runs use; this script does not re-execute
itself to set them). For each of three repeats, one after another: two ranks of the plain model, of DDP, of DDP with
broadcast_buffers=False; one process of the plain model and of DDP. Each in fresh processes, 10 warm-up steps, one
barrier, then 150 consecutive steps; prints per rank the median process CPU, compute-thread CPU and wall per step.
"""
import os
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "Calibration", "profiler"))
sys.argv = sys.argv[:1]
import sim_profile as s  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

STEPS = 150


def worker(rank, world, port, name, batch, variant, steps, queue):
    torch.set_num_threads(1)
    dist = s._init_pg(rank, world, port)
    from torch.nn.parallel import DistributedDataParallel as DDP
    ctor, make_x, make_y = s.MODELS[name]
    torch.manual_seed(0)
    model = ctor()
    if variant != "plain":
        model = DDP(model, broadcast_buffers=(variant == "ddp"))
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    x, y = make_x(batch, "cpu"), make_y(batch, "cpu")

    def step():
        opt.zero_grad(set_to_none=True)
        out = model(x)
        F.cross_entropy(out.reshape(-1, out.shape[-1]), y.reshape(-1)).backward()
        opt.step()
    for _ in range(10):
        step()
    dist.barrier()
    cpu, main, wall = s.time_consecutive_steps(step, steps)
    t = torch.tensor([statistics.median(cpu), statistics.median(main), statistics.median(wall)], dtype=torch.float64)
    s._COLLECTIVE_TENSORS.append(t)
    dist.all_reduce(t)
    if rank == 0:
        queue.put((t / world).tolist())
    dist.barrier()
    dist.destroy_process_group()


if __name__ == "__main__":
    name, batch = os.environ.get("PROBE_MODEL", "cnn"), int(os.environ.get("PROBE_BATCH", "8"))
    print(f"allocator: {s.allocator()}")
    for rep in range(3):
        for world, variant in ((2, "plain"), (2, "ddp"), (2, "ddp_nobuf"), (1, "plain"), (1, "ddp")):
            run = s._run_two_ranks if world == 2 else s._run_one_rank
            r = run(worker, (name, batch, variant, STEPS), timeout=300)
            print(f"{name} b{batch} rep{rep} world {world} {variant:10s} cpu/rank {r[0] * 1e3:.3f} main {r[1] * 1e3:.3f} "
                  f"wall {r[2] * 1e3:.3f} ms", flush=True)
