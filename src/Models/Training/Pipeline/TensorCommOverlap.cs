using Sim.Models.Collectives;
using Sim.Models.Compute;
using Sim.Models.Memory;
using Sim.Models.Workloads;

namespace Sim.Models.Training.Pipeline;

/// <summary>
/// Tensor-parallel communication overlap (Megatron-Core <c>tp_comm_overlap</c> with Transformer Engine's
/// userbuffers; TorchTitan's async TP; Wang et al. 2023 "Overlap communication with dependent computation
/// via decomposition"): under sequence parallelism each block's all-gathers (before the column-parallel
/// QKV and FC1 GEMMs) and reduce-scatters (after the row-parallel attention-output and FC2 GEMMs) are cut
/// into chunks and pipelined with the GEMM they feed or drain, like unloading a lorry while the first
/// crates are already being unpacked.
/// <para>
/// Each GEMM is cut into k chunks along its rows, and each chunk is timed by the compute model on its
/// own, smaller shape: the cut costs k g_chunk - g (tile and wave quantization, k launches). With the
/// collective's c seconds spread over the chunks and the GEMM keeping r of its speed beside the
/// communication kernel (<see cref="CommInterference"/>: SMs the kernel holds), per GEMM:
/// <list type="bullet">
/// <item>ring (all-gather, or TE's ring exchange): chunk 0 is local, the k - 1 transfers run under
/// the other chunks: exposed = k g_chunk - g + <see cref="CommOverlap.Exposed"/>((k - 1) g_chunk, c, r),
/// which with r = 1 is the cut's cost plus max(0, c - overlappable GEMM).</item>
/// <item>pipeline (reduce-scatter): chunk i's reduce-scatter runs under chunk i + 1, the last one
/// alone. TE runs these GEMMs on the SMs the communication leaves them for their whole length
/// (set_sm_margin), so every chunk takes g_chunk / r: k g_chunk / r - g + max(0, (k - 1) c_chunk -
/// (k - 1) g_chunk / r) + c_chunk.</item>
/// <item>bulk (TE backward): the collective runs beside the other gradient GEMM, uncut, the GEMM on
/// the SMs left (set_sm_margin): g_other / r - g_other + max(0, c - g_other / r).</item>
/// <item>exposed: c (a backward reduce-scatter async TP does not fuse).</item>
/// </list>
/// Backward pairs the other collective of each point (reduce-scatter of the column-parallel GEMMs' input
/// gradient, all-gather of the row-parallel GEMMs' output gradient) with one of the two gradient GEMMs,
/// taken as half the GEMM's backward time (input and weight gradients have equal FLOPs).
/// </para>
/// </summary>
public sealed record TensorCommOverlap
{
    /// <summary>TE userbuffers' ring exchange holds 1 SM (Transformer Engine,
    /// transformer_engine/pytorch/module/base.py, initialize_ub default config: num_sm 1 for
    /// ring_exchange; the copy engines move the data).</summary>
    public const int RingExchangeSms = 1;
    /// <summary>TE userbuffers' pipelined and bulk overlaps hold 16 SMs, which the GEMM gives up for its
    /// whole length (set_sm_margin), and a pipelined overlap cuts its GEMM in 4 (initialize_ub defaults:
    /// num_sm 16, set_sm_margin on, num_splits 4 for methods other than ring_exchange).</summary>
    public const int PipelineSms = 16, PipelineSplits = 4, BulkSms = 16;

    /// <summary>One GEMM of a block and the tensor-parallel collectives pipelined with it: forward's
    /// (all-gather before a column-parallel GEMM, reduce-scatter after a row-parallel one) and backward's
    /// (the other kind). Exposed times are what the pair adds to the GEMM's uncut time.</summary>
    public sealed record Pair(string Gemm, CollectiveKind Collective, double CollectiveSeconds, double BackwardCollectiveSeconds,
        double ForwardGemmSeconds, double BackwardGemmSeconds, double ForwardExposedSeconds, double BackwardExposedSeconds);

