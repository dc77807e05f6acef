namespace Sim.Reports;

/// <summary>
/// What changed between two runs, like a diff of two lab reports: each metric's old and new value,
/// the absolute change and the relative change, plus facts (info) that differ. Metrics present on
/// one side only are listed too, so nothing silently disappears.
/// </summary>
public static class RunComparison
{
    public sealed record MetricChange(string Name, double? Before, double? After)
    {
        public double? Change => Before is { } a && After is { } b ? b - a : null;
        /// <summary>Relative change (b - a) / |a|; null when a is zero or a side is missing.</summary>
        public double? Relative => Before is { } a && After is { } b && a != 0 ? (b - a) / Math.Abs(a) : null;
        public bool Differs => !(Before is { } a && After is { } b && a.Equals(b));
    }

    public sealed record InfoChange(string Name, string? Before, string? After);

    public sealed record Result(IReadOnlyList<MetricChange> Metrics, IReadOnlyList<InfoChange> Info);

    public static Result Compare(RunSummary before, RunSummary after)
    {
        var names = before.Metrics.Select(m => m.Key).Concat(after.Metrics.Select(m => m.Key)).Distinct();
        var metrics = names.Select(n => new MetricChange(n, before.Metric(n), after.Metric(n))).ToList();
        var beforeInfo = before.Info.ToDictionary(i => i.Key, i => i.Value);
        var afterInfo = after.Info.ToDictionary(i => i.Key, i => i.Value);
        var info = beforeInfo.Keys.Concat(afterInfo.Keys).Distinct()
            .Select(k => new InfoChange(k, beforeInfo.GetValueOrDefault(k), afterInfo.GetValueOrDefault(k)))
            .Where(c => c.Before != c.After).ToList();
        return new Result(metrics, info);
    }

    /// <summary>The comparison as a table: metric, before, after, change, relative change in percent.</summary>
    public static ReportTable ToTable(Result result, bool changedOnly) =>
        new("comparison", ["metric", "before", "after", "change", "change %"],
            result.Metrics.Where(m => !changedOnly || m.Differs)
                .Select(m => (IReadOnlyList<object?>)[m.Name, m.Before, m.After, m.Change, m.Relative * 100]).ToList());
}
