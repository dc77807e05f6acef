using Sim.Scenarios.Schema;
using Sim.Scenarios.Sweeps;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Federated;

/// <summary>The federated scenario kind (<see cref="FederatedScenario"/>), marked by a top-level
/// <c>federated:</c> section.</summary>
public sealed class FederatedKind : IScenarioKind
{
    public string Name => "federated";
    public string Description => "federated learning over a client population: FedAvg rounds or FedBuff";
    public MapSchema Schema => FederatedScenarioSchema.Root;
    public bool Claims(YamlMapping root) => root["federated"] is not null;
    public RunnableScenario Load(ScenarioDocument document) => new Ready(FederatedScenario.From(document));
    public ISweepEvaluator SweepEvaluator { get; } = new FederatedSweepEvaluator();

    private sealed class Ready(FederatedScenario scenario) : RunnableScenario
    {
        public override string Name => scenario.Name;
        public override string Source => scenario.Source;
        public override string Headline => scenario.PopulationDescription;
        public override int Replications => scenario.Replications;
        public override RunnableScenario WithSeed(ulong seed) => new Ready(scenario with { Seed = seed });
        public override ScenarioOutcome Simulate(IProgress<int>? progress = null) => FederatedResults.Simulate(scenario, progress);
    }
}
