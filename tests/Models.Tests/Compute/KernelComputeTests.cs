using Sim.Models.Compute;
using Sim.Models.Hardware;
using Sim.Models.Workloads;

namespace Sim.Models.Tests.Compute;

/// <summary>
/// The kernel-level compute model: a transformer block is the sum of its kernels' closed forms,
/// backward GEMMs are the input- and weight-gradient products, attention runs at the flash-attention
/// rates, and tensor parallelism splits shapes (not the replicated element-wise work).
/// </summary>
public sealed class KernelComputeTests
{
    private static readonly DeviceSpec A100 = HardwarePresets.A100Sxm80;
    private static readonly GpuKernelFacts F = A100.Kernels!;
    private const double Peak = 312e12;
    /// <summary>Tensor-core kernels run at the clock the A100 sustains at its power limit.</summary>
    private static readonly double Clock = F.SustainedClockFraction;
    /// <summary>The causal forward kernel's rate relative to the unmasked one (FlashAttention-2 paper, Fig. 5).</summary>
    private static readonly double CausalForward = F.CausalAttentionForwardRelativeEfficiency;

    private static TransformerConfig Small(bool flash = true) => new()
    {
        Name = "t", Layers = 2, Hidden = 1024, Heads = 16, Sequence = 1024, Vocabulary = 32000, FlashAttention = flash,
    };

    private static double Gemm(double m, double n, double k, double count = 1) => GemmCost.Seconds(m, n, k, F, Peak, A100.MemoryBandwidth, 2, count);
    private static double Stream(double bytes) => bytes / (A100.MemoryBandwidth * F.MemoryEfficiency) + F.KernelOverheadSeconds;

    [Fact]
    public void A_block_forward_is_the_sum_of_its_kernels()
    {
        var c = Small();
        var block = Transformer.Gpt(c).Layers[1];
        double s = 1024, h = 1024, b = 2, p = 2, hidden = s * h * p * b, mask = s * h * b;
        double attention = 4 * s * s * 64 * 16 * 0.5 * b / (Peak * Clock * F.AttentionForwardEfficiency * CausalForward) + F.KernelOverheadSeconds;
        double expected = Stream(2 * hidden) + Gemm(s * b, 3 * h, h) + attention + Gemm(s * b, h, h) + Stream(3 * hidden + mask)
                          + Stream(2 * hidden) + Gemm(s * b, 4 * h, h) + Stream(2 * s * 4 * h * p * b) + Gemm(s * b, h, 4 * h) + Stream(3 * hidden + mask);
        Assert.Equal(expected, new KernelCompute(A100, Precision.Bf16).LayerTime(block, Phase.Forward, 2), 12);
    }

    [Fact]
    public void Backward_GEMMs_are_the_input_and_weight_gradient_products()
    {
        var layer = Layer(new GemmKernel("fc", 1024, 4096, 1024, TensorSplit.Columns));
        var compute = new KernelCompute(A100, Precision.Bf16);
        double m = 1024 * 3;
        Assert.Equal(Gemm(m, 4096, 1024), compute.LayerTime(layer, Phase.Forward, 3), 12);
        Assert.Equal(Gemm(m, 1024, 4096) + Gemm(1024, 4096, m), compute.LayerTime(layer, Phase.Backward, 3), 12);
    }

    [Fact]
    public void Flash_attention_backward_does_two_and_a_half_times_the_forward_work()
    {
        var a = new AttentionKernel("attention", Heads: 32, Sequence: 2048, HeadDim: 128, Causal: true);
        var compute = new KernelCompute(A100, Precision.Bf16);
        double flops = 4.0 * 2048 * 2048 * 128 * 32 / 2;
        Assert.Equal(flops, a.ForwardFlops);
        Assert.Equal(flops / (Peak * Clock * F.AttentionForwardEfficiency * CausalForward) + F.KernelOverheadSeconds, compute.LayerTime(Layer(a), Phase.Forward, 1), 12);
        Assert.Equal(2.5 * flops / (Peak * Clock * F.AttentionBackwardEfficiency) + F.KernelOverheadSeconds, compute.LayerTime(Layer(a), Phase.Backward, 1), 12);
    }

