using Sim.Scenarios.Schema;
using Sim.Scenarios.Sweeps;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Training;

/// <summary>The training scenario kind: one training job on a cluster (<see cref="TrainingScenario"/>);
/// the default kind, so it needs no marker section.</summary>
public sealed class TrainingKind : IScenarioKind
{
    public const string KindName = "training";
    public string Name => KindName;
    public string Description => "one training job on a cluster: data parallel, local SGD, parameter server, pipeline/tensor/3D parallel";
    public MapSchema Schema => TrainingScenarioSchema.Root;
    public bool Claims(YamlMapping root) => false;
    public RunnableScenario Load(ScenarioDocument document) => new Ready(TrainingScenario.From(document));
    public ISweepEvaluator SweepEvaluator { get; } = new TrainingSweepEvaluator();

    /// <summary><paramref name="scenario"/> (for example the built-in quick-start) ready to run.</summary>
    public static RunnableScenario Runnable(TrainingScenario scenario) => new Ready(scenario);

    private sealed class Ready(TrainingScenario scenario) : RunnableScenario
    {
        public override string Name => scenario.Name;
        public override string Source => scenario.Source;
        public override string Headline => $"{scenario.Workers} workers, {scenario.Model.Name}";
        public override int Replications => scenario.Replications;
        public override RunnableScenario WithSeed(ulong seed) => new Ready(scenario with { Seed = seed });
        public override ScenarioOutcome Simulate(IProgress<int>? progress = null) => TrainingOutcome.Simulate(scenario, progress);
    }
}
