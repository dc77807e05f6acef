using System.Globalization;
using System.Text;
using Sim.Core.Files;

namespace Sim.Models.Federated;

/// <summary>Bounds on what a device trace may ask of memory, so an untrusted file cannot exhaust it.</summary>
public sealed record TraceLimits
{
    public int MaxLineLength { get; init; } = 65_536;
    public int MaxIntervalsPerClient { get; init; } = 4_096;
    public int MaxClients { get; init; } = 10_000_000;
    public long MaxTotalIntervals { get; init; } = 20_000_000;
}

/// <summary>
/// Reads a device trace (format: docs/federated-trace-format.md) the way a customs officer reads a
/// manifest: one line at a time, every field checked, and the first problem reported with the file,
/// line and column where it sits. Lines are read with a bounded buffer, so a file with no line breaks
/// or a gigantic field fails cleanly instead of filling memory; client and interval counts are bounded
/// by <see cref="TraceLimits"/>. Columns: client_id, seconds_per_sample, downlink_mbps, uplink_mbps,
/// samples, availability (in any order, named by a header line); optional directive
/// <c># availability_period_s=86400</c> before the header makes the intervals repeat daily.
/// </summary>
public static class DeviceTraceReader
{
    public static readonly string[] Columns = ["client_id", "seconds_per_sample", "downlink_mbps", "uplink_mbps", "samples", "availability"];
    private const string PeriodDirective = "availability_period_s";

    /// <summary>Largest trace file read: 10 million clients of about 100 characters each.</summary>
    public const long MaxFileBytes = 1L << 30;

