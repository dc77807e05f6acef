using System.Globalization;
using Sim.Reports;

namespace Sim.Scenarios.Sweeps;

/// <summary>
/// The reconciled results of a whole sweep, one row per run in plan order, like a completed
/// spreadsheet of an experiment: the run's parameters from the manifest and its metrics.
/// </summary>
public sealed record SweepResults(
    SweepManifest Manifest,
    IReadOnlyList<string> Metrics,
    IReadOnlyList<(SweepManifest.Entry Entry, IReadOnlyDictionary<string, double> Metrics)> Rows)
{
    /// <summary>The tidy table written as results.csv: fixed columns, parameters, then sorted metrics.</summary>
    public ReportTable ToTable()
    {
        var columns = SweepRunner.FixedColumns.Concat(Manifest.Parameters).Concat(Metrics).ToList();
        var rows = Rows.Select(row =>
        {
            var cells = new List<object?> { row.Entry.RunId, row.Entry.PointId, row.Entry.Replication, row.Entry.Seed.ToString(CultureInfo.InvariantCulture) };
            cells.AddRange(Manifest.Parameters.Select(p => (object?)(row.Entry.Parameters.TryGetValue(p, out var value) ? value : null)));
            cells.AddRange(Metrics.Select(m => (object?)(row.Metrics.TryGetValue(m, out var value) ? value : null)));
            return (IReadOnlyList<object?>)cells;
        }).ToList();
        return new ReportTable(Manifest.Name, columns, rows);
    }
}
