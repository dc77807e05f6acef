using System.Globalization;
using Sim.Reports;

namespace Sim.Scenarios.Sweeps;

/// <summary>
/// Combines the run pages of one or more results folders (local runs, Slurm shards) into one tidy
/// CSV, like an auditor reconciling receipts against the order book: every run in the manifest must
/// appear exactly once, and any missing, duplicated or foreign run is named before any output is
/// written. Rows follow the plan's order and metric columns are sorted, so equal results give
/// byte-identical files however they were computed.
/// </summary>
public static class SweepMerger
{
    public sealed record Summary(int Runs, int Points, IReadOnlyList<string> Metrics, string CsvPath);

    public static Summary Merge(IReadOnlyList<string> directories, string csvPath)
    {
        var results = Collect(directories);
        CsvTableWriter.Write(csvPath, results.ToTable());
        return new Summary(results.Rows.Count, results.Rows.Select(r => r.Entry.PointId).Distinct().Count(), results.Metrics, Path.GetFullPath(csvPath));
    }

    /// <summary>Reads and reconciles the results of one or more folders without writing anything.</summary>
    public static SweepResults Collect(IReadOnlyList<string> directories)
    {
        if (directories.Count == 0) throw new ArgumentException("expected at least one results folder", nameof(directories));
        var stores = directories.Select(d => new SweepResultStore(d)).ToList();
        var manifest = stores[0].ReadManifest();
        foreach (var other in stores.Skip(1))
            if (other.ReadManifest().Fingerprint != manifest.Fingerprint)
                throw new SweepException($"{other.Directory} holds another sweep (fingerprint {other.ReadManifest().Fingerprint}) than {stores[0].Directory} ({manifest.Fingerprint})");

        var expected = manifest.Runs.ToDictionary(r => r.RunId);
        var found = new Dictionary<string, List<(string File, SweepResultStore.StoredRun Run)>>();
        var problems = new List<string>();
        foreach (var store in stores)
        {
            if (!Directory.Exists(store.RunsDirectory)) continue;
            foreach (var file in Directory.EnumerateFiles(store.RunsDirectory, "*.json").Order(StringComparer.Ordinal))
            {
                if (Path.GetFileName(file).StartsWith('.')) continue;
                var run = SweepResultStore.TryReadRun(file);
                if (run is null || run.Fingerprint != manifest.Fingerprint || Path.GetFileNameWithoutExtension(file) != run.RunId)
                {
                    problems.Add($"{file}: not a run result of this sweep");
                    continue;
                }
                if (!expected.ContainsKey(run.RunId)) { problems.Add($"{file}: run {run.RunId} is not in the manifest"); continue; }
                if (!found.TryGetValue(run.RunId, out var copies)) found[run.RunId] = copies = [];
                copies.Add((file, run));
            }
        }
        foreach (var (id, copies) in found.Where(f => f.Value.Count > 1))
            problems.Add($"run {id} is duplicated: {string.Join(", ", copies.Select(c => c.File))}");
        var missing = manifest.Runs.Where(r => !found.ContainsKey(r.RunId)).ToList();
        if (missing.Count > 0)
        {
            var byPoint = missing.GroupBy(r => r.PointId).Select(g =>
                $"{g.Key} (replication {string.Join(",", g.Select(r => r.Replication))}; {string.Join(", ", g.First().Parameters.Select(p => $"{p.Key}={p.Value}"))})");
            problems.Add($"missing {missing.Count} of {manifest.Runs.Count} runs, points: {string.Join("; ", byPoint.Take(20))}{(missing.Count > 20 ? "; ..." : "")}");
        }
        if (problems.Count > 0)
            throw new SweepException($"cannot merge {string.Join(", ", directories)}:{Environment.NewLine}" + string.Join(Environment.NewLine, problems));

        var metrics = found.Values.SelectMany(c => c[0].Run.Metrics.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        return new SweepResults(manifest, metrics, manifest.Runs.Select(e => (e, found[e.RunId][0].Run.Metrics)).ToList());
    }
}
