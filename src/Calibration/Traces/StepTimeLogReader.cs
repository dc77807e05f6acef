using System.Globalization;

namespace Sim.Calibration.Traces;

/// <summary>
/// Reads measured step-time logs in the "sim-steplog" format, a stopwatch sheet with one lap
/// per line. Format: the first non-empty line is exactly <c># sim-steplog v3</c> (or <c>v2</c>, <c>v1</c>);
/// other lines starting with '#' are comments; every other non-empty line holds space-separated
/// <c>key=value</c> pairs and must contain <c>iter=INT</c> and <c>seconds=FLOAT</c> (positive);
/// optional keys are <c>model</c>, <c>batch</c>, <c>rank</c>, <c>world</c>; from v2 <c>background</c>:
/// per scheduling group, in cores, joined by '+' (<c>0</c> for none): in v2 the other processes' demand
/// measured in the second before and after the run, from v3 the cores each other group used during the
/// measured window; and in v3 only <c>job_cores</c> (cores the run's own processes used over the window),
/// <c>session_cores</c> (the rest of the run's own scheduling group), <c>window_s</c> (the window's
/// length, seconds) and <c>step_cpu_s</c> (CPU seconds all ranks' processes spent per measured step,
/// mean over the steps). v4 (<c># sim-steplog v4</c>) adds <c>window</c>: the index of the short measurement window the step
/// belongs to, when a configuration is measured in several windows taken round-robin with other configurations; the v3
/// keys then describe all the configuration's windows together (<c>window_s</c> their total length). Other keys are errors.
/// Example: <c>iter=3 seconds=0.0123 model=mlp batch=16 rank=0 world=2 background=0.98+0.12 job_cores=0.9 session_cores=0 window_s=1.002 step_cpu_s=0.0241</c>.
/// </summary>
public static class StepTimeLogReader
{
    public const string Header = "# sim-steplog v4";
    public const string HeaderV3 = "# sim-steplog v3";
    public const string HeaderV2 = "# sim-steplog v2";
    public const string HeaderV1 = "# sim-steplog v1";
    private const int MaxBackgroundGroups = 1024;
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
        int version = 0;
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
                version = trimmed == Header ? 4 : trimmed == HeaderV3 ? 3 : trimmed == HeaderV2 ? 2 : trimmed == HeaderV1 ? 1
                    : throw new TraceFormatException(sourceName, $"line {lineNumber}", $"expected the header '{Header}' (or '{HeaderV3}', '{HeaderV2}', '{HeaderV1}')");
                sawHeader = true;
                continue;
            }
            if (trimmed.StartsWith('#')) continue;
            if (records.Count >= MaxRecords) throw new TraceFormatException(sourceName, $"line {lineNumber}", $"more than {MaxRecords} records");
            records.Add(ParseLine(trimmed, sourceName, lineNumber, version));
        }
        if (!sawHeader) throw new TraceFormatException(sourceName, "line 1", $"empty file; expected the header '{Header}'");
        return records;
    }

    private static StepTimeRecord ParseLine(string line, string source, int lineNumber, int version)
    {
        int? iter = null, batch = null, rank = null, world = null, window = null;
        double? seconds = null, jobCores = null, sessionCores = null, windowSeconds = null, stepCpu = null;
        string? model = null;
        IReadOnlyList<double>? background = null;
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
                case "seconds": seconds = ParseNumber(value, key, source, lineNumber, zeroAllowed: false); break;
                case "background" when version >= 2: background = ParseLoads(value, source, lineNumber); break;
                case "job_cores" when version >= 3: jobCores = ParseNumber(value, key, source, lineNumber, zeroAllowed: true); break;
                case "session_cores" when version >= 3: sessionCores = ParseNumber(value, key, source, lineNumber, zeroAllowed: true); break;
                case "window_s" when version >= 3: windowSeconds = ParseNumber(value, key, source, lineNumber, zeroAllowed: false); break;
                case "step_cpu_s" when version >= 3: stepCpu = ParseNumber(value, key, source, lineNumber, zeroAllowed: true); break;
                case "window" when version >= 4: window = ParseInt(value, key, source, lineNumber); break;
                default:
                    throw new TraceFormatException(source, $"line {lineNumber}", $"unknown key '{key}' (expected iter, seconds, model, batch, rank, world" + version switch
                    {
                        1 => "; background needs the v2 header, job_cores, session_cores, window_s and step_cpu_s the v3 header, window the v4 header)",
                        2 => ", background; job_cores, session_cores, window_s and step_cpu_s need the v3 header, window the v4 header)",
                        3 => ", background, job_cores, session_cores, window_s, step_cpu_s; window needs the v4 header)",
                        _ => ", background, job_cores, session_cores, window_s, step_cpu_s, window)",
                    });
            }
        }
        if (iter is null) throw new TraceFormatException(source, $"line {lineNumber}", "missing key 'iter'");
        if (seconds is null) throw new TraceFormatException(source, $"line {lineNumber}", "missing key 'seconds'");
        return new StepTimeRecord(iter.Value, seconds.Value, model, batch, rank, world, background,
            version >= 3 && background is not null, jobCores, sessionCores, windowSeconds, stepCpu, window);
    }

    private static IReadOnlyList<double> ParseLoads(string value, string source, int lineNumber)
    {
        if (value == "0") return [];
        var parts = value.Split('+');
        if (parts.Length > MaxBackgroundGroups)
            throw new TraceFormatException(source, $"line {lineNumber}", $"key 'background': more than {MaxBackgroundGroups} groups");
        var loads = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out loads[i]) || !double.IsFinite(loads[i]) || loads[i] < 0)
                throw new TraceFormatException(source, $"line {lineNumber}", $"key 'background': expected non-negative core counts joined by '+' (or 0), got '{value}'");
        return loads;
    }

    private static double ParseNumber(string value, string key, string source, int lineNumber, bool zeroAllowed) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) && (v > 0 || (zeroAllowed && v == 0))
            ? v
            : throw new TraceFormatException(source, $"line {lineNumber}", $"key '{key}': expected a {(zeroAllowed ? "non-negative" : "positive")} number, got '{value}'");

    private static int ParseInt(string value, string key, string source, int lineNumber) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int v)
            ? v
            : throw new TraceFormatException(source, $"line {lineNumber}", $"key '{key}': expected a non-negative integer, got '{value}'");
}
