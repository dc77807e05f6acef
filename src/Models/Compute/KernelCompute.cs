using Sim.Models.Hardware;
using Sim.Models.Workloads;

namespace Sim.Models.Compute;

/// <summary>
/// Layer times built kernel by kernel from shapes (the default for GPU transformers): each GEMM by
/// <see cref="GemmCost"/> (tiles, waves over the SMs, measured best-shape efficiency), fused
/// attention at the FLOP/s flash-attention kernels are measured to reach, memory-bound kernels at
/// the bandwidth streaming kernels reach, and a fixed GPU overhead per kernel. Backward: a GEMM
/// becomes its input-gradient GEMM (m x k x n) and weight-gradient GEMM (k x n x m); an element-wise
/// kernel moves twice its forward bytes (reads the output gradient and the saved input, writes the
/// input gradient); a causal attention forward kernel runs its masked square at its measured rate relative to the
/// unmasked one at that length (<see cref="GpuKernelFacts.CausalForwardRelativeEfficiencyAt"/>); a kernel other than the
/// figures' (FlashAttention-1 or -2) at its measured speed relative to it; attention runs its backward kernel, 2.5x the forward FLOPs (five matrix
/// products instead of two, Dao 2023). A convolution runs as cuDNN's implicit GEMMs (<see cref="ConvCost"/>: forward;
/// backward its data and weight gradients). Layers without a kernel list fall back to a roofline at the same GEMM and
/// memory efficiencies. Tensor-core work (GEMMs, attention) runs at the
/// clock a GPU held at its power limit sustains, streaming kernels at full HBM rate. Every figure comes from
/// <see cref="GpuKernelFacts"/>; nothing here is fitted.
/// <para>Model FLOPs (for MFU) stay those of <see cref="Layer"/>: the causal mask halves the
/// attention kernel's work but not the model FLOPs Megatron-LM counts.</para>
/// </summary>
public sealed class KernelCompute : IComputeModel
{
    /// <summary>FLOPs of flash attention's backward over its forward: 5 matrix products against 2.</summary>
    public const double AttentionBackwardFlopRatio = 2.5;

    private readonly GpuKernelFacts _facts;
    private readonly double _bytesPerElement;

    /// <summary>
    /// A kernel-level model of <paramref name="device"/> at <paramref name="precision"/>. FP8 is training
    /// as Transformer Engine runs it (<see cref="Fp8Recipe"/>, <paramref name="fp8"/> or delayed scaling by
    /// default): the block's linear GEMMs in FP8 with their casts, everything else in BF16, and
    /// <see cref="PeakFlops"/> (the MFU denominator) the BF16 peak, as published FP8 and BF16 runs are
    /// compared. With <paramref name="compile"/> adjacent memory-bound kernels are fused as
    /// torch.compile fuses them (<see cref="ElementwiseRun"/>). Throws <see cref="SpecError"/> if the
    /// device lacks kernel figures, the precision, or (for FP8) a measured FP8 GEMM efficiency.
    /// </summary>
    public KernelCompute(DeviceSpec device, Precision precision, Fp8Recipe? fp8 = null, bool compile = false)
    {
        Compile = compile;
        _facts = device.Kernels ?? throw new SpecError($"device '{device.Name}'", "has no kernel figures (SM count, measured efficiencies); use the roofline compute model");
        _facts.Validate($"device '{device.Name}'.kernels");
        Device = device;
        Precision = precision;
        if (precision == Precision.Fp8)
        {
            Fp8 = fp8 ?? Fp8Recipe.Delayed;
            Fp8Recipe.Fp8Facts(device); // refuse a device without FP8 peak or measurement now, not mid-run
        }
        else if (fp8 is not null) throw new ArgumentException("an FP8 recipe needs precision Fp8", nameof(fp8));
        PeakFlops = device.PeakFlopsFor(Fp8 is null ? precision : Precision.Bf16);
        _bytesPerElement = precision is Precision.Fp32 or Precision.Tf32 or Precision.Fp64 ? 4 : 2;
    }

    /// <summary>Whether adjacent memory-bound kernels are fused into one (torch.compile).</summary>
    public bool Compile { get; }

    /// <summary>The FP8 recipe when <see cref="Precision"/> is FP8; null otherwise.</summary>
    public Fp8Recipe? Fp8 { get; }

    public DeviceSpec Device { get; }
    public Precision Precision { get; }
    public double PeakFlops { get; }
    public GpuKernelFacts Facts => _facts;

    public double LayerTime(Layer layer, Phase phase, int batch) => ShardedLayerTime(layer, phase, batch, 1, false);

