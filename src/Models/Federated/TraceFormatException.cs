namespace Sim.Models.Federated;

/// <summary>
/// A proof-reader's margin note for a bad device trace: which file, which line, which column, and
/// what was expected there. The message reads <c>file:line:column: problem</c>, as compilers write it.
/// </summary>
public sealed class TraceFormatException(string file, long line, int column, string problem)
    : FormatException($"{file}:{line}:{column}: {problem}")
{
    public string File { get; } = file;
    public long Line { get; } = line;
    /// <summary>1-based column (character position) where the problem starts.</summary>
    public int Column { get; } = column;
    public string Problem { get; } = problem;
}
