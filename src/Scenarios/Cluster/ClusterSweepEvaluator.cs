using Sim.Scenarios.Schema;
using Sim.Scenarios.Sweeps;

namespace Sim.Scenarios.Cluster;

/// <summary>Runs one point of a sweep over cluster scenarios (policies x loads, say): the scenario with
/// the point's seed, one replication (the sweep's replications give the spread), reporting
/// <see cref="ClusterResults.Metrics"/> without the wall time, so results are a function of scenario and seed.</summary>
public sealed class ClusterSweepEvaluator : ISweepEvaluator
{
    public MapSchema Schema => ClusterScenarioSchema.Root;

    public IEnumerable<Sim.Scenarios.Yaml.ScenarioError> Check(ScenarioDocument scenario)
    {
        try { ClusterScenario.From(scenario); return []; }
        catch (Sim.Scenarios.Yaml.ScenarioException e) { return e.Errors; }
    }

    public IReadOnlyDictionary<string, double> Evaluate(ScenarioDocument scenario, ulong seed, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        var s = ClusterScenario.From(scenario) with { Replications = 1, Seed = seed };
        return ClusterResults.Metrics(ClusterResults.Run(s)).Where(kv => kv.Key != "wall_s").ToDictionary(kv => kv.Key, kv => kv.Value);
    }
}
