/// <summary>
/// Reads measured step-time logs in the "sim-steplog v1" format, a stopwatch sheet with one lap
/// per line. Format: the first non-empty line is exactly <c># sim-steplog v1</c>; other lines
/// starting with '#' are comments; every other non-empty line holds space-separated
/// <c>key=value</c> pairs and must contain <c>iter=INT</c> and <c>seconds=FLOAT</c> (positive);
/// optional keys are <c>model</c>, <c>batch</c>, <c>rank</c>, <c>world</c>; other keys are errors.
/// Example: <c>iter=3 seconds=0.0123 model=mlp batch=16 rank=0 world=2</c>.
/// </summary>
using System.Globalization;

namespace Sim.Calibration.Traces;

public static class StepTimeLogReader
{
    public const string Header = "# sim-steplog v1";
    private const int MaxRecords = 10_000_000;

    public static IReadOnlyList<StepTimeRecord> Read(string path)
    {
        using var reader = NcclTestsReader.OpenText(path);
        return Parse(reader, path);
    }

    /// <summary>Parses log text from any reader; <paramref name="sourceName"/> names it in errors.</summary>
    public static IReadOnlyList<StepTimeRecord> Parse(TextReader text, string sourceName)
    {
        var records = new List<StepTimeRecord>();
        bool sawHeader = false;
        int lineNumber = 0;
        string? line;
        var reader = text as StreamReader;
        while ((line = reader is not null ? NcclTestsReader.ReadBoundedLine(reader, sourceName, lineNumber + 1) : text.ReadLine()) is not null)
        {
            lineNumber++;
            string trimmed = line.Trim();
            if (trimmed.Length == 0) continue;
            if (!sawHeader)
            {
                if (trimmed != Header) throw new TraceFormatException(sourceName, $"line {lineNumber}", $"expected the header '{Header}'");
                sawHeader = true;
                continue;
            }
            if (trimmed.StartsWith('#')) continue;
            if (records.Count >= MaxRecords) throw new TraceFormatException(sourceName, $"line {lineNumber}", $"more than {MaxRecords} records");
            records.Add(ParseLine(trimmed, sourceName, lineNumber));
        }
        if (!sawHeader) throw new TraceFormatException(sourceName, "line 1", $"empty file; expected the header '{Header}'");
        return records;
    }

    private static StepTimeRecord ParseLine(string line, string source, int lineNumber)
    {
        int? iter = null, batch = null, rank = null, world = null;
        double? seconds = null;
        string? model = null;
        foreach (var pair in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=');
            if (eq <= 0) throw new TraceFormatException(source, $"line {lineNumber}", $"expected key=value, got '{pair}'");
            string key = pair[..eq], value = pair[(eq + 1)..];
            switch (key)
            {
                case "iter": iter = ParseInt(value, key, source, lineNumber); break;
                case "batch": batch = ParseInt(value, key, source, lineNumber); break;
                case "rank": rank = ParseInt(value, key, source, lineNumber); break;
                case "world": world = ParseInt(value, key, source, lineNumber); break;
                case "model": model = value; break;
                case "seconds":
                    if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double s) || !double.IsFinite(s) || s <= 0)
                        throw new TraceFormatException(source, $"line {lineNumber}", $"key 'seconds': expected a positive number, got '{value}'");
                    seconds = s;
                    break;
                default: throw new TraceFormatException(source, $"line {lineNumber}", $"unknown key '{key}' (expected iter, seconds, model, batch, rank, world)");
            }
        }
        if (iter is null) throw new TraceFormatException(source, $"line {lineNumber}", "missing key 'iter'");
        if (seconds is null) throw new TraceFormatException(source, $"line {lineNumber}", "missing key 'seconds'");
        return new StepTimeRecord(iter.Value, seconds.Value, model, batch, rank, world);
    }

    private static int ParseInt(string value, string key, string source, int lineNumber) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int v)
            ? v
            : throw new TraceFormatException(source, $"line {lineNumber}", $"key '{key}': expected a non-negative integer, got '{value}'");
}
