namespace Sim.Models.Hardware;

/// <summary>
/// One compute device (a GPU, or a CPU host as a whole), described the way a datasheet does: how many
/// floating-point operations per second it can do at best in each precision, and how much memory it
/// has and how fast that memory is. Like an engine's rated horsepower: a ceiling, not a promise.
/// All rates are dense (no structured-sparsity doubling).
/// </summary>
public sealed record DeviceSpec
{
    public required string Name { get; init; }
    public bool IsGpu { get; init; } = true;
    /// <summary>Peak FLOP/s per precision; a precision absent from the map is not supported.</summary>
    public required IReadOnlyDictionary<Precision, double> PeakFlops { get; init; }
    public required double MemoryBytes { get; init; }
    /// <summary>Device memory bandwidth, bytes/s.</summary>
    public required double MemoryBandwidth { get; init; }
    /// <summary>Where the figures come from.</summary>
    public required string Source { get; init; }
    /// <summary>SM count, GEMM tiles and measured kernel efficiencies for the kernel-level compute
    /// model; null where no published figures are known (the roofline is used then).</summary>
    public GpuKernelFacts? Kernels { get; init; }
    /// <summary>CUDA compute capability x 10 (70 Volta, 80 Ampere, 90 Hopper); 0 for CPUs. NCCL's
    /// tuning model picks its per-generation figures by it.</summary>
    public int ComputeCapability { get; init; }

    /// <summary>Peak FLOP/s in <paramref name="precision"/>; a clear error if the device lacks it.</summary>
    public double PeakFlopsFor(Precision precision) =>
        PeakFlops.TryGetValue(precision, out var f)
            ? f
            : throw new SpecError($"device '{Name}'", $"does not support {precision}; it supports {string.Join(", ", PeakFlops.Keys)}");

    public void Validate(string path)
    {
        if (string.IsNullOrWhiteSpace(Name)) throw new SpecError(path + ".name", "must not be empty");
        if (PeakFlops.Count == 0) throw new SpecError(path + ".peakFlops", "must list at least one precision");
        foreach (var (p, f) in PeakFlops) SpecError.RequirePositive($"{path}.peakFlops.{p.ToString().ToLowerInvariant()}", f);
        SpecError.RequirePositive(path + ".memoryBytes", MemoryBytes);
        SpecError.RequirePositive(path + ".memoryBandwidth", MemoryBandwidth);
        Kernels?.Validate(path + ".kernels");
    }
}
