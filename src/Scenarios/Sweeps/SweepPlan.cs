using System.Security.Cryptography;
using System.Text;
using Sim.Scenarios.Schema;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Sweeps;

/// <summary>
/// A sweep expanded into its concrete runs, like a print-shop job ticket listing every copy to make:
/// grid combinations (first key varies slowest) followed by list points, each applied to the base
/// scenario and validated against the evaluator's schema. Every problem in every point is reported
/// before anything runs, so a bad sweep never produces partial output.
/// </summary>
public sealed class SweepPlan
{
    public SweepSpec Spec { get; }
    public IReadOnlyList<SweepPoint> Points { get; }
    public IReadOnlyList<SweepRun> Runs { get; }
    /// <summary>All override key paths in first-seen order: the parameter columns of merged results.</summary>
    public IReadOnlyList<string> ParameterKeys { get; }
    /// <summary>Hash of the expanded runs; shards and restarts check they work on the same sweep.</summary>
    public string Fingerprint { get; }

    private SweepPlan(SweepSpec spec, IReadOnlyList<SweepPoint> points, IReadOnlyList<string> keys)
    {
        Spec = spec;
        Points = points;
        ParameterKeys = keys;
        Runs = points.SelectMany(p => Enumerable.Range(0, spec.Replications)
                .Select(r => (Point: p, Replication: r)))
            .Select((pr, i) => new SweepRun(i, pr.Point, pr.Replication, SweepRun.DeriveSeed(spec.Seed, pr.Point.Id, pr.Replication)))
            .ToList();
        var text = new StringBuilder(spec.BaseScenario.ToCanonicalString()).Append('\n');
        foreach (var run in Runs) text.Append(run.Id).Append(' ').Append(run.Seed).Append('\n');
        Fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())).AsSpan(0, 8));
    }

    /// <summary>Largest sweep accepted, so a typo in a grid cannot ask for billions of runs.</summary>
    public const long MaxRuns = 1_000_000;

    public static SweepPlan Create(SweepSpec spec, ISweepEvaluator evaluator) => Create(spec, evaluator.Schema, evaluator.Check);

    public static SweepPlan Create(SweepSpec spec, MapSchema scenarioSchema, Func<ScenarioDocument, IEnumerable<ScenarioError>>? check = null)
    {
        double total = (spec.Grid.Aggregate(1.0, (product, g) => product * g.Values.Count) + spec.List.Count) * spec.Replications;
        if (total > MaxRuns)
            throw new ScenarioException(new ScenarioError(spec.Grid.Count > 0 ? spec.Grid[0].Key.Location : new SourceLocation(spec.File, 1, 1), "grid",
                $"expected at most {MaxRuns} runs in one sweep, got {total:0} (points x replications)"));
        var errors = new List<ScenarioError>();
        var seenErrors = new HashSet<string>();
        var points = new List<SweepPoint>();
        var idOwners = new Dictionary<string, SourceLocation>();
        var keys = new List<string>();

        foreach (var overrides in Combinations(spec))
        {
            foreach (var o in overrides)
                if (!keys.Contains(o.Path.ToString())) keys.Add(o.Path.ToString());
            var pointErrors = new List<ScenarioError>();
            YamlNode tree = spec.BaseScenario;
            foreach (var o in overrides)
                tree = TreeEditor.Set(tree, o.Path, o.Value, o.Value.Location, pointErrors);
            var texts = overrides.Select(o => new KeyValuePair<string, string>(o.Path.ToString(), o.Value.ToCanonicalString())).ToList();
            string id = SweepPoint.IdOf(texts);
            var where = overrides.Count > 0 ? overrides[^1].Value.Location : spec.BaseScenario.Location;
            if (idOwners.TryGetValue(id, out var first))
                pointErrors.Add(new ScenarioError(where, "list", $"expected distinct points, got a repeat of the point first defined at line {first.Line} ({Describe(texts)})"));
            else idOwners.Add(id, where);

            if (pointErrors.Count == 0)
            {
                try
                {
                    var scenario = ScenarioDocument.FromTree(tree, scenarioSchema);
                    if (check is not null) pointErrors.AddRange(check(scenario));
                    if (pointErrors.Count == 0) points.Add(new SweepPoint(points.Count, texts, scenario));
                }
                catch (ScenarioException e) { pointErrors.AddRange(e.Errors); }
            }
            // A bad grid value fails every point it appears in; report it once.
            foreach (var error in pointErrors)
                if (seenErrors.Add(error.ToString())) errors.Add(error);
        }
        if (errors.Count > 0) throw new ScenarioException(errors);
        return new SweepPlan(spec, points, keys);
    }

    private static string Describe(IEnumerable<KeyValuePair<string, string>> overrides) =>
        string.Join(", ", overrides.Select(o => $"{o.Key}={o.Value}"));

    private static IEnumerable<IReadOnlyList<(KeyPath Path, YamlNode Value)>> Combinations(SweepSpec spec)
    {
        if (spec.Grid.Count > 0 || spec.List.Count == 0)
        {
            var indices = new int[spec.Grid.Count];
            while (true)
            {
                yield return spec.Grid.Select((g, k) => (g.Path, g.Values[indices[k]])).ToList();
                int position = spec.Grid.Count - 1;
                while (position >= 0 && ++indices[position] == spec.Grid[position].Values.Count)
                {
                    indices[position] = 0;
                    position--;
                }
                if (position < 0) break;
            }
        }
        foreach (var point in spec.List)
            yield return point.Select(p => (p.Path, p.Value)).ToList();
    }
}
