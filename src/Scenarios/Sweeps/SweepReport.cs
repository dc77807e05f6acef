using System.Globalization;
using Sim.Core.Statistics;
using Sim.Reports;
using Sim.Reports.Figures;
using Sim.Reports.Html;

namespace Sim.Scenarios.Sweeps;

/// <summary>
/// Turns sweep results into scaling curves, like plotting a lab's measurements against the knob that
/// was turned: for each metric, one line per combination of the other swept keys, the mean over
/// replications at each value of the chosen key, with Student-t confidence intervals as error bars.
/// </summary>
public static class SweepReport
{
    public static ReportModel Build(SweepResults results, string xKey, IReadOnlyList<string>? metrics = null, double level = 0.95, bool logX = false)
    {
        var manifest = results.Manifest;
        if (!manifest.Parameters.Contains(xKey))
            throw new ArgumentException($"'{xKey}' is not a swept key; expected one of: {string.Join(", ", manifest.Parameters)}");
        var chosen = metrics is { Count: > 0 } ? metrics : results.Metrics;
        foreach (var metric in chosen)
            if (!results.Metrics.Contains(metric))
                throw new ArgumentException($"'{metric}' is not a metric of this sweep; expected one of: {string.Join(", ", results.Metrics)}");
        var others = manifest.Parameters.Where(p => p != xKey).ToList();

        var points = results.Rows.GroupBy(r => r.Entry.PointId).Select(g =>
        {
            var parameters = g.First().Entry.Parameters;
            if (!parameters.TryGetValue(xKey, out var xText) || !double.TryParse(xText, NumberStyles.Float, CultureInfo.InvariantCulture, out double x))
                throw new ArgumentException($"point {g.Key}: '{xKey}' is '{xText}', not a number; pick a numeric key for the x axis");
            string line = others.Count == 0 ? manifest.Name : string.Join(", ", others.Select(o => $"{o}={parameters.GetValueOrDefault(o, "(base)")}"));
            var estimates = chosen.ToDictionary(m => m, m => Estimate(g.Select(r => r.Metrics.GetValueOrDefault(m, double.NaN)).ToList(), level));
            return (Line: line, X: x, Parameters: parameters, Estimates: estimates);
        }).ToList();

        var model = new ReportModel { Title = $"Sweep {manifest.Name}", Subtitle = $"{chosen.Count} metric(s) against {xKey}; error bars: {level:P0} confidence over replications" };
        model.Summary.Add(new("points", (long)points.Count));
        model.Summary.Add(new("runs", (long)results.Rows.Count));
        model.Summary.Add(new("swept keys", string.Join(", ", manifest.Parameters)));
        model.Summary.Add(new("fingerprint", manifest.Fingerprint));
        foreach (var metric in chosen)
        {
            var series = points.GroupBy(p => p.Line).Select(line =>
            {
                var ordered = line.OrderBy(p => p.X).ToList();
                return new Series(line.Key, ordered.Select(p => p.X).ToList(), ordered.Select(p => p.Estimates[metric].Mean).ToList(),
                    ordered.Select(p => p.Estimates[metric].HalfWidth).ToList());
            }).ToList();
            model.Figures.Add(Charts.Scaling(metric, series, xKey, metric, logX));
        }
        var columns = manifest.Parameters.Concat(chosen.SelectMany(m => new[] { m, m + " ±" })).ToList();
        var rows = points.Select(p => (IReadOnlyList<object?>)manifest.Parameters.Select(k => (object?)p.Parameters.GetValueOrDefault(k))
            .Concat(chosen.SelectMany(m => new object?[] { p.Estimates[m].Mean, p.Estimates[m].HalfWidth })).ToList()).ToList();
        model.Tables.Add(new ReportTable("Means over replications", columns, rows));
        return model;
    }

    /// <summary>Mean and confidence half-width; a single replication (or a non-finite value) has no interval.</summary>
    private static (double Mean, double HalfWidth) Estimate(IReadOnlyList<double> values, double level)
    {
        if (values.Count < 2 || values.Any(v => !double.IsFinite(v))) return (values.Average(), double.NaN);
        var interval = ConfidenceInterval.Of(values, level);
        return (interval.Mean, interval.HalfWidth);
    }
}
