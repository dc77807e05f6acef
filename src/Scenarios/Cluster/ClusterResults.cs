using Sim.Models.Cluster;
using Sim.Reports;
using Sim.Reports.Figures;
using Sim.Reports.Html;

namespace Sim.Scenarios.Cluster;

/// <summary>The outcome of a cluster scenario: one <see cref="ClusterOutcome"/> per replication, in memory.</summary>
public sealed record ClusterRunOutcome(ClusterScenario Scenario, IReadOnlyList<ClusterOutcome> Replications, double WallSeconds);

/// <summary>
/// Simulates a cluster scenario into a <see cref="ScenarioOutcome"/>: jobs.csv (every measured job of
/// every replication), series.csv (binned utilisation and queue length), metrics with confidence
/// intervals, and the report (JCT CDF, queue length and utilisation over time);
/// <see cref="ResultsWriter"/> writes it, summary.json last.
/// </summary>
public static class ClusterResults
{
    public static ClusterRunOutcome Run(ClusterScenario s, IProgress<int>? progress = null)
    {
        var (results, wall) = Replications.Run(s.Replications, s.Seed, seed =>
            new ClusterSimulator(s.NewCluster(), SchedulerRegistry.Create(s.Policy, s.SchedulerOptions), s.Options, s.NewNetwork()).Run(s.Jobs(seed)),
            progress);
        return new ClusterRunOutcome(s, results, wall);
    }

    /// <summary>The summary metrics: means over replications, with 95% half-widths for the main ones.</summary>
    public static IReadOnlyList<KeyValuePair<string, double>> Metrics(ClusterRunOutcome o)
    {
        var m = new ReplicatedMetrics<ClusterOutcome>(o.Replications);
        m.Add("jobs_completed", r => r.Jobs.Count);
        m.Add("jct_mean_s", r => r.MeanCompletionTime, interval: true);
        m.Add("jct_p50_s", r => r.TallyOf(j => j.CompletionTime).P50);
        m.Add("jct_p95_s", r => r.TallyOf(j => j.CompletionTime).Percentile(0.95));
        m.Add("jct_p99_s", r => r.TallyOf(j => j.CompletionTime).P99);
        m.Add("queueing_delay_mean_s", r => r.MeanQueueingDelay, interval: true);
        m.Add("queueing_delay_p95_s", r => r.TallyOf(j => j.QueueingDelay).Percentile(0.95));
        m.Add("slowdown_mean", r => r.MeanSlowdown, interval: true);
        m.Add("slowdown_p95", r => r.TallyOf(j => j.Slowdown).Percentile(0.95));
        m.Add("makespan_s", r => r.Makespan);
        m.Add("utilisation", r => r.MeanUtilisation, interval: true);
        m.Add("jobs_in_system_mean", r => r.MeanInSystem);
        m.Add("queue_length_mean", r => r.MeanWaiting);
        m.Add("fragmented_free_gpus_mean", r => r.EndTime > 0 ? r.FragmentedGpuSeconds / r.EndTime : 0);
        m.Add("jain_fairness", r => r.JainFairness);
        m.Add("preemptions", r => r.Preemptions);
        m.Add("jobs_spanning_leaves_fraction", r => r.Jobs.Count == 0 ? 0 : r.Jobs.Count(j => j.LeavesSpanned > 1) / (double)r.Jobs.Count);
        m.Add("network_solves", r => r.NetworkSolves);
        m.Add("events", r => r.Events);
        m.AddValue("wall_s", o.WallSeconds);
        return m.Metrics;
    }

    /// <summary>Simulates <paramref name="s"/>, then writes its results folder (<see cref="ResultsWriter"/>).</summary>
    public static ClusterRunOutcome RunAndWrite(ClusterScenario s, string directory, IProgress<int>? progress = null)
    {
        var o = Run(s, progress);
        ResultsWriter.Write(Outcome(o), directory);
        return o;
    }

    /// <summary>Simulates every replication into the shared outcome shape.</summary>
    public static ScenarioOutcome Simulate(ClusterScenario s, IProgress<int>? progress = null) => Outcome(Run(s, progress));

