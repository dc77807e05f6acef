using Sim.Scenarios.Schema;
using Sim.Scenarios.Sweeps;

namespace Sim.Scenarios.Training;

/// <summary>One point of a sweep over training scenarios, reporting <see cref="RunMetrics"/>.</summary>
public sealed class TrainingSweepEvaluator : ScenarioSweepEvaluator<TrainingScenario>
{
    public override MapSchema Schema => TrainingScenarioSchema.Root;

    protected override TrainingScenario Load(ScenarioDocument document) => TrainingScenario.From(document);

    protected override IReadOnlyList<KeyValuePair<string, double>> RunOnce(TrainingScenario scenario, ulong seed) =>
        RunMetrics.Of(ScenarioRunner.Run(scenario with { Replications = 1, Seed = seed }));
}
