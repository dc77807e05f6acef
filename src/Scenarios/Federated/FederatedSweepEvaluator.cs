using Sim.Scenarios.Schema;
using Sim.Scenarios.Sweeps;

namespace Sim.Scenarios.Federated;

/// <summary>One point of a sweep over federated scenarios, reporting <see cref="FederatedResults.Metrics"/>.</summary>
public sealed class FederatedSweepEvaluator : ScenarioSweepEvaluator<FederatedScenario>
{
    public override MapSchema Schema => FederatedScenarioSchema.Root;

    protected override FederatedScenario Load(ScenarioDocument document) => FederatedScenario.From(document);

    protected override IReadOnlyList<KeyValuePair<string, double>> RunOnce(FederatedScenario scenario, ulong seed) =>
        FederatedResults.Metrics(FederatedResults.Run(scenario with { Replications = 1, Seed = seed }));
}
