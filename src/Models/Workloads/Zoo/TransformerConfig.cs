namespace Sim.Models.Workloads;

/// <summary>
/// The hyperparameters that fix a transformer's size, like the specification sheet of a building
/// type: floors (layers), floor width (hidden size), number of rooms per floor (attention heads),
/// corridor length (sequence) and the size of the lobby directory (vocabulary). The remaining flags
/// capture where model families differ (GPT-3 vs Llama): FFN width and gating, biases, norm type,
/// learned vs rotary positions, tied vs separate output embedding, dropout.
/// </summary>
public sealed record TransformerConfig
{
    public required string Name { get; init; }
    public required int Layers { get; init; }
    public required int Hidden { get; init; }
    public required int Heads { get; init; }
    /// <summary>Key/value heads for grouped-query attention (Ainslie et al. 2023); null means one per
    /// query head (multi-head attention). 1 is multi-query attention.</summary>
    public int? KvHeads { get; init; }
    /// <summary>The implementation expands K and V to one per query head before the attention kernel
    /// (torchtitan's Llama of 2024, <c>repeat_kv</c> ahead of <c>scaled_dot_product_attention</c>), so
    /// context parallelism moves K/V of every query head, not of the <see cref="KvHeads"/> only.</summary>
    public bool RepeatKv { get; init; }
    public required int Sequence { get; init; }
    public required int Vocabulary { get; init; }
    /// <summary>FFN inner width; null means 4 * Hidden (GPT, BERT).</summary>
    public int? FfnHidden { get; init; }
    /// <summary>Gated FFN (SwiGLU, Llama): three weight matrices h x f instead of two.</summary>
    public bool GatedFfn { get; init; }
    /// <summary>Linear layers carry biases (GPT-2/3, BERT) or not (Llama).</summary>
    public bool Bias { get; init; } = true;
    /// <summary>RMSNorm (scale only, h parameters) instead of LayerNorm (scale and shift, 2h).</summary>
    public bool RmsNorm { get; init; }
    /// <summary>Learned position embeddings (s*h parameters) rather than rotary (none).</summary>
    public bool LearnedPositions { get; init; } = true;
    /// <summary>The LM head reuses the input embedding matrix (GPT-2/3) or has its own (Llama).</summary>
    public bool TiedEmbeddings { get; init; } = true;
    /// <summary>Dropout after attention softmax, attention and MLP (GPT-3, BERT), which stores 1-byte masks.</summary>
    public bool Dropout { get; init; } = true;
    /// <summary>Mixture of experts (Shazeer et al. 2017; Fedus et al. 2022): FFN experts per block; 1
    /// means a dense FFN. Each token goes to <see cref="TopK"/> of them, chosen by a linear router.</summary>
    public int Experts { get; init; } = 1;
    /// <summary>Experts each token is routed to (MoE only).</summary>
    public int TopK { get; init; } = 1;
    public bool IsMoe => Experts > 1;
    /// <summary>Attention as one fused flash-attention kernel (Dao et al. 2022; the default since
    /// 2023), or unfused as Megatron-LM ran it before: batched QK^T GEMM, fused scale-mask-softmax,
    /// dropout on the materialised s x s probabilities, batched PV GEMM.</summary>
    public bool FlashAttention { get; init; } = true;
    /// <summary>The fused kernel is FlashAttention-1 (Dao et al. 2022, the only one before July 2023)
    /// rather than FlashAttention-2; only with <see cref="FlashAttention"/>.</summary>
    public bool FlashAttention1 { get; init; }
    /// <summary>The fused kernel is FlashAttention-2 at its measured speed relative to the device's figure
    /// kernel (cuDNN's on Hopper); only with <see cref="FlashAttention"/>, not with <see cref="FlashAttention1"/>.</summary>
    public bool FlashAttention2 { get; init; }
    /// <summary>The framework hands the fused kernel unpadded ("varlen") rows: llm-foundry's flash path (and Hugging Face's
    /// FlashAttention-2 path) gathers the queries, keys and values to their unpadded rows before the kernel and scatters
    /// the output back into a zero-filled padded tensor after it (flash_attn.bert_padding unpad_input / pad_input), and the
    /// backward does the reverse; even when no token is padding, these are full copies. Only with <see cref="FlashAttention"/>.</summary>
    public bool AttentionUnpad { get; init; }
    /// <summary>The fused attention kernel these flags name.</summary>
    public FlashAttentionKernel FlashKernel => FlashAttention1 ? FlashAttentionKernel.FlashAttention1
        : FlashAttention2 ? FlashAttentionKernel.FlashAttention2 : FlashAttentionKernel.DeviceFigures;
    /// <summary>Bytes per activation element: 2 for fp16/bf16 mixed precision.</summary>
    public int BytesPerElement { get; init; } = ZooOptions.TransformerDefaultBytes;
    public string Source { get; init; } = "";

