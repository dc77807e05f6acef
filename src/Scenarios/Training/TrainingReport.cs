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
        foreach (var (k, v) in ResultsFolder.Info(outcome)) model.Summary.Add(new(k, v));
        model.Tables.Add(new ReportTable("Predicted performance", ["metric", "value"],
            metrics.Select(kv => (IReadOnlyList<object?>)new object?[] { kv.Key, kv.Value }).ToList()));

        model.Figures.Add(Charts.Histogram("Iteration time distribution (all replications)",
            outcome.Replications.SelectMany(r => r.IterationTimes).ToArray(), "iteration time (s)"));
        var parts = first.Breakdown.Parts().Where(p => outcome.Replications.Any(r => r.Breakdown.Parts().First(q => q.Part == p.Part).Seconds > 0)).ToList();
        model.Figures.Add(Charts.StackedBar("Where the time went (per replication)",
            outcome.Replications.Select((_, i) => $"replication {i}").ToArray(),
            parts.Select(p => (p.Part, (IReadOnlyList<double>)outcome.Replications.Select(r => r.Breakdown.Parts().First(q => q.Part == p.Part).Seconds).ToArray())).ToArray(),
            "seconds"));
        // Iteration time over the run (replication 0): stragglers, transients and restarts show here.
        var x = new double[first.IterationTimes.Count];
        for (int i = 1; i < x.Length; i++) x[i] = x[i - 1] + first.IterationTimes[i - 1];
        model.Figures.Add(Charts.StepLines("Iteration time over the run (replication 0)",
            [new Series("iteration time", x, first.IterationTimes.ToArray())], "time into the run (s, useful iterations only)", "iteration time (s)"));
        if (first.Staleness.Count > 0)
            model.Figures.Add(Charts.Histogram("Update staleness", first.Staleness.Select(v => (double)v).ToArray(), "staleness (updates)"));
        return model;
    }
}
