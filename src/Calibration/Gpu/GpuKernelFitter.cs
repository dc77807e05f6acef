using Sim.Models.Compute;
using Sim.Models.Hardware;
using Sim.Models.Workloads;

namespace Sim.Calibration.Gpu;

/// <summary>
/// Fits the <see cref="GpuKernelFacts"/> figures of a device from GPU kernel measurements, each from
/// the mechanism the kernel model costs it with, never from an end-to-end step:
/// kernel overhead = the empty-kernel launch loop's time per kernel; memory efficiency = median of
/// bytes / ((t - overhead) x datasheet bandwidth) over the memory-bound kernels; attention efficiencies =
/// median of FLOPs / ((t - overhead) x peak) forward and (2.5 x forward FLOPs, as KernelCompute counts
/// the backward) backward; GEMM efficiency = median over the compute-bound fitting-grid GEMMs of the
/// efficiency that makes <see cref="GemmCost"/>'s tile-and-wave time equal the measured one (GEMMs
/// within <see cref="ComputeBoundMargin"/> of their operand-traffic time are left out); sustained clock
/// fraction = the soak GEMM's burst time over its sustained time (at most 1; kept from the base device
/// when the file has no soak). Medians, so
/// one disturbed point does not move a figure. Measurements synthesized by <see cref="GemmCost"/> itself
/// give back the efficiency they were made with. Held-out GEMM shapes and the transformer-block step are
/// then predicted with the fitted figures and compared to what was measured.
/// </summary>
public static class GpuKernelFitter
{
    /// <summary>Bytes per bf16 element, the data type the profiler measures.</summary>
    public const double Bf16Bytes = 2;

    /// <summary>
    /// Fits <paramref name="set"/> against the base <paramref name="device"/> (its bf16 peak, datasheet
    /// bandwidth and kernel facts: SM count, tile shapes and FP8 figure are kept). Throws
    /// <see cref="ArgumentException"/> when the base device has no bf16 peak or no kernel facts, or when
    /// no fitting-grid GEMM is compute bound, or a fitted fraction falls outside [0.001, 1] (the range a hardware file accepts).
    /// </summary>
    public static GpuKernelFit Fit(GpuMeasurementSet set, DeviceSpec device)
    {
        if (device.Kernels is not { } baseFacts) throw new ArgumentException($"device {device.Name} has no kernel figures (device.kernels) to start from");
        if (!device.PeakFlops.TryGetValue(Precision.Bf16, out double peak)) throw new ArgumentException($"device {device.Name} has no bf16 peak");
        var warnings = new List<string>();
        if (!set.IsGpu)
            warnings.Add($"{set.FilePath} holds CPU figures ({set.DeviceName}): the fitted file checks the path end to end and says nothing about a GPU");
        else if (set.StreamingMultiprocessors != baseFacts.StreamingMultiprocessors)
            warnings.Add($"the measured device reports {set.StreamingMultiprocessors} SMs but {device.Name} has {baseFacts.StreamingMultiprocessors}: is --hardware the right base?");

        double overhead = set.KernelOverheadSeconds;
        double memory = Fraction("memory_efficiency", GpuKernelFit.Median(set.Memory.Select(m => m.Bytes / (Busy(m.Seconds, overhead) * device.MemoryBandwidth)).ToList()));
        // Forward: the unmasked shapes give the fraction of peak; where causal shapes were timed too, the
        // causal kernel's rate relative to it is measured (otherwise the base file's figure is kept).
        double ForwardRate(AttentionMeasurement a) => a.ForwardFlops / (Busy(a.ForwardSeconds, overhead) * peak);
        var fullShapes = set.Attention.Where(a => !a.Causal).ToList();
        var causalShapes = set.Attention.Where(a => a.Causal).ToList();
        double forward = Fraction("attention_forward_efficiency", GpuKernelFit.Median((fullShapes.Count > 0 ? fullShapes : causalShapes).Select(ForwardRate).ToList()));
        double causalForward = baseFacts.CausalAttentionForwardRelativeEfficiency;
        if (fullShapes.Count > 0 && causalShapes.Count > 0)
        {
            double measured = GpuKernelFit.Median(causalShapes.Select(ForwardRate).ToList()) / forward;
            if (measured > 1) warnings.Add($"causal attention ran {measured:G4}x the unmasked rate; causal_attention_forward_relative_efficiency is capped at 1");
            causalForward = Math.Min(1, measured);
        }
        double backward = Fraction("attention_backward_efficiency", GpuKernelFit.Median(set.Attention.Select(a =>
            KernelCompute.AttentionBackwardFlopRatio * a.ForwardFlops / (Busy(a.BackwardSeconds, overhead) * peak)).ToList()));

        // GemmCost's compute time scales as 1 / efficiency: the efficiency a shape shows is its compute time at
        // efficiency 1 over its measured busy time. Shapes whose busy time the operand traffic explains are skipped.
        // The profiler times each kernel in a short run, at the clock such runs hold (the burst clock):
        // the efficiencies are read, and the held-out shapes predicted, at a clock fraction of 1.
        var unit = baseFacts with { GemmEfficiency = 1, SustainedClockFraction = 1, MemoryEfficiency = memory, KernelOverheadSeconds = overhead };
        var perShape = new List<double>();
        foreach (var g in set.Gemms.Where(g => !g.HeldOut))
        {
            double busy = Busy(g.Seconds, overhead);
            double traffic = (g.M * g.K + g.K * g.N + g.M * g.N) * Bf16Bytes / (device.MemoryBandwidth * memory);
            if (busy > ComputeBoundMargin * traffic) perShape.Add(GemmCost.ComputeSeconds(g.M, g.N, g.K, unit, peak) / busy);
        }
        if (perShape.Count == 0) throw new ArgumentException("no fitting-grid GEMM is compute bound: the grid needs larger shapes");
        double gemm = Fraction("gemm_efficiency", GpuKernelFit.Median(perShape));

        double clock = baseFacts.SustainedClockFraction;
        if (set.Soak is { } soak)
        {
            clock = Fraction("sustained_clock_fraction", Math.Min(1, soak.SustainedFraction));
            if (soak.SustainedFraction > 1)
                warnings.Add($"the soak GEMM ran {soak.SustainedFraction - 1:P1} faster sustained than in its burst: no clock drop was measured (sustained_clock_fraction 1)");
        }
        else warnings.Add($"{set.FilePath} has no soak (a version 1 file): sustained_clock_fraction {clock:G4} is kept from {device.Name}");

        var facts = baseFacts with
        {
            GemmEfficiency = gemm, MemoryEfficiency = memory, AttentionForwardEfficiency = forward, CausalAttentionForwardRelativeEfficiency = causalForward, AttentionBackwardEfficiency = backward,
            // A ratio measured here replaces the base file's by-length table (which would otherwise override it).
            CausalAttentionForwardBySequence = fullShapes.Count > 0 && causalShapes.Count > 0 ? [] : baseFacts.CausalAttentionForwardBySequence,
            KernelOverheadSeconds = overhead, SustainedClockFraction = clock, Source = $"sim calibrate gpu-fit of {Path.GetFileName(set.FilePath)} ({set.DeviceName}, {set.Date})",
        };
        var burst = facts with { SustainedClockFraction = 1 };
        var heldOut = set.Gemms.Where(g => g.HeldOut)
            .Select(g => new HeldOutPrediction($"gemm {g.M}x{g.N}x{g.K}", GemmCost.Seconds(g.M, g.N, g.K, burst, peak, device.MemoryBandwidth, Bf16Bytes), g.Seconds))
            .ToList();
        var block = set.BlockStep;
        return new GpuKernelFit(facts, heldOut,
            new HeldOutPrediction($"transformer block step (batch {block.Batch}, seq {block.Sequence}, hidden {block.Hidden})", PredictBlockStep(block, device with { Kernels = burst }), block.Seconds), warnings,
            SustainedClockMeasured: set.Soak is not null);
    }

