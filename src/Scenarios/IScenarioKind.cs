using Sim.Core.Registries;
using Sim.Scenarios.Schema;
using Sim.Scenarios.Sweeps;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios;

/// <summary>
/// A kind of scenario file (training, federated, and the kinds to come, such as clusters of jobs),
/// registered in <see cref="ScenarioKinds"/>: its schema, how a file shows it is of this kind, how a
/// validated document becomes something to run, and what a sweep over it measures. <c>sim run</c> and
/// <c>sim sweep</c> know scenario kinds only through this interface.
/// </summary>
public interface IScenarioKind : IRegistered
{
    /// <summary>The exact key set of a file of this kind (validation and the generated reference).</summary>
    MapSchema Schema { get; }

    /// <summary>True when <paramref name="root"/> (a file's top level, not yet validated) carries this
    /// kind's own marker section. The kind without a marker is <see cref="ScenarioKinds.Default"/>.</summary>
    bool Claims(YamlMapping root);

    /// <summary>The scenario in <paramref name="document"/> (validated against <see cref="Schema"/>);
    /// cross-key problems throw <see cref="ScenarioException"/>.</summary>
    RunnableScenario Load(ScenarioDocument document);

    /// <summary>What a sweep over this kind measures at each point.</summary>
    ISweepEvaluator SweepEvaluator { get; }
}
