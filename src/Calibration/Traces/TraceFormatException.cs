namespace Sim.Calibration.Traces;

/// <summary>
/// A measurement file that cannot be read, reported like a proofreader's margin note: which file,
/// where in it (event index, line or key path) and what was expected there.
/// </summary>
public sealed class TraceFormatException : Exception
{
    public TraceFormatException(string filePath, string location, string problem, Exception? inner = null)
        : base($"{filePath}: {location}: {problem}", inner)
    {
        FilePath = filePath;
        Location = location;
        Problem = problem;
    }

    /// <summary>The file that failed to parse.</summary>
    public string FilePath { get; }

    /// <summary>Where in the file, e.g. "event 12 (line 3)" or "line 17" or "$.ops[2].flops".</summary>
    public string Location { get; }

    /// <summary>What was wrong and what was expected.</summary>
    public string Problem { get; }
}
