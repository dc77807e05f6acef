using Sim.Scenarios.Schema;
using Sim.Scenarios.Sweeps;

namespace Sim.Scenarios.Federated;

/// <summary>Runs one point of a sweep over federated scenarios: the scenario with the point's seed, one
/// replication (the sweep's own replications give the spread), reporting <see cref="FederatedResults.Metrics"/>.</summary>
public sealed class FederatedSweepEvaluator : ISweepEvaluator
{
    public MapSchema Schema => FederatedScenarioSchema.Root;

    public IEnumerable<Sim.Scenarios.Yaml.ScenarioError> Check(ScenarioDocument scenario)
    {
        try { FederatedScenario.From(scenario); return []; }
        catch (Sim.Scenarios.Yaml.ScenarioException e) { return e.Errors; }
    }

    public IReadOnlyDictionary<string, double> Evaluate(ScenarioDocument scenario, ulong seed, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        var s = FederatedScenario.From(scenario) with { Replications = 1, Seed = seed };
        // Wall time differs run to run; a sweep's results must be a pure function of scenario and seed.
        return FederatedResults.Metrics(FederatedResults.Run(s)).Where(kv => kv.Key != "wall_s").ToDictionary(kv => kv.Key, kv => kv.Value);
    }
}