    [Fact]
    public void Tensor_parallelism_splits_shapes_but_not_replicated_work()
    {
        var compute = new KernelCompute(A100, Precision.Bf16);
        var norm = Layer(new StreamKernel("norm", 1e8, TensorSplit.Replicated));
        Assert.Equal(compute.LayerTime(norm, Phase.Forward, 1), compute.ShardedLayerTime(norm, Phase.Forward, 1, 8, sequenceParallel: false), 15);
        Assert.Equal(Stream(1e8 / 8), compute.ShardedLayerTime(norm, Phase.Forward, 1, 8, sequenceParallel: true), 15);

        var fc1 = Layer(new GemmKernel("fc1", 2048, 4 * 12288, 12288, TensorSplit.Columns));
        var fc2 = Layer(new GemmKernel("fc2", 2048, 12288, 4 * 12288, TensorSplit.Rows));
        Assert.Equal(Gemm(2048, 4 * 12288 / 8.0, 12288), compute.ShardedLayerTime(fc1, Phase.Forward, 1, 8, false), 12);
        Assert.Equal(Gemm(2048, 12288, 4 * 12288 / 8.0), compute.ShardedLayerTime(fc2, Phase.Forward, 1, 8, false), 12);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void A_tensor_rank_never_beats_a_perfect_split_nor_exceeds_the_whole(int t)
    {
        var compute = new KernelCompute(A100, Precision.Bf16);
        foreach (var layer in Transformer.Gpt(Small() with { Hidden = 4096, Heads = 32 }).Layers)
            foreach (var phase in new[] { Phase.Forward, Phase.Backward })
            {
                double whole = compute.LayerTime(layer, phase, 1), share = compute.ShardedLayerTime(layer, phase, 1, t, false);
                Assert.InRange(share, whole / t * (1 - 1e-12), whole * (1 + 1e-12));
            }
    }

    [Fact]
    public void Unfused_attention_materialises_the_probabilities()
    {
        var compute = new KernelCompute(A100, Precision.Bf16);
        var flash = Transformer.Gpt(Small(flash: true)).Layers[1];
        var unfused = Transformer.Gpt(Small(flash: false)).Layers[1];
        Assert.Equal(flash.ForwardFlops, unfused.ForwardFlops); // same model FLOPs
        double s = 1024, heads = 16, d = 64;
        double scores = Gemm(s, s, d, heads) + Stream(2 * heads * s * s * 2) + Stream(5 * heads * s * s) + Gemm(s, d, s, heads);
        double fused = 4 * s * s * d * heads * 0.5 / (Peak * Clock * F.AttentionForwardEfficiency * CausalForward) + F.KernelOverheadSeconds;
        Assert.Equal(compute.LayerTime(flash, Phase.Forward, 1) - fused + scores, compute.LayerTime(unfused, Phase.Forward, 1), 12);
    }

    [Fact]
    public void Layers_known_only_by_totals_fall_back_to_the_roofline()
    {
        var conv = new Layer { Name = "conv", Kind = "conv", ForwardFlops = 1e12, BackwardFlops = 2e12, ForwardBytes = 1e6, Parameters = 0, OutputActivationBytes = 0 };
        var compute = new KernelCompute(A100, Precision.Bf16);
        Assert.Equal(1e12 / (Peak * F.GemmEfficiency * Clock) + F.KernelOverheadSeconds, compute.LayerTime(conv, Phase.Forward, 1), 15);
    }

    [Fact]
    public void Tensor_core_kernels_run_at_the_sustained_clock_and_streaming_kernels_do_not()
    {
        Assert.InRange(Clock, 0.5, 0.99); // the A100 preset carries a measured clock drop
        var burst = A100 with { Kernels = F with { SustainedClockFraction = 1 } };
        var sustained = new KernelCompute(A100, Precision.Bf16);
        var atBurst = new KernelCompute(burst, Precision.Bf16);
        // Busy time (time less the per-kernel overhead) scales by exactly 1 / clock fraction.
        double Busy(KernelCompute c, KernelOp op, Phase phase) => c.LayerTime(Layer(op), phase, 2) - (phase == Phase.Backward && op is GemmKernel ? 2 : 1) * F.KernelOverheadSeconds;
        var gemm = new GemmKernel("fc1", 2048, 4 * 4096, 4096, TensorSplit.Columns);
        var attention = new AttentionKernel("attention", Heads: 32, Sequence: 2048, HeadDim: 128, Causal: true);
        foreach (var phase in new[] { Phase.Forward, Phase.Backward })
            foreach (KernelOp op in new KernelOp[] { gemm, attention })
                Assert.Equal(Busy(atBurst, op, phase) / Clock, Busy(sustained, op, phase), 12);
        var norm = Layer(new StreamKernel("norm", 1e8, TensorSplit.Replicated));
        Assert.Equal(atBurst.LayerTime(norm, Phase.Forward, 2), sustained.LayerTime(norm, Phase.Forward, 2)); // HBM keeps its clock
    }

    [Theory]
    [InlineData("dgx-a100", 187.0 / 227)] // FlashAttention-2 paper Fig. 5, A100, d=128, 2k: causal / full forward TFLOP/s
    [InlineData("dgx-h100", 484.0 / 617)] // FlashAttention-3 paper Fig. 5, H100 cuDNN, d=128, 2k
    public void Causal_forward_is_half_the_full_work_at_the_measured_relative_rate(string preset, double relative)
    {
        var device = preset == "dgx-a100" ? HardwarePresets.A100Sxm80 : HardwarePresets.H100Sxm;
        var facts = device.Kernels!;
        Assert.Equal(relative, facts.CausalForwardRelativeEfficiencyAt(2048), 12);
        var compute = new KernelCompute(device, Precision.Bf16);
        var full = new AttentionKernel("attention", Heads: 32, Sequence: 2048, HeadDim: 128, Causal: false);
        var causal = full with { Causal = true };
        double fullBusy = compute.LayerTime(Layer(full), Phase.Forward, 2) - facts.KernelOverheadSeconds;
        double causalBusy = compute.LayerTime(Layer(causal), Phase.Forward, 2) - facts.KernelOverheadSeconds;
        // Closed form of the unmasked kernel, then the causal one: half the FLOPs at the relative rate.
        Assert.Equal(2 * 4.0 * 2048 * 2048 * 128 * 32 / (compute.PeakFlops * facts.SustainedClockFraction * facts.AttentionForwardEfficiencyAt(2048, compute.PeakFlops)), fullBusy, 12);
        Assert.Equal(fullBusy * 0.5 / relative, causalBusy, 12);
        Assert.True(causalBusy > 0.5 * fullBusy); // the mask saves less than half the time
        // The backward kernel has no published causal figure on every device: it keeps the unmasked rate.
        double fullBack = compute.LayerTime(Layer(full), Phase.Backward, 2) - facts.KernelOverheadSeconds;
        Assert.Equal(fullBack * 0.5, compute.LayerTime(Layer(causal), Phase.Backward, 2) - facts.KernelOverheadSeconds, 12);
    }

    [Theory]
    [InlineData(512, 315.0 / 497)]    // FlashAttention-3 paper Fig. 5 (c)/(d), H100 cuDNN, d=128: causal / unmasked TFLOP/s
    [InlineData(4096, 518.0 / 609)]
    [InlineData(16384, 539.0 / 595)]
    [InlineData(256, 315.0 / 497)]    // below the shortest measured length: held at it
    [InlineData(131072, 539.0 / 595)] // beyond the longest: held, not extrapolated
    public void Causal_forward_runs_at_the_ratio_measured_at_its_own_length(int sequence, double relative)
    {
        var h100 = new KernelCompute(HardwarePresets.H100Sxm, Precision.Bf16);
        var facts = h100.Facts;
        Assert.Equal(relative, facts.CausalForwardRelativeEfficiencyAt(sequence), 12);
        var causal = new AttentionKernel("attention", Heads: 16, Sequence: sequence, HeadDim: 128, Causal: true);
        double unmaskedRate = h100.PeakFlops * facts.SustainedClockFraction * facts.AttentionForwardEfficiencyAt(sequence, h100.PeakFlops);
        double busy = h100.LayerTime(Layer(causal), Phase.Forward, 1) - facts.KernelOverheadSeconds;
        Assert.Equal(2.0 * sequence * sequence * 128 * 16 / (unmaskedRate * relative), busy, 12);
    }

    [Fact]
    public void Between_measured_lengths_the_ratio_is_read_linearly_in_log2_of_the_length()
    {
        var facts = HardwarePresets.H100Sxm.Kernels!;
        // 4k and 8k measured; halfway in log2 is sqrt(4096 x 8192), a quarter of the way 4096 x 2^0.25.
        Assert.Equal((518.0 / 609 + 529.0 / 600) / 2, facts.CausalForwardRelativeEfficiencyAt(Math.Sqrt(4096.0 * 8192)), 12);
        Assert.Equal(518.0 / 609 + 0.25 * (529.0 / 600 - 518.0 / 609), facts.CausalForwardRelativeEfficiencyAt(4096 * Math.Pow(2, 0.25)), 12);
        // The measured ratio rises with the length (the diagonal blocks are a shrinking share): monotone.
        double previous = 0;
        for (int s = 256; s <= 32768; s += 256)
        {
            double r = facts.CausalForwardRelativeEfficiencyAt(s);
            Assert.True(r >= previous, $"ratio fell at {s}");
            previous = r;
        }
        // A table out of order is refused by key.
        var bad = facts with { CausalAttentionForwardBySequence = [(4096, 0.85), (2048, 0.78)] };
        var e = Assert.Throws<SpecError>(() => bad.Validate("kernels"));
        Assert.Contains("causalAttentionForwardBySequence[1]", e.Message);
    }

    [Theory]
    [InlineData(4096, 16384)] // a context-parallel chunk of 4k queries against the 16k keys gathered before it
    [InlineData(2048, 2048)]  // a square: all of it is the causal square
    public void Causal_chunk_against_longer_keys_is_its_unmasked_rectangle_plus_its_causal_square(int queries, int keys)
    {
        var h100 = new KernelCompute(HardwarePresets.H100Sxm, Precision.Bf16);
        var facts = h100.Facts;
        const int heads = 8, d = 128;
        var chunk = new AttentionKernel("attention", heads, queries, d, Causal: true, Keys: keys);
        // FLOPs: every query against the keys before the chunk (unmasked), and half the q x q square.
        double rectangle = 4.0 * d * heads * queries * (keys - queries), square = 4.0 * d * heads * queries * queries / 2;
        Assert.Equal(rectangle + square, chunk.ForwardFlops, 6);
        // The rectangle at the unmasked rate over all the keys, the square at its own length's rates.
        double clocked = h100.PeakFlops * facts.SustainedClockFraction;
        double busy = h100.LayerTime(Layer(chunk), Phase.Forward, 2) - facts.KernelOverheadSeconds;
        Assert.Equal(2 * (rectangle / (clocked * facts.AttentionForwardEfficiencyAt(keys, h100.PeakFlops))
                          + square / (clocked * facts.AttentionForwardEfficiencyAt(queries, h100.PeakFlops) * facts.CausalForwardRelativeEfficiencyAt(queries))), busy, 12);
        // The backward kernel keeps the unmasked rate on the FLOPs it does, at its query length.
        double back = h100.LayerTime(Layer(chunk), Phase.Backward, 2) - facts.KernelOverheadSeconds;
        Assert.Equal(2 * 2.5 * (rectangle + square) / (clocked * facts.AttentionBackwardEfficiencyAt(queries, h100.PeakFlops)), back, 12);
        // Fewer keys than queries is no kernel anyone runs: refused.
        Assert.Throws<ArgumentException>(() => h100.LayerTime(Layer(chunk with { Sequence = keys, Keys = queries / 2 }), Phase.Forward, 1));
        // An unmasked kernel of the same shape does 4 d q k at the unmasked rate.
        var open = chunk with { Causal = false };
        Assert.Equal(4.0 * d * heads * queries * keys, open.ForwardFlops, 6);
        Assert.Equal(2 * open.ForwardFlops / (clocked * facts.AttentionForwardEfficiencyAt(keys, h100.PeakFlops)), h100.LayerTime(Layer(open), Phase.Forward, 2) - facts.KernelOverheadSeconds, 12);
    }

    [Fact]
    public void FlashAttention1_runs_at_its_measured_speed_relative_to_FlashAttention2()
    {
        var compute = new KernelCompute(A100, Precision.Bf16);
        double speed = F.FlashAttention1RelativeSpeed!.Value;
        Assert.Equal(0.5, speed); // "around 2x" (Dao 2023, abstract)
        var fa2 = new AttentionKernel("attention", Heads: 16, Sequence: 2048, HeadDim: 64, Causal: true);
        var fa1 = fa2 with { Implementation = FlashAttentionKernel.FlashAttention1 };
        foreach (var phase in new[] { Phase.Forward, Phase.Backward })
            Assert.Equal((compute.LayerTime(Layer(fa2), phase, 4) - F.KernelOverheadSeconds) / speed, compute.LayerTime(Layer(fa1), phase, 4) - F.KernelOverheadSeconds, 12);
        // Only the attention kernel changes: a FlashAttention-1 block costs the same GEMMs and streams.
        var block2 = Transformer.Gpt(Small()).Layers[1];
        var block1 = Transformer.Gpt(Small() with { FlashAttention1 = true }).Layers[1];
        var attention = new AttentionKernel("attention", 16, 1024, 64, true);
        double extra = compute.LayerTime(Layer(attention with { Implementation = FlashAttentionKernel.FlashAttention1 }), Phase.Forward, 1) - compute.LayerTime(Layer(attention), Phase.Forward, 1);
        Assert.Equal(compute.LayerTime(block2, Phase.Forward, 1) + extra, compute.LayerTime(block1, Phase.Forward, 1), 12);
    }

    [Theory]
    [InlineData(2048, 362.0 / 617, 298.0 / 484, 291.0 / 465)] // FlashAttention-3 paper Figs. 5 (c), (d), 6: FA2 / cuDNN, H100, d=128, 2k
    [InlineData(16384, 370.0 / 595, 335.0 / 539, 322.0 / 516)] // the same figures' 16k bars: each length at its own ratio
    public void FlashAttention2_on_hopper_runs_at_its_measured_speed_relative_to_cudnn(int sequence, double forward, double causalForward, double backward)
    {
        var h100 = new KernelCompute(HardwarePresets.H100Sxm, Precision.Bf16);
        double overhead = h100.Facts.KernelOverheadSeconds;
        double Busy(AttentionKernel k, Phase phase) => h100.LayerTime(Layer(k), phase, 2) - overhead;
        var cudnn = new AttentionKernel("attention", Heads: 16, Sequence: sequence, HeadDim: 128, Causal: false);
        var fa2 = cudnn with { Implementation = FlashAttentionKernel.FlashAttention2 };
        Assert.Equal(Busy(cudnn, Phase.Forward) / forward, Busy(fa2, Phase.Forward), 12);
        Assert.Equal(Busy(cudnn, Phase.Backward) / backward, Busy(fa2, Phase.Backward), 12);
        Assert.Equal(Busy(cudnn with { Causal = true }, Phase.Forward) / causalForward, Busy(fa2 with { Causal = true }, Phase.Forward), 12);
        // A chunk against longer keys: its unmasked rectangle at FA2's forward speed at its key length, its
        // causal square at FA2's causal speed at its own length, its backward at its query length, each the
        // ratio of the bars at that length (read in log2 of the length between them: 4k is a bar, s/4).
        var chunk = fa2 with { Causal = true, Sequence = sequence / 4, Keys = sequence };
        var at = h100.Facts.FlashAttention2SpeedAt(sequence / 4, sequence)!;
        Assert.Equal(forward, at.Forward, 12);
        double rate = h100.PeakFlops * h100.Facts.SustainedClockFraction;
        double rectangle = 4.0 * 128 * 16 * (sequence / 4) * (sequence - sequence / 4), square = 2.0 * 128 * 16 * (sequence / 4) * (sequence / 4);
        Assert.Equal(2 * (rectangle / (rate * h100.Facts.AttentionForwardEfficiencyAt(sequence, h100.PeakFlops) * forward)
                          + square / (rate * h100.Facts.AttentionForwardEfficiencyAt(sequence / 4, h100.PeakFlops) * h100.Facts.CausalForwardRelativeEfficiencyAt(sequence / 4) * at.CausalForward)), Busy(chunk, Phase.Forward), 12);
        Assert.Equal(2 * 2.5 * (rectangle + square) / (rate * h100.Facts.AttentionBackwardEfficiencyAt(sequence / 4, h100.PeakFlops) * at.Backward), Busy(chunk, Phase.Backward), 12);
        if (sequence == 16384)
        {
            Assert.Equal(319.0 / 518, at.CausalForward, 12); // the 4k bars
            Assert.Equal(310.0 / 499, at.Backward, 12);
        }
    }

    [Fact]
    public void FlashAttention2_by_length_is_read_in_log2_of_the_length_and_held_at_the_ends()
    {
        var facts = HardwarePresets.H100Sxm.Kernels!;
        // Halfway between the 2k and 4k bars in log2 (2^11.5 tokens): the mean of the two ratios.
        double mid = Math.Pow(2, 11.5);
        var between = facts.FlashAttention2SpeedAt(mid, mid)!;
        Assert.Equal((362.0 / 617 + 368.0 / 609) / 2, between.Forward, 12);
        Assert.Equal((298.0 / 484 + 319.0 / 518) / 2, between.CausalForward, 12);
        Assert.Equal((291.0 / 465 + 310.0 / 499) / 2, between.Backward, 12);
        // Beyond the last bar (16k) and before the first (512): held, nothing extrapolated.
        Assert.Equal(facts.FlashAttention2SpeedAt(16384, 16384), facts.FlashAttention2SpeedAt(262144, 262144));
        Assert.Equal(214.0 / 305, facts.FlashAttention2SpeedAt(128, 128)!.Backward, 12);
        // Without the table the single 2k figure holds at every length.
        var single = facts with { FlashAttention2RelativeSpeedBySequence = [] };
        Assert.Equal(single.FlashAttention2RelativeSpeed, single.FlashAttention2SpeedAt(16384, 65536));
    }

    [Fact]
    public void FlashAttention2_on_a100_is_the_figure_kernel_itself()
    {
        var compute = new KernelCompute(A100, Precision.Bf16);
        var figures = new AttentionKernel("attention", Heads: 16, Sequence: 2048, HeadDim: 64, Causal: true);
        var fa2 = figures with { Implementation = FlashAttentionKernel.FlashAttention2 };
        foreach (var phase in new[] { Phase.Forward, Phase.Backward })
            Assert.Equal(compute.LayerTime(Layer(figures), phase, 4), compute.LayerTime(Layer(fa2), phase, 4));
        // Refused where the device has no FlashAttention-2 figure.
        var stripped = A100 with { Kernels = F with { FlashAttention2RelativeSpeed = null } };
        var e = Assert.Throws<SpecError>(() => new KernelCompute(stripped, Precision.Bf16).LayerTime(Layer(fa2), Phase.Forward, 1));
        Assert.Contains("flash_attention_2_relative_speed", e.Message);
        Assert.Throws<ArgumentException>(() => Transformer.Gpt(Small(flash: false) with { FlashAttention2 = true }));
        Assert.Throws<ArgumentException>(() => Transformer.Gpt(Small() with { FlashAttention1 = true, FlashAttention2 = true }));
    }

    [Fact]
    public void FlashAttention1_is_refused_where_its_speed_was_never_measured()
    {
        var unmeasured = HardwarePresets.H100Sxm with { Kernels = HardwarePresets.H100Sxm.Kernels! with { FlashAttention1RelativeSpeed = null } };
        var h100 = new KernelCompute(unmeasured, Precision.Bf16);
        var fa1 = new AttentionKernel("attention", Heads: 16, Sequence: 2048, HeadDim: 64, Causal: true, Implementation: FlashAttentionKernel.FlashAttention1);
        var e = Assert.Throws<SpecError>(() => h100.LayerTime(Layer(fa1), Phase.Forward, 1));
        Assert.Contains("flash_attention_1_relative_speed", e.Message);
        // FlashAttention-1 is measured against FlashAttention-2: without FlashAttention-2's speed it is refused too.
        var noFa2 = HardwarePresets.H100Sxm with { Kernels = HardwarePresets.H100Sxm.Kernels! with { FlashAttention2RelativeSpeed = null, FlashAttention2RelativeSpeedBySequence = [] } };
        e = Assert.Throws<SpecError>(() => new KernelCompute(noFa2, Precision.Bf16).LayerTime(Layer(fa1), Phase.Forward, 1));
        Assert.Contains("flash_attention_2_relative_speed", e.Message);
        Assert.Throws<ArgumentException>(() => Transformer.Gpt(Small(flash: false) with { FlashAttention1 = true }));
    }

    [Theory]
    [InlineData(2048, false)]
    [InlineData(2048, true)]
    [InlineData(8192, true)]
    public void FlashAttention1_on_hopper_runs_at_its_measured_speed_relative_to_FlashAttention2(int sequence, bool causal)
    {
        // FlashAttention-2's release benchmark on H100 SXM5 (flash-attention assets/flash2_h100_fwd_bwd_benchmark.png,
        // panel d: causal, d=128, 2k, forward + backward): FlashAttention-1 108, FlashAttention-2 265 TFLOP/s.
        var h100 = new KernelCompute(HardwarePresets.H100Sxm, Precision.Bf16);
        Assert.Equal(108.0 / 265, h100.Facts.FlashAttention1RelativeSpeed!.Value, 12);
        double overhead = h100.Facts.KernelOverheadSeconds;
        double Busy(AttentionKernel k, Phase phase) => h100.LayerTime(Layer(k), phase, 2) - overhead;
        var fa2 = new AttentionKernel("attention", Heads: 16, Sequence: sequence, HeadDim: 128, Causal: causal, Implementation: FlashAttentionKernel.FlashAttention2);
        var fa1 = fa2 with { Implementation = FlashAttentionKernel.FlashAttention1 };
        // Every phase and mask: FlashAttention-2's time over the measured ratio, so forward + backward
        // together too (the figure's quantity): FA1 takes 265 / 108 = 2.45 times FA2's time.
        foreach (var phase in new[] { Phase.Forward, Phase.Backward })
            Assert.Equal(Busy(fa2, phase) * 265 / 108, Busy(fa1, phase), 12);
        // And against the cuDNN figure kernel: the product of the two measured ratios, FlashAttention-2's
        // read at the length (FlashAttention-3 paper Fig. 6 backward bars: 291/465 at 2k, 318/518 at 8k).
        var cudnn = fa2 with { Implementation = FlashAttentionKernel.DeviceFigures };
        double fa2Backward = sequence == 8192 ? 318.0 / 518 : 291.0 / 465;
        Assert.Equal(Busy(cudnn, Phase.Backward) / (fa2Backward * 108 / 265), Busy(fa1, Phase.Backward), 12);
    }

    [Fact]
    public void Devices_without_kernel_figures_are_refused_by_name()
    {
        var e = Assert.Throws<SpecError>(() => new KernelCompute(HardwarePresets.P100Pcie16, Precision.Fp16));
        Assert.Contains("P100-PCIE-16GB", e.Message);
    }

    private static Layer Layer(KernelOp op) => new()
    {
        Name = op.Name, Kind = "test", ForwardFlops = 0, BackwardFlops = 0, Parameters = 0, OutputActivationBytes = 0, Kernels = [op],
    };
}
