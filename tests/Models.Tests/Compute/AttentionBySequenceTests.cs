using Sim.Models.Compute;
using Sim.Models.Hardware;
using Sim.Models.Workloads;

namespace Sim.Models.Tests.Compute;

/// <summary>
/// Attention rates by the kernel's inner-loop length (hardware key attention_by_sequence, FlashAttention-3
/// paper Figs. 5 (c) and 6, cuDNN, H100): the forward at its key length's rate, the backward at its query
/// length's, read in log2 of the length between measured points and held at the ends.
/// </summary>
public sealed class AttentionBySequenceTests
{
    private static readonly KernelCompute H100 = new(HardwarePresets.H100Sxm, Precision.Bf16);

    [Theory]
    [InlineData(2048, 617, 465)]
    [InlineData(16384, 595, 516)]
    [InlineData(131072, 595, 516)] // held at the last measured length
    [InlineData(256, 497, 305)]    // and at the first
    public void The_preset_reads_the_figure_bars_at_measured_lengths(int length, double forwardTflops, double backwardTflops)
    {
        var facts = HardwarePresets.H100Sxm.Kernels!;
        double peak = H100.PeakFlops;
        Assert.Equal(forwardTflops * 1e12 / peak, facts.AttentionForwardEfficiencyAt(length, peak), 12);
        Assert.Equal(backwardTflops * 1e12 / peak, facts.AttentionBackwardEfficiencyAt(length, peak), 12);
    }

    [Fact]
    public void Between_measured_lengths_the_rate_is_read_in_log2_of_the_length()
    {
        var facts = HardwarePresets.H100Sxm.Kernels!;
        // Halfway in log2 between 4k and 8k: the mean of the two bars.
        Assert.Equal((499.0 + 518) / 2 * 1e12 / H100.PeakFlops, facts.AttentionBackwardEfficiencyAt(Math.Sqrt(4096.0 * 8192), H100.PeakFlops), 12);
        // Without a table the single figures hold at every length.
        var bare = facts with { AttentionBySequence = [] };
        Assert.Equal(bare.AttentionBackwardEfficiency, bare.AttentionBackwardEfficiencyAt(65536, H100.PeakFlops));
        Assert.Equal(bare.AttentionForwardEfficiency, bare.AttentionForwardEfficiencyAt(512, H100.PeakFlops));
    }

    [Fact]
    public void A_kernel_is_timed_at_its_keys_forward_and_its_queries_backward()
    {
        // 16k queries against 32k keys, 8 heads: forward at the 32k (held 16k) bar, backward at the 16k bar;
        // at the sustained clock, plus one kernel overhead.
        var a = new AttentionKernel("attention", 8, 16384, 128, Causal: false, Keys: 32768);
        var layer = new Layer { Name = "a", Kind = "attention_core", ForwardFlops = a.ForwardFlops, BackwardFlops = 0, Parameters = 0, OutputActivationBytes = 0, Kernels = [a] };
        var facts = H100.Facts;
        double clock = facts.SustainedClockFraction, overhead = facts.KernelOverheadSeconds;
        Assert.Equal(a.ForwardFlops / (595e12 * clock) + overhead, H100.LayerTime(layer, Phase.Forward, 1), 12);
        Assert.Equal(2.5 * a.ForwardFlops / (516e12 * clock) + overhead, H100.LayerTime(layer, Phase.Backward, 1), 12);
        // The same work over 2k queries runs backward at the 2k bar: slower per FLOP.
        var shortLoop = a with { Sequence = 2048, Keys = 2048 };
        var shortLayer = layer with { ForwardFlops = shortLoop.ForwardFlops, Kernels = [shortLoop] };
        Assert.Equal(2.5 * shortLoop.ForwardFlops / (465e12 * clock) + overhead, H100.LayerTime(shortLayer, Phase.Backward, 1), 12);
    }

    [Fact]
    public void A_table_out_of_order_or_without_rates_is_refused_naming_the_row()
    {
        var facts = HardwarePresets.H100Sxm.Kernels!;
        var shuffled = facts with { AttentionBySequence = [(4096, 609, 499), (2048, 617, 465)] };
        var e = Assert.Throws<SpecError>(() => shuffled.Validate("k"));
        Assert.Contains("attentionBySequence[1]", e.Message);
        var zero = facts with { AttentionBySequence = [(2048, 617, 0), (4096, 609, 499)] };
        Assert.Contains("attentionBySequence[0]", Assert.Throws<SpecError>(() => zero.Validate("k")).Message);
    }
}
