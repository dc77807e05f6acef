using Sim.Scenarios;
using Sim.Scenarios.Schema;
using Sim.Scenarios.Sweeps;
using Sim.Scenarios.Yaml;

namespace Sim.Learning.Scenario;

/// <summary>
/// The training-in-the-loop scenario kind, marked by a top-level <c>strategies:</c> list, so that
/// <c>sim run scenarios/tta-staleness.yaml</c> goes through the same pipeline as every other kind. It
/// lives in Sim.Learning (it needs TorchSharp), so the program registers it at start-up
/// (<see cref="Register"/>) instead of Sim.Scenarios listing it.
/// </summary>
public sealed class LearningKind : IScenarioKind
{
    public const string KindName = "learning";
    public string Name => KindName;
    public string Description => "training in the loop: real gradients of a small model under sync, async, SSP, local SGD, FedAvg and FedBuff";
    public MapSchema Schema => LearningScenarioSchema.Root;
    public bool Claims(YamlMapping root) => root["strategies"] is not null;
    public RunnableScenario Load(ScenarioDocument document) => new Ready(LearningScenario.From(document));

    public ISweepEvaluator SweepEvaluator { get; } = new Sweep();

    /// <summary>Adds the kind to <see cref="ScenarioKinds.Registry"/> once (idempotent).</summary>
    public static void Register()
    {
        lock (typeof(LearningKind))
            if (!ScenarioKinds.Registry.TryGet(KindName, out _)) ScenarioKinds.Registry.Register(new LearningKind());
    }

    /// <summary>A sweep point: one seed of every strategy; metrics "STRATEGY.COLUMN" as in summary.json.
    /// Each point builds its own model, so points may run on several threads.</summary>
    private sealed class Sweep : ISweepEvaluator
    {
        public MapSchema Schema => LearningScenarioSchema.Root;

        public IReadOnlyDictionary<string, double> Evaluate(ScenarioDocument scenario, ulong seed, CancellationToken cancellation)
        {
            var s = LearningScenario.From(scenario) with { Seed = seed, Replications = 1 };
            return LearningRunner.Run(s).ToScenarioOutcome().Metrics.ToDictionary(kv => kv.Key, kv => kv.Value);
        }
    }

    private sealed class Ready(LearningScenario scenario) : RunnableScenario
    {
        public override string Name => scenario.Name;
        public override string Source => scenario.Source;
        public override string Headline => $"{scenario.Model.Name}, {scenario.Strategies.Count} strategies";
        public override int Replications => scenario.Replications * scenario.Strategies.Count;
        public override RunnableScenario WithSeed(ulong seed) => new Ready(scenario with { Seed = seed });
        public override ScenarioOutcome Simulate(IProgress<int>? progress = null) => LearningRunner.Run(scenario, progress).ToScenarioOutcome();
    }
}
