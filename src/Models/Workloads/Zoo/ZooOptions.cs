namespace Sim.Models.Workloads;

/// <summary>
/// Knobs for building a model from the zoo, like the options on an order form: left empty, each
/// model family uses its documented default.
/// </summary>
public sealed record ZooOptions
{
    /// <summary>
    /// Bytes per activation element. Default: 4 (fp32) for CNNs, the precision their published
    /// ImageNet training used; 2 (fp16/bf16) for transformers, which are trained in mixed precision
    /// (Narayanan et al. 2021; Korthikanti et al. 2022 assume 16-bit activations).
    /// </summary>
    public int? BytesPerElement { get; init; }

    /// <summary>Input image side in pixels for CNNs. Default: 224 (299 for Inception-v3).</summary>
    public int? ImageSize { get; init; }

    /// <summary>Sequence length for transformers. Default: the preset's published training length.</summary>
    public int? SequenceLength { get; init; }

    /// <summary>Transformers: fused flash attention (true, default) or unfused attention with
    /// materialised probabilities (Megatron-LM before 2023).</summary>
    public bool FlashAttention { get; init; } = true;

    /// <summary>Transformers with flash attention: the FlashAttention-1 kernel rather than FlashAttention-2.</summary>
    public bool FlashAttention1 { get; init; }

    /// <summary>Transformers with flash attention: the FlashAttention-2 kernel rather than the device's figure kernel.</summary>
    public bool FlashAttention2 { get; init; }

    /// <summary>Transformers with flash attention: the framework unpads q, k, v and repads the output around the kernel
    /// (<see cref="TransformerConfig.AttentionUnpad"/>).</summary>
    public bool AttentionUnpad { get; init; }

    public static ZooOptions Default { get; } = new();

    internal const int CnnDefaultBytes = 4;
    internal const int TransformerDefaultBytes = 2;

    internal int CnnBytes() => Validated(BytesPerElement ?? CnnDefaultBytes, nameof(BytesPerElement));
    internal int TransformerBytes() => Validated(BytesPerElement ?? TransformerDefaultBytes, nameof(BytesPerElement));

    internal int Image(int fallback) => Validated(ImageSize ?? fallback, nameof(ImageSize));

    internal int Sequence(int fallback) => Validated(SequenceLength ?? fallback, nameof(SequenceLength));

    private static int Validated(int value, string key) =>
        value > 0 ? value : throw new ArgumentOutOfRangeException(key, value, $"ZooOptions.{key} must be a positive integer");
}
