using Sim.Models.Workloads;

namespace Sim.Models.Tests.Workloads;

/// <summary>Korthikanti et al. 2022, Table 2, and the generalised per-tensor accounting behind it.</summary>
public class TransformerActivationMemoryTests
{
    private const double S = 2048, H = 12288, A = 96; // GPT-3 175B

    [Fact]
    public void No_parallelism_is_sbh_times_34_plus_5as_over_h()
    {
        double b = 3;
        Assert.Equal(S * b * H * (34 + 5 * A * S / H), TransformerActivationMemory.PerLayerBytes(S, b, H, A));
        // The paper's remark for GPT-3: the attention-core term 5as/h is 80, over twice the 34.
        Assert.Equal(80.0, 5 * A * S / H);
    }

    [Theory]
    [InlineData(8, false, Recomputation.None)]
    [InlineData(8, true, Recomputation.None)]
    [InlineData(8, false, Recomputation.Selective)]
    [InlineData(8, true, Recomputation.Selective)]
    [InlineData(8, true, Recomputation.Full)]
    [InlineData(8, false, Recomputation.Full)]
    [InlineData(4, true, Recomputation.None)]
    public void Table_2_rows(int t, bool sp, Recomputation r)
    {
        double sbh = S * 1 * H;
        double expected = (sp, r) switch
        {
            (false, Recomputation.None) => sbh * (10 + 24.0 / t + 5 * A * S / (H * t)),
            (true, Recomputation.None) => sbh * (34.0 / t + 5 * A * S / (H * t)),
            (false, Recomputation.Selective) => sbh * (10 + 24.0 / t),
            (true, Recomputation.Selective) => sbh * 34.0 / t,
            // Full: the layer's 16-bit input, the sequence-parallel shard of it under sequence parallelism
            // (Megatron-Core checkpoints the block input it is handed: s/t tokens).
            (true, Recomputation.Full) => 2 * sbh / t,
            _ => 2 * sbh,
        };
        Assert.Equal(expected, TransformerActivationMemory.PerLayerBytes(S, 1, H, A, t, sp, r), 1e-9 * expected);
    }

    [Fact]
    public void Parallelism_and_recomputation_never_increase_memory()
    {
        foreach (int t in new[] { 1, 2, 4, 8 })
        {
            double none = TransformerActivationMemory.PerLayerBytes(S, 1, H, A, t);
            double sp = TransformerActivationMemory.PerLayerBytes(S, 1, H, A, t, sequenceParallel: true);
            double selective = TransformerActivationMemory.PerLayerBytes(S, 1, H, A, t, true, Recomputation.Selective);
            double full = TransformerActivationMemory.PerLayerBytes(S, 1, H, A, t, true, Recomputation.Full);
            Assert.True(sp <= none && selective < sp);
            Assert.True(full < selective); // 2 < 34/t for t up to 16
            if (t > 1) Assert.True(none < TransformerActivationMemory.PerLayerBytes(S, 1, H, A, t / 2));
        }
    }

    [Fact]
    public void Generalised_accounting_reduces_to_the_paper_for_16_bit_gpt()
    {
        var gpt3 = ModelZoo.Gpt3_175B;
        Assert.Equal(S * H * (34 + 5 * A * S / H), TransformerActivationMemory.PerLayerBytes(gpt3));
        Assert.Equal(S * H * (34 + 5 * A * S / H), ModelZoo.Get("gpt3_175b").Layers[1].StoredActivationBytes);
    }

    [Fact]
    public void Generalised_accounting_for_llama_without_dropout_and_with_gated_ffn()
    {
        // p = 2, no dropout masks: attention 5p sbh + p as^2 b; MLP p sbh + 4p sbf; norms 2p sbh.
        double s = 4096, h = 4096, a = 32, f = 11008, p = 2;
        double expected = 5 * p * s * h + p * a * s * s + p * s * h + 4 * p * s * f + 2 * p * s * h;
        Assert.Equal(expected, TransformerActivationMemory.PerLayerBytes(ModelZoo.Llama2_7B));
    }

    [Fact]
    public void Bad_sizes_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TransformerActivationMemory.PerLayerBytes(0, 1, H, A));
        Assert.Throws<ArgumentOutOfRangeException>(() => TransformerActivationMemory.PerLayerBytes(S, 1, H, A, t: 0));
    }
}
