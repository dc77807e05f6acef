namespace Sim.Core.Files;

/// <summary>
/// An input file that cannot be read as the tool expects: not found, not a regular file, too large,
/// a record too long, not text. The message reads <c>FILE:LINE:COL: problem</c> like a compiler
/// diagnostic (line and column 1:1 when the problem is the file as a whole). It is an
/// <see cref="IOException"/>, which every command reports as bad input (exit code 2).
/// </summary>
public sealed class InputFileException(string path, long line, long column, string problem)
    : IOException($"{path}:{line}:{column}: {problem}")
{
    public string FilePath { get; } = path;
    public long Line { get; } = line;
    public long Column { get; } = column;
    /// <summary>What was wrong and what was expected, without the location.</summary>
    public string Problem { get; } = problem;
}
