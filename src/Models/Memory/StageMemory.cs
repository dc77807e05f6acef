using System.Globalization;

namespace Sim.Models.Memory;

/// <summary>
/// The memory bill of one GPU holding one pipeline stage (one tensor shard of it), like a packing list
/// checked against the suitcase: model states (parameters, FP8 weight copies under FP8 training,
/// gradients, optimizer states, per ZeRO), the
/// activations kept for backward at the schedule's worst moment, and the transient workspace of a
/// recomputed layer. <see cref="Fits"/> compares the sum with the device's memory.
/// </summary>
public sealed record StageMemory
{
    public required int Stage { get; init; }
    /// <summary>Parameters held by this GPU (its stage's parameters over the tensor-parallel size).</summary>
    public required double ParameterCount { get; init; }
    public required double ParameterBytes { get; init; }
    public required double GradientBytes { get; init; }
    public required double OptimizerBytes { get; init; }
    /// <summary>FP8 training: the FP8 copies of the FP8 linears' weights kept beside the working copy
    /// (row-wise and transposed, <see cref="Fp8WeightMemory"/>); 0 without FP8.</summary>
    public double Fp8WeightBytes { get; init; }
    /// <summary>Peak bytes of stored activations, as observed in the simulated schedule.</summary>
    public required double ActivationBytes { get; init; }
    /// <summary>Peak number of (micro-batch, model chunk) activation sets alive at once, observed.</summary>
    public required int PeakInFlight { get; init; }
    /// <summary>Full recomputation: one layer's complete activations, rebuilt during its backward.</summary>
    public double RecomputeWorkspaceBytes { get; init; }
    /// <summary>Device memory, bytes; NaN when unknown (no check).</summary>
    public double CapacityBytes { get; init; } = double.NaN;

    public double ModelStateBytes => ParameterBytes + Fp8WeightBytes + GradientBytes + OptimizerBytes;
    public double TotalBytes => ModelStateBytes + ActivationBytes + RecomputeWorkspaceBytes;
    public bool Fits => double.IsNaN(CapacityBytes) || TotalBytes <= CapacityBytes;

    /// <summary>One line with the numbers, e.g. for a "does not fit" warning.</summary>
    public string Describe()
    {
        static string Gb(double b) => (b / 1e9).ToString("F2", CultureInfo.InvariantCulture);
        string cap = double.IsNaN(CapacityBytes) ? "" : $" of {Gb(CapacityBytes)} GB{(Fits ? "" : " - DOES NOT FIT")}";
        return $"stage {Stage}: {Gb(TotalBytes)} GB{cap} (parameters {Gb(ParameterBytes)}{(Fp8WeightBytes > 0 ? $", fp8 weight copies {Gb(Fp8WeightBytes)}" : "")}, gradients {Gb(GradientBytes)}, " +
               $"optimizer {Gb(OptimizerBytes)}, activations {Gb(ActivationBytes)} for {PeakInFlight} in flight" +
               (RecomputeWorkspaceBytes > 0 ? $", recompute workspace {Gb(RecomputeWorkspaceBytes)}" : "") + ")";
    }
}
