using Sim.Reports;
using Sim.Reports.Figures;
using Sim.Reports.Html;

namespace Sim.Scenarios.Training;

/// <summary>Lays out a run for people: the headline table, the iteration-time distribution, where the
/// time went, utilisation over the run, and the scenario's settings.</summary>
public static class TrainingReport
{
    public static ReportModel Build(RunOutcome outcome, IReadOnlyList<KeyValuePair<string, double>> metrics)
    {
        var first = outcome.First;
        var s = outcome.Scenario;
        var model = new ReportModel { Title = $"{s.Name}: {first.Strategy}", Subtitle = s.Description };
        foreach (var (k, v) in TrainingOutcome.Info(outcome)) model.Summary.Add(new(k, v));
        model.Tables.Add(new ReportTable("Predicted performance", ["metric", "value"],
            metrics.Select(kv => (IReadOnlyList<object?>)new object?[] { kv.Key, kv.Value }).ToList()));
        model.Tables.AddRange(outcome.Details);

        var all = outcome.Replications.SelectMany(r => r.IterationTimes).ToArray();
        var shown = Thin(all);
        model.Figures.Add(Charts.Histogram($"Iteration time distribution (all replications{Note(shown.Length, all.Length)})", shown, "iteration time (s)"));
        var parts = first.Breakdown.Parts().Where(p => outcome.Replications.Any(r => r.Breakdown.Parts().First(q => q.Part == p.Part).Seconds > 0)).ToList();
        model.Figures.Add(Charts.StackedBar("Where the time went (per replication)",
            outcome.Replications.Select((_, i) => $"replication {i}").ToArray(),
            parts.Select(p => (p.Part, (IReadOnlyList<double>)outcome.Replications.Select(r => r.Breakdown.Parts().First(q => q.Part == p.Part).Seconds).ToArray())).ToArray(),
            "seconds"));
        // Iteration time over the run (replication 0): stragglers, transients and restarts show here.
        var x = new double[first.IterationTimes.Count];
        for (int i = 1; i < x.Length; i++) x[i] = x[i - 1] + first.IterationTimes[i - 1];
        var xs = Thin(x);
        model.Figures.Add(Charts.StepLines($"Iteration time over the run (replication 0{Note(xs.Length, x.Length)})",
            [new Series("iteration time", xs, Thin(first.IterationTimes.ToArray()))], "time into the run (s, useful iterations only)", "iteration time (s)"));
        if (first.IterationBusyFraction.Count == x.Length)
            model.Figures.Add(Charts.StepLines($"GPU utilisation over time (replication 0{Note(xs.Length, x.Length)})",
                [new Series("mean GPU busy fraction", xs, Thin(first.IterationBusyFraction.ToArray()))], "time into the run (s, useful iterations only)", "busy fraction"));
        if (first.Staleness.Count > 0)
        {
            var stale = first.Staleness.Select(v => (double)v).ToArray();
            model.Figures.Add(Charts.Histogram($"Update staleness{Note(Thin(stale).Length, stale.Length)}", Thin(stale), "staleness (updates)"));
        }
        return model;
    }

    /// <summary>Largest number of points a chart carries; the full data is in iterations.csv.</summary>
    public const int MaxPoints = 20_000;

    /// <summary>Every k-th value so that at most <see cref="MaxPoints"/> remain: deterministic, and for a
    /// histogram an unbiased sample of a long run.</summary>
    private static double[] Thin(double[] values)
    {
        if (values.Length <= MaxPoints) return values;
        int stride = (values.Length + MaxPoints - 1) / MaxPoints;
        var kept = new double[(values.Length + stride - 1) / stride];
        for (int i = 0; i < kept.Length; i++) kept[i] = values[i * stride];
        return kept;
    }

    private static string Note(int shown, int total) => shown == total ? "" : $"; every {(total + shown - 1) / shown}th of {total:N0} shown";
}