    public required TensorOverlapMethod Method { get; init; }
    public required IReadOnlyList<Pair> Pairs { get; init; }

    /// <summary>All of a block's forward TP collectives, were none overlapped (2 all-gathers + 2 reduce-scatters).</summary>
    public double ForwardCommunicationSeconds => Pairs.Sum(p => p.CollectiveSeconds);
    /// <summary>Exposed forward TP time per block (collectives not hidden plus the cost of the cut).</summary>
    public double ForwardExposedSeconds => Pairs.Sum(p => p.ForwardExposedSeconds);
    /// <summary>Exposed backward TP time per block.</summary>
    public double BackwardExposedSeconds => Pairs.Sum(p => p.BackwardExposedSeconds);

    /// <summary>A GEMM cut in <paramref name="chunks"/> with a ring collective under all chunks but the first.</summary>
    public static double Ring(int chunks, double gemm, double chunkGemm, double comm, double retainedSpeed) =>
        chunks * chunkGemm - gemm + CommOverlap.Exposed((chunks - 1) * chunkGemm, comm, retainedSpeed);

    /// <summary>A GEMM cut in <paramref name="chunks"/>, each chunk's collective (<paramref name="chunkComm"/>)
    /// under the next chunk, the last one alone; every chunk runs at <paramref name="retainedSpeed"/>
    /// throughout (the SMs are set aside for the communication, TE's set_sm_margin).</summary>
    public static double Pipeline(int chunks, double gemm, double chunkGemm, double chunkComm, double retainedSpeed) =>
        chunks * chunkGemm / retainedSpeed - gemm + CommOverlap.Exposed((chunks - 1) * chunkGemm / retainedSpeed, (chunks - 1) * chunkComm) + chunkComm;

    /// <summary>A collective beside an uncut <paramref name="gemm"/> that runs at <paramref name="retainedSpeed"/>
    /// throughout (TE's bulk overlap with set_sm_margin).</summary>
    public static double Bulk(double gemm, double comm, double retainedSpeed) =>
        gemm / retainedSpeed - gemm + CommOverlap.Exposed(gemm / retainedSpeed, comm);

