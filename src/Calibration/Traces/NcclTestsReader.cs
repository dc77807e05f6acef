using System.Globalization;

namespace Sim.Calibration.Traces;

/// <summary>
/// Reads the result table that nccl-tests (all_reduce_perf, all_gather_perf, ...) prints, like
/// reading a train timetable by its column headings rather than by fixed positions: the header
/// line names the columns, and the first "time" column is the out-of-place time in microseconds.
/// </summary>
public static class NcclTestsReader
{
    private const int MaxLineChars = 64 * 1024;
    private const int MaxRows = 100_000;

    /// <summary>Reads one nccl-tests output file. The collective comes from the
    /// "Collective test starting: NAME_perf" banner or, failing that, from the file name.</summary>
    public static IReadOnlyList<CollectiveMeasurement> Read(string path, int? worldSizeOverride = null)
    {
        using var reader = OpenText(path);
        var rows = new List<(int line, long bytes, double us)>();
        string? collective = null;
        int ranks = 0;
        int timeColumn = -1, columnCount = -1;
        int lineNumber = 0;
        string? line;
        while ((line = ReadBoundedLine(reader, path, lineNumber + 1)) is not null)
        {
            lineNumber++;
            string trimmed = line.Trim();
            if (trimmed.Length == 0) continue;
            if (trimmed.StartsWith('#'))
            {
                string body = trimmed.TrimStart('#').Trim();
                int banner = body.IndexOf("Collective test starting:", StringComparison.Ordinal);
                if (banner >= 0) collective = NormaliseCollective(body[(banner + 25)..].Trim());
                if (body.StartsWith("Rank ", StringComparison.Ordinal) && body.Contains(" Pid ", StringComparison.Ordinal)) ranks++;
                var heads = body.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (heads.Length > 4 && heads[0] == "size" && heads[1] == "count")
                {
                    timeColumn = Array.IndexOf(heads, "time");
                    columnCount = heads.Length;
                    if (timeColumn < 0) throw new TraceFormatException(path, $"line {lineNumber}", "header has no 'time' column");
                }
                continue;
            }
            if (columnCount < 0) continue; // preamble before the table (nccl-tests prints an argument banner)
            var cells = trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (!long.TryParse(cells[0], NumberStyles.None, CultureInfo.InvariantCulture, out long bytes)) continue; // footer lines
            if (cells.Length != columnCount)
                throw new TraceFormatException(path, $"line {lineNumber}", $"expected {columnCount} columns as in the header, got {cells.Length}");
            if (!double.TryParse(cells[timeColumn], NumberStyles.Float, CultureInfo.InvariantCulture, out double us) || !(us > 0) || !double.IsFinite(us))
                throw new TraceFormatException(path, $"line {lineNumber}", $"column 'time': expected a positive number of microseconds, got '{cells[timeColumn]}'");
            if (rows.Count >= MaxRows) throw new TraceFormatException(path, $"line {lineNumber}", $"more than {MaxRows} rows");
            rows.Add((lineNumber, bytes, us));
        }
        if (columnCount < 0) throw new TraceFormatException(path, $"line {lineNumber}", "no nccl-tests header line ('#  size  count  type ...') found");
        if (rows.Count == 0) throw new TraceFormatException(path, $"line {lineNumber}", "the nccl-tests table has no data rows");
        collective ??= NormaliseCollective(Path.GetFileNameWithoutExtension(path));
        int world = worldSizeOverride ?? ranks;
        if (world < 1) throw new TraceFormatException(path, "header", "cannot tell the number of ranks: no '#  Rank N ... Pid' lines; pass the world size explicitly");
        // microseconds / 1e6 is correctly rounded, so 12.5 us becomes exactly the double 12.5e-6
        return rows.Select(r => new CollectiveMeasurement("nccl", collective, world, r.bytes, r.us / 1e6)).ToList();
    }

    private static string NormaliseCollective(string name)
    {
        string n = name.Trim().ToLowerInvariant();
        foreach (var c in Fitting.CollectiveBusFactors.Known)
            if (n.StartsWith(c, StringComparison.Ordinal) || n.Contains(c, StringComparison.Ordinal)) return c;
        return n.EndsWith("_perf", StringComparison.Ordinal) ? n[..^5] : n;
    }

    /// <summary>Largest nccl-tests output or step-time log read (real ones are kilobytes to megabytes).</summary>
    internal const long MaxTextFileBytes = 256L << 20;

    internal static StreamReader OpenText(string path)
    {
        // Regular files only (a FIFO would block, /dev/zero never ends); at most MaxTextFileBytes read.
        try { return new StreamReader(Sim.Core.Files.InputFile.OpenRead(path, MaxTextFileBytes), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true); }
        catch (Sim.Core.Files.InputFileException e)
        {
            throw new TraceFormatException(path, "file", e.Problem, e);
        }
    }

    /// <summary>Reads a line but refuses one longer than the cap, so a file without newlines
    /// cannot make us buffer gigabytes.</summary>
    internal static string? ReadBoundedLine(StreamReader reader, string path, int lineNumber)
    {
        var sb = new System.Text.StringBuilder();
        int c;
        bool any = false;
        while ((c = reader.Read()) >= 0)
        {
            any = true;
            if (c == '\n') break;
            if (c == '\r') continue;
            if (sb.Length >= MaxLineChars)
                throw new TraceFormatException(path, $"line {lineNumber}", $"line longer than {MaxLineChars} characters");
            sb.Append((char)c);
        }
        return any ? sb.ToString() : null;
    }
}
