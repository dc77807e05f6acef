using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Sweeps;

/// <summary>
/// Wraps plain functions as an <see cref="ISweepEvaluator"/>, like a universal adapter plug: handy in
/// notebooks, where a lambda is the natural way to say what a point measures.
/// </summary>
public sealed class SweepEvaluator(
    Schema.MapSchema schema,
    Func<ScenarioDocument, ulong, IReadOnlyDictionary<string, double>> evaluate,
    Func<ScenarioDocument, IEnumerable<ScenarioError>>? check = null) : ISweepEvaluator
{
    public Schema.MapSchema Schema { get; } = schema;

    public IEnumerable<ScenarioError> Check(ScenarioDocument scenario) => check?.Invoke(scenario) ?? [];

    public IReadOnlyDictionary<string, double> Evaluate(ScenarioDocument scenario, ulong seed, CancellationToken cancellation) =>
        evaluate(scenario, seed);
}