    /// <summary>
    /// The pairs of one transformer block (<paramref name="block"/>, already context-parallel sharded):
    /// each column-parallel GEMM with the all-gather that feeds it, each row-parallel GEMM with the
    /// reduce-scatter that drains it. <paramref name="collective"/> times a TP collective of the given
    /// bytes; <paramref name="activationBytes"/> is the block's full (unsharded) activation of one micro-batch.
    /// The GEMMs' retained speed beside a communication kernel needs the device's SM count
    /// (<see cref="KernelCompute"/>); other compute models keep full speed.
    /// </summary>
    public static TensorCommOverlap For(Layer block, IComputeModel compute, int microBatch, int tensorParallel, double activationBytes,
        Func<CollectiveKind, double, double> collective, TensorOverlapMethod method, bool fp8 = false)
    {
        int t = tensorParallel;
        int? sms = (compute as KernelCompute)?.Facts.StreamingMultiprocessors;
        double Retained(int held) => sms is int all && held > 0 ? new CommInterference((double)held / all, 0).ComputeBoundSpeed : 1;
        bool ub = method == TensorOverlapMethod.UserBuffers;
        // Under FP8, TE's userbuffers all-gather the FP8 GEMM inputs already cast (1 byte instead of 2;
        // initialize_ub: fp8_buf on for every all-gather overlap); reduce-scatters carry BF16 partial sums.
        double gatherBytes = ub && fp8 ? activationBytes * Fp8WeightMemory.Fp8Bytes / ModelStateMemory.ParameterBytes : activationBytes;
        double allGather = collective(CollectiveKind.AllGather, gatherBytes), reduceScatter = collective(CollectiveKind.ReduceScatter, activationBytes);
        var pairs = new List<Pair>();
        foreach (var g in (block.Kernels ?? []).OfType<GemmKernel>())
        {
            if (g.GroupsPerSample > 0 || g.Split == TensorSplit.Replicated) continue; // batched attention GEMMs, the MoE router
            double Time(GemmKernel kernel, Phase phase)
            {
                var alone = new Layer { Name = $"{block.Name}.{kernel.Name}", Kind = "matmul", ForwardFlops = 0, BackwardFlops = 0, Parameters = 0, OutputActivationBytes = 0, Kernels = [kernel] };
                try { return compute.ShardedLayerTime(alone, phase, microBatch, t, true); }
                catch (KeyNotFoundException e)
                {
                    throw new ArgumentException($"pipeline.tp_comm_overlap: the compute model cannot time the GEMM '{g.Name}' on its own ({e.Message}); use compute.model: kernels or roofline", e);
                }
            }
            double Chunk(int chunks, Phase phase) => Time(g with { RowsPerSample = g.RowsPerSample / chunks }, phase);
            double forward = Time(g, Phase.Forward), backward = Time(g, Phase.Backward);
            double forwardExposed, backwardExposed;
            if (g.Split == TensorSplit.Columns)
            {
                // Forward: all-gather in t pieces under the GEMM's chunks. Backward: the input gradient's
                // reduce-scatter, beside the weight-gradient GEMM (TE bulk) or exposed (async TP).
                forwardExposed = Ring(t, forward, Chunk(t, Phase.Forward), allGather, Retained(ub ? RingExchangeSms : 0));
                backwardExposed = ub ? Bulk(backward / 2, reduceScatter, Retained(BulkSms)) : reduceScatter;
            }
            else
            {
                // Forward: the partial output reduce-scattered chunk by chunk (TE: 4 chunks on 16 SMs;
                // async TP: t chunks by copy engine, then a local sum of the t partial chunks).
                int k = ub ? PipelineSplits : t;
                forwardExposed = Pipeline(k, forward, Chunk(k, Phase.Forward), collective(CollectiveKind.ReduceScatter, activationBytes / k), Retained(ub ? PipelineSms : 0))
                                 + (ub ? 0 : PartialSumSeconds(compute, activationBytes, t));
                // Backward: the output gradient all-gathered in t pieces under the input-gradient GEMM's chunks.
                backwardExposed = Ring(t, backward / 2, Chunk(t, Phase.Backward) / 2, allGather, Retained(ub ? RingExchangeSms : 0));
            }
            var kind = g.Split == TensorSplit.Columns ? CollectiveKind.AllGather : CollectiveKind.ReduceScatter;
            pairs.Add(new Pair(g.Name, kind, kind == CollectiveKind.AllGather ? allGather : reduceScatter, kind == CollectiveKind.AllGather ? reduceScatter : allGather,
                forward, backward, forwardExposed, backwardExposed));
        }
        if (pairs.Count == 0)
            throw new ArgumentException($"pipeline.tp_comm_overlap: layer '{block.Name}' lists no tensor-parallel GEMMs to overlap with (needs a transformer's kernel list)");
        return new TensorCommOverlap { Method = method, Pairs = pairs };
    }

    /// <summary>Async TP's reduce-scatter leaves t partial chunks of 1/t of the output on each rank, which
    /// one memory-bound kernel sums (PyTorch symmetric memory's fused matmul-reduce-scatter): it reads the
    /// t chunks and writes one, (1 + 1/t) activation bytes.</summary>
    public static double PartialSumSeconds(IComputeModel compute, double activationBytes, int tensorParallel)
    {
        var sum = new StreamKernel("tp_partial_sum", activationBytes * (1 + 1.0 / tensorParallel), TensorSplit.Replicated);
        var layer = new Layer { Name = "tp_partial_sum", Kind = "elementwise", ForwardFlops = 0, BackwardFlops = 0, Parameters = 0, OutputActivationBytes = 0, ForwardBytes = sum.BytesPerSample, Kernels = [sum] };
        return compute.ShardedLayerTime(layer, Phase.Forward, 1, 1, false);
    }
}