    /// <summary>
    /// The block step as a simulation costs it: the block's kernels (<see cref="Transformer.BlockKernels"/>,
    /// causal flash attention, no dropout, bf16) through <see cref="KernelCompute"/> on
    /// <paramref name="device"/>, forward plus backward.
    /// </summary>
    public static double PredictBlockStep(BlockStepMeasurement step, DeviceSpec device)
    {
        var config = new TransformerConfig
        {
            Name = "profiled block", Layers = 1, Hidden = step.Hidden, Heads = step.Heads, Sequence = step.Sequence, Vocabulary = 1,
            FfnHidden = step.Ffn, Dropout = false, BytesPerElement = (int)Bf16Bytes,
        };
        var layer = new Layer
        {
            Name = "block", Kind = "attention", ForwardFlops = Transformer.BlockForwardFlops(config), BackwardFlops = 2 * Transformer.BlockForwardFlops(config),
            Parameters = Transformer.BlockParameters(config), OutputActivationBytes = (double)step.Sequence * step.Hidden * Bf16Bytes,
            Kernels = Transformer.BlockKernels(config, causal: true),
        };
        var compute = new KernelCompute(device, Precision.Bf16);
        return compute.LayerTime(layer, Phase.Forward, step.Batch) + compute.LayerTime(layer, Phase.Backward, step.Batch);
    }

    /// <summary>Time the kernel spends on its own work: measured minus the per-kernel overhead, kept positive
    /// (a kernel measured faster than an empty one is all overhead; a tiny floor keeps the ratio finite).</summary>
    private static double Busy(double seconds, double overhead) => Math.Max(seconds - overhead, seconds * 1e-3);

    /// <summary>A fitting GEMM counts only when its busy time is this much above the time its operand
    /// traffic alone takes: near the bound, part of the time is memory, and a tile-model efficiency read
    /// from it would be too low.</summary>
    public const double ComputeBoundMargin = 1.1;

    /// <summary>Lowest fraction a hardware file accepts (HardwareFileSchema's kernels limits).</summary>
    public const double MinimumFraction = 0.001;

    private static double Fraction(string key, double value) =>
        value is >= MinimumFraction and <= 1 ? value
            : throw new ArgumentException($"fitted {key} is {value:G4}, outside [{MinimumFraction}, 1]: the measurements do not fit this device's datasheet (wrong --hardware? CPU measurements need a CPU-sized base file)");
}
