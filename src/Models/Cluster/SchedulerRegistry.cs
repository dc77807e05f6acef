using Sim.Core.Registries;
using Sim.Models.Cluster.Schedulers;

namespace Sim.Models.Cluster;

/// <summary>
/// Every cluster scheduling policy by name, with a one-line description and a factory, in the shared
/// <see cref="Registry{T}"/>. The scenario schema's enum, the generated docs, results metadata and
/// `sim cluster policies` read the names and descriptions from here, so adding a policy means one
/// file plus one entry below.
/// </summary>
public static class SchedulerRegistry
{
    public sealed record Entry(string Name, string Description, Func<SchedulerOptions, IClusterScheduler> Create) : IRegistered;

    public static Registry<Entry> Registry { get; } = new("scheduler",
        new("fifo", "first come, first served; gangs run to completion (EASY backfilling if enabled)", _ => new FifoScheduler()),
        new("sjf", "shortest (estimated) job first, non-preemptive", _ => new ShortestJobFirst()),
        new("srtf", "shortest (estimated) remaining time first, preemptive (SRPT on one GPU)", _ => new ShortestRemainingTime()),
        new("las", "least attained service, continuous, time-sliced (foreground-background)", _ => new LeastAttainedService()),
        new("tiresias", "Tiresias 2D-LAS: discretized queues by attained GPU-seconds, FIFO within a queue, preemptive gangs", o => new TiresiasScheduler(o.TiresiasThresholds)),
        new("ps", "processor sharing: max-min fair GPU shares, time-sliced", _ => new ProcessorSharing()),
        new("themis", "finish-time fairness (Themis): largest T_shared/T_independent first, leases", o => new ThemisScheduler(o.ThemisLeaseSeconds)),
        new("gavel", "Gavel-style heterogeneity-aware max-min fairness of normalized progress, rounds", o => new GavelScheduler(o.GavelRoundSeconds)));

    public static IReadOnlyList<Entry> All => Registry.Entries;

    public static IReadOnlyList<string> Names => Registry.Names;

    /// <summary>The entry called <paramref name="name"/>; throws <see cref="ArgumentException"/> listing the valid names.</summary>
    public static Entry Get(string name) =>
        Registry.TryGet(name, out var e) ? e : throw new ArgumentException($"unknown scheduler '{name}'; valid: {string.Join(", ", Names)}", nameof(name));

    /// <summary>A fresh instance of the policy called <paramref name="name"/>.</summary>
    public static IClusterScheduler Create(string name, SchedulerOptions? options = null) => Get(name).Create(options ?? new SchedulerOptions());
}
