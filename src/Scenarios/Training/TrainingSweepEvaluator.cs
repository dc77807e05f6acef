using Sim.Scenarios.Schema;
using Sim.Scenarios.Sweeps;

namespace Sim.Scenarios.Training;

/// <summary>Runs one point of a sweep over training scenarios: the scenario with the point's seed,
/// one replication (the sweep's own replications give the spread), reporting <see cref="RunMetrics"/>.</summary>
public sealed class TrainingSweepEvaluator : ISweepEvaluator
{
    public MapSchema Schema => TrainingScenarioSchema.Root;

    /// <summary>Cross-key rules (more workers than GPUs, a stray section...) for every point before any run.</summary>
    public IEnumerable<Sim.Scenarios.Yaml.ScenarioError> Check(ScenarioDocument scenario)
    {
        try { TrainingScenario.From(scenario); return []; }
        catch (Sim.Scenarios.Yaml.ScenarioException e) { return e.Errors; }
    }

    public IReadOnlyDictionary<string, double> Evaluate(ScenarioDocument scenario, ulong seed, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        var s = TrainingScenario.From(scenario) with { Replications = 1, Seed = seed };
        var outcome = ScenarioRunner.Run(s);
        var metrics = RunMetrics.Of(outcome);
        // Wall time differs run to run; a sweep's results must be a pure function of scenario and seed.
        return metrics.Where(kv => kv.Key != "wall_s").ToDictionary(kv => kv.Key, kv => kv.Value);
    }
}
