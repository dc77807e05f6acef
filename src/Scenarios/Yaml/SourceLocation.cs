namespace Sim.Scenarios.Yaml;

/// <summary>
/// Where a piece of input came from, like the "page and line" of a citation: the file, and the
/// 1-based line and column where a YAML node starts. Every node keeps one so that any error found
/// later, even after a sweep override moved a value into a scenario, points at the text that caused it.
/// </summary>
public readonly record struct SourceLocation(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
