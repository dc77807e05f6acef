using Sim.Core;
using Sim.Core.Registries;
using Sim.Models.Training;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Training.Modes;

/// <summary>
/// A training mode a scenario can name in <c>training.mode</c>, registered in <see cref="TrainingModes"/>
/// with its description, its own section of the scenario file (if any), the rules it imposes on the rest
/// of the file, and a factory for its job. Scenario reading, the runner and results read the mode only
/// through this interface: adding a mode is one class and one line in the registry.
/// </summary>
public interface ITrainingMode : IRegistered
{
    /// <summary>The mode's own top-level section of the scenario file (<c>pipeline:</c>), or null. The
    /// schema accepts it for every mode; a scenario of another mode that gives it is an error.</summary>
    ModeSection? Section { get; }

    /// <summary>Whether the mode simulates <c>failures:</c> (crashes, checkpoints, restarts).</summary>
    bool SimulatesFailures { get; }

    /// <summary>Whether the mode simulates <c>stragglers:</c>.</summary>
    bool SimulatesStragglers { get; }

    /// <summary>Whether the mode sends point-to-point traffic and so needs a backend that simulates
    /// every transfer (<see cref="Backends.INetworkBackend.SimulatesTransfers"/>).</summary>
    bool NeedsTransfers { get; }

    /// <summary>Reads the mode's settings into <paramref name="draft"/> (built from the keys every mode
    /// shares) and returns the finished scenario. Problems go to <paramref name="errors"/>, each located in
    /// <paramref name="root"/>; the caller throws if there are any, so the result may then be incomplete.</summary>
    TrainingScenario Configure(TrainingScenario draft, ScenarioSection root, List<ScenarioError> errors);

    /// <summary>Builds one replication's network and job on <paramref name="simulation"/>.</summary>
    ModeRun Build(TrainingScenario scenario, Simulation simulation);

    /// <summary>The same job on one GPU with no communication (for scaling efficiency), simulated now;
    /// null where a one-GPU version has no meaning (a pipeline needs its stages).</summary>
    TrainingResult? SingleGpuBaseline(TrainingScenario scenario);

    /// <summary>Kernel events one training iteration costs (an order of magnitude, rounded up) and the sizes
    /// that drive it, for the estimate printed before a run. By default a data-parallel iteration: the
    /// backend's events per gradient bucket, once per <c>local_steps</c> iterations.</summary>
    /// <summary>Whether robust aggregation (a <c>defence:</c> section) can replace this mode's gradient
    /// averaging; only plain synchronous data parallel gathers every gradient of a step.</summary>
    bool SupportsDefences => false;

    /// <summary>Whether coded or replicated computation (a <c>coding:</c> section) can replace this mode's
    /// all-reduce: only plain synchronous data parallel computes one gradient sum per step.</summary>
    bool SupportsCoding => false;

    /// <summary>Why the gradient-noise-scale model of a <c>time_to_target:</c> section does not cover this
    /// mode, or null when it does.</summary>
    string? TimeToTargetLimitation => null;

    /// <summary>The consistency model whose updates are stale (asynchronous parameter servers), for the
    /// staleness penalty of <c>time_to_target:</c>; null when every update is fresh.</summary>
    string? StaleConsistency(ScenarioSection root) => null;

    (double Events, string Driver) EstimateIteration(TrainingScenario scenario, double buckets)
    {
        var dp = scenario.DataParallel;
        double events = buckets * scenario.Backend.CostRates.EventsPerBucket(scenario.Workers) / Math.Max(1, dp.LocalSteps) + 2;
        return (events, $"{dp.Iterations:N0} iterations x {buckets:N0} gradient buckets, {scenario.Cluster.DeviceCount:N0} GPUs");
    }
}
