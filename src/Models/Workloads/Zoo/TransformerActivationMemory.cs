namespace Sim.Models.Workloads;

/// <summary>How much of a transformer layer's forward activations are recomputed instead of stored.</summary>
public enum Recomputation
{
    /// <summary>Everything the backward pass needs is stored.</summary>
    None,
    /// <summary>Only the attention core (QK^T, softmax, dropout, attention over V) is recomputed.</summary>
    Selective,
    /// <summary>Only each layer's input is stored; the whole layer's forward is rerun in the backward pass.</summary>
    Full,
}

/// <summary>
/// Activation memory of one transformer layer kept for the backward pass: the luggage each floor of
/// the building must keep until the return trip. Formulas from Korthikanti et al., "Reducing
/// Activation Recomputation in Large Transformer Models" (MLSys 2023, arXiv 2205.05198), Table 2, in
/// bytes, for 16-bit activations and 1-byte dropout masks. s: sequence length, b: micro-batch size,
/// h: hidden size, a: attention heads, t: tensor parallel size.
/// </summary>
public static class TransformerActivationMemory
{
    /// <summary>
    /// Table 2 of Korthikanti et al., exactly:
    /// no recomputation: sbh(10 + 24/t + 5as/(ht)), with sequence parallel sbh(34/t + 5as/(ht));
    /// selective: sbh(10 + 24/t), with sequence parallel sbh(34/t);
    /// full: 2sbh, the layer's 16-bit input (the table's row, which holds without sequence parallelism:
    /// every tensor rank then keeps the whole replicated input); with sequence parallelism 2sbh/t, because
    /// the input each layer is checkpointed with is the sequence-parallel shard: Megatron-Core scatters the
    /// embeddings to the sequence-parallel region (megatron/core/models/common/embeddings/
    /// language_model_embedding.py, scatter_to_sequence_parallel_region) and every block passes on s/t
    /// tokens of hidden state, which transformer_block.py's _checkpointed_forward hands to
    /// tensor_parallel.checkpoint as the saved input (torchtitan's per-block checkpointing of a sequence-sharded
    /// block input likewise).
    /// At t = 1 without sequence parallelism the first is the paper's sbh(34 + 5as/h).
    /// </summary>
    public static double PerLayerBytes(double s, double b, double h, double a, int t = 1, bool sequenceParallel = false, Recomputation recomputation = Recomputation.None)
    {
        if (!(s > 0 && b > 0 && h > 0 && a > 0)) throw new ArgumentOutOfRangeException(nameof(s), $"s, b, h, a must be > 0, got s={s}, b={b}, h={h}, a={a}");
        if (t <= 0) throw new ArgumentOutOfRangeException(nameof(t), t, "tensor parallel size must be >= 1");
        double sbh = s * b * h;
        double attentionCore = 5 * a * s / (h * t);
        double linearPart = sequenceParallel ? 34.0 / t : 10 + 24.0 / t;
        return recomputation switch
        {
            Recomputation.None => sbh * (linearPart + attentionCore),
            Recomputation.Selective => sbh * linearPart,
            Recomputation.Full => 2 * sbh / (sequenceParallel ? t : 1),
            _ => throw new ArgumentOutOfRangeException(nameof(recomputation), recomputation, "unknown recomputation mode"),
        };
    }

    /// <summary>
    /// Bytes stored per layer without recomputation or tensor parallelism, generalised from the same
    /// per-tensor accounting as the paper's Section 4.1 to any precision p (bytes per element), FFN
    /// width f, gated FFN and dropout on/off (mask bytes m = 1 or 0):
    /// attention sbh(5p + m) + as^2b(2p + m) with dropout, as^2b*p without (softmax output only);
    /// MLP sbh(p + m) + 2p*sbf (GeLU input and output), or 4p*sbf when gated (SwiGLU in eager
    /// PyTorch keeps gate, SiLU output, up projection and their product); two norms 2p*sbh.
    /// For p = 2, f = 4h, ungated, with dropout this is exactly sbh(34 + 5as/h).
    /// Assumes the attention scores are materialised (no FlashAttention).
    /// </summary>
    public static double PerLayerBytes(TransformerConfig c, double microBatch = 1)
    {
        c.Validate();
        double p = c.BytesPerElement, m = c.Dropout ? 1 : 0;
        double s = c.Sequence, h = c.Hidden, a = c.Heads, f = c.Ffn, b = microBatch;
        double sbh = s * b * h;
        double attention = sbh * (5 * p + m) + a * s * s * b * (c.Dropout ? 2 * p + 1 : p);
        double mlp = sbh * (p + m) + (c.GatedFfn ? 4 : 2) * p * s * b * f;
        double norms = 2 * p * sbh;
        return attention + mlp + norms;
    }
}
