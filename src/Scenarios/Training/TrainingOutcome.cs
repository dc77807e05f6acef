using Sim.Reports;

namespace Sim.Scenarios.Training;

/// <summary>
/// A training scenario's <see cref="ScenarioOutcome"/>: every replication simulated (the first one
/// recording its timeline in memory when asked), the single-GPU baseline, then the metrics, the
/// iteration and breakdown tables, the mode's own tables and the report built from those results.
/// </summary>
public static class TrainingOutcome
{
    public static ScenarioOutcome Simulate(TrainingScenario scenario, IProgress<int>? progress = null)
    {
        if (!scenario.WriteTimeline) return Of(ScenarioRunner.Run(scenario, null, progress), null);
        using var timeline = new MemoryStream();
        var run = ScenarioRunner.Run(scenario, timeline, progress);
        return Of(run, timeline.ToArray());
    }

    /// <summary>The outcome of replications already simulated; <paramref name="timeline"/> is the first
    /// replication's Chrome trace, if recorded. Builds tables and report only; simulates nothing.</summary>
    public static ScenarioOutcome Of(RunOutcome run, byte[]? timeline)
    {
        var s = run.Scenario;
        var metrics = RunMetrics.Of(run);
        var tables = new List<OutcomeTable> { new("iterations.csv", IterationTable(run)), new("breakdown.csv", BreakdownTable(run)) };
        // A mode's table goes to "<first word of its title>-details.csv" (pipeline-details.csv).
        tables.AddRange(run.Details.Select(t => new OutcomeTable(t.Title.Split(' ')[0].ToLowerInvariant() + "-details.csv", t)));
        return new ScenarioOutcome
        {
            Title = $"{s.Name}: {run.First.Strategy}",
            Info = Info(run),
            Metrics = metrics,
            Tables = tables,
            Report = s.WriteReport ? TrainingReport.Build(run, metrics) : null,
            Timeline = timeline,
            WallSeconds = run.WallSeconds,
        };
    }

    /// <summary>The settings of a run, as summary.json and the report list them.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Info(RunOutcome run)
    {
        var s = run.Scenario;
        return new KeyValuePair<string, string>[]
        {
            new("scenario", s.Name),
            new("source", s.Source),
            new("strategy", run.First.Strategy),
            new("cluster", $"{s.Cluster.Name}, {s.Cluster.Fabric.Kind}"),
            new("workers", s.Workers.ToString()),
            new("model", $"{s.Model.Name} ({s.Model.Parameters / 1e6:F1}M parameters)"),
            new("compute", s.Compute.Describe()),
            new("network", $"{s.Backend.Summary}, {s.Collective} all-reduce"),
            new("seed", s.Seed.ToString()),
            new("replications", s.Replications.ToString()),
            new("sim_version", typeof(TrainingOutcome).Assembly.GetName().Version?.ToString() ?? "?"),
        };
    }

    private static ReportTable IterationTable(RunOutcome run)
    {
        var rows = new List<IReadOnlyList<object?>>();
        for (int r = 0; r < run.Replications.Count; r++)
        {
            var times = run.Replications[r].IterationTimes;
            for (int i = 0; i < times.Count; i++) rows.Add(new object?[] { r, i, times[i] });
        }
        return new ReportTable("iterations", ["replication", "iteration", "seconds"], rows);
    }

    private static ReportTable BreakdownTable(RunOutcome run)
    {
        var rows = new List<IReadOnlyList<object?>>();
        for (int r = 0; r < run.Replications.Count; r++)
            foreach (var (part, seconds) in run.Replications[r].Breakdown.Parts())
                rows.Add(new object?[] { r, part, seconds, seconds / run.Replications[r].JobTime });
        return new ReportTable("breakdown", ["replication", "part", "seconds", "fraction"], rows);
    }
}
