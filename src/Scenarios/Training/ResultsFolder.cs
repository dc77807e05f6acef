using Sim.Models.Training;
using Sim.Reports;
using Sim.Reports.Figures;
using Sim.Reports.Html;

namespace Sim.Scenarios.Training;

/// <summary>
/// One folder per run, like a lab notebook page: summary.json (headline numbers), iterations.csv (every
/// iteration of every replication), breakdown.csv, timeline.json (open in ui.perfetto.dev) and
/// report.html (self-contained charts). Every file is written to a temporary name and renamed, and
/// summary.json comes last, so a folder with a summary is a complete run and an interrupted run
/// leaves no file that looks finished.
/// </summary>
public static class ResultsFolder
{
    public static RunOutcome RunAndWrite(TrainingScenario scenario, string directory, IProgress<int>? progress = null)
    {
        Directory.CreateDirectory(directory);
        RunOutcome? outcome = null;
        if (scenario.WriteTimeline)
            AtomicFile.Write(Path.Combine(directory, "timeline.json"), stream => outcome = ScenarioRunner.Run(scenario, stream, progress));
        else
            outcome = ScenarioRunner.Run(scenario, null, progress);
        Write(outcome!, directory);
        return outcome!;
    }

    public static void Write(RunOutcome outcome, string directory)
    {
        var s = outcome.Scenario;
        var baseline = SingleGpuBaseline(s);
        var metrics = RunMetrics.Of(outcome, baseline);
        CsvTableWriter.Write(Path.Combine(directory, "iterations.csv"), IterationTable(outcome));
        CsvTableWriter.Write(Path.Combine(directory, "breakdown.csv"), BreakdownTable(outcome));
        foreach (var table in outcome.Details)
            CsvTableWriter.Write(Path.Combine(directory, table.Title.Split(' ')[0].ToLowerInvariant() + "-details.csv"), table);
        if (s.WriteReport) HtmlReport.Write(Path.Combine(directory, "report.html"), TrainingReport.Build(outcome, metrics));
        SummaryJsonWriter.Write(Path.Combine(directory, "summary.json"), new RunSummary($"{s.Name}: {outcome.First.Strategy}", Info(outcome), metrics));
    }

    public static IReadOnlyList<KeyValuePair<string, string>> Info(RunOutcome outcome)
    {
        var s = outcome.Scenario;
        return new KeyValuePair<string, string>[]
        {
            new("scenario", s.Name),
            new("source", s.Source),
            new("strategy", outcome.First.Strategy),
            new("cluster", $"{s.Cluster.Name}, {s.Cluster.Fabric.Kind}"),
            new("workers", s.Workers.ToString()),
            new("model", $"{s.Model.Name} ({s.Model.Parameters / 1e6:F1}M parameters)"),
            new("compute", s.Compute.Describe()),
            new("network", $"{s.Backend.Summary}, {s.Collective} all-reduce"),
            new("seed", s.Seed.ToString()),
            new("replications", s.Replications.ToString()),
            new("sim_version", typeof(ResultsFolder).Assembly.GetName().Version?.ToString() ?? "?"),
        };
    }

    /// <summary>The same job on one GPU (no communication), for scaling efficiency; null where not meaningful.</summary>
    public static TrainingResult? SingleGpuBaseline(TrainingScenario s) => s.Mode.SingleGpuBaseline(s);

    private static ReportTable IterationTable(RunOutcome outcome)
    {
        var rows = new List<IReadOnlyList<object?>>();
        for (int r = 0; r < outcome.Replications.Count; r++)
        {
            var times = outcome.Replications[r].IterationTimes;
            for (int i = 0; i < times.Count; i++) rows.Add(new object?[] { r, i, times[i] });
        }
        return new ReportTable("iterations", ["replication", "iteration", "seconds"], rows);
    }

    private static ReportTable BreakdownTable(RunOutcome outcome)
    {
        var rows = new List<IReadOnlyList<object?>>();
        for (int r = 0; r < outcome.Replications.Count; r++)
            foreach (var (part, seconds) in outcome.Replications[r].Breakdown.Parts())
                rows.Add(new object?[] { r, part, seconds, seconds / outcome.Replications[r].JobTime });
        return new ReportTable("breakdown", ["replication", "part", "seconds", "fraction"], rows);
    }
}
