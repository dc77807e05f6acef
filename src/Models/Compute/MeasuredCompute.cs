using Sim.Models.Workloads;

namespace Sim.Models.Compute;

/// <summary>
/// Replays measured layer durations, like a stopwatch log: for each layer and pass, the time measured
/// at a reference micro-batch. Other batch sizes scale linearly from the reference, which holds once
/// kernels saturate the device (the calibrated model handles the unsaturated regime). A layer missing
/// from the table is an error naming it, never a silent zero.
/// </summary>
public sealed class MeasuredCompute : IComputeModel
{
    private readonly IReadOnlyDictionary<string, (double Forward, double Backward)> _seconds;

    public MeasuredCompute(IReadOnlyDictionary<string, (double Forward, double Backward)> secondsAtReference, int referenceBatch, double peakFlops, string source)
    {
        if (referenceBatch < 1) throw new ArgumentOutOfRangeException(nameof(referenceBatch), referenceBatch, "must be >= 1");
        foreach (var (name, (f, b)) in secondsAtReference)
            if (!(f >= 0) || !(b >= 0)) throw new ArgumentException($"measured times of layer '{name}' must be >= 0, got forward {f}, backward {b}");
        _seconds = secondsAtReference;
        ReferenceBatch = referenceBatch;
        PeakFlops = peakFlops;
        Source = source;
    }

    public int ReferenceBatch { get; }
    public double PeakFlops { get; }
    public string Source { get; }

    public double LayerTime(Layer layer, Phase phase, int batch)
    {
        if (!_seconds.TryGetValue(layer.Name, out var t))
            throw new KeyNotFoundException($"no measured time for layer '{layer.Name}' in {Source}");
        return (phase == Phase.Forward ? t.Forward : t.Backward) * batch / ReferenceBatch;
    }

    public string Describe() => $"measured layer times from {Source} (reference batch {ReferenceBatch})";
}
