using Sim.Models.Compute;
using Sim.Models.Hardware;
using Sim.Models.Workloads;

namespace Sim.Models.Tests.Compute;

/// <summary>
/// model.attention: flash2 runs the FlashAttention-2 kernel itself at its measured speed relative to the
/// kernel the device's attention figures describe: the same on A100 (the figures are FlashAttention-2's),
/// slower on Hopper (the figures are cuDNN's; FlashAttention-3 paper Figs. 5-6 give FlashAttention-2 at
/// 362 / 617 TFLOP/s forward and 291 / 465 backward).
/// </summary>
public sealed class FlashAttention2SpeedTests
{
    private static readonly AttentionKernel Device = new("attention", Heads: 16, Sequence: 2048, HeadDim: 128, Causal: true);
    private static readonly AttentionKernel Fa2 = Device with { SecondGeneration = true };

    private static Layer Layer(KernelOp op) => new()
    {
        Name = op.Name, Kind = "test", ForwardFlops = 0, BackwardFlops = 0, Parameters = 0, OutputActivationBytes = 0, Kernels = [op],
    };

    [Fact]
    public void On_Hopper_FlashAttention2_takes_the_cuDNN_time_over_its_measured_relative_speed_per_direction()
    {
        var h100 = new KernelCompute(HardwarePresets.H100Sxm, Precision.Bf16);
        double overhead = h100.Facts.KernelOverheadSeconds;
        Assert.Equal(362.0 / 617, h100.Facts.FlashAttention2ForwardRelativeSpeed!.Value, 12);
        Assert.Equal(291.0 / 465, h100.Facts.FlashAttention2BackwardRelativeSpeed!.Value, 12);
        foreach (var (phase, speed) in new[] { (Phase.Forward, 362.0 / 617), (Phase.Backward, 291.0 / 465) })
        {
            double device = h100.LayerTime(Layer(Device), phase, 4) - overhead;
            Assert.Equal(device / speed, h100.LayerTime(Layer(Fa2), phase, 4) - overhead, 12);
        }
    }

    [Fact]
    public void On_A100_the_attention_figures_are_FlashAttention2s_own_so_flash2_costs_the_same()
    {
        var a100 = new KernelCompute(HardwarePresets.A100Sxm80, Precision.Bf16);
        foreach (var phase in new[] { Phase.Forward, Phase.Backward })
            Assert.Equal(a100.LayerTime(Layer(Device), phase, 4), a100.LayerTime(Layer(Fa2), phase, 4), 15);
    }

    [Fact]
    public void Only_the_attention_kernel_changes_in_a_flash2_block()
    {
        var config = new TransformerConfig { Name = "t", Layers = 2, Hidden = 2048, Heads = 16, Sequence = 2048, Vocabulary = 32000 };
        var h100 = new KernelCompute(HardwarePresets.H100Sxm, Precision.Bf16);
        var block = Transformer.Gpt(config).Layers[1];
        var block2 = Transformer.Gpt(config with { FlashAttention2 = true }).Layers[1];
        var attention = Assert.Single(block.Kernels!.OfType<AttentionKernel>());
        double extra = h100.LayerTime(Layer(attention with { SecondGeneration = true }), Phase.Backward, 2) - h100.LayerTime(Layer(attention), Phase.Backward, 2);
        Assert.True(extra > 0);
        Assert.Equal(h100.LayerTime(block, Phase.Backward, 2) + extra, h100.LayerTime(block2, Phase.Backward, 2), 12);
        Assert.Throws<ArgumentException>(() => Transformer.Gpt(config with { FlashAttention = false, FlashAttention2 = true }));
        Assert.Throws<ArgumentException>(() => Transformer.Gpt(config with { FlashAttention1 = true, FlashAttention2 = true }));
    }

    [Fact]
    public void Refused_where_its_speed_was_never_measured()
    {
        var facts = HardwarePresets.H100Sxm.Kernels! with { FlashAttention2ForwardRelativeSpeed = null, FlashAttention2BackwardRelativeSpeed = null };
        var device = HardwarePresets.H100Sxm with { Kernels = facts };
        var e = Assert.Throws<SpecError>(() => new KernelCompute(device, Precision.Bf16).LayerTime(Layer(Fa2), Phase.Forward, 1));
        Assert.Contains("flash_attention_2_forward_relative_speed", e.Message);
        // Forward without backward (or the reverse) is a malformed device.
        Assert.Throws<SpecError>(() => new KernelCompute(HardwarePresets.H100Sxm with { Kernels = facts with { FlashAttention2ForwardRelativeSpeed = 0.5 } }, Precision.Bf16));
    }
}
