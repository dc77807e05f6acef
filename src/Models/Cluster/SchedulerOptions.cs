namespace Sim.Models.Cluster;

/// <summary>Parameters some policies take. Defaults are policy parameters, not measurements.</summary>
public sealed record SchedulerOptions
{
    /// <summary>Tiresias queue thresholds in GPU-seconds (k thresholds make k+1 queues).</summary>
    public IReadOnlyList<double> TiresiasThresholds { get; init; } = [3_600, 36_000];
    /// <summary>Themis lease length, seconds.</summary>
    public double ThemisLeaseSeconds { get; init; } = 600;
    /// <summary>Gavel round length, seconds (Gavel's evaluation uses 6-minute rounds).</summary>
    public double GavelRoundSeconds { get; init; } = 360;
}