    public double ShardedLayerTime(Layer layer, Phase phase, int batch, int tensorParallel, bool sequenceParallel)
    {
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), batch, "must be >= 1");
        if (tensorParallel < 1) throw new ArgumentOutOfRangeException(nameof(tensorParallel), tensorParallel, "must be >= 1");
        if (layer.Kernels is null) return RooflineTime(layer, phase, batch) / tensorParallel;
        double t = tensorParallel, seconds = 0;
        bool backward = phase == Phase.Backward;
        var fused = new ElementwiseRun(); // compile: adjacent memory-bound kernels become one
        foreach (var op in layer.Kernels)
        {
            if (Compile && op is StreamKernel f) { fused.Add((backward ? f.BackwardBytes : f.BytesPerSample) * batch / Share(f.Split, t, sequenceParallel)); continue; }
            if (!fused.IsEmpty) seconds += StreamTime(fused.Take());
            seconds += op switch
            {
                GemmKernel g => GemmTime(g, batch, t, backward),
                AttentionKernel a => AttentionTime(a, batch, tensorParallel, backward),
                StreamKernel s => StreamTime((backward ? s.BackwardBytes : s.BytesPerSample) * batch / Share(s.Split, t, sequenceParallel)),
                ConvKernel c => ConvTime(c, batch, backward) / t,
                _ => throw new InvalidOperationException($"bug: kernel kind {op.GetType().Name} has no cost"),
            };
        }
        if (!fused.IsEmpty) seconds += StreamTime(fused.Take());
        return seconds;
    }

    private double GemmTime(GemmKernel g, int batch, double t, bool backward)
    {
        bool batched = g.GroupsPerSample > 0;
        double m = batched ? g.RowsPerSample : g.RowsPerSample * batch;
        // Batched GEMMs (attention heads) split their groups over the tensor ranks; others a dimension.
        double count = batched ? Math.Ceiling(g.GroupsPerSample / t) * batch : 1;
        double n = !batched && g.Split == TensorSplit.Columns ? g.N / t : g.N;
        double k = !batched && g.Split == TensorSplit.Rows ? g.K / t : g.K;
        if (Fp8 is not null && !batched && Fp8Recipe.RunsInFp8(g.Name)) return Fp8.LinearSeconds(m, n, k, count, backward, Device);
        if (!backward) return Gemm(m, n, k, count);
        return Gemm(m, k, n, count) + Gemm(k, n, m, count); // input gradient dX = dY W^T, weight gradient dW = X^T dY
    }

    /// <summary>A convolution as cuDNN's implicit GEMMs (<see cref="ConvCost"/>): forward, or data plus weight gradient.</summary>
    private double ConvTime(ConvKernel c, int batch, bool backward) => backward
        ? (c.InputGradient ? Conv(c, ConvPass.DataGradient, batch) : 0) + Conv(c, ConvPass.WeightGradient, batch)
        : Conv(c, ConvPass.Forward, batch);

    private double Conv(ConvKernel c, ConvPass pass, int batch) =>
        ConvCost.Seconds(c, pass, batch, _facts, PeakFlops, Device.MemoryBandwidth, _bytesPerElement);

    private double Gemm(double m, double n, double k, double count) =>
        GemmCost.Seconds(m, n, k, _facts, PeakFlops, Device.MemoryBandwidth, _bytesPerElement, count);

    private double AttentionTime(AttentionKernel a, int batch, int t, bool backward)
    {
        if (a.KeyLength < a.Sequence)
            throw new ArgumentException($"attention kernel '{a.Name}': {a.KeyLength} keys for {a.Sequence} queries; a kernel attends over at least its own queries' positions", nameof(a));
        // Heads split over the tensor group; a group larger than the head count leaves ranks idle-equal.
        double headShare = Math.Ceiling((double)a.Heads / t) / a.Heads;
        double flops = a.ForwardFlops * batch * headShare;
        // The efficiencies are the figure kernel's (FlashAttention-2 on A100, cuDNN's on Hopper), timed in
        // bursts: at the sustained clock. FlashAttention-2 runs at its measured speed relative to the figure
        // kernel (forward, causal forward, backward); FlashAttention-1 at its measured speed relative to
        // FlashAttention-2 (one overall ratio, as its sources measure it), so at the product of the two.
        double rate = PeakFlops * _facts.SustainedClockFraction * (a.Implementation == FlashAttentionKernel.FlashAttention1 ? FlashAttention1Speed() : 1);
        var other = a.Implementation is FlashAttentionKernel.FlashAttention2 or FlashAttentionKernel.FlashAttention1 ? FlashAttention2Speed(a) : new AttentionKernelSpeed(1, 1, 1);
        // Each at its rate for the kernel's inner loop length where the figures are by length: the forward
        // loops over the keys, the backward over the queries.
        double seconds = backward
            ? AttentionBackwardFlopRatio * flops / (rate * _facts.AttentionBackwardEfficiencyAt(a.Sequence, PeakFlops) * other.Backward)
            : ForwardAttentionSeconds(a, flops, headShare * batch, rate, other);
        return seconds + _facts.KernelOverheadSeconds;
    }

    /// <summary>
    /// Forward time of <paramref name="a"/>: the unmasked work at the figure kernel's unmasked rate over its
    /// keys (<paramref name="rate"/>, the clock-adjusted peak, times <see cref="GpuKernelFacts.AttentionForwardEfficiencyAt"/>), the causal q x q square at the causal kernel's measured rate relative to
    /// it at its own length q (<see cref="GpuKernelFacts.CausalForwardRelativeEfficiencyAt"/>), each times the
    /// running kernel's speed relative to the figure kernel (<paramref name="kernel"/>). A square causal
    /// attention is all square; a chunk against longer keys (context parallelism) is mostly unmasked.
    /// </summary>
    private double ForwardAttentionSeconds(AttentionKernel a, double flops, double sequences, double rate, AttentionKernelSpeed kernel)
    {
        // The rectangle loops over all the keys; the causal square over its own length.
        double square = a.CausalSquareForwardFlops * sequences;
        return (flops - square) / (rate * _facts.AttentionForwardEfficiencyAt(a.KeyLength, PeakFlops) * kernel.Forward)
               + square / (rate * _facts.AttentionForwardEfficiencyAt(a.Sequence, PeakFlops) * _facts.CausalForwardRelativeEfficiencyAt(a.Sequence) * kernel.CausalForward);
    }

    // At the lengths the figure kernel's own rates are read at (forward by keys, causal square and backward by queries).
    private AttentionKernelSpeed FlashAttention2Speed(AttentionKernel a) => _facts.FlashAttention2SpeedAt(a.Sequence, a.KeyLength)
        ?? throw new SpecError($"device '{Device.Name}'.kernels.flashAttention2RelativeSpeed", "no measured FlashAttention-2 speed relative to the device's attention figures is known (hardware file key device.kernels.flash_attention_2_relative_speed); model.attention: flash2 is refused rather than guessed");

    private double FlashAttention1Speed() => _facts.FlashAttention1RelativeSpeed
        ?? throw new SpecError($"device '{Device.Name}'.kernels.flashAttention1RelativeSpeed", "no measured FlashAttention-1 speed is known for this device (hardware file key device.kernels.flash_attention_1_relative_speed); model.attention: flash1 is refused rather than guessed");

    private double StreamTime(double bytes) =>
        bytes <= 0 ? 0 : bytes / (Device.MemoryBandwidth * _facts.MemoryEfficiency) + _facts.KernelOverheadSeconds;

    private static double Share(TensorSplit split, double t, bool sequenceParallel) =>
        split == TensorSplit.Replicated && !sequenceParallel ? 1 : t;

    /// <summary>Layers known only by totals: FLOPs at the best-shape GEMM rate or bytes at streaming bandwidth.</summary>
    private double RooflineTime(Layer layer, Phase phase, int batch)
    {
        double flops = (phase == Phase.Forward ? layer.ForwardFlops : layer.BackwardFlops) * batch;
        double bytes = (phase == Phase.Forward ? 1 : 2) * layer.ForwardBytes * batch;
        return Math.Max(flops / (PeakFlops * _facts.GemmEfficiency * _facts.SustainedClockFraction), bytes / (Device.MemoryBandwidth * _facts.MemoryEfficiency))
               + _facts.KernelOverheadSeconds;
    }

    public string Describe() =>
        $"kernels {Device.Name} {(Fp8 is null ? Precision.ToString().ToLowerInvariant() : Fp8.Describe())}{(Compile ? ", compiled (fused element-wise runs)" : "")}: GEMM tiles and waves over {_facts.StreamingMultiprocessors} SMs at {_facts.GemmEfficiency:P1} of {PeakFlops / 1e12:G4} TFLOP/s{(_facts.SustainedClockFraction < 1 ? $" at {_facts.SustainedClockFraction:P1} of the burst clock (sustained)" : "")}, " +
        $"streaming at {_facts.MemoryEfficiency:P0} of {Device.MemoryBandwidth / 1e9:G4} GB/s, attention {_facts.AttentionForwardEfficiency:P0}/{_facts.AttentionBackwardEfficiency:P0}, {_facts.KernelOverheadSeconds * 1e6:G3} us/kernel";
}