    /// <exception cref="TraceFormatException">any problem with the file, located at file:line:column;
    /// nothing else escapes.</exception>
    public static ClientPopulation Read(string path, TraceLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            // Regular files only (a FIFO or /dev/zero is refused without blocking), and never more
            // bytes than the largest trace the limits admit.
            using var stream = InputFile.OpenRead(path, MaxFileBytes);
            return Read(stream, path, limits);
        }
        catch (InputFileException e) { throw new TraceFormatException(e.FilePath, e.Line, (int)Math.Min(e.Column, int.MaxValue), e.Problem); }
    }

    /// <param name="fileName">Name used in error messages.</param>
    public static ClientPopulation Read(Stream stream, string fileName, TraceLimits? limits = null)
    {
        limits ??= new TraceLimits();
        var lines = new BoundedLineReader(new StreamReader(stream, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true), limits.MaxLineLength, fileName);
        try { return Parse(lines, fileName, limits); }
        catch (InputFileException e) { throw new TraceFormatException(fileName, e.Line, (int)Math.Min(e.Column, int.MaxValue), e.Problem); }
        catch (DecoderFallbackException e) { throw new TraceFormatException(fileName, Math.Max(1, lines.LineNumber), 1, "not valid text: " + e.Message); }
    }

    private static ClientPopulation Parse(BoundedLineReader reader, string fileName, TraceLimits limits)
    {
        double period = 0;
        int[]? columnOf = null; // logical column -> position in the line
        var speed = new List<float>();
        var down = new List<float>();
        var up = new List<float>();
        var samples = new List<int>();
        var offsets = new List<int> { 0 };
        var begin = new List<double>();
        var end = new List<double>();
        var fieldStarts = new List<int>();
        string? line;
        while ((line = reader.ReadLine()) != null)
        {
            long lineNo = reader.LineNumber;
            string trimmed = line.Trim();
            if (trimmed.Length == 0) continue;
            if (trimmed[0] == '#')
            {
                int eq = trimmed.IndexOf('=');
                string key = (eq < 0 ? trimmed[1..] : trimmed[1..eq]).Trim();
                if (eq >= 0 && key == PeriodDirective)
                {
                    if (columnOf != null) throw new TraceFormatException(fileName, lineNo, 1, $"the {PeriodDirective} directive must come before the header line");
                    string value = trimmed[(eq + 1)..].Trim();
                    if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out period) || !(period > 0) || double.IsInfinity(period))
                        throw new TraceFormatException(fileName, lineNo, line.IndexOf('=') + 2, $"{PeriodDirective}: expected a finite number of seconds > 0, got '{value}'");
                }
                continue;
            }
            SplitFields(line, fieldStarts);
            if (columnOf == null)
            {
                columnOf = ParseHeader(line, fieldStarts, fileName, lineNo);
                continue;
            }
            if (fieldStarts.Count != Columns.Length)
                throw new TraceFormatException(fileName, lineNo, 1, $"expected {Columns.Length} comma-separated fields ({string.Join(",", Columns)}), got {fieldStarts.Count}");
            int client = speed.Count;
            if (client >= limits.MaxClients) throw new TraceFormatException(fileName, lineNo, 1, $"more than {limits.MaxClients:N0} clients (limit)");
            var id = Field(line, fieldStarts, columnOf[0]);
            if (!long.TryParse(id.Text, NumberStyles.None, CultureInfo.InvariantCulture, out long idValue) || idValue != client)
                throw new TraceFormatException(fileName, lineNo, id.Column, $"client_id: expected {client} (ids are 0, 1, 2, ... in file order), got '{id.Text}'");
            speed.Add((float)Number(line, fieldStarts, columnOf[1], "seconds_per_sample", fileName, lineNo, allowZero: true));
            down.Add((float)Number(line, fieldStarts, columnOf[2], "downlink_mbps", fileName, lineNo, allowZero: false, scale: 1e6 / 8));
            up.Add((float)Number(line, fieldStarts, columnOf[3], "uplink_mbps", fileName, lineNo, allowZero: false, scale: 1e6 / 8));
            var s = Field(line, fieldStarts, columnOf[4]);
            if (!int.TryParse(s.Text, NumberStyles.None, CultureInfo.InvariantCulture, out int sampleCount))
                throw new TraceFormatException(fileName, lineNo, s.Column, $"samples: expected a whole number >= 0 (at most {int.MaxValue}), got '{s.Text}'");
            samples.Add(sampleCount);
            ParseAvailability(line, Field(line, fieldStarts, columnOf[5]), period, limits, begin, end, fileName, lineNo);
            offsets.Add(begin.Count);
        }
        if (columnOf == null) throw new TraceFormatException(fileName, Math.Max(1, reader.LineNumber), 1, $"no header line; expected: {string.Join(",", Columns)}");
        return new ClientPopulation(speed.ToArray(), up.ToArray(), down.ToArray(), samples.ToArray(),
            offsets.ToArray(), begin.ToArray(), end.ToArray(), period);
    }

    private static void SplitFields(string line, List<int> starts)
    {
        starts.Clear();
        starts.Add(0);
        for (int i = 0; i < line.Length; i++) if (line[i] == ',') starts.Add(i + 1);
    }

    private readonly record struct FieldText(string Text, int Column);

    private static FieldText Field(string line, List<int> starts, int index)
    {
        int start = starts[index];
        int stop = index + 1 < starts.Count ? starts[index + 1] - 1 : line.Length;
        string raw = line[start..stop];
        int lead = raw.Length - raw.TrimStart().Length;
        return new FieldText(raw.Trim(), start + lead + 1);
    }

    private static int[] ParseHeader(string line, List<int> starts, string file, long lineNo)
    {
        var map = new int[Columns.Length];
        Array.Fill(map, -1);
        for (int f = 0; f < starts.Count; f++)
        {
            var field = Field(line, starts, f);
            int k = Array.IndexOf(Columns, field.Text.ToLowerInvariant());
            if (k < 0) throw new TraceFormatException(file, lineNo, field.Column, $"unknown column '{field.Text}'; expected the columns {string.Join(",", Columns)}");
            if (map[k] >= 0) throw new TraceFormatException(file, lineNo, field.Column, $"column '{field.Text}' appears twice");
            map[k] = f;
        }
        for (int k = 0; k < Columns.Length; k++)
            if (map[k] < 0) throw new TraceFormatException(file, lineNo, 1, $"header lacks the column '{Columns[k]}'; expected the columns {string.Join(",", Columns)}");
        return map;
    }

    private static double Number(string line, List<int> starts, int index, string name, string file, long lineNo, bool allowZero, double scale = 1)
    {
        var f = Field(line, starts, index);
        if (!double.TryParse(f.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || double.IsNaN(v) || double.IsInfinity(v)
            || (allowZero ? v < 0 : v <= 0) || !(v * scale <= float.MaxValue) || (!allowZero && !((float)(v * scale) > 0)))
            throw new TraceFormatException(file, lineNo, f.Column, $"{name}: expected a finite number {(allowZero ? ">= 0" : "> 0")}, got '{f.Text}'");
        return v * scale;
    }

    private static void ParseAvailability(string line, FieldText field, double period, TraceLimits limits,
        List<double> begin, List<double> end, string file, long lineNo)
    {
        string text = field.Text;
        if (text.Length == 0 || text.Equals("never", StringComparison.OrdinalIgnoreCase)) return;
        if (text.Equals("always", StringComparison.OrdinalIgnoreCase))
        {
            begin.Add(0);
            end.Add(period > 0 ? period : double.PositiveInfinity);
            return;
        }
        int count = 0;
        int pos = 0;
        double previousEnd = double.NegativeInfinity;
        while (pos <= text.Length)
        {
            int semi = text.IndexOf(';', pos);
            if (semi < 0) semi = text.Length;
            string part = text[pos..semi];
            int column = field.Column + pos + (part.Length - part.TrimStart().Length);
            part = part.Trim();
            string expected = "an interval 'start-end' in seconds with 0 <= start < end" + (period > 0 ? $" <= {period} (the availability period)" : "");
            int dash = part.IndexOf('-', 1); // from 1: a leading '-' is a sign, caught as negative below
            if (part.Length == 0 || dash < 0)
                throw new TraceFormatException(file, lineNo, column, $"availability: expected 'always', 'never' or intervals 'start-end;start-end' in seconds, got '{part}'");
            if (!double.TryParse(part[..dash], NumberStyles.Float, CultureInfo.InvariantCulture, out double b)
                || !double.TryParse(part[(dash + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double e)
                || !(b >= 0) || !(e > b) || double.IsInfinity(e) || (period > 0 && e > period))
                throw new TraceFormatException(file, lineNo, column, $"availability: expected {expected}, got '{part}'");
            if (b < previousEnd)
                throw new TraceFormatException(file, lineNo, column, $"availability: intervals must be sorted and must not overlap; '{part}' starts before the previous one ends ({previousEnd.ToString(CultureInfo.InvariantCulture)})");
            if (++count > limits.MaxIntervalsPerClient)
                throw new TraceFormatException(file, lineNo, column, $"availability: more than {limits.MaxIntervalsPerClient:N0} intervals for one client (limit)");
            if (begin.Count >= limits.MaxTotalIntervals)
                throw new TraceFormatException(file, lineNo, column, $"availability: more than {limits.MaxTotalIntervals:N0} intervals in the trace (limit)");
            begin.Add(b);
            end.Add(e);
            previousEnd = e;
            pos = semi + 1;
        }
    }
}
