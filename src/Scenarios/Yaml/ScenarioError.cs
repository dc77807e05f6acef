namespace Sim.Scenarios.Yaml;

/// <summary>
/// One problem found in an input file, written the way a compiler writes a diagnostic:
/// <c>FILE:LINE:COL: key.path[2].sub: expected ..., got ...</c>, so editors can jump to it.
/// </summary>
public sealed record ScenarioError(SourceLocation Location, string Path, string Message)
{
    public override string ToString() =>
        Path.Length == 0 ? $"{Location}: {Message}" : $"{Location}: {Path}: {Message}";
}
