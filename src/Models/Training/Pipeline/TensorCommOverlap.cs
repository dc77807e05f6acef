using Sim.Models.Collectives;
using Sim.Models.Compute;
using Sim.Models.Workloads;

namespace Sim.Models.Training.Pipeline;

/// <summary>
/// Tensor-parallel communication overlap (Megatron-Core <c>tp_comm_overlap</c> with Transformer Engine's
/// userbuffers; TorchTitan's async TP; Wang et al. 2023 "Overlap communication with dependent computation
/// via decomposition"): under sequence parallelism each block's all-gathers (before the column-parallel
/// QKV and FC1 GEMMs) and reduce-scatters (after the row-parallel attention-output and FC2 GEMMs) are cut
/// into t chunks and pipelined with the GEMM they feed or drain, like unloading a lorry while the first
/// crates are already being unpacked. A collective then shows only where it outlasts its GEMM:
/// exposed = max(0, collective - GEMM) per pair, plus the t - 1 extra kernel launches the chunked GEMM
/// costs. Backward pairs the same collectives (the reduce-scatter of the input gradient and the
/// all-gather of the saved input for the weight gradient) with the paired GEMM's backward (input- and
/// weight-gradient GEMMs).
/// <para>Not modelled: the SMs and memory bandwidth the communication kernels take from the GEMM
/// (Transformer Engine drives the ring with copy engines or a few SMs), and the efficiency a GEMM loses
/// when cut into t chunks.</para>
/// </summary>
public sealed record TensorCommOverlap
{
    /// <summary>One GEMM of a block and the tensor-parallel collective pipelined with it.</summary>
    public sealed record Pair(string Gemm, CollectiveKind Collective, double CollectiveSeconds, double ForwardGemmSeconds, double BackwardGemmSeconds);

    public required IReadOnlyList<Pair> Pairs { get; init; }
    /// <summary>Launch overhead a chunked GEMM adds: (t - 1) kernels.</summary>
    public required double ChunkLaunchSeconds { get; init; }

    /// <summary>All of a block's forward TP collectives, were none overlapped (2 all-gathers + 2 reduce-scatters).</summary>
    public double ForwardCommunicationSeconds => Pairs.Sum(p => p.CollectiveSeconds);
    /// <summary>Exposed forward TP time per block: sum of max(0, collective - GEMM) + chunk launches.</summary>
    public double ForwardExposedSeconds => Pairs.Sum(p => Exposed(p.CollectiveSeconds, p.ForwardGemmSeconds) + ChunkLaunchSeconds);
    /// <summary>Exposed backward TP time per block against the backward GEMMs.</summary>
    public double BackwardExposedSeconds => Pairs.Sum(p => Exposed(p.CollectiveSeconds, p.BackwardGemmSeconds) + ChunkLaunchSeconds);

    /// <summary>max(0, communication - overlappable compute): <see cref="CommOverlap.Exposed"/> without
    /// interference (the GEMM keeps its full speed, see the class remarks).</summary>
    public static double Exposed(double communicationSeconds, double overlappableSeconds) => CommOverlap.Exposed(overlappableSeconds, communicationSeconds);

    /// <summary>
    /// The pairs of one transformer block (<paramref name="block"/>, already context-parallel sharded):
    /// each column-parallel GEMM with the all-gather that feeds it, each row-parallel GEMM with the
    /// reduce-scatter that drains it. <paramref name="collective"/> times a TP collective of the given
    /// bytes; <paramref name="activationBytes"/> is the block's full (unsharded) activation of one micro-batch.
    /// </summary>
    public static TensorCommOverlap For(Layer block, IComputeModel compute, int microBatch, int tensorParallel, double activationBytes,
        Func<CollectiveKind, double, double> collective, double kernelLaunchSeconds)
    {
        var pairs = new List<Pair>();
        foreach (var g in (block.Kernels ?? []).OfType<GemmKernel>())
        {
            if (g.GroupsPerSample > 0 || g.Split == TensorSplit.Replicated) continue; // batched attention GEMMs, the MoE router
            var kind = g.Split == TensorSplit.Columns ? CollectiveKind.AllGather : CollectiveKind.ReduceScatter;
            double flops = 2 * g.RowsPerSample * g.N * g.K;
            var alone = new Layer { Name = $"{block.Name}.{g.Name}", Kind = "matmul", ForwardFlops = flops, BackwardFlops = 2 * flops, Parameters = 0, OutputActivationBytes = 0, Kernels = [g] };
            double forward, backward;
            try
            {
                forward = compute.ShardedLayerTime(alone, Phase.Forward, microBatch, tensorParallel, true);
                backward = compute.ShardedLayerTime(alone, Phase.Backward, microBatch, tensorParallel, true);
            }
            catch (KeyNotFoundException e)
            {
                throw new ArgumentException($"pipeline.tp_comm_overlap: the compute model cannot time the GEMM '{g.Name}' on its own ({e.Message}); use compute.model: kernels or roofline", e);
            }
            pairs.Add(new Pair(g.Name, kind, collective(kind, activationBytes), forward, backward));
        }
        if (pairs.Count == 0)
            throw new ArgumentException($"pipeline.tp_comm_overlap: layer '{block.Name}' lists no tensor-parallel GEMMs to overlap with (needs a transformer's kernel list)");
        return new TensorCommOverlap { Pairs = pairs, ChunkLaunchSeconds = (tensorParallel - 1) * kernelLaunchSeconds };
    }
}
