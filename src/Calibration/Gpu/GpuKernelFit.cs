using Sim.Models.Hardware;

namespace Sim.Calibration.Gpu;

/// <summary>
/// The result of <see cref="GpuKernelFitter.Fit"/>: the fitted kernel figures (the base device's SM
/// count, tiles and FP8 figure kept), the held-out GEMM shapes and the transformer-block step predicted
/// with them, and warnings (CPU figures, an SM count that differs from the base device, no soak).
/// <paramref name="SustainedClockMeasured"/>: the sustained clock fraction comes from the measurements'
/// soak (false: kept from the base device).
/// </summary>
public sealed record GpuKernelFit(GpuKernelFacts Facts, IReadOnlyList<HeldOutPrediction> HeldOutGemms, HeldOutPrediction BlockStep, IReadOnlyList<string> Warnings, bool SustainedClockMeasured = true)
{
    /// <summary>Median absolute relative error over the held-out GEMMs (0 when there are none).</summary>
    public double HeldOutGemmMedianError => Median(HeldOutGemms.Select(p => Math.Abs(p.RelativeError)).ToList());

    internal static double Median(List<double> values)
    {
        if (values.Count == 0) return 0;
        values.Sort();
        int mid = values.Count / 2;
        return values.Count % 2 == 1 ? values[mid] : 0.5 * (values[mid - 1] + values[mid]);
    }
}
