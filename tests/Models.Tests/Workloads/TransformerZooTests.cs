using Sim.Models.Workloads;

namespace Sim.Models.Tests.Workloads;

/// <summary>
/// Transformers against closed forms from the papers (Narayanan et al. SC'21 eq. 2 and 3) and
/// published parameter counts. Each expected value is computed here from the formula, not read back
/// from the builder.
/// </summary>
public class TransformerZooTests
{
    private static double Blocks(ModelSpec m, Func<Layer, double> f) => m.Layers.Where(l => l.Kind == "attention").Sum(f);

    [Fact]
    public void Gpt3_175b_parameters_follow_Narayanan_equation_2_plus_the_final_layernorm()
    {
        double l = 96, h = 12288, v = 50257, s = 2048;
        double eq2 = 12 * l * h * h * (1 + 13 / (12 * h) + (v + s) / (12 * l * h));
        var model = ModelZoo.Get("gpt3_175b");
        // Eq. 2 leaves out the final LayerNorm's 2h parameters; the builder includes them.
        Assert.Equal(eq2 + 2 * h, model.Parameters, 1e-9 * eq2);
        // Published: "175B" (Brown et al. Table 2.1: 175.0B); eq. 2 gives 174.6B.
        Assert.InRange(model.Parameters, 174.55e9, 174.65e9);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(512)]
    public void Training_flops_per_iteration_match_Megatron_without_recomputation(int batch)
    {
        // 3 x forward: l (24 B s h^2 + 4 B s^2 h) + 2 B s h V, i.e. 72 B s l h^2 (1 + s/(6h) + V/(12 l h)).
        // (Narayanan et al. eq. 3 writes V/(16 l h) inside its 96 B s l h^2 form, which includes
        // recomputation; without it the logit term becomes V/(12 l h).)
        double l = 96, h = 12288, v = 50257, s = 2048, B = batch;
        double expected = 72 * B * s * l * h * h * (1 + s / (6 * h) + v / (12 * l * h));
        var model = ModelZoo.Get("gpt3_175b");
        Assert.Equal(expected, B * model.TrainingFlopsPerSample, 1e-12 * expected);
    }

    [Fact]
    public void Training_flops_with_full_recomputation_match_Narayanan_equation_3()
    {
        // Full recomputation reruns every block's forward (4 x block forward) but not the LM head (3 x).
        double l = 96, h = 12288, v = 50257, s = 2048, B = 1536;
        double eq3 = 96 * B * s * l * h * h * (1 + s / (6 * h) + v / (16 * l * h));
        var model = ModelZoo.Get("gpt3_175b");
        double perSample = model.Layers.Sum(x => x.ForwardFlops + x.BackwardFlops + (x.Kind == "attention" ? x.ForwardFlops : 0));
        Assert.Equal(eq3, B * perSample, 1e-12 * eq3);
    }

    [Fact]
    public void Gpt_builder_has_one_layer_per_block_plus_embedding_and_tied_head()
    {
        var model = ModelZoo.Gpt(layers: 4, hidden: 256, heads: 8, sequence: 128, vocabulary: 1000);
        Assert.Equal(4 + 2, model.Layers.Count);
        Assert.Equal("embedding", model.Layers[0].Kind);
        Assert.Equal("matmul", model.Layers[^1].Kind);
        Assert.Equal(2.0 * 256, model.Layers[^1].Parameters); // tied: only the final LayerNorm
        Assert.Equal(128, model.TokensPerSample);
        foreach (var block in model.Layers.Where(l => l.Kind == "attention"))
            Assert.Equal(24.0 * 128 * 256 * 256 + 4.0 * 128 * 128 * 256, block.ForwardFlops);
        var untied = ModelZoo.Gpt(4, 256, 8, 128, 1000, tiedEmbeddings: false);
        Assert.Equal(model.Parameters + 1000.0 * 256, untied.Parameters);
    }

    [Fact]
    public void Bert_large_parameters_match_the_closed_form_and_round_to_the_published_340M()
    {
        double l = 24, h = 1024, v = 30522, s = 512;
        double embeddings = v * h + s * h + 2 * h + 2 * h;  // word, position, 2 token types, LayerNorm
        double encoder = l * (12 * h * h + 13 * h);
        double pooler = h * h + h;
        double bertModel = embeddings + encoder + pooler;   // Hugging Face BertModel: 335,141,888
        Assert.Equal(335_141_888, bertModel);
        double heads = (2 * h + 2) + (h * h + h + 2 * h + v); // NSP classifier; MLM transform, LayerNorm, decoder bias
        var model = ModelZoo.Get("bert_large");
        Assert.Equal(bertModel + heads, model.Parameters);
        // Devlin et al. print "340M": two significant figures, i.e. [335M, 345M).
        Assert.InRange(model.Parameters, 335e6, 345e6 - 1);
        Assert.Equal(24, model.Layers.Count(x => x.Kind == "attention"));
    }

