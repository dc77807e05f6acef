using Sim.Core.Statistics;
using Sim.Reports;
using Sim.Reports.Figures;
using Sim.Scenarios.Sweeps;

namespace Sim.Notebooks;

/// <summary>
/// A finished sweep read back for analysis, like a lab's result sheets collated into one table per
/// sample: every point's overrides with the mean of each metric over its replications and, with two
/// or more replications, the 95% confidence half-width. Reads the same run pages that <c>sim sweep
/// merge</c> reads, so a notebook and the merged CSV report the same numbers.
/// </summary>
public sealed class SweepResults
{
    private SweepResults(SweepPlan plan, IReadOnlyList<Point> points)
    {
        Plan = plan;
        Points = points;
    }

    /// <summary>One point: its overrides (key path to value text) and per-metric intervals over replications.</summary>
    public sealed record Point(SweepPoint Source, IReadOnlyDictionary<string, string> Overrides, IReadOnlyDictionary<string, ConfidenceInterval> Metrics)
    {
        public double Mean(string metric) => Metrics.TryGetValue(metric, out var ci) ? ci.Mean
            : throw new KeyNotFoundException($"no metric '{metric}'; the sweep recorded {string.Join(", ", Metrics.Keys)}");
    }

    public SweepPlan Plan { get; }
    public IReadOnlyList<Point> Points { get; }

    /// <summary>Reads every run of <paramref name="plan"/> from <paramref name="directory"/>; names the
    /// first missing run, since averages over a partial set would mislead.</summary>
    public static SweepResults Load(SweepPlan plan, string directory)
    {
        var store = new SweepResultStore(directory);
        var points = new List<Point>();
        foreach (var group in plan.Runs.GroupBy(r => r.Point.Index).OrderBy(g => g.Key))
        {
            var runs = group.Select(run => SweepResultStore.TryReadRun(store.RunPath(run.Id)) is { } stored && stored.Fingerprint == plan.Fingerprint
                ? stored
                : throw new SweepException($"{store.RunPath(run.Id)}: run {run.Id} ({run.Point.Describe()}) has no result; run the sweep to completion first")).ToList();
            var names = runs.SelectMany(r => r.Metrics.Keys).Distinct().Order(StringComparer.Ordinal);
            var metrics = names.ToDictionary(name => name, name => Interval(runs.Select(r => r.Metrics.TryGetValue(name, out var v) ? v : double.NaN).ToArray()));
            var source = group.First().Point;
            points.Add(new Point(source, source.Overrides.ToDictionary(o => o.Key, o => o.Value), metrics));
        }
        return new SweepResults(plan, points);
    }

    private static ConfidenceInterval Interval(double[] values) =>
        values.Length >= 2 ? ConfidenceInterval.Of(values) : new ConfidenceInterval(values[0], double.NaN, 0.95, 1);

    /// <summary>One row per point: the swept parameters, then each metric's mean (and ± half-width with replications).</summary>
    public TableView Table(params string[] metrics)
    {
        bool intervals = Plan.Spec.Replications >= 2;
        var columns = Plan.ParameterKeys.ToList();
        foreach (var m in metrics)
        {
            columns.Add(m);
            if (intervals) columns.Add(m + " ±95%");
        }
        var rows = Points.Select(p =>
        {
            var row = Plan.ParameterKeys.Select(k => (object?)(p.Overrides.TryGetValue(k, out var v) ? v : null)).ToList();
            foreach (var m in metrics)
            {
                row.Add(p.Mean(m));
                if (intervals) row.Add(p.Metrics[m].HalfWidth);
            }
            return (IReadOnlyList<object?>)row;
        }).ToList();
        return new TableView(new ReportTable($"{Plan.Spec.Name}: {Points.Count} points x {Plan.Spec.Replications} replications", columns, rows));
    }

    /// <summary>A metric against one numeric parameter, one line per value of an optional second
    /// parameter, with 95% error bars when the sweep has replications.</summary>
    public ChartView Chart(string metric, string xParameter, string? seriesParameter = null, bool logX = false)
    {
        foreach (var key in new[] { xParameter, seriesParameter }.OfType<string>())
            if (!Plan.ParameterKeys.Contains(key))
                throw new ArgumentException($"'{key}' is not a swept parameter; the sweep varies {string.Join(", ", Plan.ParameterKeys)}");
        var series = Points
            .GroupBy(p => seriesParameter is null ? metric : $"{seriesParameter}={p.Overrides[seriesParameter]}")
            .Select(g =>
            {
                var ordered = g.OrderBy(p => X(p, xParameter)).ToList();
                IReadOnlyList<double>? errors = Plan.Spec.Replications >= 2 ? ordered.Select(p => p.Metrics[metric].HalfWidth).ToArray() : null;
                return new Series(g.Key, ordered.Select(p => X(p, xParameter)).ToArray(), ordered.Select(p => p.Mean(metric)).ToArray(), errors);
            })
            .ToList();
        return new ChartView(Charts.Scaling($"{metric} vs {xParameter}", series, xParameter, metric, logX));
    }

    private static double X(Point p, string parameter) =>
        double.TryParse(p.Overrides[parameter], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var x)
            ? x
            : throw new ArgumentException($"parameter '{parameter}' has the non-numeric value '{p.Overrides[parameter]}'; plot it as the series parameter instead");
}
