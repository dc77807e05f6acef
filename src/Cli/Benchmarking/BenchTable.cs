namespace Sim.Cli.Benchmarking;

/// <summary>Prints benchmark measurements as a plain, wide, aligned text table (readable in logs and pipes).</summary>
public static class BenchTable
{
    public static void Print(IReadOnlyList<BenchHarness.Measurement> results, TextWriter? output = null)
    {
        output ??= Console.Out;
        var header = new[] { "workload", "first run (/s)", "warm median (/s)", "unit", "warm wall (s)", "alloc B/unit", "peak RSS (MB)", "note" };
        var rows = results.Select(m => new[]
        {
            m.Name, $"{m.FirstRate:N0}", $"{m.WarmRate:N0}", m.WorkUnit, $"{m.MedianSeconds:F3}",
            $"{m.AllocatedBytesPerUnit:F1}", $"{m.PeakWorkingSetBytes / 1048576.0:F0}", m.Note ?? "",
        }).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => i is 0 or 3 or 7 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))).TrimEnd();
        output.WriteLine(Line(header));
        output.WriteLine(new string('-', widths.Sum() + 2 * (widths.Length - 1)));
        foreach (var r in rows) output.WriteLine(Line(r));
    }
}
