using Sim.Reports;
using Sim.Reports.Html;

namespace Sim.Scenarios;

/// <summary>
/// Everything one run of a scenario predicts, in memory, in the same shape for every scenario kind
/// (training, federated, and the kinds to come): the headline and settings, metrics with 95% confidence
/// half-widths across replications, the tables written as CSV, the report (charts and tables) and an
/// optional Chrome-trace timeline. The simulation fills it; <see cref="ResultsWriter"/> only writes it,
/// and the command line prints from it.
/// </summary>
public sealed record ScenarioOutcome
{
    /// <summary>"name: strategy", the heading of summary.json, report.html and the printed table.</summary>
    public required string Title { get; init; }

    /// <summary>The settings the run used (scenario, source, strategy, seed...), in display order.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Info { get; init; }

    /// <summary>Named predictions (means over replications, "_ci95" half-widths beside them).</summary>
    public required IReadOnlyList<KeyValuePair<string, double>> Metrics { get; init; }

    /// <summary>Tables written as CSV files, in order (iterations.csv, rounds.csv...).</summary>
    public IReadOnlyList<OutcomeTable> Tables { get; init; } = [];

    /// <summary>The self-contained report (report.html), or null when the scenario turned it off.</summary>
    public ReportModel? Report { get; init; }

    /// <summary>The first replication's Chrome-trace JSON (timeline.json), or null when not recorded.
    /// Bounded by the scenario's span cap.</summary>
    public byte[]? Timeline { get; init; }

    /// <summary>Wall-clock seconds the replications took (the one field that differs run to run).</summary>
    public double WallSeconds { get; init; }

    /// <summary>What summary.json holds.</summary>
    public RunSummary Summary => new(Title, Info, Metrics);
}

/// <summary>A table of an outcome and the CSV file it goes to.</summary>
public sealed record OutcomeTable(string FileName, ReportTable Table);
