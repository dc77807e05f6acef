using Sim.Scenarios;
using Sim.Scenarios.Schema;
using Sim.Scenarios.Sweeps;

namespace Sim.Notebooks.Tests;

/// <summary>Sweep results collated per point must equal the textbook mean and Student-t interval of the stored runs.</summary>
public sealed class SweepResultsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sim-nb-sweep-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Reports metric = 10 x, plus the replication's offset encoded in the seed's parity.</summary>
    private sealed class LinearEvaluator : ISweepEvaluator
    {
        public MapSchema Schema { get; } = new(Field.Req("x", Schemas.Number(), "input"));
        public readonly Dictionary<ulong, double> Noise = new();

        public IReadOnlyDictionary<string, double> Evaluate(ScenarioDocument scenario, ulong seed, CancellationToken cancellation)
        {
            lock (Noise) return new Dictionary<string, double> { ["y"] = 10 * scenario.GetDouble("x") + Noise[seed] };
        }
    }

    private static SweepPlan Plan(int replications, LinearEvaluator evaluator)
    {
        var plan = SweepPlan.Create(SweepSpec.Parse($"replications: {replications}\nscenario: {{ x: 0 }}\ngrid:\n  x: [1, 2]\n", "s.yaml"), evaluator.Schema);
        foreach (var run in plan.Runs) evaluator.Noise[run.Seed] = run.Replication; // 0, 1, 2: mean 1, sample sd 1
        return plan;
    }

    [Fact]
    public void Point_means_and_intervals_match_the_closed_form()
    {
        var evaluator = new LinearEvaluator();
        var plan = Plan(3, evaluator);
        new SweepRunner(evaluator).Run(plan, _folder, ShardSpec.All, jobs: 2);

        var results = SweepResults.Load(plan, _folder);
        Assert.Equal(2, results.Points.Count);
        var point = results.Points.Single(p => p.Overrides["x"] == "2");
        Assert.Equal(21.0, point.Mean("y"), 12);
        // Half-width t(0.975, 2) * s / sqrt(3) with s = 1: 4.302653 / 1.7320508.
        Assert.Equal(4.302652729911275 / Math.Sqrt(3), point.Metrics["y"].HalfWidth, 6);
        Assert.Contains("y ±95%", results.Table("y").Table.Columns);
        Assert.Contains("(1, 11) (2, 21)", results.Chart("y", "x").ToString());
    }

    [Fact]
    public void A_missing_run_is_named_instead_of_averaging_a_partial_set()
    {
        var evaluator = new LinearEvaluator();
        var plan = Plan(2, evaluator);
        new SweepRunner(evaluator).Run(plan, _folder, new ShardSpec(0, 2), jobs: 1);

        var e = Assert.Throws<SweepException>(() => SweepResults.Load(plan, _folder));
        Assert.Contains(plan.Runs[1].Id, e.Message);
    }

    [Fact]
    public void Charting_an_unswept_parameter_is_an_error_that_lists_the_swept_ones()
    {
        var evaluator = new LinearEvaluator();
        var plan = Plan(1, evaluator);
        new SweepRunner(evaluator).Run(plan, _folder, ShardSpec.All, jobs: 1);
        var e = Assert.Throws<ArgumentException>(() => SweepResults.Load(plan, _folder).Chart("y", "nodes"));
        Assert.Contains("varies x", e.Message);
    }
}
