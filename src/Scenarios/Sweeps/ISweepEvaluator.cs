using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Sweeps;

/// <summary>
/// What a sweep measures at each point, like the experiment protocol a lab technician follows for
/// each sample: given a validated scenario and a seed, return named metrics. Implementations must be
/// deterministic (same scenario and seed, same numbers) and safe to call from several threads.
/// </summary>
public interface ISweepEvaluator
{
    /// <summary>The scenario schema every point of the sweep is validated against before anything runs.</summary>
    Schema.MapSchema Schema { get; }

    /// <summary>
    /// Rules the schema cannot express (one key relative to another, a model that cannot be built),
    /// checked for every point before anything runs; report them with <see cref="ScenarioSection.ErrorAt"/>.
    /// </summary>
    IEnumerable<ScenarioError> Check(ScenarioDocument scenario) => [];

    IReadOnlyDictionary<string, double> Evaluate(ScenarioDocument scenario, ulong seed, CancellationToken cancellation);

    /// <summary>The evaluator for <paramref name="spec"/>: itself, unless it serves several scenario kinds
    /// and picks the one the sweep's base scenario is of.</summary>
    ISweepEvaluator For(SweepSpec spec) => this;
}