    [Fact]
    public void Gpt2_xl_parameters_match_the_published_1_5B_model()
    {
        double l = 48, h = 1600, v = 50257, s = 1024;
        double closedForm = 12 * l * h * h + 13 * l * h + (v + s) * h + 2 * h;
        Assert.Equal(1_557_611_200, closedForm); // Hugging Face gpt2-xl parameter count
        Assert.Equal(closedForm, ModelZoo.Get("gpt2_1.5b").Parameters);
    }

    [Fact]
    public void Gpt3_13b_uses_40_heads_of_128_and_the_paper_table_implies_d_model_5140()
    {
        static double Eq2(double l, double h, double v, double s) => 12 * l * h * h * (1 + 13 / (12 * h) + (v + s) / (12 * l * h));
        var model = ModelZoo.Get("gpt3_13b");
        Assert.Equal(Eq2(40, 5120, 50257, 2048) + 2 * 5120, model.Parameters, 1.0);
        // Brown et al. print 13.0B; that rounding comes from their d_model 5140, not from 5120 = 40 x 128.
        Assert.Equal(13.0, Math.Round(Eq2(40, 5140, 50257, 2048) / 1e9, 1));
        Assert.InRange(model.Parameters, 12.85e9, 12.86e9);
    }

    [Fact]
    public void Llama2_7b_uses_three_ffn_matrices_no_biases_rmsnorm_and_an_untied_head()
    {
        double l = 32, h = 4096, f = 11008, v = 32000, s = 4096;
        double perBlock = 4 * h * h + 3 * h * f + 2 * h;
        double closedForm = l * perBlock + v * h + (v * h + h);
        Assert.Equal(6_738_415_616, closedForm); // Meta's Llama-2-7b checkpoint ("6.74B")
        var model = ModelZoo.Get("llama2_7b");
        Assert.Equal(closedForm, model.Parameters);
        double blockForward = 8 * s * h * h + 4 * s * s * h + 6 * s * h * f;
        Assert.Equal(l * blockForward, Blocks(model, x => x.ForwardFlops));
        Assert.Equal(2 * s * h * v, model.Layers[^1].ForwardFlops);
    }

    [Fact]
    public void Sequence_and_precision_options_reach_the_model()
    {
        var shorter = ModelZoo.Get("gpt3_175b", new ZooOptions { SequenceLength = 1024, BytesPerElement = 4 });
        Assert.Equal(1024, shorter.TokensPerSample);
        Assert.Equal(1024.0 * 12288 * 4, shorter.Layers[1].OutputActivationBytes);
        Assert.Equal(ModelZoo.Get("gpt3_175b").Parameters - 1024.0 * 12288, shorter.Parameters); // learned positions shrink
    }

    [Fact]
    public void Hidden_size_must_divide_into_heads()
    {
        var e = Assert.Throws<ArgumentException>(() => ModelZoo.Gpt(2, 5140, 40, 2048, 50257));
        Assert.Contains("divisible", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelZoo.Gpt(0, 256, 8, 128, 1000));
    }
}

/// <summary>Transformer variants (grouped-query attention, gated FFN, untied head) against a published count.</summary>
public sealed class TransformerVariantTests
{
    [Fact]
    public void Llama2_70B_with_grouped_query_attention_has_its_published_parameter_count()
    {
        // Touvron et al. 2023: 80 layers, hidden 8192, 64 heads, 8 key/value heads (GQA), SwiGLU FFN of
        // 28672, vocabulary 32000, untied head, RMSNorm, no biases. Hugging Face's
        // Llama-2-70b-hf reports 68,976,648,192 parameters.
        var c = new TransformerConfig
        {
            Name = "llama2_70b", Layers = 80, Hidden = 8192, Heads = 64, KvHeads = 8, Sequence = 4096, Vocabulary = 32000,
            FfnHidden = 28672, GatedFfn = true, Bias = false, RmsNorm = true, LearnedPositions = false, TiedEmbeddings = false, Dropout = false,
        };
        Assert.Equal(68_976_648_192d, Transformer.Gpt(c).Parameters);
    }

    [Fact]
    public void Kv_heads_must_divide_the_query_heads()
    {
        var c = new TransformerConfig { Name = "x", Layers = 1, Hidden = 1024, Heads = 16, KvHeads = 5, Sequence = 8, Vocabulary = 8 };
        var e = Assert.Throws<ArgumentException>(() => Transformer.Gpt(c));
        Assert.Contains("key/value heads", e.Message);
    }
}
