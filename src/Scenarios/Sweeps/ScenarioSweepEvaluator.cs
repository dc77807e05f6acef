using Sim.Scenarios.Schema;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Sweeps;

/// <summary>
/// What every scenario kind's sweep evaluator shares: a point is checked by loading it (so cross-key
/// rules are reported before anything runs), and evaluated by loading it and running one replication
/// with the point's seed (the sweep's own replications give the spread). Wall time is left out: a
/// sweep's results must be a pure function of scenario and seed.
/// </summary>
public abstract class ScenarioSweepEvaluator<TScenario> : ISweepEvaluator
{
    public abstract MapSchema Schema { get; }

    /// <summary>The kind's scenario from a document already validated against <see cref="Schema"/>.</summary>
    protected abstract TScenario Load(ScenarioDocument document);

    /// <summary>One replication of <paramref name="scenario"/> on <paramref name="seed"/>, as named metrics.</summary>
    protected abstract IReadOnlyList<KeyValuePair<string, double>> RunOnce(TScenario scenario, ulong seed);

    public IEnumerable<ScenarioError> Check(ScenarioDocument scenario)
    {
        try { Load(scenario); return []; }
        catch (ScenarioException e) { return e.Errors; }
    }

    public IReadOnlyDictionary<string, double> Evaluate(ScenarioDocument scenario, ulong seed, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        return RunOnce(Load(scenario), seed).Where(kv => kv.Key != "wall_s").ToDictionary(kv => kv.Key, kv => kv.Value);
    }
}
