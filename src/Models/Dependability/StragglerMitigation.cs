using Sim.Models.Faults;

namespace Sim.Models.Dependability;

/// <summary>
/// How a synchronous step copes with slow workers, reduced to what sets its compute time: each worker
/// does <see cref="Load"/> times the plain per-worker work, and the step waits for the fastest
/// n - <see cref="Ignored"/> workers. The wait is the straggler model's own order statistic
/// (<see cref="StragglerState.Pace"/> with Ignored backups, exactly what SyncDataParallel uses for
/// backup workers), so every scheme sees the same jitter, slow workers and transient windows.
/// </summary>
/// <param name="Name">How tables name the scheme.</param>
/// <param name="Load">Work per worker, in plain worker steps.</param>
/// <param name="Ignored">Slowest workers the step does not wait for.</param>
/// <param name="ExactGradient">Whether the step's gradient is the full-batch one (coding) or misses
/// the ignored workers' data (backup workers drop it; Chen et al., 2016).</param>
public sealed record StragglerMitigation(string Name, double Load, int Ignored, bool ExactGradient)
{
    /// <summary>Wait for all n workers, load 1.</summary>
    public static StragglerMitigation None { get; } = new("none", 1, 0, true);

    /// <summary>Backup workers (Chen et al., "Revisiting Distributed Synchronous SGD", 2016): proceed
    /// with the fastest n - b, dropping the rest's gradients.</summary>
    public static StragglerMitigation BackupWorkers(int b) => new($"{b} backup workers", 1, b, false);

    /// <summary>Gradient coding for s stragglers: load s + 1, wait for n - s, exact gradient.</summary>
    public static StragglerMitigation Coding(GradientCode code) => new($"gradient coding (s = {code.Stragglers})", code.Load, code.Stragglers, true);

    /// <summary>DRACO r-fold replication: load r, and the master waits for every worker (the paper's
    /// setting; majority decoding of an incomplete group is not modelled).</summary>
    public static StragglerMitigation Replication(ReplicationCode code) => new($"DRACO replication (r = {code.Replication})", code.Replication, 0, true);

    /// <summary>Compute time of one step starting at <paramref name="now"/>, for a plain per-worker
    /// compute of <paramref name="baseSeconds"/>: baseSeconds x Load x the (n - Ignored)-th smallest
    /// straggler multiplier.</summary>
    public double ComputeSeconds(StragglerState stragglers, double now, double baseSeconds)
    {
        if (Ignored >= stragglers.Workers) throw new ArgumentException($"{Name}: cannot ignore {Ignored} of {stragglers.Workers} workers");
        return baseSeconds * Load * stragglers.Pace(now, 1, Ignored, out _);
    }
}
