using Sim.Core.Statistics;
using Sim.Models.Learning.Loop;
using Sim.Reports;

namespace Sim.Learning.Scenario;

/// <summary>Every strategy's outcomes, one per replication seed, in scenario order.</summary>
public sealed record LearningOutcome(LearningScenario Scenario, IReadOnlyList<(StrategyRun Run, IReadOnlyList<LoopOutcome> Seeds)> Results, double WallSeconds)
{
    /// <summary>One row per strategy: updates and simulated seconds to the target (mean over the seeds
    /// that reached it, with the 95% Student-t half-width), how many reached it, final held-out accuracy,
    /// mean staleness and the peak number of live parameter snapshots.</summary>
    public ReportTable Table() => _table ??= BuildTable();

    private ReportTable? _table;

    private ReportTable BuildTable()
    {
        var rows = new List<IReadOnlyList<object?>>();
        foreach (var (run, seeds) in Results)
        {
            var reached = seeds.Where(o => o.ReachedTarget).ToArray();
            var updates = reached.Select(o => (double)o.UpdatesToTarget!.Value).ToArray();
            var times = reached.Select(o => o.TimeToTarget!.Value).ToArray();
            double noise = double.NaN;
            if (Scenario.NoiseScaleProbe is { } probe)
                noise = NoiseScaleProbe.Measure(Scenario.Model, seeds[0].FinalParameters, probe.Small, probe.Big, probe.Pairs, Scenario.Seed).NoiseScale;
            rows.Add(new object?[]
            {
                run.Label, $"{reached.Length}/{seeds.Count}",
                Mean(updates), HalfWidth(updates), Mean(times), HalfWidth(times),
                seeds.Average(o => o.Final.Accuracy), seeds.Average(o => o.MeanStaleness), seeds.Max(o => o.PeakLiveSnapshots), noise,
            });
        }
        return new ReportTable($"Time to target: {Scenario.Name}",
            ["strategy", "reached", "updates_to_target", "updates_ci95", "time_to_target_s", "time_ci95", "final_accuracy", "staleness_mean", "peak_live_versions", "noise_scale_at_end"], rows);
    }

    /// <summary>Every evaluation of every run: the loss and accuracy curves against updates, examples and time.</summary>
    public ReportTable Curves()
    {
        var rows = new List<IReadOnlyList<object?>>();
        foreach (var (run, seeds) in Results)
            foreach (var o in seeds)
                foreach (var p in o.Curve)
                    rows.Add(new object?[] { run.Label, (long)o.Seed, p.Update, p.Examples, p.Time, p.Loss, p.Accuracy });
        return new ReportTable("Learning curves", ["strategy", "seed", "update", "examples", "time_s", "loss", "accuracy"], rows);
    }

    private static double Mean(double[] v) => v.Length == 0 ? double.NaN : v.Average();
    private static double HalfWidth(double[] v) => v.Length < 2 ? double.NaN : ConfidenceInterval.Of(v).HalfWidth;
}

/// <summary>Runs each strategy of a scenario for seeds seed, seed + 1, ... and writes the results folder.</summary>
public static class LearningRunner
{
    public static LearningOutcome Run(LearningScenario scenario, IProgress<int>? progress = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var results = new List<(StrategyRun, IReadOnlyList<LoopOutcome>)>();
        int done = 0;
        foreach (var run in scenario.Strategies)
        {
            var seeds = new List<LoopOutcome>();
            for (int r = 0; r < scenario.Replications; r++)
            {
                seeds.Add(run.Strategy.Run(run.Config with { Seed = scenario.Seed + (ulong)r }));
                progress?.Report(++done);
            }
            results.Add((run, seeds));
        }
        return new LearningOutcome(scenario, results, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Writes strategies.csv, curves.csv and summary.json (last) into <paramref name="dir"/>.</summary>
    public static void Write(LearningOutcome outcome, string dir)
    {
        Directory.CreateDirectory(dir);
        var table = outcome.Table();
        CsvTableWriter.Write(Path.Combine(dir, "strategies.csv"), table);
        CsvTableWriter.Write(Path.Combine(dir, "curves.csv"), outcome.Curves());
        var metrics = new List<KeyValuePair<string, double>>();
        foreach (var row in table.Rows)
            for (int c = 2; c < table.Columns.Count; c++)
                metrics.Add(new($"{row[0]}.{table.Columns[c]}", Convert.ToDouble(row[c], System.Globalization.CultureInfo.InvariantCulture)));
        metrics.Add(new("wall_s", outcome.WallSeconds));
        var s = outcome.Scenario;
        var info = new List<KeyValuePair<string, string>>
        {
            new("scenario", s.Name), new("source", s.Source), new("model", s.Model.Name),
            new("seed", s.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("replications", s.Replications.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        SummaryJsonWriter.Write(Path.Combine(dir, "summary.json"), new RunSummary($"Time to target: {s.Name}", info, metrics));
    }
}
