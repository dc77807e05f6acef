using Sim.Core.Randomness;

namespace Sim.Models.Faults;

/// <summary>
/// Why some workers are slower than others, in three kinds the literature distinguishes (Dean and
/// Barroso, "The Tail at Scale", CACM 2013; Chen et al., "Revisiting Distributed Synchronous SGD", 2016):
/// per-iteration jitter (noise every step: interference, OS daemons), persistently slow workers
/// (an older or throttled GPU), and transient slowdowns (a window of time in which some workers run
/// slower). All three multiply a worker's compute time for an iteration.
/// </summary>
public sealed record StragglerModel
{
    /// <summary>Multiplier drawn per worker per iteration (e.g. lognormal(0, 0.1)); null means 1.</summary>
    public IDistribution? Jitter { get; init; }
    /// <summary>Fraction of workers that are persistently slow.</summary>
    public double SlowFraction { get; init; }
    /// <summary>Compute-time multiplier of persistently slow workers.</summary>
    public double SlowFactor { get; init; } = 1;
    public IReadOnlyList<TransientSlowdown> Transients { get; init; } = [];

    public static StragglerModel None { get; } = new();

    public bool IsNone => Jitter is null && (SlowFraction == 0 || SlowFactor == 1) && Transients.Count == 0;

    public void Validate(string path = "stragglers")
    {
        if (!(SlowFraction >= 0 && SlowFraction <= 1)) throw new ArgumentException($"{path}.slow_fraction: must be in [0, 1], got {SlowFraction}");
        if (!(SlowFactor >= 1)) throw new ArgumentException($"{path}.slow_factor: must be >= 1, got {SlowFactor}");
        if (Jitter is { } j && !(j.Mean > 0)) throw new ArgumentException($"{path}.jitter: multipliers must have a positive mean, got {j}");
        for (int i = 0; i < Transients.Count; i++) Transients[i].Validate($"{path}.transients[{i}]");
    }
}

/// <summary>Workers run <see cref="Factor"/> times slower during [Start, Start + Duration). Applies to
/// one worker (<see cref="Worker"/> >= 0) or to all (-1).</summary>
public sealed record TransientSlowdown(double Start, double Duration, double Factor, int Worker = -1)
{
    public bool Covers(double time, int worker) => time >= Start && time < Start + Duration && (Worker < 0 || Worker == worker);

    public void Validate(string path)
    {
        if (!(Start >= 0)) throw new ArgumentException($"{path}.start: must be >= 0, got {Start}");
        if (!(Duration > 0)) throw new ArgumentException($"{path}.duration: must be > 0, got {Duration}");
        if (!(Factor >= 1)) throw new ArgumentException($"{path}.factor: must be >= 1, got {Factor}");
    }
}
