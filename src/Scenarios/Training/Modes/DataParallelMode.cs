using Sim.Core;
using Sim.Models.Network;
using Sim.Models.Training;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Training.Modes;

/// <summary>
/// <c>data_parallel</c>: synchronous data parallel training (<see cref="SyncDataParallel"/>): DDP-style
/// gradient buckets all-reduced while backward runs, backup workers, stragglers, failures and checkpoints.
/// Works on every backend, closed-form all-reduce costs included.
/// </summary>
[TrainingMode(10)]
public class DataParallelMode : ITrainingMode
{
    public virtual string Name => "data_parallel";
    public virtual string Description => "synchronous data parallel (DDP bucketed all-reduce overlapped with backward)";
    public ModeSection? Section => null;
    public bool SimulatesFailures => true;
    public bool SimulatesStragglers => true;
    public virtual bool SupportsDefences => true;
    public virtual bool SupportsCoding => true;
    public bool NeedsTransfers => false;

    public virtual TrainingScenario Configure(TrainingScenario draft, ScenarioSection root, List<ScenarioError> errors) => draft;

    public ModeRun Build(TrainingScenario s, Simulation simulation)
    {
        // A defence that cannot run inside an all-reduce gathers to an aggregation server, and coded
        // computation gathers to a decoding master (issue #18).
        if (Sim.Scenarios.Dependability.CodedSync.Build(s, simulation) is { } coded) return coded;
        if (Sim.Scenarios.Dependability.DefendedSync.Build(s, simulation) is { } defended)
            return new ModeRun(new SyncDataParallel(simulation, s.DataParallel, s.Compute, defended.Sync), defended.Network);
        var topology = ClusterTopology.Build(s.Cluster);
        var ranks = Enumerable.Range(0, s.Workers).ToArray();
        var network = s.Backend.CreateNetwork(simulation, topology);
        var sync = s.Backend.CreateGradientSync(simulation, topology, network, ranks, s.Collective, s.Cluster.Node.DevicesPerNode);
        return new ModeRun(new SyncDataParallel(simulation, s.DataParallel, s.Compute, sync), network);
    }

    /// <summary>The same configuration on one worker (no backups, no failures, at most 50 iterations)
    /// with a free all-reduce, on the scenario's seed.</summary>
    public TrainingResult? SingleGpuBaseline(TrainingScenario s)
    {
        var one = s.DataParallel with { Workers = 1, BackupWorkers = 0, Failures = null, Iterations = Math.Min(s.DataParallel.Iterations, 50) };
        return SyncDataParallel.Simulate(one, s.Compute, sim => new ClosedFormAllReduce(sim, 1, 0, 1), s.Seed);
    }
}
