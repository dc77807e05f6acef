using Sim.Core.Statistics;
using Sim.Scenarios;
using Sim.Models.Federated;
using Sim.Reports;
using Sim.Reports.Figures;
using Sim.Reports.Html;

namespace Sim.Scenarios.Federated;

/// <summary>The outcome of a federated scenario: one result per replication.</summary>
public sealed record FederatedOutcome(FederatedScenario Scenario, IReadOnlyList<FederatedResult> Replications, double WallSeconds);

/// <summary>
/// Simulates a federated scenario into a <see cref="ScenarioOutcome"/>: rounds.csv (every round of every
/// replication), metrics with confidence intervals, and the report; <see cref="ResultsWriter"/> writes it.
/// </summary>
public static class FederatedResults
{
    public static FederatedOutcome Run(FederatedScenario s, IProgress<int>? progress = null)
    {
        var (results, wall) = Replications.Run(s.Replications, s.Seed, seed => FederatedSimulation.Run(s.Config, s.Population(seed), seed), progress);
        return new FederatedOutcome(s, results, wall);
    }

    public static IReadOnlyList<KeyValuePair<string, double>> Metrics(FederatedOutcome o)
    {
        var m = new ReplicatedMetrics<FederatedResult>(o.Replications);
        m.Add("rounds_attempted", r => r.RoundsAttempted);
        m.Add("rounds_succeeded", r => r.RoundsSucceeded);
        m.Add("round_time_mean_s", r => r.RoundTime.Mean, interval: true);
        m.Add("round_time_p50_s", r => r.RoundTime.P50);
        m.Add("round_time_p90_s", r => r.RoundTime.P90);
        m.Add("round_time_p99_s", r => r.RoundTime.P99);
        m.Add("simulated_s", r => r.SimulatedSeconds, interval: true);
        m.Add("participation_rate", r => r.ParticipationRate);
        m.Add("dropout_rate", r => r.DropoutRate);
        m.Add("wasted_compute_fraction", r => r.ComputeSeconds > 0 ? r.WastedComputeSeconds / r.ComputeSeconds : 0);
        m.Add("wasted_bytes", r => r.WastedBytes);
        m.Add("bytes_moved", r => r.BytesMoved);
        m.Add("staleness_mean", r => r.Staleness.Count > 0 ? r.Staleness.Mean : 0);
        m.Add("aggregator_utilisation", r => r.AggregatorUtilisation);
        m.Add("time_to_target_s", r => r.TimeToTargetSeconds ?? double.NaN);
        m.Add("final_accuracy", r => r.FinalAccuracy);
        m.Add("kernel_events", r => r.Events);
        m.AddValue("wall_s", o.WallSeconds);
        return m.Metrics;
    }

    /// <summary>Simulates <paramref name="s"/>, then writes its results folder (<see cref="ResultsWriter"/>).</summary>
    public static FederatedOutcome RunAndWrite(FederatedScenario s, string directory, IProgress<int>? progress = null)
    {
        var o = Run(s, progress);
        ResultsWriter.Write(Outcome(o), directory);
        return o;
    }

    /// <summary>Simulates every replication into the shared outcome shape.</summary>
    public static ScenarioOutcome Simulate(FederatedScenario s, IProgress<int>? progress = null) => Outcome(Run(s, progress));

    /// <summary>What the aggregation mode is called in summaries and reports.</summary>
    public static string Strategy(FederatedScenario s) =>
        s.Config.Mode == AggregationMode.Sync ? "federated averaging (sync rounds)" : "buffered asynchronous aggregation (FedBuff)";

    /// <summary>The outcome of replications already simulated: rounds.csv (every round of every
    /// replication), metrics, and the report. Builds tables and charts only; simulates nothing.</summary>
    public static ScenarioOutcome Outcome(FederatedOutcome o)
    {
        var s = o.Scenario;
        string strategy = Strategy(s);
        var rows = new List<IReadOnlyList<object?>>();
        for (int r = 0; r < o.Replications.Count; r++)
            foreach (var round in o.Replications[r].Rounds)
                rows.Add(new object?[] { r, round.Round, round.Start, round.End, round.Duration, round.Selected, round.Aggregated, round.Dropped, round.Cancelled, round.Succeeded ? 1 : 0 });
        var rounds = new ReportTable("rounds",
            ["replication", "round", "start_s", "end_s", "duration_s", "selected", "aggregated", "dropped", "cancelled", "succeeded"], rows);
        var metrics = Metrics(o);
        var info = new KeyValuePair<string, string>[]
        {
            new("scenario", s.Name), new("source", s.Source), new("strategy", strategy),
            new("population", s.PopulationDescription), new("seed", s.Seed.ToString()), new("replications", s.Replications.ToString()),
        };
        string title = $"{s.Name}: {strategy}";
        return new ScenarioOutcome
        {
            Title = title,
            Info = info,
            Metrics = metrics,
            Tables = [new OutcomeTable("rounds.csv", rounds)],
            Report = s.WriteReport ? Report(o, title, info, metrics) : null,
            WallSeconds = o.WallSeconds,
        };
    }

    private static ReportModel Report(FederatedOutcome o, string title, IReadOnlyList<KeyValuePair<string, string>> info, IReadOnlyList<KeyValuePair<string, double>> metrics)
    {
        var first = o.Replications[0];
        var model = new ReportModel { Title = title, Subtitle = o.Scenario.Description };
        foreach (var (k, v) in info) model.Summary.Add(new(k, v));
        model.Tables.Add(new ReportTable("Predicted behaviour", ["metric", "value"], metrics.Select(kv => (IReadOnlyList<object?>)new object?[] { kv.Key, kv.Value }).ToList()));
        var durations = first.Rounds.Select(r => r.Duration).ToArray();
        if (durations.Length > 0)
        {
            model.Figures.Add(Charts.Histogram("Round time distribution (replication 0)", durations, "round time (s)"));
            model.Figures.Add(Charts.StepLines("Participation per round (replication 0)",
                [new Series("aggregated", first.Rounds.Select(r => r.Start / 3600).ToArray(), first.Rounds.Select(r => (double)r.Aggregated).ToArray()),
                 new Series("dropped", first.Rounds.Select(r => r.Start / 3600).ToArray(), first.Rounds.Select(r => (double)r.Dropped).ToArray())],
                "round start (hours)", "clients"));
        }
        if (first.StalenessHistogram.Length > 0)
            model.Figures.Add(Charts.StackedBar("Update staleness (replication 0)", first.StalenessHistogram.Select((_, i) => i.ToString()).ToArray(),
                [("updates", first.StalenessHistogram.Select(c => (double)c).ToArray())], "updates"));
        return model;
    }
}
