using Sim.Models.Compute;
using Sim.Models.Workloads;

namespace Sim.Models.Training.Pipeline;

/// <summary>
/// Context parallelism (Megatron-Core <c>context_parallel_size</c>; ring attention, Liu et al. 2023,
/// "Ring Attention with Blockwise Transformers"): the sequence of every micro-batch is split over a group
/// of c GPUs, like a long document shared by c readers who pass their notes round a table. Everything
/// per token (GEMMs, norms, element-wise work, stored activations) shrinks by c; attention needs every
/// key and value, so each rank computes its queries against its own K/V block, then c - 1 times
/// receives the next block from its ring neighbour while it computes on the block it holds.
/// <para>
/// Load balancing (Megatron-Core / Transformer Engine): the sequence is cut into 2c chunks and rank i
/// holds chunks i and 2c - 1 - i. Under a causal mask every step then costs every rank the same: the
/// work of a causal attention over s/c tokens (step 0: its own two chunks, half of each diagonal block
/// plus one full block; later steps: one full chunk-by-chunk pair twice), c^2 x (s/c)^2/2 = s^2/2 in all.
/// Without a mask each step is a full (s/c) x (s/c) block.
/// </para>
/// <para>
/// Communication per layer and micro-batch on one rank (k_h = key/value hidden width on the rank,
/// e bytes per element, b samples): forward (c - 1) sends of K and V, 2 (c - 1) (s/c) b k_h e bytes;
/// backward twice that (K/V blocks again plus the dK/dV partial sums that travel with them).
/// Each transfer overlaps the attention step that runs while it is in flight, so per layer
/// exposed = (c - 1) max(0, transfer - step) and the attention takes c step + exposed.
/// </para>
/// <para>
/// All-gather-based CP (<see cref="ContextParallelCommType.AllGather"/>, as Meta ran Llama 3) moves the
/// same bytes but hides none of them: forward exposes the K/V all-gather, (c - 1) transfer of one
/// block; backward gathers K/V again and reduce-scatters dK/dV, 2 (c - 1) transfers. The attention
/// work per rank is the same s^2/(2c) causal units either way (local queries against the gathered keys).
/// </para>
/// </summary>
public static class ContextParallelism
{
    /// <summary>Bytes of one K/V block a rank sends per ring step in forward: K and V of s/c tokens.</summary>
    public static double ForwardBlockBytes(TransformerConfig transformer, int contextParallel, int tensorParallel, int microBatch)
    {
        double kvHeadsPerRank = Math.Ceiling((double)transformer.KeyValueHeads / tensorParallel);
        return 2.0 * transformer.Sequence / contextParallel * microBatch * kvHeadsPerRank * transformer.HeadDim * transformer.BytesPerElement;
    }

    /// <summary>Forward send volume of one layer on one rank: 2 (c - 1) (s/c) b k_h e.</summary>
    public static double ForwardBytesPerLayer(TransformerConfig transformer, int contextParallel, int tensorParallel, int microBatch) =>
        (contextParallel - 1) * ForwardBlockBytes(transformer, contextParallel, tensorParallel, microBatch);

    /// <summary>Backward send volume of one layer on one rank: twice the forward (K/V plus dK/dV).</summary>
    public static double BackwardBytesPerLayer(TransformerConfig transformer, int contextParallel, int tensorParallel, int microBatch) =>
        2 * ForwardBytesPerLayer(transformer, contextParallel, tensorParallel, microBatch);

    /// <summary>Transfer time the steps cannot hide: (c - 1) max(0, transfer - step).</summary>
    public static double ExposedSeconds(int contextParallel, double stepSeconds, double transferSeconds) =>
        (contextParallel - 1) * CommOverlap.Exposed(stepSeconds, transferSeconds);

    /// <summary>All-gather-based CP (<see cref="ContextParallelCommType.AllGather"/>): the ring all-gather of
    /// c blocks takes c - 1 hops of one block each, all exposed: (c - 1) transfer.</summary>
    public static double AllGatherSeconds(int contextParallel, double transferSeconds) => (contextParallel - 1) * transferSeconds;

    /// <summary>
    /// One context-parallel rank's share of a layer without its attention: GEMM rows, element-wise bytes
    /// and the layer totals divided by c (every one of them is per token). Batched GEMMs (unfused
    /// attention) cannot be split this way; <see cref="PipelineConfig.Validate"/> refuses them.
    /// </summary>
    public static Layer TokenShard(Layer layer, int contextParallel)
    {
        double c = contextParallel;
        return layer with
        {
            ForwardFlops = layer.ForwardFlops / c,
            BackwardFlops = layer.BackwardFlops / c,
            ForwardBytes = layer.ForwardBytes / c,
            OutputActivationBytes = layer.OutputActivationBytes / c,
            StoredActivationBytes = layer.StoredActivationBytes / c,
            Kernels = layer.Kernels?.Where(k => k is not AttentionKernel).Select(k => k switch
            {
                GemmKernel g => g with { RowsPerSample = g.RowsPerSample / c },
                StreamKernel s => s with { BytesPerSample = s.BytesPerSample / c },
                _ => k,
            }).ToArray(),
        };
    }

    /// <summary>The attention kernel one ring step runs: the same heads over s/c tokens, masked as the
    /// whole (the load-balanced split makes every causal step a causal s/c block's work).</summary>
    public static Layer AttentionStep(AttentionKernel attention, int contextParallel)
    {
        var step = attention with { Sequence = attention.Sequence / contextParallel };
        return new Layer
        {
            Name = attention.Name + " ring step", Kind = "attention_core",
            ForwardFlops = step.ForwardFlops, BackwardFlops = KernelCompute.AttentionBackwardFlopRatio * step.ForwardFlops,
            Parameters = 0, OutputActivationBytes = 0, Kernels = [step],
        };
    }

    /// <summary>Throws unless the transformer can be split c ways as Megatron-Core does it.</summary>
    public static void Validate(int contextParallel, TransformerConfig? transformer, IReadOnlyList<Layer> layers)
    {
        if (contextParallel < 1) throw new ArgumentException($"pipeline.context_parallel: must be >= 1, got {contextParallel}");
        if (contextParallel == 1) return;
        if (transformer is null)
            throw new ArgumentException("pipeline.context_parallel: needs a transformer from the zoo or model.gpt (sequence, key/value heads)");
        if (!transformer.FlashAttention)
            throw new ArgumentException("pipeline.context_parallel: needs fused (flash) attention; Megatron-Core runs ring attention inside Transformer Engine's fused attention");
        if (transformer.Sequence % (2 * contextParallel) != 0)
            throw new ArgumentException($"pipeline.context_parallel: the sequence length {transformer.Sequence} must be a multiple of 2 x context_parallel = {2 * contextParallel} (the load-balanced split cuts it into 2c chunks)");
        if (layers.Any(l => l.Kernels is not null && l.Kernels.Any(k => k is GemmKernel { GroupsPerSample: > 0 })))
            throw new ArgumentException("pipeline.context_parallel: the model has unfused (batched-GEMM) attention; context parallelism needs fused attention");
    }
}
