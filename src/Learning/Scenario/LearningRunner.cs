using Sim.Core.Statistics;
using Sim.Models.Learning.Loop;
using Sim.Reports;
using Sim.Reports.Figures;
using Sim.Reports.Html;
using Sim.Scenarios;

namespace Sim.Learning.Scenario;

/// <summary>Every strategy's outcomes, one per replication seed, in scenario order.</summary>
public sealed class LearningOutcome(LearningScenario scenario, IReadOnlyList<(StrategyRun Run, IReadOnlyList<LoopOutcome> Seeds)> results, double wallSeconds)
{
    public LearningScenario Scenario { get; } = scenario;
    public IReadOnlyList<(StrategyRun Run, IReadOnlyList<LoopOutcome> Seeds)> Results { get; } = results;
    public double WallSeconds { get; } = wallSeconds;

    /// <summary>One row per strategy: updates and simulated seconds to the target (mean over the seeds
    /// that reached it, with the 95% Student-t half-width), how many reached it, final held-out accuracy,
    /// mean staleness and the peak number of live parameter snapshots.</summary>
    /// <remarks>Built once (the noise-scale probe runs real gradients).</remarks>
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

    /// <summary>The outcome in the shape every scenario kind shares: metrics "STRATEGY.COLUMN" from the
    /// table, strategies.csv and curves.csv, and a report with accuracy against simulated time and against
    /// updates (first seed of each strategy) and time to target with its interval.</summary>
    public ScenarioOutcome ToScenarioOutcome()
    {
        var table = Table();
        var metrics = new List<KeyValuePair<string, double>>();
        foreach (var row in table.Rows)
            for (int c = 2; c < table.Columns.Count; c++)
                metrics.Add(new($"{row[0]}.{table.Columns[c]}", Convert.ToDouble(row[c], System.Globalization.CultureInfo.InvariantCulture)));
        var s = Scenario;
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var info = new List<KeyValuePair<string, string>>
        {
            new("scenario", s.Name), new("source", s.Source), new("model", s.Model.Name),
            new("seed", s.Seed.ToString(inv)), new("replications", s.Replications.ToString(inv)),
        };
        var report = new ReportModel { Title = $"Time to target: {s.Name}", Subtitle = s.Description ?? s.Model.Name };
        foreach (var kv in info) report.Summary.Add(new(kv.Key, kv.Value));
        var first = Results.Select(r => (r.Run.Label, Curve: r.Seeds[0].Curve)).ToArray();
        report.Figures.Add(Charts.Scaling("Held-out accuracy against simulated time (first seed)",
            first.Select(f => new Series(f.Label, f.Curve.Select(p => p.Time).ToArray(), f.Curve.Select(p => p.Accuracy).ToArray())).ToArray(), "simulated seconds", "accuracy"));
        report.Figures.Add(Charts.Scaling("Held-out loss against updates (first seed)",
            first.Select(f => new Series(f.Label, f.Curve.Select(p => (double)p.Update).ToArray(), f.Curve.Select(p => p.Loss).ToArray())).ToArray(), "updates", "loss"));
        var reached = table.Rows.Select((row, i) => (i, t: Convert.ToDouble(row[4], inv), ci: Convert.ToDouble(row[5], inv))).Where(x => double.IsFinite(x.t)).ToArray();
        if (reached.Length > 0)
            report.Figures.Add(Charts.Scaling("Simulated seconds to the target (mean, 95% interval over seeds)",
                [new Series("time to target", reached.Select(x => (double)x.i).ToArray(), reached.Select(x => x.t).ToArray(), reached.Select(x => double.IsFinite(x.ci) ? x.ci : 0).ToArray())],
                "strategy (row of the table)", "seconds"));
        report.Tables.Add(table);
        return new ScenarioOutcome
        {
            Title = $"Time to target: {s.Name}", Info = info, Metrics = metrics, WallSeconds = WallSeconds, Report = report,
            Tables = [new OutcomeTable("strategies.csv", table), new OutcomeTable("curves.csv", Curves())],
        };
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

    /// <summary>Writes strategies.csv, curves.csv, report.html and summary.json (last) into <paramref name="dir"/>.</summary>
    public static void Write(LearningOutcome outcome, string dir) => ResultsWriter.Write(outcome.ToScenarioOutcome(), dir);
}
