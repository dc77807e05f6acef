using Sim.Calibration.Profiles;
using Sim.Models.Training;
using Sim.Reports;
using Sim.Reports.Figures;
using Sim.Reports.Html;
using Sim.Scenarios.Training;

namespace Sim.Notebooks;

/// <summary>
/// The notebook's front desk: one call turns a simulator result into something that shows well in a
/// cell (HTML table or Plotly.NET chart in Polyglot, text elsewhere). Layouts come from the same builders
/// as <c>report.html</c> (<see cref="TrainingReport"/>, <see cref="Charts"/>), so a notebook and a
/// results folder never disagree about what a run predicted.
/// </summary>
public static class Show
{
    public static TableView Table(ReportTable table) => new(table);

    /// <summary>A table from any rows: one column per (name, value-of-row) pair. Values are numbers or text.</summary>
    public static TableView Table<T>(string title, IEnumerable<T> rows, params (string Column, Func<T, object?> Value)[] columns) =>
        new(new ReportTable(title, columns.Select(c => c.Column).ToArray(),
            rows.Select(r => (IReadOnlyList<object?>)columns.Select(c => Cell(c.Value(r))).ToArray()).ToList()));

    public static ChartView Chart(PlotlyFigure figure) => new(figure);

    /// <summary>plotly.js for the charts that follow, carried in the notebook itself (offline). Show it
    /// once, in the first cell, after loading the library.</summary>
    public static PlotlyScriptView PlotlyScript() => new();

    public static StackView Stack(string? title, params View[] parts) => new(title, parts);

    /// <summary>Markup the simulator drew (an SVG diagram), with the text shown outside notebooks.</summary>
    public static HtmlView Html(string html, string text) => new(html, text);

    /// <summary>A report page as a cell: summary, figures, then tables.</summary>
    public static StackView Report(ReportModel report)
    {
        var parts = new List<View>();
        if (report.Summary.Count > 0) parts.Add(Table(ReportTable.FromPairs("Summary", report.Summary)));
        parts.AddRange(report.Figures.Select(Chart));
        parts.AddRange(report.Tables.Select(Table));
        return new StackView(report.Subtitle is null ? report.Title : $"{report.Title} ({report.Subtitle})", parts);
    }

    /// <summary>Everything <c>sim run</c> reports about a run: settings, predicted metrics with 95% intervals, charts.</summary>
    public static StackView Run(RunOutcome outcome) => Report(TrainingReport.Build(outcome, Metrics(outcome)));

    /// <summary>The predicted metrics of a run as name/value pairs (the content of summary.json).</summary>
    public static IReadOnlyList<KeyValuePair<string, double>> Metrics(RunOutcome outcome) =>
        RunMetrics.Of(outcome, ResultsFolder.SingleGpuBaseline(outcome.Scenario));

    /// <summary>Side-by-side comparison of labelled results: iteration time distribution, throughput,
    /// where the time went, staleness.</summary>
    public static TableView Compare(string title, IEnumerable<(string Label, TrainingResult Result)> results) =>
        Table(title, results,
            ("case", r => r.Label),
            ("strategy", r => r.Result.Strategy),
            ("iterations", r => r.Result.Iterations),
            ("mean iteration (ms)", r => r.Result.MeanIterationTime * 1e3),
            ("p50 (ms)", r => r.Result.P50 * 1e3),
            ("p99 (ms)", r => r.Result.P99 * 1e3),
            ("samples/s", r => r.Result.SamplesPerSecond),
            ("job time (s)", r => r.Result.JobTime),
            ("compute", r => r.Result.Breakdown.Compute / r.Result.JobTime),
            ("exposed comm.", r => r.Result.Breakdown.ExposedCommunication / r.Result.JobTime),
            ("straggler wait", r => r.Result.Breakdown.StragglerWait / r.Result.JobTime),
            ("mean staleness", r => r.Result.MeanStaleness));

    /// <summary>Where the time went, one stacked bar per labelled result (fractions of job time).</summary>
    public static ChartView Breakdown(string title, IReadOnlyList<(string Label, TrainingResult Result)> results)
    {
        var parts = results[0].Result.Breakdown.Parts().Select(p => p.Part)
            .Where(part => results.Any(r => Part(r.Result, part) > 0))
            .Select(part => (part, (IReadOnlyList<double>)results.Select(r => Part(r.Result, part) / r.Result.JobTime).ToArray()))
            .ToArray();
        return Chart(Charts.StackedBar(title, results.Select(r => r.Label).ToArray(), parts, "fraction of job time"));
    }

    /// <summary>A calibration profile's operation curves, R(W) = Rmax / (1 + (Wh/W)^k), with their fit errors.</summary>
    public static TableView Calibration(CalibrationProfile profile) =>
        Table($"Fitted operation curves ({profile.Hardware.Device}, {profile.Clock} clock)", profile.Operations,
            ("operation", o => o.Name), ("class", o => o.OpClass), ("work", o => o.Work.ToString().ToLowerInvariant()),
            ("Rmax (G/s)", o => o.Curve.MaxRate / 1e9), ("half-rate work Wh", o => o.Curve.HalfRateWork),
            ("sharpness k", o => o.Curve.Sharpness), ("points", o => o.Points), ("median rel. error", o => o.MedianRelativeError));

    private static double Part(TrainingResult result, string part) => result.Breakdown.Parts().First(p => p.Part == part).Seconds;

    /// <summary>Table cells are text or numbers; other values (enums, floats) become one of those.</summary>
    private static object? Cell(object? value) => value switch
    {
        null or string or double or long or int => value,
        float f => (double)f,
        ulong u => u.ToString(System.Globalization.CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
