using System.Globalization;
using System.Text;

namespace Sim.Models.Dependability;

/// <summary>
/// The time side of issue #18 as a benchmark (`sim bench defences`): times the real C# aggregation
/// kernels on this machine over the sizes that fit (<see cref="AggregatorTiming"/>: n in 8..maxN, d in
/// 100k..maxD), fits each rule's cost c0 + c1 W(n, d) to those fresh timings
/// (<see cref="AggregationCostModel"/>), and tabulates one step's synchronisation under every defence for
/// n = 8..512 and d = 1M..100M (<see cref="DefenceSyncEstimate"/>: ring all-reduce for the mean, gather
/// to an aggregation server + aggregation + push-back otherwise), marking which entries are measured
/// sizes and which are extrapolated by the fitted complexity. Also reports Krum's measured growth
/// exponent in n (log-log least squares at the largest measured d; quadratic = 2).
/// </summary>
public static class DefenceBenchmark
{
    /// <summary>The defences the table compares, in order.</summary>
    public static IReadOnlyList<DefenceCost> Defences { get; } =
    [
        new("mean"), new("median"), new("trimmed-mean"), new("krum"), new("multi-krum"), new("geometric-median"),
        new("centered-clipping"), new("bulyan"), new("median", "nnm"), new("krum", "bucketing", 2),
    ];

    private static readonly int[] TimedWorkers = [8, 16, 32, 64];
    private static readonly int[] TimedDimensions = [100_000, 300_000, 1_000_000];

    /// <summary>Times every rule the table needs (Bulyan's parts, Krum and the median, included) at n in
    /// {8, 16, 32, 64} up to <paramref name="maxWorkers"/> and d in {100k, 300k, 1M} up to
    /// <paramref name="maxDimension"/>; <paramref name="progress"/> hears each point.</summary>
    public static IReadOnlyList<TimingPoint> Measure(int maxWorkers, int maxDimension, int repetitions, Action<TimingPoint>? progress = null)
    {
        var rules = Defences.SelectMany(d => d.PreAggregation is null ? [d.Aggregator] : new[] { d.Aggregator, d.PreAggregation })
            .Append("krum").Append("median").Distinct().ToArray();
        var points = new List<TimingPoint>();
        foreach (var rule in rules)
            foreach (int n in TimedWorkers.Where(n => n <= maxWorkers))
                foreach (int d in TimedDimensions.Where(d => d <= maxDimension))
                {
                    var p = AggregatorTiming.Measure(rule, n, d, repetitions);
                    points.Add(p);
                    progress?.Invoke(p);
                }
        return points;
    }

    /// <summary>Least-squares slope of log t against log n for Krum at the largest measured d.</summary>
    public static double KrumExponent(IEnumerable<TimingPoint> points)
    {
        var krum = points.Where(p => p.Rule == "krum").ToArray();
        int d = krum.Max(p => p.Dimension);
        var at = krum.Where(p => p.Dimension == d).OrderBy(p => p.Workers).ToArray();
        var lx = at.Select(p => Math.Log(p.Workers)).ToArray();
        var ly = at.Select(p => Math.Log(p.Seconds)).ToArray();
        double mx = lx.Average(), my = ly.Average(), sxy = 0, sxx = 0;
        for (int i = 0; i < lx.Length; i++) { sxy += (lx[i] - mx) * (ly[i] - my); sxx += (lx[i] - mx) * (lx[i] - mx); }
        return sxy / sxx;
    }

    /// <summary>Markdown tables of one step's synchronisation seconds (aggregation seconds in brackets)
    /// for every defence, n and d, on links of latency <paramref name="alpha"/> and inverse bandwidth
    /// <paramref name="beta"/>; * marks an aggregation time extrapolated beyond the measured sizes.</summary>
    public static string SyncTables(AggregationCostModel costs, double alpha, double beta, IReadOnlyList<int> workers, IReadOnlyList<long> dimensions)
    {
        var sb = new StringBuilder();
        foreach (long d in dimensions)
        {
            sb.AppendLine();
            sb.AppendLine(CultureInfo.InvariantCulture, $"Synchronisation of one step, d = {d:N0} fp32 parameters ({d * 4 / 1e6:N0} MB per gradient): total seconds (aggregation seconds); * = aggregation extrapolated beyond the measured sizes.");
            sb.AppendLine();
            sb.AppendLine("| defence | " + string.Join(" | ", workers.Select(n => $"n = {n}")) + " |");
            sb.AppendLine("|---|" + string.Concat(workers.Select(_ => "---|")));
            foreach (var defence in Defences)
            {
                sb.Append(CultureInfo.InvariantCulture, $"| {defence.Name} |");
                foreach (int n in workers)
                {
                    var e = DefenceSyncEstimate.For(defence, costs, n, d, 4, alpha, beta);
                    sb.Append(defence.FitsInAllReduce ? $" {G(e.TotalSeconds)} |" : $" {G(e.TotalSeconds)} ({G(e.AggregationSeconds)}){(e.Measured ? "" : "*")} |");
                }
                sb.AppendLine();
            }
        }
        return sb.ToString();
    }

    private static string G(double v) => v.ToString("g3", CultureInfo.InvariantCulture);
}
