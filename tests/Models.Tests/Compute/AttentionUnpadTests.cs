using Sim.Models.Compute;
using Sim.Models.Hardware;
using Sim.Models.Workloads;

namespace Sim.Models.Tests.Compute;

/// <summary>
/// llm-foundry's flash path hands FlashAttention-2 unpadded ("varlen") rows: flash_attn.bert_padding gathers q, k and v
/// before the kernel and scatters the output into a zero-filled tensor after it, and the backward runs the inverse
/// functions. The block costs exactly those copies more, at the device's streaming bandwidth, and nothing else.
/// </summary>
public sealed class AttentionUnpadTests
{
    private static readonly DeviceSpec H100 = HardwarePresets.H100Sxm;
    private static readonly GpuKernelFacts F = H100.Kernels!;

    private static TransformerConfig Block(bool unpad, int? kvHeads = null) => new()
    {
        Name = "t", Layers = 2, Hidden = 4096, Heads = 32, KvHeads = kvHeads, Sequence = 2048, Vocabulary = 50368,
        FlashAttention = true, FlashAttention2 = true, AttentionUnpad = unpad,
    };

    private static double Stream(double bytes) => bytes / (H100.MemoryBandwidth * F.MemoryEfficiency) + F.KernelOverheadSeconds;

    [Theory]
    [InlineData(null)] // multi-head: q, k, v each s x h
    [InlineData(8)]    // grouped-query: k and v 8 heads wide
    public void The_copies_cost_their_bytes_at_streaming_bandwidth(int? kvHeads)
    {
        const int batch = 6;
        double s = 2048, h = 4096, p = 2, d = 128;
        double qkvWidth = h + 2 * (kvHeads ?? 32) * d;
        var compute = new KernelCompute(H100, Precision.Bf16);
        var plain = Transformer.Gpt(Block(false, kvHeads)).Layers[1];
        var unpadded = Transformer.Gpt(Block(true, kvHeads)).Layers[1];
        // Forward: q, k, v gathered (read + write), the output zero-filled then index-put (write, read + write).
        double forward = Stream(2 * s * qkvWidth * p * batch) + Stream(3 * s * h * p * batch);
        Assert.Equal(compute.LayerTime(plain, Phase.Forward, batch) + forward, compute.LayerTime(unpadded, Phase.Forward, batch), 12);
        // Backward: the output gradient gathered (read + write), q, k, v's gradients scattered into zeros (write, read + write).
        double backward = Stream(3 * s * qkvWidth * p * batch) + Stream(2 * s * h * p * batch);
        Assert.Equal(compute.LayerTime(plain, Phase.Backward, batch) + backward, compute.LayerTime(unpadded, Phase.Backward, batch), 12);
        // FLOPs and parameters are the kernel's: copies do no arithmetic the model counts.
        Assert.Equal(plain.ForwardFlops, unpadded.ForwardFlops);
        Assert.Equal(plain.Parameters, unpadded.Parameters);
    }

    [Fact]
    public void MPT_7B_pays_about_two_percent_of_its_block()
    {
        // 40 bytes per token and hidden unit against a block of ~24 h^2 + 4 s h FLOPs per token at ~680 TFLOP/s.
        var compute = new KernelCompute(H100, Precision.Bf16);
        double Step(Layer l) => compute.LayerTime(l, Phase.Forward, 6) + compute.LayerTime(l, Phase.Backward, 6);
        double ratio = Step(Transformer.Gpt(Block(true)).Layers[1]) / Step(Transformer.Gpt(Block(false)).Layers[1]);
        Assert.InRange(ratio, 1.015, 1.03);
    }

    [Fact]
    public void Unpadding_needs_a_fused_kernel()
    {
        var e = Assert.Throws<ArgumentException>(() => Transformer.Gpt(Block(true) with { FlashAttention = false, FlashAttention2 = false }));
        Assert.Contains("unpadded (varlen) attention", e.Message);
    }
}
