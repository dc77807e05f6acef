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
/// full, which keeps only the layer input).
/// </summary>
public static class ActivationFootprint
{
    /// <summary>Bytes kept for <paramref name="layer"/> per micro-batch of <paramref name="microBatch"/> samples.</summary>
    public static double LayerBytes(Layer layer, TransformerConfig? transformer, int microBatch, int tensorParallel,
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
    public static double RecomputeWorkspaceBytes(Layer layer, TransformerConfig? transformer, int microBatch, int tensorParallel, bool sequenceParallel) =>
        LayerBytes(layer, transformer, microBatch, tensorParallel, sequenceParallel, Recomputation.None);

    /// <summary>A transformer block of the zoo (self-attention plus MLP).</summary>
    public static bool IsTransformerBlock(Layer layer) => layer.Kind == "attention";
}
