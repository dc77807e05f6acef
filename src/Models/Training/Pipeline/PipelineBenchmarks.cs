using System.Diagnostics;
using Sim.Models.Compute;
using Sim.Models.Hardware;
using Sim.Models.Workloads;

namespace Sim.Models.Training.Pipeline;

/// <summary>
/// Whole-workload benchmarks of the pipeline simulator, for <c>sim bench pipeline</c>, like a test drive
/// on a known route: one iteration of GPT-3 175B on 10,240 A100s (1,280 DGX A100 nodes, rail-optimised
/// InfiniBand) in Megatron-LM's 3D layout, timed end to end (topology build included).
/// </summary>
public static class PipelineBenchmarks
{
    public sealed record Outcome(string Name, PipelineResult Result, long Events, double WallSeconds, long AllocatedBytes)
    {
        public double EventsPerSecond => Events / WallSeconds;
    }

    /// <summary>
    /// GPT-3 175B (Brown et al. 2020), tensor 8 x pipeline 16 x data 80 = 10,240 GPUs, as in Narayanan
    /// et al. (SC'21) Table 1's 175B row (t = 8, p = 16) scaled out in data parallel; interleaved 1F1B with
    /// v = 2 chunks of 3 blocks; micro-batch 1; sequence parallelism with selective recomputation
    /// (Korthikanti et al. 2022). The paper's global batch of 1536 does not split over 80 replicas into a
    /// multiple of p = 16 micro-batches (Megatron's interleaving requirement); the nearest choices are 1280
    /// (m = 16 = p, where Megatron's interleaved schedule degenerates to all-forward-all-backward) and 2560
    /// (m = 32), used here. Compute: A100 bf16 roofline at 50% of peak FLOP/s and 80% of memory
    /// bandwidth, an uncalibrated assumption. Replica 0's schedule runs in full (16 stages x 64 ops, its
    /// point-to-point transfers on the flow network); the gradient reduce of every (stage, tensor rank)
    /// spans all 80 replicas' GPUs on the network (see <see cref="PipelineEngine"/>). With
    /// <paramref name="allReplicaTraffic"/> all 80 replicas' point-to-point transfers are on the network too.
    /// <paramref name="dgxA100"/> is the DGX A100 machine (the shipped hardware file, HardwarePresets.DgxA100).
    /// </summary>
    public static Outcome Gpt3_175B_10240Gpus(NodeSpec dgxA100, NetworkBackend backend = NetworkBackend.Flow, bool allReplicaTraffic = false)
    {
        var transformer = ModelZoo.Gpt3_175B;
        var config = new PipelineConfig
        {
            Model = Transformer.Gpt(transformer), Transformer = transformer,
            Stages = 16, TensorParallel = 8, DataParallel = 80, Microbatches = 32, MicroBatch = 1,
            Schedule = PipelineScheduleKind.Interleaved, VirtualStages = 2, Partition = PartitionMethod.Uniform,
            SequenceParallel = true, Recompute = Recomputation.Selective, Iterations = 1, AllReplicaTraffic = allReplicaTraffic,
        };
        var gpu = dgxA100.Device;
        var compute = new RooflineCompute(gpu.PeakFlopsFor(Precision.Bf16), gpu.MemoryBandwidth, 0.5, 0.8, device: gpu.Name);
        var cluster = ClusterSpec.Of(dgxA100, 1280);
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        var result = PipelineTraining.Simulate(config, compute, cluster, seed: 1, backend);
        double wall = watch.Elapsed.TotalSeconds;
        return new Outcome("GPT-3 175B, 10,240 A100 (t8 x p16 x d80, interleaved v=2, m=32" + (allReplicaTraffic ? ", all replicas' p2p)" : ")"), result, result.Training.KernelEvents, wall,
            GC.GetAllocatedBytesForCurrentThread() - allocated);
    }
}
