using Sim.Models.Workloads;

namespace Sim.Models.Memory;

/// <summary>
/// Activation bytes one GPU keeps for one layer and one micro-batch until that layer's backward, like
/// the receipts a clerk must keep until the books are closed. Transformer blocks follow Korthikanti et
/// al. 2022, Table 2 (<see cref="TransformerActivationMemory"/>), with tensor parallelism t, sequence
/// parallelism and recomputation; with fused (flash) attention the table's 5as/(ht) term of stored
/// scores, probabilities and dropout masks is replaced by the kernel's log-sum-exp (the attention core
/// then stores what selective recomputation would keep); other layers (embedding, LM head) keep their own stored bytes, split
/// over the t tensor ranks (Megatron shards the vocabulary). Without transformer hyperparameters,
/// blocks fall back to the layer table's stored bytes over t (no recomputation supported there except
/// full, which keeps only the layer input). Under FP8 training the blocks' FP8 GEMM inputs are kept at
/// 1 byte (<see cref="Fp8GemmInputSavingBytes"/>).
/// </summary>
public static class ActivationFootprint
{
    /// <summary>Bytes kept for <paramref name="layer"/> per micro-batch of <paramref name="microBatch"/> samples;
    /// with <paramref name="fp8"/> (FP8 training), a transformer block's FP8 GEMM inputs are kept at 1 byte
    /// (<see cref="Fp8GemmInputSavingBytes"/>).</summary>
    public static double LayerBytes(Layer layer, TransformerConfig? transformer, int microBatch, int tensorParallel,
        bool sequenceParallel, Recomputation recompute, bool fp8 = false)
    {
        double bytes = Bf16LayerBytes(layer, transformer, microBatch, tensorParallel, sequenceParallel, recompute);
        return fp8 && IsTransformerBlock(layer) && transformer is not null
            ? bytes - Fp8GemmInputSavingBytes(transformer, microBatch, tensorParallel, sequenceParallel, recompute)
            : bytes;
    }

    /// <summary>
    /// Bytes a transformer block keeps less per micro-batch when its four linear layers run in FP8:
    /// Transformer Engine saves the input of each FP8 GEMM for the weight-gradient GEMM as the FP8
    /// tensor it already cast (its column-wise, on Hopper transposed, copy: Transformer Engine docs, "Low
    /// precision training: Performance considerations - Handling transposes": wgrad reads the input
    /// column-wise), 1 byte per element instead of Korthikanti's 2. Those inputs are the QKV and FC1
    /// inputs (the norms' outputs, s b h each, split over t only with sequence parallelism), the attention
    /// output projection's input (s b h / t) and FC2's input (s b f / t, times top-k routed copies in a
    /// mixture of experts). The residual stream, norm inputs, the attention core, FC1's output (the
    /// activation's input) and dropout masks stay as they are. Full recomputation keeps only the block's
    /// BF16 input: no saving.
    /// </summary>
    public static double Fp8GemmInputSavingBytes(TransformerConfig transformer, int microBatch, int tensorParallel, bool sequenceParallel, Recomputation recompute)
    {
        if (recompute == Recomputation.Full) return 0;
        double sb = (double)transformer.Sequence * microBatch, h = transformer.Hidden, t = tensorParallel;
        double ffnInput = sb * transformer.Ffn * (transformer.IsMoe ? transformer.TopK : 1) / t;
        double normOutputs = 2 * sb * h / (sequenceParallel ? t : 1);
        double elements = normOutputs + sb * h / t + ffnInput;
        return elements * (ModelStateMemory.ParameterBytes - Fp8WeightMemory.Fp8Bytes); // 2-byte BF16 -> 1-byte FP8
    }

    private static double Bf16LayerBytes(Layer layer, TransformerConfig? transformer, int microBatch, int tensorParallel,
        bool sequenceParallel, Recomputation recompute)
    {
        bool block = IsTransformerBlock(layer);
        if (block && transformer is { FlashAttention: true } && recompute == Recomputation.None)
            // Fused attention stores no s x s scores, probabilities or masks, only its output (already in
            // the linear terms) and the softmax log-sum-exp, one fp32 per head and token (Dao et al. 2022):
            // Korthikanti's selective figure plus 4 a s b / t bytes.
            return TransformerActivationMemory.PerLayerBytes(transformer.Sequence, microBatch, transformer.Hidden, transformer.Heads,
                       tensorParallel, sequenceParallel, Recomputation.Selective)
                   + 4.0 * Math.Ceiling((double)transformer.Heads / tensorParallel) * transformer.Sequence * microBatch;
        if (block && transformer is not null)
            return TransformerActivationMemory.PerLayerBytes(transformer.Sequence, microBatch, transformer.Hidden, transformer.Heads,
                tensorParallel, sequenceParallel, recompute);
        if (!block) return layer.StoredActivationBytes * microBatch / tensorParallel;
        return recompute switch
        {
            Recomputation.None => layer.StoredActivationBytes * microBatch / tensorParallel,
            Recomputation.Full => layer.OutputActivationBytes * microBatch, // the block's input, same shape as its output
            _ => throw new ArgumentException($"selective recomputation of layer '{layer.Name}' needs the transformer hyperparameters (attention heads, sequence); pass a TransformerConfig"),
        };
    }

    /// <summary>Bytes a layer would keep without recomputation: the workspace a full recompute rebuilds.</summary>
    public static double RecomputeWorkspaceBytes(Layer layer, TransformerConfig? transformer, int microBatch, int tensorParallel, bool sequenceParallel, bool fp8 = false) =>
        LayerBytes(layer, transformer, microBatch, tensorParallel, sequenceParallel, Recomputation.None, fp8);

    /// <summary>A transformer block of the zoo (self-attention plus MLP).</summary>
    public static bool IsTransformerBlock(Layer layer) => layer.Kind == "attention";
}