    public int Ffn => FfnHidden ?? 4 * Hidden;
    /// <summary>Key/value heads (query heads unless grouped-query attention is configured).</summary>
    public int KeyValueHeads => KvHeads ?? Heads;
    /// <summary>Key/value heads the attention kernel is handed (and context parallelism moves): all query
    /// heads under <see cref="RepeatKv"/>, otherwise <see cref="KeyValueHeads"/>.</summary>
    public int AttentionKeyValueHeads => RepeatKv ? Heads : KeyValueHeads;
    public int HeadDim => Hidden / Heads;
    /// <summary>Output width of the fused QKV projection: h for queries plus 2 x kv heads x head dim.</summary>
    public double QkvWidth => Hidden + 2.0 * KeyValueHeads * HeadDim;
    /// <summary>Parameters of one LayerNorm or RMSNorm.</summary>
    public double NormParameters => RmsNorm ? Hidden : 2.0 * Hidden;

    /// <summary>Throws an ArgumentException naming the first offending hyperparameter.</summary>
    public void Validate()
    {
        Positive(Layers, nameof(Layers));
        Positive(Hidden, nameof(Hidden));
        Positive(Heads, nameof(Heads));
        Positive(Sequence, nameof(Sequence));
        Positive(Vocabulary, nameof(Vocabulary));
        Positive(Ffn, nameof(FfnHidden));
        Positive(BytesPerElement, nameof(BytesPerElement));
        Positive(KeyValueHeads, nameof(KvHeads));
        Positive(Experts, nameof(Experts));
        Positive(TopK, nameof(TopK));
        if (TopK > Experts) throw new ArgumentException($"transformer '{Name}': top-k {TopK} exceeds the {Experts} experts");
        if (Heads % KeyValueHeads != 0)
            throw new ArgumentException($"transformer '{Name}': {Heads} attention heads must be divisible by the {KeyValueHeads} key/value heads");
        if (FlashAttention1 && !FlashAttention)
            throw new ArgumentException($"transformer '{Name}': FlashAttention-1 is a fused attention kernel; it needs flash attention");
        if (FlashAttention2 && !FlashAttention)
            throw new ArgumentException($"transformer '{Name}': FlashAttention-2 is a fused attention kernel; it needs flash attention");
        if (AttentionUnpad && !FlashAttention)
            throw new ArgumentException($"transformer '{Name}': unpadded (varlen) attention is a flash-attention path; it needs flash attention");
        if (FlashAttention1 && FlashAttention2)
            throw new ArgumentException($"transformer '{Name}': one fused attention kernel, FlashAttention-1 or FlashAttention-2, not both");
        if (Hidden % Heads != 0)
            throw new ArgumentException($"transformer '{Name}': hidden size {Hidden} must be divisible by the number of heads {Heads}");
    }

    private void Positive(int value, string key)
    {
        if (value <= 0) throw new ArgumentOutOfRangeException(key, value, $"transformer '{Name}': {key} must be a positive integer");
    }
}
