using Sim.Scenarios.Schema;
using Sim.Scenarios.Sweeps;

namespace Sim.Scenarios.Cluster;

/// <summary>One point of a sweep over cluster scenarios (policies x loads, say): one replication on the
/// point's seed, reporting <see cref="ClusterResults.Metrics"/> (the base class drops the wall time).</summary>
public sealed class ClusterSweepEvaluator : ScenarioSweepEvaluator<ClusterScenario>
{
    public override MapSchema Schema => ClusterScenarioSchema.Root;

    protected override ClusterScenario Load(ScenarioDocument document) => ClusterScenario.From(document);

    protected override IReadOnlyList<KeyValuePair<string, double>> RunOnce(ClusterScenario scenario, ulong seed) =>
        ClusterResults.Metrics(ClusterResults.Run(scenario with { Replications = 1, Seed = seed }));
}
