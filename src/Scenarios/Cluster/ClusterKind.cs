using Sim.Scenarios.Schema;
using Sim.Scenarios.Sweeps;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Cluster;

/// <summary>The cluster scenario kind (<see cref="ClusterScenario"/>), marked by a top-level
/// <c>scheduler:</c> section: `sim run`, `sim sweep` and `sim cluster run` all accept it.</summary>
public sealed class ClusterKind : IScenarioKind
{
    public string Name => "cluster";
    public string Description => "a stream of training jobs on a shared GPU cluster under a scheduler, with placement and network contention";
    public MapSchema Schema => ClusterScenarioSchema.Root;
    public bool Claims(YamlMapping root) => root["scheduler"] is not null;
    public RunnableScenario Load(ScenarioDocument document) => new Ready(ClusterScenario.From(document));
    public ISweepEvaluator SweepEvaluator { get; } = new ClusterSweepEvaluator();

    private sealed class Ready(ClusterScenario scenario) : RunnableScenario
    {
        public override string Name => scenario.Name;
        public override string Source => scenario.Source;
        public override string Headline => $"{scenario.ClusterDescription}; {scenario.JobsDescription}; scheduler {scenario.Policy}";
        public override int Replications => scenario.Replications;
        public override RunnableScenario WithSeed(ulong seed) => new Ready(scenario with { Seed = seed });
        public override ScenarioOutcome Simulate(IProgress<int>? progress = null) => ClusterResults.Simulate(scenario, progress);
        public override Cost.RunCost EstimateCost() => Cost.ClusterCostEstimator.Estimate(scenario);
    }
}