    /// <summary>The outcome of replications already simulated: jobs.csv, series.csv, metrics and the
    /// report. Builds tables and charts only; simulates nothing.</summary>
    public static ScenarioOutcome Outcome(ClusterRunOutcome o)
    {
        var s = o.Scenario;
        var rows = new List<IReadOnlyList<object?>>();
        for (int r = 0; r < o.Replications.Count; r++)
            foreach (var j in o.Replications[r].Jobs)
                rows.Add(new object?[] { r, j.Id, j.Name, j.Arrival, j.Gpus, j.Work, j.IdealDuration, j.FirstStart, j.Finish, j.CompletionTime, j.QueueingDelay, j.Slowdown, j.Preemptions, j.NodesSpanned, j.LeavesSpanned });
        var jobs = new ReportTable("jobs",
            ["replication", "job", "name", "arrival_s", "gpus", "work", "ideal_duration_s", "first_start_s", "finish_s", "jct_s", "queueing_delay_s", "slowdown", "preemptions", "nodes", "leaves"], rows);
        var series = new List<IReadOnlyList<object?>>();
        for (int r = 0; r < o.Replications.Count; r++)
        {
            var ts = o.Replications[r].Series;
            for (int i = 0; i < ts.Count; i++)
                series.Add(new object?[] { r, ts.BinStart(i), ts.BusyGpus(i), ts.BusyGpus(i) / o.Replications[r].TotalGpus, ts.Waiting(i), ts.InSystem(i), ts.FragmentedFree(i) });
        }
        var seriesTable = new ReportTable("series",
            ["replication", "bin_start_s", "busy_gpus", "utilisation", "queue_length", "jobs_in_system", "fragmented_free_gpus"], series);
        var metrics = Metrics(o);
        var info = new KeyValuePair<string, string>[]
        {
            new("scenario", s.Name), new("source", s.Source),
            new("scheduler", $"{s.Policy} ({SchedulerRegistry.Get(s.Policy).Description})"),
            new("placement", s.Options.Placement.ToString()), new("cluster", s.ClusterDescription), new("jobs", s.JobsDescription),
            new("seed", s.Seed.ToString()), new("replications", s.Replications.ToString()),
        };
        string title = $"{s.Name}: {s.Policy} scheduler";
        return new ScenarioOutcome
        {
            Title = title,
            Info = info,
            Metrics = metrics,
            Tables = [new OutcomeTable("jobs.csv", jobs), new OutcomeTable("series.csv", seriesTable)],
            Report = s.WriteReport ? Report(o, title, info, metrics) : null,
            WallSeconds = o.WallSeconds,
        };
    }

    private static ReportModel Report(ClusterRunOutcome o, string title, IReadOnlyList<KeyValuePair<string, string>> info, IReadOnlyList<KeyValuePair<string, double>> metrics)
    {
        var model = new ReportModel { Title = title, Subtitle = o.Scenario.Description };
        foreach (var (k, v) in info) model.Summary.Add(new(k, v));
        model.Tables.Add(new ReportTable("Predicted behaviour", ["metric", "value"], metrics.Select(kv => (IReadOnlyList<object?>)new object?[] { kv.Key, kv.Value }).ToList()));
        var first = o.Replications[0];
        if (first.Jobs.Count > 0)
        {
            // The CDF is drawn from at most 2,000 quantiles so that a month of jobs stays a small file.
            var jct = first.Jobs.Select(j => j.CompletionTime / 3600).Order().ToArray();
            int points = Math.Min(jct.Length, 2_000);
            var x = new double[points];
            var y = new double[points];
            for (int i = 0; i < points; i++)
            {
                int k = (int)Math.Min(jct.Length - 1, Math.Round((i + 1.0) * jct.Length / points) - 1);
                x[i] = jct[k];
                y[i] = (k + 1.0) / jct.Length;
            }
            model.Figures.Add(Charts.Scaling("Job completion time CDF (replication 0)", [new Series("JCT", x, y)], "job completion time (hours)", "fraction of jobs", logX: true));
        }
        var ts = first.Series;
        if (ts.Count > 0)
        {
            var hours = Enumerable.Range(0, ts.Count).Select(i => ts.BinStart(i) / 3600).ToArray();
            model.Figures.Add(Charts.StepLines("Queue length and jobs in the system (replication 0)",
                [new Series("waiting", hours, Enumerable.Range(0, ts.Count).Select(ts.Waiting).ToArray()),
                 new Series("in system", hours, Enumerable.Range(0, ts.Count).Select(ts.InSystem).ToArray())], "time (hours)", "jobs"));
            model.Figures.Add(Charts.StepLines("GPU utilisation and fragmentation (replication 0)",
                [new Series("busy GPUs", hours, Enumerable.Range(0, ts.Count).Select(ts.BusyGpus).ToArray()),
                 new Series("free GPUs on partly busy nodes", hours, Enumerable.Range(0, ts.Count).Select(ts.FragmentedFree).ToArray())], "time (hours)", "GPUs"));
        }
        return model;
    }
}
