using Sim.Models.Collectives;
using Sim.Models.Compute;
using Sim.Models.Hardware;
using Sim.Models.Tests.Collectives;
using Sim.Models.Workloads;
using static Sim.Models.Tests.Network.TestTopologies;

namespace Sim.Models.Tests.Workloads;

/// <summary>Mixture-of-experts transformers: a published parameter count, FLOPs per token, and the
/// expert-parallel all-to-all volume against its formula.</summary>
public sealed class MoeTests
{
    private static readonly TransformerConfig Mixtral = new()
    {
        // Mistral AI, "Mixtral of Experts" (arXiv:2401.04088), Table 1: 32 layers, dim 4096, 32 heads,
        // 8 KV heads, hidden 14336, 8 experts, top-2, vocabulary 32000; SwiGLU, RMSNorm, no biases, untied head.
        Name = "mixtral_8x7b", Layers = 32, Hidden = 4096, Heads = 32, KvHeads = 8, Sequence = 4096, Vocabulary = 32000,
        FfnHidden = 14336, GatedFfn = true, Experts = 8, TopK = 2, Bias = false, RmsNorm = true, LearnedPositions = false,
        TiedEmbeddings = false, Dropout = false,
    };

    [Fact]
    public void Mixtral_8x7B_has_its_published_parameter_count()
    {
        // Hugging Face's Mixtral-8x7B-v0.1 reports 46,702,792,704 parameters.
        Assert.Equal(46_702_792_704d, Transformer.Gpt(Mixtral).Parameters);
    }

    [Fact]
    public void A_token_runs_top_k_experts_FFNs_plus_the_router()
    {
        var dense = Mixtral with { Experts = 1, TopK = 1 };
        double s = 4096, h = 4096, f = 14336;
        double extra = 6 * s * h * f * (2 - 1) + 2 * s * h * 8; // one more expert's FFN and the router per token
        Assert.Equal(Transformer.BlockForwardFlops(dense) + extra, Transformer.BlockForwardFlops(Mixtral), 6);
        // The kernel-level model runs the routed rows: the expert GEMMs see s x top-k rows.
        var fc1 = Transformer.BlockKernels(Mixtral, causal: true).OfType<GemmKernel>().Single(g => g.Name == "fc1");
        Assert.Equal(s * 2, fc1.RowsPerSample);
        Assert.Contains(Transformer.BlockKernels(Mixtral, causal: true), k => k.Name == "router");
        Assert.True(new KernelCompute(HardwarePresets.H100Sxm, Precision.Bf16).LayerTime(Transformer.Gpt(Mixtral).Layers[1], Phase.Forward, 1) > 0);
    }

    [Theory]
    [InlineData(4, 4096.0, 2)]
    [InlineData(8, 8192.0, 2)]
    [InlineData(16, 2048.0, 1)]
    public void Expert_parallel_all_to_all_moves_the_formulas_bytes(int ep, double tokens, int topK)
    {
        const int hidden = 4096, bytes = 2;
        double buffer = MoeTraffic.RoutedBufferBytes(tokens, topK, hidden, bytes);
        double sent = MoeTraffic.AllToAllBytesPerGpu(tokens, topK, hidden, bytes, ep);
        Assert.Equal(tokens * topK * hidden * bytes * (ep - 1) / ep, sent, 6);
        // On a non-blocking switch the all-to-all of that buffer takes one latency plus the bytes each
        // GPU sends at link speed: the volume on the wire is the formula's.
        double time = CollectiveOracleTests.Time(Uniform(ep), true, net => new AllToAll(net, Enumerable.Range(0, ep).ToArray(), buffer));
        Assert.Equal(Alpha + sent * Beta, time, 9);
    }

    [Fact]
    public void Top_k_above_the_expert_count_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => Transformer.Gpt(Mixtral with { TopK = 9 }));
        Assert.Contains("top-k 9 exceeds the 8 experts", e.Message);
    }
}
