using Sim.Models.Cluster.Schedulers;

namespace Sim.Models.Cluster;

/// <summary>
/// Every cluster scheduling policy by name, with a one-line description and a factory (SimGrid-style
/// registration). Scenario schemas, docs and the CLI read the names and descriptions from here, so
/// adding a policy means one file plus one line below.
/// </summary>
public static class SchedulerRegistry
{
    public sealed record Entry(string Name, string Description, Func<SchedulerOptions, IClusterScheduler> Create);

    public static IReadOnlyList<Entry> All { get; } =
    [
        new("fifo", "first come, first served; gangs run to completion (EASY backfilling if enabled)", _ => new FifoScheduler()),
        new("sjf", "shortest (estimated) job first, non-preemptive", _ => new ShortestJobFirst()),
        new("srtf", "shortest (estimated) remaining time first, preemptive (SRPT on one GPU)", _ => new ShortestRemainingTime()),
        new("las", "least attained service, continuous, time-sliced (foreground-background)", _ => new LeastAttainedService()),
        new("tiresias", "Tiresias 2D-LAS: discretized queues by attained GPU-seconds, FIFO within a queue, preemptive gangs", o => new TiresiasScheduler(o.TiresiasThresholds)),
        new("ps", "processor sharing: max-min fair GPU shares, time-sliced", _ => new ProcessorSharing()),
        new("themis", "finish-time fairness (Themis): largest T_shared/T_independent first, leases", o => new ThemisScheduler(o.ThemisLeaseSeconds)),
        new("gavel", "Gavel-style heterogeneity-aware max-min fairness of normalized progress, rounds", o => new GavelScheduler(o.GavelRoundSeconds)),
    ];

    public static IEnumerable<string> Names => All.Select(e => e.Name);

    /// <summary>The policy called <paramref name="name"/>; throws <see cref="ArgumentException"/> listing the valid names.</summary>
    public static IClusterScheduler Create(string name, SchedulerOptions? options = null)
    {
        foreach (var e in All)
            if (e.Name == name) return e.Create(options ?? new SchedulerOptions());
        throw new ArgumentException($"unknown scheduler '{name}'; valid: {string.Join(", ", Names)}", nameof(name));
    }
}
