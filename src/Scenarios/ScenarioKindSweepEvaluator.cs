using Sim.Scenarios.Schema;
using Sim.Scenarios.Sweeps;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios;

/// <summary>
/// The sweep evaluator of <c>sim sweep</c>: a sweep over any scenario kind. <see cref="For"/> picks the
/// kind's own evaluator from the sweep's base scenario (<see cref="ScenarioKinds.Detect"/>); used
/// directly, it evaluates the default kind.
/// </summary>
public sealed class ScenarioKindSweepEvaluator : ISweepEvaluator
{
    private static ISweepEvaluator Default => ScenarioKinds.Default.SweepEvaluator;

    public MapSchema Schema => Default.Schema;

    public IEnumerable<ScenarioError> Check(ScenarioDocument scenario) => Default.Check(scenario);

    public IReadOnlyDictionary<string, double> Evaluate(ScenarioDocument scenario, ulong seed, CancellationToken cancellation) =>
        Default.Evaluate(scenario, seed, cancellation);

    public ISweepEvaluator For(SweepSpec spec) => ScenarioKinds.Detect(spec.BaseScenario).SweepEvaluator;
}
