namespace Sim.Models.Workloads;

/// <summary>
/// The catalogue of ready-made models, like a parts catalogue with order numbers: ask for
/// "resnet50" or "gpt3_175b" and get the layer table built from the published architecture.
/// Names are case-insensitive.
/// </summary>
public static class ModelZoo
{
    /// <summary>Builds a model by name; unknown names raise an ArgumentException listing the valid ones.</summary>
    public static ModelSpec Get(string name, ZooOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!Builders.TryGetValue(name.Trim(), out var build))
            throw new ArgumentException($"unknown model '{name}'; valid names: {string.Join(", ", Names)}", nameof(name));
        return build(options ?? ZooOptions.Default);
    }

    /// <summary>
    /// A GPT-style decoder (GPT-2/3 conventions: biases, LayerNorm, learned positions, dropout, LM
    /// head tied to the input embedding) from its hyperparameters.
    /// </summary>
    public static ModelSpec Gpt(int layers, int hidden, int heads, int sequence, int vocabulary, int ffnMultiplier = 4,
        int bytesPerElement = ZooOptions.TransformerDefaultBytes, bool tiedEmbeddings = true, string? name = null)
    {
        return Transformer.Gpt(GptConfig(layers, hidden, heads, sequence, vocabulary, ffnMultiplier, bytesPerElement, tiedEmbeddings, name));
    }

    /// <summary>The hyperparameters <see cref="Gpt"/> builds from (GPT-2/3 conventions), for callers
    /// that change a variant (kv heads, gating) before building.</summary>
    public static TransformerConfig GptConfig(int layers, int hidden, int heads, int sequence, int vocabulary, int ffnMultiplier = 4,
        int bytesPerElement = ZooOptions.TransformerDefaultBytes, bool tiedEmbeddings = true, string? name = null)
    {
        if (ffnMultiplier <= 0) throw new ArgumentOutOfRangeException(nameof(ffnMultiplier), ffnMultiplier, "FFN multiplier must be a positive integer");
        return new TransformerConfig
        {
            Name = name ?? $"gpt_l{layers}_h{hidden}",
            Layers = layers, Hidden = hidden, Heads = heads, Sequence = sequence, Vocabulary = vocabulary,
            FfnHidden = checked(ffnMultiplier * hidden),
            BytesPerElement = bytesPerElement,
            TiedEmbeddings = tiedEmbeddings,
            Source = "GPT-style decoder from hyperparameters (Narayanan et al. SC'21 FLOP counts)",
        };
    }

    /// <summary>BERT-large: Devlin et al., NAACL 2019 (24 layers, hidden 1024, 16 heads, sequence 512, WordPiece vocabulary 30522).</summary>
    public static TransformerConfig BertLarge { get; } = new()
    {
        Name = "bert_large", Layers = 24, Hidden = 1024, Heads = 16, Sequence = 512, Vocabulary = 30522,
        Source = "Devlin et al., NAACL 2019 (BERT-large)",
    };

    /// <summary>GPT-3 175B: Brown et al. 2020, Table 2.1 (96 layers, d_model 12288, 96 heads, context 2048, BPE vocabulary 50257).</summary>
    public static TransformerConfig Gpt3_175B { get; } = new()
    {
        Name = "gpt3_175b", Layers = 96, Hidden = 12288, Heads = 96, Sequence = 2048, Vocabulary = 50257,
        Source = "Brown et al. 2020, Table 2.1 (GPT-3 175B)",
    };

    /// <summary>
    /// GPT-3 13B: Brown et al. 2020, Table 2.1 (40 layers, 40 heads of 128, context 2048). The table
    /// prints d_model 5140, but 40 heads x d_head 128 = 5120, which Megatron-LM and others use; so do we.
    /// </summary>
    public static TransformerConfig Gpt3_13B { get; } = new()
    {
        Name = "gpt3_13b", Layers = 40, Hidden = 5120, Heads = 40, Sequence = 2048, Vocabulary = 50257,
        Source = "Brown et al. 2020, Table 2.1 (GPT-3 13B; d_model = 40 x 128)",
    };

    /// <summary>GPT-2 1.5B: Radford et al. 2019 (48 layers, d_model 1600, 25 heads, context 1024, vocabulary 50257).</summary>
    public static TransformerConfig Gpt2_1_5B { get; } = new()
    {
        Name = "gpt2_1.5b", Layers = 48, Hidden = 1600, Heads = 25, Sequence = 1024, Vocabulary = 50257,
        Source = "Radford et al. 2019 (GPT-2 XL, 1.5B)",
    };

    /// <summary>
    /// Llama-2-7B: Touvron et al. 2023 (32 layers, hidden 4096, 32 heads, context 4096, vocabulary
    /// 32000, SwiGLU FFN of 11008, no biases, RMSNorm, rotary positions, untied output head, no dropout).
    /// </summary>
    public static TransformerConfig Llama2_7B { get; } = new()
    {
        Name = "llama2_7b", Layers = 32, Hidden = 4096, Heads = 32, Sequence = 4096, Vocabulary = 32000,
        FfnHidden = 11008, GatedFfn = true, Bias = false, RmsNorm = true, LearnedPositions = false,
        TiedEmbeddings = false, Dropout = false,
        Source = "Touvron et al. 2023 (Llama 2 7B)",
    };

    // Declared after the presets: static initialisers run in textual order.
    private static readonly Dictionary<string, Func<ZooOptions, ModelSpec>> Builders = new(StringComparer.OrdinalIgnoreCase)
    {
        ["resnet50"] = o => Cnn(o, 224, (bytes, size) => ResNet.Build("resnet50", ResNet.ResNet50Blocks, bytes, size)),
        ["resnet101"] = o => Cnn(o, 224, (bytes, size) => ResNet.Build("resnet101", ResNet.ResNet101Blocks, bytes, size)),
        ["vgg16"] = o => Cnn(o, 224, (bytes, size) => Vgg.Build16(bytes, size)),
        ["inception_v3"] = o => Cnn(o, 299, (bytes, size) => InceptionV3.Build(bytes, size)),
        ["bert_large"] = o => Transformer.Bert(Configure(BertLarge, o)),
        ["gpt3_175b"] = o => Transformer.Gpt(Configure(Gpt3_175B, o)),
        ["gpt3_13b"] = o => Transformer.Gpt(Configure(Gpt3_13B, o)),
        ["gpt2_1.5b"] = o => Transformer.Gpt(Configure(Gpt2_1_5B, o)),
        ["llama2_7b"] = o => Transformer.Gpt(Configure(Llama2_7B, o)),
    };

    private static readonly Dictionary<string, TransformerConfig> TransformerPresets = new(StringComparer.OrdinalIgnoreCase)
    {
        ["bert_large"] = BertLarge, ["gpt3_175b"] = Gpt3_175B, ["gpt3_13b"] = Gpt3_13B, ["gpt2_1.5b"] = Gpt2_1_5B, ["llama2_7b"] = Llama2_7B,
    };

    /// <summary>The hyperparameters of a zoo transformer (as <see cref="Get"/> would configure them), or
    /// null for non-transformers: pipeline and memory models need them for the exact activation formulas.</summary>
    public static TransformerConfig? TransformerConfigFor(string name, ZooOptions? options = null) =>
        TransformerPresets.TryGetValue(name.Trim(), out var preset) ? Configure(preset, options ?? ZooOptions.Default) : null;

    /// <summary>Valid names for <see cref="Get"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = Builders.Keys.ToArray();

    private static ModelSpec Cnn(ZooOptions o, int defaultImage, Func<int, int, ModelSpec> build)
    {
        if (o.SequenceLength is not null)
            throw new ArgumentException("ZooOptions.SequenceLength applies to transformers only, not to CNNs", nameof(o));
        return build(o.CnnBytes(), o.Image(defaultImage));
    }

    private static TransformerConfig Configure(TransformerConfig preset, ZooOptions o)
    {
        if (o.ImageSize is not null)
            throw new ArgumentException($"ZooOptions.ImageSize applies to CNNs only, not to transformer '{preset.Name}'", nameof(o));
        return preset with { BytesPerElement = o.TransformerBytes(), Sequence = o.Sequence(preset.Sequence), FlashAttention = o.FlashAttention, FlashAttention1 = o.FlashAttention1, FlashAttention2 = o.FlashAttention2, AttentionUnpad = o.AttentionUnpad };
    }
}
