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
/// holds chunks i and 2c - 1 - i. Under a causal mask every step then costs every rank the same work,
/// that of a causal attention over s/c tokens, c^2 x (s/c)^2/2 = s^2/2 in all, but not the same kernel:
/// step 0 is a causal s/c square (its own two chunks), every later step an unmasked s/(2c) x s/c
/// rectangle (two chunk-by-chunk pairs), which runs at the unmasked kernel's rate. Without a mask each
/// step is a full (s/c) x (s/c) block.
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
/// work per rank is the same s^2/(2c) either way (local queries against the gathered keys), run as two
/// chunk kernels whose causal squares are s/(2c) long (<see cref="GatheredAttention"/>).
/// </para>
/// </summary>
public static class ContextParallelism
{
    /// <summary>Bytes of one K/V block a rank sends per ring step in forward: K and V of s/c tokens.</summary>
    public static double ForwardBlockBytes(TransformerConfig transformer, int contextParallel, int tensorParallel, int microBatch)
    {
        double kvHeadsPerRank = Math.Ceiling((double)transformer.AttentionKeyValueHeads / tensorParallel);
        return 2.0 * transformer.Sequence / contextParallel * microBatch * kvHeadsPerRank * transformer.HeadDim * transformer.BytesPerElement;
    }

    /// <summary>Forward send volume of one layer on one rank: 2 (c - 1) (s/c) b k_h e.</summary>
    public static double ForwardBytesPerLayer(TransformerConfig transformer, int contextParallel, int tensorParallel, int microBatch) =>
        (contextParallel - 1) * ForwardBlockBytes(transformer, contextParallel, tensorParallel, microBatch);

    /// <summary>Backward send volume of one layer on one rank: twice the forward (K/V plus dK/dV).</summary>
    public static double BackwardBytesPerLayer(TransformerConfig transformer, int contextParallel, int tensorParallel, int microBatch) =>
        2 * ForwardBytesPerLayer(transformer, contextParallel, tensorParallel, microBatch);

    /// <summary>Transfer time the steps cannot hide: the c - 1 transfers run under steps 0 .. c - 2,
    /// max(0, transfer - first step) + (c - 2) max(0, transfer - later step).</summary>
    public static double ExposedSeconds(int contextParallel, double firstStepSeconds, double laterStepSeconds, double transferSeconds) =>
        CommOverlap.Exposed(firstStepSeconds, transferSeconds) + (contextParallel - 2) * CommOverlap.Exposed(laterStepSeconds, transferSeconds);

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

    /// <summary>
    /// Ring step 0 (<see cref="ContextParallelCommType.P2P"/>): the rank's own queries against its own
    /// keys, s/c tokens (chunks i and 2c - 1 - i side by side, the second after the first), masked as the
    /// whole is: a causal s/c square, or an unmasked one.
    /// </summary>
    public static Layer DiagonalStep(AttentionKernel attention, int contextParallel) =>
        Kernels(attention.Name + " ring step 0", attention with { Sequence = attention.Sequence / contextParallel, Keys = 0 });

    /// <summary>
    /// Ring steps 1 .. c - 1: under a causal mask the load-balanced split leaves one unmasked rectangle of
    /// s/(2c) x s/c per step (Transformer Engine's AttnFuncWithCP of v1.4, AttnFuncWithCPAndKVP2P later: from a ring neighbour before it,
    /// all the rank's queries against the neighbour's first chunk; from one after it, the rank's second
    /// chunk against both of the neighbour's chunks), the work of half an s/c square with no mask at all.
    /// Without a mask every step is a full s/c square.
    /// </summary>
    public static Layer LaterStep(AttentionKernel attention, int contextParallel)
    {
        int block = attention.Sequence / contextParallel;
        var step = attention.Causal
            ? attention with { Sequence = block / 2, Keys = block, Causal = false }
            : attention with { Sequence = block, Keys = 0 };
        return Kernels(attention.Name + " ring step", step);
    }

    /// <summary>Memory-bound work of <paramref name="bytesPerSample"/> split over the tensor ranks by heads
    /// (context parallelism's merges and accumulations).</summary>
    public static Layer Elementwise(string name, double bytesPerSample) =>
        Kernels(name, new StreamKernel(name, bytesPerSample, TensorSplit.Columns));

    /// <summary>
    /// All-gather CP (<see cref="ContextParallelCommType.AllGather"/>): after the K/V all-gather each of
    /// the rank's two chunks of s/(2c) queries attends over the keys up to its own end, the mask aligned
    /// bottom-right (Transformer Engine's AttnFuncWithCPAndKVAllGather; Meta, arXiv:2407.21783 section
    /// 3.3.2). The two kernels' work is the same on every rank (chunk i sees (i + 1) s/(2c) keys, chunk
    /// 2c - 1 - i sees (2c - i) s/(2c)), so rank 0's pair is costed: s/(2c) and s keys. Without a mask
    /// the rank's s/c queries attend over all s keys.
    /// </summary>
    public static Layer GatheredAttention(AttentionKernel attention, int contextParallel)
    {
        int s = attention.Sequence, chunk = s / (2 * contextParallel);
        return attention.Causal
            ? Kernels(attention.Name + " after all-gather", attention with { Sequence = chunk, Keys = chunk }, attention with { Sequence = chunk, Keys = s })
            : Kernels(attention.Name + " after all-gather", attention with { Sequence = 2 * chunk, Keys = s });
    }

    private static Layer Kernels(string name, params KernelOp[] kernels)
    {
        double flops = kernels.OfType<AttentionKernel>().Sum(k => k.ForwardFlops);
        return new Layer
        {
            Name = name, Kind = "attention_core",
            ForwardFlops = flops, BackwardFlops = KernelCompute.AttentionBackwardFlopRatio * flops,
            ForwardBytes = kernels.OfType<StreamKernel>().Sum(k => k.BytesPerSample),
            Parameters = 0, OutputActivationBytes = 0, Kernels = kernels,
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
