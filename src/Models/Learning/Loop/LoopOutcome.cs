namespace Sim.Models.Learning.Loop;

/// <summary>
/// What a training-in-the-loop run produced: the learning curve against updates, examples and simulated
/// time; when (if) it reached the target; the staleness of every applied gradient as a histogram; and
/// the memory the parameter versions took.
/// </summary>
public sealed record LoopOutcome
{
    public required string Strategy { get; init; }
    public required IReadOnlyList<CurvePoint> Curve { get; init; }
    /// <summary>The first evaluation that met the target, or null when none did.</summary>
    public CurvePoint? Target { get; init; }
    public required long Updates { get; init; }
    public required double SimulatedSeconds { get; init; }
    public required long GradientEvaluations { get; init; }
    /// <summary>StalenessHistogram[τ]: gradients applied τ versions after the version they were computed on.</summary>
    public required IReadOnlyList<long> StalenessHistogram { get; init; }
    public required int PeakLiveSnapshots { get; init; }
    public required long SnapshotBytes { get; init; }
    public required ulong Seed { get; init; }
    /// <summary>The server's parameters when the run stopped (at the target, or at the budget).</summary>
    public required float[] FinalParameters { get; init; }

    public bool ReachedTarget => Target is not null;
    public double? TimeToTarget => Target?.Time;
    public long? UpdatesToTarget => Target?.Update;

    public double MeanStaleness
    {
        get
        {
            long n = 0; double sum = 0;
            for (int t = 0; t < StalenessHistogram.Count; t++) { n += StalenessHistogram[t]; sum += (double)t * StalenessHistogram[t]; }
            return n == 0 ? 0 : sum / n;
        }
    }

    public CurvePoint Final => Curve[^1];
}
